// The sandbox HTTP server: every provider's API, status page and advisory feeds
// (/<provider>/advisories.rss|.atom|.json), the extra status-page formats under /_formats/,
// and the admin API under /_admin/, on one listener.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmin, handleAdminRequest, type SandboxAdmin } from './admin';
import { renderAdvisories, type AdvisoryFormat } from './advisories';
import { PROVIDER_NAMES, sendJson, type ProviderName } from './provider';
import { PROVIDERS } from './providers';
import { handleApiRequest } from './pipeline';
import { ProviderRuntime } from './runtime';
import type { StatusDocument } from './statuspages/document';
import { renderGcpAll } from './statuspages/gcp';
import type { RenderContext } from './statuspages/model';
import { renderFormat, serveStatusDocument, STATUS_FORMATS, type StatusFormat } from './statuspages/serve';

export interface SandboxOptions {
  /** "host:port" or a port; default 127.0.0.1:8480. Port 0 picks a free port. */
  listen?: string | number;
  /** Seed of every random draw (latency samples, random errors); default 1. */
  seed?: number;
  /** Serve each provider's own latency distribution (default true); tests turn it off. */
  realisticLatency?: boolean;
  /** Time source, epoch ms; default Date.now. */
  clock?: () => number;
}

export interface Sandbox {
  /** Origin, e.g. http://127.0.0.1:8480. */
  url: string;
  port: number;
  admin: SandboxAdmin;
  close(): Promise<void>;
}

export const DEFAULT_LISTEN = '127.0.0.1:8480';

/** "host:port", ":port" or "port" -> host and port; throws a message naming the value. */
export function parseListen(listen: string | number): { host: string; port: number } {
  const textValue = String(listen).trim();
  const m =
    /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(textValue) ??
    (/^(\d{1,5})$/.exec(textValue) ? [textValue, undefined, '', textValue] : null);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65535) {
    throw new Error(`--listen must be host:port or a port between 0 and 65535 (got "${textValue}")`);
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** True when the request's If-None-Match names this entity tag (weak comparison, RFC 9110 13.1.2). */
function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) {
    return false;
  }
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => bare(tag) === etag);
}

/**
 * A status document as providers serve theirs: 200 documents carry an ETag of their content,
 * and a conditional GET for the same content gets 304 without a body, as status pages behind
 * CDNs do, so pollers can save the transfer.
 */
function sendDocument(req: IncomingMessage, res: ServerResponse, served: { status: number; contentType: string; body: string }): void {
  const headers: Record<string, string | number> = { 'Content-Type': served.contentType, 'Cache-Control': 'public, max-age=0' };
  if (served.status === 200) {
    headers.ETag = `"${createHash('sha1').update(served.body).digest('base64url')}"`;
    if (notModified(req, headers.ETag)) {
      res.writeHead(304, { ETag: headers.ETag, 'Cache-Control': headers['Cache-Control'] });
      res.end();
      return;
    }
  }
  res.writeHead(served.status, { ...headers, 'Content-Length': Buffer.byteLength(served.body) });
  res.end(served.body);
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { host, port } = parseListen(options.listen ?? DEFAULT_LISTEN);
  const seed = options.seed ?? 1;
  const clock = options.clock ?? Date.now;
  const realisticLatency = options.realisticLatency ?? true;
  const runtimes = {} as Record<ProviderName, ProviderRuntime>;
  let admin: SandboxAdmin | null = null;
  let origin = '';

  const context = (rt: ProviderRuntime, selfUrl: string): RenderContext => ({
    origin,
    selfUrl,
    now: clock(),
    provider: rt.def.name,
    displayName: rt.def.displayName,
  });

  const serveStatus = (
    req: IncomingMessage,
    res: ServerResponse,
    rt: ProviderRuntime,
    format: StatusFormat,
    subpath: string,
    selfUrl: string
  ): boolean => {
    const doc = renderFormat(format, rt, context(rt, selfUrl), subpath);
    if (!doc) {
      return false;
    }
    sendDocument(req, res, serveStatusDocument(rt, doc));
    return true;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    const selfUrl = `${origin}${path}`;
    if (path.startsWith('/_admin')) {
      return handleAdminRequest(admin!, req, res, path);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(
        res,
        405,
        { error: `${req.method} not allowed; the sandbox APIs are read-only (GET)` },
        { Allow: 'GET, HEAD' }
      );
    }
    if (path === '/') {
      return sendJson(res, 200, {
        sandbox: 'apimon',
        admin: `${origin}/_admin/state`,
        providers: PROVIDER_NAMES.map((n) => ({
          name: n,
          api: `${origin}${PROVIDERS[n].apiPath}`,
          statusPage: `${origin}/${n}/status`,
          format: PROVIDERS[n].statusFormat,
          advisories: `${origin}/${n}/advisories.rss`,
        })),
      });
    }
    // /_formats/<format>/<provider>/..., /_formats/statusio/1.0/status/<provider>, /_formats/gcp/incidents.json
    const f = /^\/_formats\/([a-z]+)(\/.*)?$/.exec(path);
    if (f && (STATUS_FORMATS as readonly string[]).includes(f[1])) {
      const format = f[1] as StatusFormat;
      const rest = f[2] ?? '';
      if (format === 'gcp' && rest === '/incidents.json') {
        const doc: StatusDocument = renderGcpAll(
          PROVIDER_NAMES.map((n) => ({ model: runtimes[n].status, displayName: PROVIDERS[n].displayName }))
        );
        // Every provider in one document: it breaks when any provider's page is set to break.
        const broken = PROVIDER_NAMES.map((n) => runtimes[n]).find((rt) => rt.settings.statusPageBroken !== 'none');
        return sendDocument(req, res, broken ? serveStatusDocument(broken, doc) : { status: 200, ...doc });
      }
      const m = format === 'statusio' ? /^\/1\.0\/status\/([a-z-]+)\/?$/.exec(rest) : /^\/([a-z-]+)(\/.*)?$/.exec(rest);
      const name = m?.[1];
      if (m && name && (PROVIDER_NAMES as readonly string[]).includes(name)) {
        const subpath = format === 'statusio' ? '' : (m[2] ?? '');
        if (serveStatus(req, res, runtimes[name as ProviderName], format, subpath, selfUrl)) {
          return;
        }
      }
      return sendJson(res, 404, { error: `no ${format} document at ${path}`, see: 'docs/sandbox.md' });
    }
    const p = /^\/([a-z-]+)(\/.*)?$/.exec(path);
    const name = p?.[1];
    if (p && name && (PROVIDER_NAMES as readonly string[]).includes(name)) {
      const rt = runtimes[name as ProviderName];
      if (path === rt.def.apiPath) {
        return handleApiRequest(rt, req, res, url, clock);
      }
      const rest = p[2] ?? '';
      const feed = /^\/advisories\.(rss|atom|json)$/.exec(rest);
      if (feed) {
        const doc = renderAdvisories(rt.def.name, rt.def.displayName, feed[1] as AdvisoryFormat, origin, clock());
        return sendDocument(req, res, { status: 200, ...doc });
      }
      if (rest === '/status' || rest.startsWith('/status/')) {
        if (serveStatus(req, res, rt, rt.def.statusFormat, rest.slice('/status'.length), selfUrl)) {
          return;
        }
        return sendDocument(req, res, {
          status: 404,
          contentType: 'text/html; charset=utf-8',
          body: '<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>404</h1></body></html>\n',
        });
      }
    }
    return sendJson(res, 404, { error: `nothing at ${path}`, see: `${origin}/` });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, { error: `sandbox failure: ${err instanceof Error ? err.message : String(err)}` });
      } else {
        res.destroy();
      }
    });
  });
  // Probes and wrk keep connections alive; close() must not wait for them.
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${hostText}:${address.port}`;
  for (const n of PROVIDER_NAMES) {
    runtimes[n] = new ProviderRuntime(PROVIDERS[n], { seed, realisticLatency, origin, clock });
  }
  admin = createAdmin(runtimes, origin, seed, clock);

  return {
    url: origin,
    port: address.port,
    admin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
