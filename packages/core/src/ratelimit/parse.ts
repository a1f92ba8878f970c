// Reads every rate-limit header convention apimon knows into one normal form. Header values are
// third-party data: a malformed field or policy is dropped, never thrown.
import { headroomRatio } from './headroom';
import { parseHttpDate } from './httpdate';
import {
  nameOf,
  numberOf,
  parseDictionaryLenient,
  parseListLenient,
  splitMembers,
  type ParameterisedItem,
} from './structured';
import type { HeaderLookup, RateLimitConvention, RateLimitReading } from './types';

const DEFAULT_POLICY = 'default';
const REQUESTS = 'requests';

/**
 * A reset value this large cannot be a delay: 1e9 seconds is ~31 years, while 1e9 as epoch
 * seconds is September 2001. Above 1e12 the value is epoch milliseconds (year 2001 again).
 */
const EPOCH_SECONDS_FLOOR = 1e9;
const EPOCH_MILLIS_FLOOR = 1e12;

const NUMBER_RE = /^\d+(?:\.\d+)?$/;
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function header(get: HeaderLookup, name: string): string | null {
  try {
    const value = get(name);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  } catch {
    return null; // a lookup that throws is a missing header, not a failed probe
  }
}

/** A non-negative number, or null. Comma-joined repeats: the smallest (most cautious) value. */
function count(text: string | null): number | null {
  if (text === null) {
    return null;
  }
  const values = splitMembers(text)
    .filter((m) => NUMBER_RE.test(m))
    .map(Number)
    .filter(Number.isFinite);
  return values.length > 0 ? Math.min(...values) : null;
}

/**
 * Seconds until a reset given as delay seconds, epoch seconds, epoch milliseconds (told apart by
 * magnitude), an HTTP-date or an ISO 8601 timestamp. A reset in the past is 0.
 */
export function resetSecondsOf(text: string | null, nowMs: number): number | null {
  if (text === null) {
    return null;
  }
  const value = text.trim();
  let atMs: number | null = null;
  if (NUMBER_RE.test(value)) {
    const n = Number(value);
    if (!Number.isFinite(n)) {
      return null;
    }
    if (n < EPOCH_SECONDS_FLOOR) {
      return n;
    }
    atMs = n >= EPOCH_MILLIS_FLOOR ? n : n * 1000;
  } else if (ISO_DATE_RE.test(value)) {
    atMs = Date.parse(value);
  } else {
    atMs = parseHttpDate(value);
    if (atMs === null && value.includes(',')) {
      // Repeated numeric values joined by a comma: use the first well-formed one.
      const first = splitMembers(value).find((m) => NUMBER_RE.test(m));
      return first === undefined ? null : resetSecondsOf(first, nowMs);
    }
  }
  if (atMs === null || !Number.isFinite(atMs)) {
    return null;
  }
  return Math.max(0, Math.ceil((atMs - nowMs) / 1000));
}

/**
 * Seconds to wait from a `Retry-After` value: delay seconds or an HTTP-date (RFC 9110 10.2.3).
 * Never negative; null when absent or malformed.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (typeof value !== 'string') {
    return null;
  }
  const text = value.trim();
  if (NUMBER_RE.test(text)) {
    return Number(text);
  }
  const date = parseHttpDate(text);
  if (date !== null) {
    return Math.max(0, Math.ceil((date - nowMs) / 1000));
  }
  // Repeated fields joined by commas. An HTTP-date has a comma of its own, so try each member
  // alone (delay seconds) and each pair of neighbours (a date).
  const members = splitMembers(text);
  for (let i = 0; i < members.length; i++) {
    if (NUMBER_RE.test(members[i])) {
      return Number(members[i]);
    }
    const pair = i + 1 < members.length ? parseHttpDate(`${members[i]}, ${members[i + 1]}`) : null;
    if (pair !== null) {
      return Math.max(0, Math.ceil((pair - nowMs) / 1000));
    }
  }
  return null;
}

const nonNegative = (n: number | null): number | null => (n !== null && n >= 0 && Number.isFinite(n) ? n : null);
const positive = (n: number | null): number | null => (n !== null && n > 0 && Number.isFinite(n) ? n : null);

function reading(
  convention: RateLimitConvention,
  policy: string,
  fields: Partial<Omit<RateLimitReading, 'convention' | 'policy'>>
): RateLimitReading {
  return {
    policy,
    limit: nonNegative(fields.limit ?? null),
    remaining: nonNegative(fields.remaining ?? null),
    resetSeconds: nonNegative(fields.resetSeconds ?? null),
    windowSeconds: positive(fields.windowSeconds ?? null),
    unit: fields.unit ?? REQUESTS,
    convention,
  };
}

// ---- IETF draft-08 and later: RateLimit-Policy: "name";q=..;w=..  RateLimit: "name";r=..;t=.. ----

function ietfNamed(get: HeaderLookup): RateLimitReading[] {
  const policyField = header(get, 'ratelimit-policy');
  const limitField = header(get, 'ratelimit');
  const policies = new Map<string, { q: number; w: number | null; unit: string }>();
  for (const member of policyField ? parseListLenient(policyField) : []) {
    const name = nameOf(member.item);
    const q = nonNegative(numberOf(member.params.get('q')));
    if (name !== null && q !== null && !policies.has(name)) {
      policies.set(name, {
        q,
        w: positive(numberOf(member.params.get('w'))),
        unit: nameOf(member.params.get('qu')) ?? REQUESTS,
      });
    }
  }
  const limits = new Map<string, { r: number; t: number | null }>();
  if (limitField && !isDraftDictionary(limitField)) {
    for (const member of parseListLenient(limitField)) {
      const name = nameOf(member.item);
      const r = nonNegative(numberOf(member.params.get('r')));
      if (name !== null && r !== null && !limits.has(name)) {
        limits.set(name, { r, t: nonNegative(numberOf(member.params.get('t'))) });
      }
    }
  }
  const names = [...policies.keys(), ...[...limits.keys()].filter((n) => !policies.has(n))];
  return names.map((name) => {
    const policy = policies.get(name);
    const limit = limits.get(name);
    return reading('ietf', name, {
      limit: policy?.q ?? null,
      remaining: limit?.r ?? null,
      resetSeconds: limit?.t ?? null,
      windowSeconds: policy?.w ?? null,
      unit: policy?.unit ?? REQUESTS,
    });
  });
}

// ---- IETF drafts before 08: unnamed policies whose item is the quota itself ("100;w=60") ----

/** Windows of the unnamed policies in `RateLimit-Policy` (drafts 03–07), by quota. */
function unnamedPolicyWindows(get: HeaderLookup): Map<number, number> {
  const field = header(get, 'ratelimit-policy');
  const out = new Map<number, number>();
  for (const member of field ? parseListLenient(field) : []) {
    addUnnamedWindow(member, out);
  }
  return out;
}

function addUnnamedWindow(member: ParameterisedItem, out: Map<number, number>): void {
  const quota = member.item.kind === 'integer' ? member.item.value : null;
  // Early drafts called the parameter "window"; later ones "w".
  const w = positive(numberOf(member.params.get('w') ?? member.params.get('window')));
  if (quota !== null && w !== null && !out.has(quota)) {
    out.set(quota, w);
  }
}

function isDraftDictionary(text: string): boolean {
  const dict = parseDictionaryLenient(text);
  return ['limit', 'remaining', 'reset'].some((k) => numberOf(dict.get(k)?.item) !== null);
}

function ietfDictionary(get: HeaderLookup, nowMs: number): RateLimitReading[] {
  const field = header(get, 'ratelimit');
  if (field === null || !isDraftDictionary(field)) {
    return [];
  }
  const dict = parseDictionaryLenient(field);
  const limit = nonNegative(numberOf(dict.get('limit')?.item));
  const reset = numberOf(dict.get('reset')?.item);
  return [
    reading('ietf-draft-dictionary', DEFAULT_POLICY, {
      limit,
      remaining: numberOf(dict.get('remaining')?.item),
      resetSeconds: reset === null ? null : resetSecondsOf(String(reset), nowMs),
      windowSeconds: limit === null ? null : (unnamedPolicyWindows(get).get(limit) ?? null),
    }),
  ];
}

function ietfFields(get: HeaderLookup, nowMs: number): RateLimitReading[] {
  const limitField = header(get, 'ratelimit-limit');
  const remaining = count(header(get, 'ratelimit-remaining'));
  const resetField = header(get, 'ratelimit-reset');
  if (limitField === null && remaining === null && resetField === null) {
    return [];
  }
  // "RateLimit-Limit: 100" or, in the earliest drafts, "100, 100;w=60, 1000;w=3600".
  const members = limitField ? parseListLenient(limitField) : [];
  const limit = members.length > 0 && members[0].item.kind === 'integer' ? members[0].item.value : null;
  const windows = unnamedPolicyWindows(get);
  members.forEach((m) => addUnnamedWindow(m, windows));
  return [
    reading('ietf-draft-fields', DEFAULT_POLICY, {
      limit,
      remaining,
      resetSeconds: resetSecondsOf(resetField, nowMs),
      windowSeconds: limit === null ? null : (windows.get(limit) ?? null),
    }),
  ];
}

// ---- X-RateLimit-* (GitHub, and Kong's per-window variants) and X-Rate-Limit-* ----

/** Duration as some gateways send it in the limit header ("1m", "12h"), in seconds. */
function periodSeconds(text: string | null): number | null {
  const m = text ? /^(\d+)(s|m|h|d)$/.exec(text) : null;
  return m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'] : null;
}

const KONG_WINDOWS: Array<[string, number]> = [
  ['second', 1],
  ['minute', 60],
  ['hour', 3600],
  ['day', 86_400],
  ['month', 2_592_000],
  ['year', 31_536_000],
];

function prefixed(
  get: HeaderLookup,
  nowMs: number,
  prefix: string,
  convention: RateLimitConvention
): RateLimitReading[] {
  const out: RateLimitReading[] = [];
  const limitText = header(get, `${prefix}-limit`);
  const used = count(header(get, `${prefix}-used`));
  const resetText = header(get, `${prefix}-reset`);
  const resetAfter = count(header(get, `${prefix}-reset-after`));
  let limit = count(limitText);
  let remaining = count(header(get, `${prefix}-remaining`));
  // Some gateways put the window into the limit header ("X-Rate-Limit-Limit: 1m").
  const window = limit === null ? periodSeconds(limitText) : null;
  if (remaining === null && limit !== null && used !== null) {
    remaining = Math.max(0, limit - used);
  }
  if (limit === null && remaining !== null && used !== null) {
    limit = remaining + used;
  }
  if (limit !== null || remaining !== null || resetText !== null || resetAfter !== null) {
    // GitHub names the bucket a response counted against: core, search, graphql, ...
    const resource = header(get, `${prefix}-resource`);
    out.push(
      reading(convention, resource && /^[\w.-]{1,64}$/.test(resource) ? resource : DEFAULT_POLICY, {
        limit,
        remaining,
        resetSeconds: resetSecondsOf(resetText, nowMs) ?? resetAfter,
        windowSeconds: window,
      })
    );
  }
  for (const [name, seconds] of KONG_WINDOWS) {
    const windowLimit = count(header(get, `${prefix}-limit-${name}`));
    const windowRemaining = count(header(get, `${prefix}-remaining-${name}`));
    if (windowLimit !== null || windowRemaining !== null) {
      out.push(reading(convention, name, { limit: windowLimit, remaining: windowRemaining, windowSeconds: seconds }));
    }
  }
  return out;
}

// ---- Shopify: X-Shopify-Shop-Api-Call-Limit: 32/40 (calls in the leaky bucket / bucket size) ----

function shopify(get: HeaderLookup): RateLimitReading[] {
  const field = header(get, 'x-shopify-shop-api-call-limit');
  const m = field ? /^(\d+)\s*\/\s*(\d+)/.exec(splitMembers(field)[0] ?? '') : null;
  if (!m) {
    return [];
  }
  const used = Number(m[1]);
  const limit = Number(m[2]);
  return [reading('shopify', DEFAULT_POLICY, { limit, remaining: Math.max(0, limit - used) })];
}

/** Most restrictive first: lowest headroom, then exhausted-without-limit, then shortest window. */
function compareRestrictiveness(a: RateLimitReading, b: RateLimitReading): number {
  const rank = (r: RateLimitReading) => headroomRatio(r) ?? (r.remaining === 0 ? 0 : 2);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) {
    return byRank;
  }
  return (a.windowSeconds ?? Number.MAX_VALUE) - (b.windowSeconds ?? Number.MAX_VALUE);
}

/**
 * Every rate-limit policy the response headers describe, most restrictive first. Conventions are
 * read in order of precedence (IETF named, IETF drafts, X-RateLimit, X-Rate-Limit, Shopify); a
 * policy name already read from a preferred convention is not read again from a later one, so a
 * provider sending the same limit twice yields one reading.
 */
export function parseRateLimit(get: HeaderLookup, nowMs: number): RateLimitReading[] {
  const all = [
    ...ietfNamed(get),
    ...ietfDictionary(get, nowMs),
    ...ietfFields(get, nowMs),
    ...prefixed(get, nowMs, 'x-ratelimit', 'x-ratelimit'),
    ...prefixed(get, nowMs, 'x-rate-limit', 'x-rate-limit'),
    ...shopify(get),
  ];
  const seen = new Set<string>();
  const unique = all.filter((r) => {
    if (seen.has(r.policy)) {
      return false;
    }
    seen.add(r.policy);
    return true;
  });
  return unique.sort(compareRestrictiveness);
}

/**
 * A case-insensitive lookup over a plain header object (Node's IncomingHttpHeaders, undici's
 * response headers, a test fixture). Repeated headers are joined with ", " as HTTP allows.
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
  return (name) => lower.get(name.toLowerCase());
}
