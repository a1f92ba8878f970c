// Checks a response body against the endpoint's expectations (bodyContains, jsonKeys).
// The body was read with a byte cap; a compressed body is decoded with the same cap.
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import type { Expectation } from '@apimon/core';

export function needsBody(expect: Expectation): boolean {
  return expect.bodyContains !== undefined || (expect.jsonKeys !== undefined && expect.jsonKeys.length > 0);
}

type Decoded = { ok: true; text: string } | { ok: false; tooLarge: boolean; error: string };

/** The body as text, decoded from gzip/deflate/br when the server compressed it. */
export function decodeBody(body: Buffer, headers: IncomingHttpHeaders, maxBytes: number): Decoded {
  const encoding = String(headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const opts = { maxOutputLength: Math.max(1, maxBytes) };
  try {
    let raw: Buffer;
    if (encoding === 'gzip' || encoding === 'x-gzip') {
      raw = gunzipSync(body, opts);
    } else if (encoding === 'deflate') {
      raw = inflateSync(body, opts);
    } else if (encoding === 'br') {
      raw = brotliDecompressSync(body, opts);
    } else {
      raw = body;
    }
    return { ok: true, text: raw.toString('utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      return { ok: false, tooLarge: true, error: `decoded ${encoding} body exceeds maxBytes ${maxBytes}` };
    }
    return { ok: false, tooLarge: false, error: `cannot decode ${encoding} body: ${(err as Error).message}` };
  }
}

/** Why the body fails the expectations, or null when it meets them. */
export function bodyProblem(text: string, expect: Expectation): string | null {
  if (expect.bodyContains !== undefined && !text.includes(expect.bodyContains)) {
    return `body does not contain ${JSON.stringify(expect.bodyContains)}`;
  }
  const keys = expect.jsonKeys ?? [];
  if (keys.length === 0) {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the body; a body may echo what was sent, so it stays out.
    return `body is not valid JSON; expected an object with keys ${keys.join(', ')}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed;
    return `JSON body is ${kind}, not an object with keys ${keys.join(', ')}`;
  }
  const missing = keys.filter((k) => !Object.prototype.hasOwnProperty.call(parsed, k));
  return missing.length > 0 ? `JSON body lacks key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : null;
}
