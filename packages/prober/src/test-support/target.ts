// A local HTTP server playing a third-party API: per-path status, delay and headers, and a
// record of the requests it received.
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TargetRoute {
  status?: number;
  delayMs?: number;
  headers?: Record<string, string> | (() => Record<string, string>);
  body?: string;
  /** Never answer (until the client gives up). */
  hang?: boolean;
}

export interface TestTarget {
  url: string;
  requests: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  /** Paths of the responses that were sent completely. */
  completed: string[];
  routes: Map<string, TargetRoute>;
  close(): Promise<void>;
}

export async function startTarget(routes: Record<string, TargetRoute> = {}): Promise<TestTarget> {
  const table = new Map(Object.entries(routes));
  const requests: TestTarget['requests'] = [];
  const completed: string[] = [];
  const server: Server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? '', path, headers: req.headers });
    res.on('finish', () => completed.push(path));
    const route = table.get(path) ?? { status: 404, body: '{"error":"not found"}' };
    if (route.hang) {
      return;
    }
    const headers = typeof route.headers === 'function' ? route.headers() : (route.headers ?? {});
    const send = () => {
      const body = route.body ?? '{"ok":true}';
      res.writeHead(route.status ?? 200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        ...headers,
      });
      res.end(body);
    };
    if (route.delayMs) {
      setTimeout(send, route.delayMs);
    } else {
      send();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    completed,
    routes: table,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
