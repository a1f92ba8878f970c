// One GET of one status-page document with a timeout, a body-size cap and conditional
// requests: the validators of the last good answer (ETag, Last-Modified) are sent back, and
// a 304 reuses the body we already hold. Every failure becomes a message naming the URL.

export type FetchFn = typeof fetch;

/** What we remember of a URL's last 200 answer. */
export interface CachedDocument {
  body: string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

export type FetchOutcome =
  | { kind: 'fresh'; document: CachedDocument; status: number }
  | { kind: 'not_modified'; document: CachedDocument }
  | { kind: 'error'; error: string; status?: number; /** From Retry-After on a 429 or 503. */ retryAfterMs?: number };

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  cached?: CachedDocument;
  fetch?: FetchFn;
  userAgent?: string;
}

export const USER_AGENT = 'apimon-status-poller/0.1';

class BodyTooLarge extends Error {}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(`body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  }
  if (!response.body) {
    return '';
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(`body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder('utf-8').decode(all);
}

/** "connect ECONNREFUSED 127.0.0.1:1" -> "connection refused", and so on for common causes. */
function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timed out';
    default:
      if (code?.startsWith('ERR_TLS') || code?.includes('CERT')) {
        return `TLS error (${code})`;
      }
      return cause?.message ?? (err instanceof Error ? err.message : String(err));
  }
}

/** Retry-After as delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) {
    return undefined;
  }
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) {
    return Number(v) * 1000;
  }
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export async function fetchDocument(url: string, options: FetchOptions): Promise<FetchOutcome> {
  const doFetch = options.fetch ?? fetch;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const headers: Record<string, string> = {
    Accept: 'application/json, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
    'User-Agent': options.userAgent ?? USER_AGENT,
  };
  if (options.cached?.etag) {
    headers['If-None-Match'] = options.cached.etag;
  }
  if (options.cached?.lastModified) {
    headers['If-Modified-Since'] = options.cached.lastModified;
  }
  try {
    const response = await doFetch(url, { headers, signal: controller.signal, redirect: 'follow' });
    if (response.status === 304 && options.cached) {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'not_modified', document: options.cached };
    }
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => undefined);
      const outcome: FetchOutcome = { kind: 'error', status: response.status, error: `${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
      const retryAfterMs = response.status === 429 || response.status === 503 ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : undefined;
      if (retryAfterMs !== undefined) {
        outcome.retryAfterMs = retryAfterMs;
        outcome.error += ` (retry after ${Math.round(retryAfterMs / 1000)} s)`;
      }
      return outcome;
    }
    const body = await readCapped(response, options.maxBytes);
    const document: CachedDocument = { body };
    const contentType = response.headers.get('content-type');
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    if (contentType) {
      document.contentType = contentType;
    }
    if (etag) {
      document.etag = etag;
    }
    if (lastModified) {
      document.lastModified = lastModified;
    }
    return { kind: 'fresh', document, status: response.status };
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      return { kind: 'error', error: `${url}: ${err.message}` };
    }
    if (timedOut) {
      return { kind: 'error', error: `${url}: timed out after ${options.timeoutMs} ms` };
    }
    return { kind: 'error', error: `${url}: ${describeNetworkError(err)}` };
  } finally {
    clearTimeout(timer);
  }
}
