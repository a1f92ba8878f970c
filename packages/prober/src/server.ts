// The prober's read-only HTTP surface on node:http: /metrics for Prometheus, /healthz and
// /readyz for the orchestrator, and the JSON API under /api/v1 (optionally behind a bearer
// token). Routes come from a small table; modules such as the status-page monitor plug in
// their own /api/v1 routes through `handleRequest`.
import { timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { errorBody, PROBER_API_PREFIX, PROBER_ERRORS } from '@apimon/core';
import type { Logger } from './logger';

export interface Route {
  /** Exact path, e.g. "/api/v1/catalog". */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
}

/** A module that serves some paths itself; resolves true when it answered the request. */
export interface RouteModule {
  handleRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

export interface ServerOptions {
  routes: Route[];
  modules?: () => RouteModule[];
  /** When set, every /api/v1 request needs `Authorization: Bearer <token>`. */
  apiToken?: string;
  logger?: Logger;
}

export const API_PREFIX = PROBER_API_PREFIX;
const READ_METHODS = new Set(['GET', 'HEAD']);

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** The request's path without trailing slashes, as routes are matched. */
export function routePath(url: URL): string {
  return url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
}

/** The prober's API is read-only: answers 405 (with Allow) to any method but GET and HEAD and
 * returns true then. Route modules call it too, so none relies on being reached through
 * createServer. */
export function refuseWrite(req: IncomingMessage, res: ServerResponse): boolean {
  if (READ_METHODS.has(req.method ?? '')) {
    return false;
  }
  sendJson(
    res,
    405,
    errorBody(PROBER_ERRORS.methodNotAllowed, `method ${req.method} not allowed; this API is read-only (GET, HEAD)`),
    {
      Allow: 'GET, HEAD',
    }
  );
  return true;
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8'
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/**
 * Streams a text answer piece by piece, gzip-compressed when the client accepts it (Prometheus
 * does; /metrics of many endpoints is large). The pieces are written as the client takes them,
 * so neither the whole text nor its compressed copy is ever held at once. A client that goes
 * away mid-answer ends the stream; the source is not read further.
 */
export async function sendStream(
  req: IncomingMessage,
  res: ServerResponse,
  pieces: AsyncIterable<string>,
  contentType: string
): Promise<void> {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  res.writeHead(200, {
    'Content-Type': contentType,
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    'Cache-Control': 'no-store',
    Vary: 'Accept-Encoding',
  });
  const source = Readable.from(pieces, { objectMode: false });
  try {
    // zlib runs on the thread pool, off the event loop that times the probes.
    await (gzip ? pipeline(source, createGzip({ level: 6 }), res) : pipeline(source, res));
  } catch (err) {
    // The status line is gone: all that is left is to cut the answer short, which the client
    // sees as a failed scrape (never as a complete, truncated exposition).
    res.destroy(err instanceof Error ? err : undefined);
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) {
    return false;
  }
  const given = Buffer.from(m[1].trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function createServer(options: ServerOptions): Server {
  const table = new Map(options.routes.map((r) => [r.path, r]));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = routePath(url);
    if (refuseWrite(req, res)) {
      return;
    }
    const isApi = path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
    if (isApi && options.apiToken !== undefined && !tokenMatches(req.headers.authorization, options.apiToken)) {
      sendJson(res, 401, errorBody(PROBER_ERRORS.unauthorized, 'missing or wrong bearer token'), {
        'WWW-Authenticate': 'Bearer realm="apimon"',
      });
      return;
    }
    const route = table.get(path);
    if (route) {
      await route.handle(req, res, url);
      return;
    }
    for (const module of options.modules?.() ?? []) {
      if (await module.handleRequest(req, res, url)) {
        return;
      }
    }
    sendJson(res, 404, errorBody(PROBER_ERRORS.notFound, `no such path: ${path}`, { paths: [...table.keys()] }));
  };
  return http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.logger?.error(
        { path: req.url, error: err instanceof Error ? err.message : String(err) },
        'request failed'
      );
      if (!res.headersSent) {
        sendJson(res, 500, errorBody(PROBER_ERRORS.internal, 'internal error'));
      } else {
        res.destroy();
      }
    });
  });
}

/** Starts listening; rejects with a clear message when the address is taken or not ours. */
export function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (err.code === 'EADDRINUSE') {
        reject(
          new ListenError(`cannot listen on ${where}: the address is already in use (is another prober running?)`)
        );
      } else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
        reject(new ListenError(`cannot listen on ${where}: no such local address`));
      } else if (err.code === 'EACCES') {
        reject(new ListenError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`));
      } else {
        reject(new ListenError(`cannot listen on ${where}: ${err.message}`));
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export class ListenError extends Error {}

/** Closes the server, ending idle keep-alive connections (Prometheus keeps one open). */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
}
