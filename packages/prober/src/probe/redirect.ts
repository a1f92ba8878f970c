// Following a redirect the way browsers and curl do: 307/308 repeat the request as it was,
// 301/302/303 turn it into a GET without a body (a HEAD stays a HEAD). Credentials only go to
// the origin the catalog names: a redirect elsewhere drops them.

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

export interface Hop {
  url: URL;
  method: string;
  body?: Buffer;
}

export type NextHop = { ok: true; hop: Hop } | { ok: false; error: string };

/** "https://host/path" of a URL, without query or fragment (they may carry tokens). */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export function nextHop(from: Hop, status: number, location: string | undefined): NextHop {
  if (!location) {
    return { ok: false, error: `status ${status} redirect without a Location header` };
  }
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch {
    return { ok: false, error: `status ${status} redirect to an invalid Location` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `status ${status} redirect to unsupported scheme ${url.protocol}` };
  }
  url.hash = '';
  if (status === 307 || status === 308) {
    return { ok: true, hop: { url, method: from.method, body: from.body } };
  }
  return { ok: true, hop: { url, method: from.method === 'HEAD' ? 'HEAD' : 'GET' } };
}
