// Reads every rate-limit header convention apimon knows into one normal form. Header values are
// third-party data: a malformed field or policy is dropped, never thrown.
import { readFamily, FAMILIES } from './families';
import { headroomRatio } from './headroom';
import { ietfDictionary, ietfFields, ietfNamed } from './ietf';
import { mappedReadings, withoutMapped } from './mapping';
import { header, headerNames } from './reading';
import type { HeaderLookup, RateLimitHeaderMapping, RateLimitReading } from './types';
import { parseRetryAfter, parseRetryAfterMs } from './values';
import { azureResourceManager, sentryConcurrent, usedLimitPairs, zendesk } from './vendors';

export { resetSecondsOf, resetSecondsIn, parseRetryAfter, parseGoDuration } from './values';

/**
 * At most this many policies per response: a provider's header set is small (OpenAI sends 2–3,
 * Azure Resource Manager a handful); more is a misbehaving server, and every policy is a series.
 */
export const MAX_POLICIES = 20;

type Restrictiveness = Pick<RateLimitReading, 'limit' | 'remaining' | 'windowSeconds'>;

/** Most restrictive first: lowest headroom, then exhausted-without-limit, then shortest window. */
export function compareRestrictiveness(a: Restrictiveness, b: Restrictiveness): number {
  const rank = (r: Restrictiveness) => headroomRatio(r) ?? (r.remaining === 0 ? 0 : 2);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) {
    return byRank;
  }
  return (a.windowSeconds ?? Number.MAX_VALUE) - (b.windowSeconds ?? Number.MAX_VALUE);
}

/**
 * Every rate-limit policy the response headers describe, most restrictive first (the first is
 * the scarcest). Conventions are read in order of precedence: the catalog's mapping, IETF named,
 * IETF behind `Beta-`, the older IETF drafts, the `X-RateLimit` families, the vendor
 * conventions. A policy name already read from a preferred convention is not read again from a
 * later one, so a provider sending the same limit twice yields one reading.
 */
export function parseRateLimit(get: HeaderLookup, nowMs: number, mapping?: RateLimitHeaderMapping): RateLimitReading[] {
  const builtIn = withListedNames(mapping ? withoutMapped(get, mapping) : get);
  const all = [
    ...(mapping ? mappedReadings(get, nowMs, mapping) : []),
    ...ietfNamed(builtIn),
    ...ietfNamed(builtIn, 'beta-', 'ietf-beta'),
    ...ietfDictionary(builtIn, nowMs),
    ...ietfFields(builtIn, nowMs),
    ...FAMILIES.flatMap((family) => readFamily(builtIn, nowMs, family)),
    ...sentryConcurrent(builtIn),
    ...azureResourceManager(builtIn),
    ...zendesk(builtIn),
    ...usedLimitPairs(builtIn),
  ];
  const seen = new Set<string>();
  const unique = all.filter((r) => {
    if (seen.has(r.policy)) {
      return false;
    }
    seen.add(r.policy);
    return true;
  });
  return unique.sort(compareRestrictiveness).slice(0, MAX_POLICIES);
}

/** The lookup with its header names listed once, for the many readers that ask for them. */
function withListedNames(get: HeaderLookup): HeaderLookup {
  const names = headerNames(get);
  if (names === null) {
    return get;
  }
  const lookup: HeaderLookup = (name) => get(name);
  lookup.names = () => names;
  return lookup;
}

/**
 * Seconds the provider asks to wait, from the first of: the catalog's mapped header, the standard
 * `Retry-After`, `retry-after-ms` / `x-ms-retry-after-ms` (OpenAI, Azure), and
 * `X-RateLimit-Retry-After` (Help Scout, MailerLite). Null when none is readable.
 */
export function parseRetryAfterHeaders(
  get: HeaderLookup,
  nowMs: number,
  mapping?: RateLimitHeaderMapping
): number | null {
  const builtIn = mapping ? withoutMapped(get, mapping) : get;
  return (
    (mapping?.retryAfter ? parseRetryAfter(header(get, mapping.retryAfter), nowMs) : null) ??
    parseRetryAfter(header(builtIn, 'retry-after'), nowMs) ??
    parseRetryAfterMs(header(builtIn, 'retry-after-ms')) ??
    parseRetryAfterMs(header(builtIn, 'x-ms-retry-after-ms')) ??
    parseRetryAfter(header(builtIn, 'x-ratelimit-retry-after'), nowMs)
  );
}

/**
 * A case-insensitive lookup over a plain header object (Node's IncomingHttpHeaders, undici's
 * response headers, a test fixture) that can list its names. Repeated headers are joined with
 * ", " as HTTP allows.
 */
export function headerLookup(headers: Record<string, string | string[] | number | undefined | null>): HeaderLookup {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) {
      continue;
    }
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    const key = name.toLowerCase();
    const prev = lower.get(key);
    lower.set(key, prev === undefined ? text : `${prev}, ${text}`);
  }
  const lookup: HeaderLookup = (name) => lower.get(name.toLowerCase());
  lookup.names = () => lower.keys();
  return lookup;
}
