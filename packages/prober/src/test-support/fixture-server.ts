// A small real HTTP server for status-page tests: each path serves a document that the test
// can change at any time, with ETag/Last-Modified validators, and counts what it served.
import { createHash } from 'node:crypto';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  status?: number;
  body: string;
  contentType?: string;
  /** Send an ETag (default true) and honour If-None-Match with 304. */
  etag?: boolean;
  /** Send Last-Modified and honour If-Modified-Since with 304. */
  lastModified?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export class FixtureServer {
  readonly routes = new Map<string, Route>();
  readonly hits = new Map<string, number>();
  readonly notModified = new Map<string, number>();
  readonly conditionalHeaders: Array<{ path: string; ifNoneMatch?: string; ifModifiedSince?: string }> = [];
  private server: Server | null = null;
  origin = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const route = this.routes.get(path);
      const answer = () => {
        if (!route) {
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('not found');
          return;
        }
        const ifNoneMatch = req.headers['if-none-match'];
        const ifModifiedSince = req.headers['if-modified-since'];
        if (ifNoneMatch || ifModifiedSince) {
          this.conditionalHeaders.push({ path, ifNoneMatch, ifModifiedSince });
        }
        const etag = `"${createHash('sha1').update(route.body).digest('hex').slice(0, 16)}"`;
        const status = route.status ?? 200;
        const useEtag = route.etag ?? true;
        const fresh =
          status === 200 &&
          ((useEtag && ifNoneMatch === etag) || (route.lastModified !== undefined && ifModifiedSince === route.lastModified && !ifNoneMatch));
        const headers: Record<string, string> = { 'Content-Type': route.contentType ?? 'application/json', ...route.headers };
        if (useEtag && status === 200) {
          headers.ETag = etag;
        }
        if (route.lastModified && status === 200) {
          headers['Last-Modified'] = route.lastModified;
        }
        if (fresh) {
          this.notModified.set(path, (this.notModified.get(path) ?? 0) + 1);
          res.writeHead(304, headers);
          res.end();
          return;
        }
        res.writeHead(status, headers);
        res.end(route.body);
      };
      if (route?.delayMs) {
        setTimeout(answer, route.delayMs);
      } else {
        answer();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  set(path: string, route: Route): void {
    this.routes.set(path, route);
  }

  json(path: string, data: unknown, extra: Omit<Route, 'body'> = {}): void {
    this.set(path, { body: JSON.stringify(data), ...extra });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
