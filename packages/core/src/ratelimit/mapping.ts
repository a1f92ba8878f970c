// A provider's own convention, named in the catalog (`rateLimit.headers` + `resetUnit`). The
// mapped headers are read only through the mapping, so a built-in convention cannot read the
// same header in the wrong unit (a millisecond X-Rate-Limit-Reset read as seconds).
import { DEFAULT_POLICY, hasQuota, header, headerNames, reading } from './reading';
import type { HeaderLookup, RateLimitHeaderMapping, RateLimitReading } from './types';
import { count, resetSecondsIn, resetSecondsOf } from './values';

const mappedNames = (m: RateLimitHeaderMapping): string[] =>
  [m.limit, m.remaining, m.reset, m.retryAfter].filter((n): n is string => n !== undefined).map((n) => n.toLowerCase());

/** The policy the mapped headers describe ("default"), or none when they carry no quota. */
export function mappedReadings(get: HeaderLookup, nowMs: number, mapping: RateLimitHeaderMapping): RateLimitReading[] {
  const value = (name: string | undefined) => (name === undefined ? null : header(get, name));
  const resetText = value(mapping.reset);
  const r = reading('catalog-mapping', DEFAULT_POLICY, {
    limit: count(value(mapping.limit)),
    remaining: count(value(mapping.remaining)),
    resetSeconds: mapping.resetUnit
      ? resetSecondsIn(resetText, mapping.resetUnit, nowMs)
      : resetSecondsOf(resetText, nowMs),
  });
  return hasQuota(r) || r.resetSeconds !== null ? [r] : [];
}

/** The lookup the built-in conventions see: the mapped headers hidden. */
export function withoutMapped(get: HeaderLookup, mapping: RateLimitHeaderMapping): HeaderLookup {
  const hidden = new Set(mappedNames(mapping));
  const lookup: HeaderLookup = (name) => (hidden.has(name.toLowerCase()) ? undefined : get(name));
  const names = headerNames(get);
  if (names !== null) {
    lookup.names = () => names.filter((n) => !hidden.has(n));
  }
  return lookup;
}
