// Vendor conventions that do not fit a `<prefix>-<field>` family: Sentry's concurrency limit,
// Azure Resource Manager's remaining-only counters, Zendesk's per-endpoint dictionaries and the
// `used/limit` pairs of Shopify and others.
import { DEFAULT_POLICY, hasQuota, header, headerNames, policyName, reading } from './reading';
import { splitMembers } from './structured';
import type { HeaderLookup, RateLimitReading } from './types';
import { count, NUMBER_RE } from './values';

/**
 * What follows `prefix` in the header names present, or `known` when the lookup cannot list
 * names (then only documented names are read).
 */
function suffixesOf(get: HeaderLookup, prefix: string, known: readonly string[]): string[] {
  const listed = headerNames(get);
  return listed === null ? [...known] : listed.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
}

/** `X-Sentry-Rate-Limit-ConcurrentLimit` / `-ConcurrentRemaining`: requests in flight at once. */
export function sentryConcurrent(get: HeaderLookup): RateLimitReading[] {
  const r = reading('sentry', 'concurrent', {
    limit: count(header(get, 'x-sentry-rate-limit-concurrentlimit')),
    remaining: count(header(get, 'x-sentry-rate-limit-concurrentremaining')),
    unit: 'concurrent-requests',
  });
  return hasQuota(r) ? [r] : [];
}

const ARM_PREFIX = 'x-ms-ratelimit-remaining-';
const ARM_KNOWN = ['subscription', 'tenant', 'subscription-global'].flatMap((scope) =>
  ['reads', 'writes', 'deletes'].map((op) => `${scope}-${op}`)
);

/**
 * Azure Resource Manager sends only what is left: `x-ms-ratelimit-remaining-subscription-reads:
 * 11999` (and -writes, -deletes, tenant and global variants), and per resource provider
 * `x-ms-ratelimit-remaining-resource: Microsoft.Compute/HighCostGet3Min;159,...`.
 */
export function azureResourceManager(get: HeaderLookup): RateLimitReading[] {
  const out: RateLimitReading[] = [];
  for (const name of suffixesOf(get, ARM_PREFIX, ARM_KNOWN).filter((n) => n !== 'resource')) {
    const remaining = count(header(get, `${ARM_PREFIX}${name}`));
    const policy = policyName(name);
    if (remaining !== null && policy !== null) {
      out.push(reading('azure-arm', policy, { remaining }));
    }
  }
  const resource = header(get, `${ARM_PREFIX}resource`);
  for (const member of resource ? splitMembers(resource) : []) {
    const m = /^([^;]+);\s*(\d+)$/.exec(member);
    const policy = m ? policyName(m[1]) : null;
    if (m && policy !== null) {
      out.push(reading('azure-arm', policy, { remaining: Number(m[2]) }));
    }
  }
  return out;
}

const ZENDESK_PREFIX = 'zendesk-ratelimit-';

/**
 * `zendesk-ratelimit-tickets-index: total=100; remaining=99; resets=41` (resets: delay seconds).
 * A header sent twice is joined with a comma; the most cautious value of each key wins.
 */
export function zendesk(get: HeaderLookup): RateLimitReading[] {
  const out: RateLimitReading[] = [];
  for (const name of suffixesOf(get, ZENDESK_PREFIX, ['tickets-index'])) {
    const value = header(get, `${ZENDESK_PREFIX}${name}`);
    const policy = policyName(name);
    if (value === null || policy === null) {
      continue;
    }
    const keys = new Map<string, number[]>();
    for (const pair of value.split(/[;,]/)) {
      const m = /^\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(pair);
      if (m && NUMBER_RE.test(m[2])) {
        const key = m[1].toLowerCase();
        keys.set(key, [...(keys.get(key) ?? []), Number(m[2])]);
      }
    }
    const min = (k: string) => (keys.has(k) ? Math.min(...keys.get(k)!) : null);
    const max = (k: string) => (keys.has(k) ? Math.max(...keys.get(k)!) : null);
    const r = reading('zendesk', policy, {
      limit: min('total'),
      remaining: min('remaining'),
      resetSeconds: max('resets'),
    });
    if (hasQuota(r)) {
      out.push(r);
    }
  }
  return out;
}

const SHOPIFY_CALL_LIMIT = 'x-shopify-shop-api-call-limit';
const USED_LIMIT_KNOWN = [SHOPIFY_CALL_LIMIT, 'x-gorgias-account-api-call-limit'];

/**
 * `X-Shopify-Shop-Api-Call-Limit: 32/40` (calls in the leaky bucket / bucket size) and the same
 * form from other vendors, any header named `X-<Vendor>-...-Api-Call-Limit`.
 */
export function usedLimitPairs(get: HeaderLookup): RateLimitReading[] {
  const listed = headerNames(get);
  const out: RateLimitReading[] = [];
  for (const name of listed === null ? USED_LIMIT_KNOWN : listed.filter((n) => n.endsWith('-api-call-limit'))) {
    const field = header(get, name);
    const m = field ? /^(\d+)\s*\/\s*(\d+)$/.exec(splitMembers(field)[0] ?? '') : null;
    if (m) {
      const used = Number(m[1]);
      const limit = Number(m[2]);
      out.push(
        reading(name === SHOPIFY_CALL_LIMIT ? 'shopify' : 'used-limit', DEFAULT_POLICY, {
          limit,
          remaining: Math.max(0, limit - used),
        })
      );
    }
  }
  return out;
}
