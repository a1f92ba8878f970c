// The normal form of every rate-limit header convention apimon reads (see docs/rate-limits.md).
import type { ResetUnit } from '../contract';

/** Which header convention a reading came from. */
export type RateLimitConvention =
  /** IETF draft-08 and later: named policies in `RateLimit-Policy` + `RateLimit` (structured fields). */
  | 'ietf'
  /** The same structured fields behind a `Beta-` prefix (Atlassian). */
  | 'ietf-beta'
  /** IETF draft-07: `RateLimit: limit=100, remaining=50, reset=30` (a dictionary). */
  | 'ietf-draft-dictionary'
  /** IETF drafts 00–06 and many gateways: `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`. */
  | 'ietf-draft-fields'
  /** `X-RateLimit-*`: GitHub, Kong's per-window headers, OpenAI/Groq/Azure OpenAI and Linear per resource. */
  | 'x-ratelimit'
  /** `X-Rate-Limit-*`: Twitter, Okta, Zendesk (`X-Rate-Limit` alone is the limit), Trello. */
  | 'x-rate-limit'
  /** `anthropic-ratelimit-<resource>-*`. */
  | 'anthropic'
  /** `X-HubSpot-RateLimit-*`: Max/Remaining/Interval-Milliseconds, Daily, Secondly. */
  | 'hubspot'
  /** `X-Sentry-Rate-Limit-*`, with the concurrency limit. */
  | 'sentry'
  /** Azure Resource Manager `x-ms-ratelimit-remaining-*`: remaining only. */
  | 'azure-arm'
  /** `zendesk-ratelimit-<name>: total=..; remaining=..; resets=..`. */
  | 'zendesk'
  /** `X-Shopify-Shop-Api-Call-Limit: used/limit`. */
  | 'shopify'
  /** Other vendors' `used/limit` headers, e.g. `X-Gorgias-Account-Api-Call-Limit: 10/40`. */
  | 'used-limit'
  /** Headers the catalog names for this API (`rateLimit.headers`). */
  | 'catalog-mapping'
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
  /**
   * Quota unit: "requests" unless the headers say otherwise (an IETF `qu`, or a resource such
   * as "tokens", "points" for query complexity, "concurrent-requests").
   */
  unit: string;
  convention: RateLimitConvention;
}

/**
 * Case-insensitive header lookup; several values of one header may arrive comma-joined.
 * `names`, when given, lists the header names present: conventions that put the policy into the
 * header name (`zendesk-ratelimit-<name>`, `x-ratelimit-limit-<resource>`) need it to find
 * names apimon does not know in advance.
 */
export type HeaderLookup = ((name: string) => string | null | undefined) & {
  names?: () => Iterable<string>;
};

/**
 * The catalog's `rateLimit.headers` and `resetUnit` for a provider whose convention no parser
 * knows: header names (lowercase) and how to read the reset. A mapped header is read only
 * through the mapping.
 */
export interface RateLimitHeaderMapping {
  limit?: string;
  remaining?: string;
  reset?: string;
  retryAfter?: string;
  /** Unset: told apart by the value, as for the built-in conventions. */
  resetUnit?: ResetUnit;
}
