// The normal form of every rate-limit header convention apimon reads (see docs/rate-limits.md).

/** Which header convention a reading came from. */
export type RateLimitConvention =
  /** IETF draft-08 and later: named policies in `RateLimit-Policy` + `RateLimit` (structured fields). */
  | 'ietf'
  /** IETF draft-07: `RateLimit: limit=100, remaining=50, reset=30` (a dictionary). */
  | 'ietf-draft-dictionary'
  /** IETF drafts 00–06 and many gateways: `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`. */
  | 'ietf-draft-fields'
  /** GitHub style `X-RateLimit-*` (also Kong's `X-RateLimit-Limit-Minute` family). */
  | 'x-ratelimit'
  /** Twitter/Okta style `X-Rate-Limit-*`. */
  | 'x-rate-limit'
  /** `X-Shopify-Shop-Api-Call-Limit: used/limit`. */
  | 'shopify'
  /** No headers: the catalog's documented limit and the requests counted in its window. */
  | 'catalog';

export interface RateLimitReading {
  /** Policy name from the headers; "default" where the convention has none. */
  policy: string;
  /** Quota of the policy in `unit`s, null when the headers do not say. */
  limit: number | null;
  /** Quota left in the current window, never negative; null when the headers do not say. */
  remaining: number | null;
  /** Seconds until quota is restored, never negative; null when unknown. */
  resetSeconds: number | null;
  /** Length of the policy's window in seconds; null when unknown. */
  windowSeconds: number | null;
  /** Quota unit: "requests" unless an IETF policy names another (e.g. "content-bytes"). */
  unit: string;
  convention: RateLimitConvention;
}

/** Case-insensitive header lookup; several values of one header may arrive comma-joined. */
export type HeaderLookup = (name: string) => string | null | undefined;
