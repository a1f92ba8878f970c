// Header families of the form `<prefix>-<field>` and `<prefix>-<resource>-<field>` (or
// `<prefix>-<field>-<resource>`): GitHub, Kong's per-window headers, OpenAI/Groq/Azure OpenAI
// (`x-ratelimit-limit-tokens`), Linear (`x-ratelimit-requests-limit`), Anthropic, HubSpot,
// Sentry, Zendesk's bare `X-Rate-Limit`, Trello's `-max`. One reader with the family's prefix;
// the resource in the header name becomes the policy.
import { DEFAULT_POLICY, hasQuota, header, headerNames, policyName, reading, REQUESTS } from './reading';
import type { HeaderLookup, RateLimitConvention, RateLimitReading } from './types';
import { count, resetSecondsOf } from './values';

export interface HeaderFamily {
  prefix: string;
  convention: RateLimitConvention;
  /** Resources read when the lookup cannot list header names (else the listed names say). */
  knownNames: readonly string[];
}

/** Windows named by a period word, as Kong (`-minute`), HubSpot (`-daily`, `-secondly`) write them. */
const PERIOD_SECONDS: Record<string, number> = {
  second: 1,
  secondly: 1,
  minute: 60,
  minutely: 60,
  hour: 3600,
  hourly: 3600,
  day: 86_400,
  daily: 86_400,
  week: 604_800,
  weekly: 604_800,
  month: 2_592_000,
  monthly: 2_592_000,
  year: 31_536_000,
  yearly: 31_536_000,
};
const PERIODS = Object.keys(PERIOD_SECONDS);

const FIELD_WORDS: Record<'limit' | 'remaining' | 'reset' | 'used', readonly string[]> = {
  limit: ['limit', 'max'],
  remaining: ['remaining'],
  reset: ['reset'],
  used: ['used'],
};
const FIELD_BEFORE_RE = /^(?:limit|max|remaining|reset|used)-(.+)$/;
const FIELD_AFTER_RE = /^(.+)-(?:limit|max|remaining|reset|used)$/;

export const FAMILIES: readonly HeaderFamily[] = [
  {
    prefix: 'x-ratelimit',
    convention: 'x-ratelimit',
    // Kong's windows, OpenAI's and Groq's resources, Linear's.
    knownNames: [...PERIODS, 'requests', 'tokens', 'complexity', 'endpoint-requests'],
  },
  { prefix: 'x-rate-limit', convention: 'x-rate-limit', knownNames: PERIODS },
  {
    prefix: 'anthropic-ratelimit',
    convention: 'anthropic',
    knownNames: ['requests', 'tokens', 'input-tokens', 'output-tokens'],
  },
  { prefix: 'x-hubspot-ratelimit', convention: 'hubspot', knownNames: ['daily', 'secondly'] },
  { prefix: 'x-sentry-rate-limit', convention: 'sentry', knownNames: [] },
];

/** Duration as some gateways send it in the limit header ("1m", "12h"), in seconds. */
function periodSeconds(text: string | null): number | null {
  const m = text ? /^(\d+)(s|m|h|d)$/.exec(text) : null;
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'] : null;
}

/** A window announced next to the limit: `<base>-interval-milliseconds` (HubSpot), `-interval-ms` (Trello), `-interval-seconds`. */
function intervalSeconds(get: HeaderLookup, base: string): number | null {
  const ms = count(header(get, `${base}-interval-milliseconds`)) ?? count(header(get, `${base}-interval-ms`));
  return ms !== null ? ms / 1000 : count(header(get, `${base}-interval-seconds`));
}

/** What a resource counts, from its name; the quota guard budgets only by requests. */
function unitOf(name: string): string {
  if (name.includes('token')) {
    return 'tokens';
  }
  if (/complexity|points|cost/.test(name)) {
    return 'points';
  }
  return name.includes('concurrent') ? 'concurrent-requests' : REQUESTS;
}

function unnamed(get: HeaderLookup, nowMs: number, family: HeaderFamily): RateLimitReading | null {
  const p = family.prefix;
  // `X-Rate-Limit: 700` (Zendesk) is the limit itself; HubSpot and Trello say "max".
  const limitText = header(get, `${p}-limit`) ?? header(get, `${p}-max`) ?? header(get, p);
  const used = count(header(get, `${p}-used`));
  const resetText = header(get, `${p}-reset`);
  const resetAfter = count(header(get, `${p}-reset-after`));
  let limit = count(limitText);
  let remaining = count(header(get, `${p}-remaining`));
  if (remaining === null && limit !== null && used !== null) {
    remaining = Math.max(0, limit - used);
  }
  if (limit === null && remaining !== null && used !== null) {
    limit = remaining + used;
  }
  if (limit === null && remaining === null && resetText === null && resetAfter === null) {
    return null;
  }
  // GitHub names the bucket a response counted against: core, search, graphql, ...
  const resource = header(get, `${p}-resource`);
  return reading(family.convention, (resource && policyName(resource)) || DEFAULT_POLICY, {
    limit,
    remaining,
    resetSeconds: resetSecondsOf(resetText, nowMs) ?? resetAfter,
    // Some gateways put the window into the limit header ("X-Rate-Limit-Limit: 1m").
    windowSeconds: (limit === null ? periodSeconds(limitText) : null) ?? intervalSeconds(get, p),
  });
}

/** Resources named in the header names present: `<p>-<field>-<name>`, `<p>-<name>-<field>`, `<p>-<period>`. */
function listedNames(names: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (!name.startsWith(`${prefix}-`)) {
      continue;
    }
    const rest = name.slice(prefix.length + 1);
    const found =
      FIELD_BEFORE_RE.exec(rest)?.[1] ?? FIELD_AFTER_RE.exec(rest)?.[1] ?? (PERIOD_SECONDS[rest] ? rest : undefined);
    if (found !== undefined) {
      out.push(found);
    }
  }
  return out;
}

function named(get: HeaderLookup, nowMs: number, family: HeaderFamily, name: string): RateLimitReading | null {
  const p = family.prefix;
  const policy = policyName(name);
  if (policy === null) {
    return null;
  }
  const field = (which: keyof typeof FIELD_WORDS): string | null => {
    for (const word of FIELD_WORDS[which]) {
      const value = header(get, `${p}-${word}-${name}`) ?? header(get, `${p}-${name}-${word}`);
      if (value !== null) {
        return value;
      }
    }
    return null;
  };
  const period = PERIOD_SECONDS[name] ?? null;
  // HubSpot writes a period's limit under the bare period: X-HubSpot-RateLimit-Daily: 250000.
  let limit = count(field('limit') ?? (period !== null ? header(get, `${p}-${name}`) : null));
  let remaining = count(field('remaining'));
  const used = count(field('used'));
  if (remaining === null && limit !== null && used !== null) {
    remaining = Math.max(0, limit - used);
  }
  if (limit === null && remaining !== null && used !== null) {
    limit = remaining + used;
  }
  const r = reading(family.convention, policy, {
    limit,
    remaining,
    resetSeconds: resetSecondsOf(field('reset'), nowMs),
    windowSeconds: period ?? intervalSeconds(get, `${p}-${name}`),
    unit: unitOf(policy),
  });
  // A reset alone is not a policy (and `x-ratelimit-reset-after` is Discord's delay, not "after").
  return hasQuota(r) ? r : null;
}

/** Every policy one header family describes: the unnamed one first, then one per resource. */
export function readFamily(get: HeaderLookup, nowMs: number, family: HeaderFamily): RateLimitReading[] {
  const listed = headerNames(get);
  // Most responses carry one family at most: skip the others without a lookup.
  if (listed !== null && !listed.some((n) => n === family.prefix || n.startsWith(`${family.prefix}-`))) {
    return [];
  }
  const out: RateLimitReading[] = [];
  const first = unnamed(get, nowMs, family);
  if (first) {
    out.push(first);
  }
  const names = new Set(listed === null ? family.knownNames : listedNames(listed, family.prefix));
  for (const name of names) {
    const r = named(get, nowMs, family, name);
    if (r) {
      out.push(r);
    }
  }
  return out;
}
