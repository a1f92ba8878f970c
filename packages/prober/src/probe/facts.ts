// What a response says about caching, compression and transport security, read from its
// headers and body for the audit (docs/audit.md): Cache-Control and validators (RFC 9111),
// the decoded size of an encoded body, Strict-Transport-Security (RFC 6797). Malformed
// headers read as absent, never as an error.
import type { IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { CacheDirectives } from '@apimon/core';

export interface CacheFacts extends CacheDirectives {
  /** Seconds the response may be reused without revalidation; 0 when none or forbidden. */
  freshnessSeconds: number;
}

export interface ResponseFacts {
  cache: CacheFacts;
  /** Content-Encoding, lowercase; "identity" when none. */
  encoding: string;
  /** The request carried an Accept-Encoding other than identity. */
  compressionRequested: boolean;
  wireBytes: number;
  /** Null when the body was cut short or cannot be decoded. */
  decodedBytes: number | null;
  /** SHA-256 of a complete 2xx body, to tell whether bodies repeat; never the body itself. */
  bodyHash: string | null;
  /** max-age of Strict-Transport-Security (0: absent or unreadable); null over plain http. */
  hstsMaxAgeSeconds: number | null;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

/** Cache-Control directives by lowercase name; a value without quotes, or true for a bare name. */
export function parseCacheControl(value: string | undefined): Map<string, string | true> {
  const out = new Map<string, string | true>();
  if (!value) {
    return out;
  }
  // Quoted values may hold commas (no-cache="set-cookie, x-a"): split outside quotes only.
  for (const part of value.match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*(?:=\s*("[^"]*"|[^\s]*))?\s*$/.exec(part);
    if (m) {
      const name = m[1].toLowerCase();
      if (!out.has(name)) {
        out.set(name, m[2] === undefined ? true : m[2].replace(/^"|"$/g, ''));
      }
    }
  }
  return out;
}

function deltaSeconds(v: string | true | undefined): number | undefined {
  return typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : undefined;
}

/**
 * The freshness lifetime a shared cache would give the response (RFC 9111 4.2.1): s-maxage,
 * then max-age, then Expires minus Date; 0 when no-store, no-cache or none of them.
 */
export function cacheFacts(headers: IncomingHttpHeaders): CacheFacts {
  const cc = parseCacheControl(one(headers['cache-control']));
  const noStore = cc.has('no-store');
  const noCache = cc.get('no-cache') === true;
  let freshness = deltaSeconds(cc.get('s-maxage')) ?? deltaSeconds(cc.get('max-age'));
  const expires = one(headers.expires);
  if (freshness === undefined && expires !== undefined) {
    const at = Date.parse(expires);
    const date = Date.parse(one(headers.date) ?? '');
    // An invalid Expires ("0", "-1") means already expired.
    freshness = Number.isFinite(at) && Number.isFinite(date) ? Math.max(0, Math.round((at - date) / 1000)) : 0;
  }
  const vary = (one(headers.vary) ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
  return {
    noStore,
    noCache,
    private: cc.has('private'),
    etag: typeof headers.etag === 'string' && headers.etag.trim() !== '',
    lastModified: Number.isFinite(Date.parse(one(headers['last-modified']) ?? '')),
    expires: expires !== undefined,
    vary: [...new Set(vary)].sort().join(','),
    freshnessSeconds: noStore || noCache ? 0 : (freshness ?? 0),
  };
}

/** max-age of a Strict-Transport-Security header; 0 when absent or without a valid max-age. */
export function hstsMaxAge(value: string | string[] | undefined): number {
  // Only the first header counts (RFC 6797 8.1).
  const first = Array.isArray(value) ? value[0] : value;
  const m = /(?:^|;)\s*max-age\s*=\s*"?(\d{1,12})"?\s*(?:;|$)/i.exec(first ?? '');
  return m ? Number(m[1]) : 0;
}

export function contentEncoding(headers: IncomingHttpHeaders): string {
  const v = one(headers['content-encoding'])?.trim().toLowerCase();
  return v ? v : 'identity';
}

/** Decoded bodies are measured up to this size; a bigger one (a zip bomb) counts as unknown. */
const MAX_DECODED_BYTES = 256 * 1024 * 1024;

/** Size of the body once decoded, or null when the encoding is unknown or the body corrupt. */
export function decodedSize(body: Buffer, encoding: string): number | null {
  const opts = { maxOutputLength: MAX_DECODED_BYTES };
  try {
    switch (encoding) {
      case 'identity':
        return body.length;
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body, opts).length;
      case 'deflate':
        // Servers send zlib-wrapped (as RFC 9110 says) or raw deflate (as some do).
        try {
          return inflateSync(body, opts).length;
        } catch {
          return inflateRawSync(body, opts).length;
        }
      case 'br':
        return brotliDecompressSync(body, opts).length;
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** True when the request's Accept-Encoding asks for anything but identity. */
export function asksForCompression(headers: Record<string, string>): boolean {
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === 'accept-encoding');
  if (!entry) {
    return false;
  }
  return entry[1]
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .some((p) => p !== '' && !p.startsWith('identity') && !/;\s*q\s*=\s*0(\.0*)?$/.test(p));
}
