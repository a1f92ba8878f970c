// A small fetch() on node:http for plugin tests: jsdom test environments have no fetch, and
// undici needs web globals jsdom lacks. Enough for GET/POST of JSON and text to 127.0.0.1.
import { request as httpRequest, type IncomingMessage } from 'node:http';

export interface HttpFetchResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  redirected: boolean;
  type: 'basic';
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export function httpFetch(
  input: string | URL,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<HttpFetchResponse> {
  const url = new URL(String(input));
  if (url.protocol !== 'http:') {
    return Promise.reject(new TypeError(`httpFetch: only http: URLs (got ${url.protocol})`));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 300,
          status,
          statusText: res.statusMessage ?? '',
          url: url.toString(),
          redirected: false,
          type: 'basic',
          headers: { get: (name) => (res.headers[name.toLowerCase()] as string | undefined) ?? null },
          text: async () => body,
          json: async () => JSON.parse(body),
        });
      });
    });
    req.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
    if (init.body) {
      req.write(init.body);
    }
    req.end();
  });
}

/** Installs httpFetch as the global fetch when the environment has none (jsdom). */
export function ensureGlobalFetch(): void {
  const g = globalThis as { fetch?: unknown };
  if (typeof g.fetch !== 'function') {
    g.fetch = httpFetch;
  }
}
