// The IETF RateLimit header fields in all their drafts, and the same fields behind a vendor
// prefix (Atlassian's `Beta-RateLimit-Policy` / `Beta-RateLimit`).
import { DEFAULT_POLICY, header, nonNegative, positive, reading, REQUESTS } from './reading';
import { nameOf, numberOf, parseDictionaryLenient, parseListLenient, type ParameterisedItem } from './structured';
import type { HeaderLookup, RateLimitConvention, RateLimitReading } from './types';
import { count, resetSecondsOf } from './values';

// ---- draft-08 and later: RateLimit-Policy: "name";q=..;w=..  RateLimit: "name";r=..;t=.. ----

/** Named policies from `<prefix>RateLimit-Policy` and `<prefix>RateLimit`, matched by name. */
export function ietfNamed(
  get: HeaderLookup,
  prefix = '',
  convention: RateLimitConvention = 'ietf'
): RateLimitReading[] {
  const policyField = header(get, `${prefix}ratelimit-policy`);
  const limitField = header(get, `${prefix}ratelimit`);
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
    return reading(convention, name, {
      limit: policy?.q ?? null,
      remaining: limit?.r ?? null,
      resetSeconds: limit?.t ?? null,
      windowSeconds: policy?.w ?? null,
      unit: policy?.unit ?? REQUESTS,
    });
  });
}

// ---- drafts before 08: unnamed policies whose item is the quota itself ("100;w=60") ----

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

/** draft-07: `RateLimit: limit=100, remaining=50, reset=30`. */
export function ietfDictionary(get: HeaderLookup, nowMs: number): RateLimitReading[] {
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

/** drafts 00–06: `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`. */
export function ietfFields(get: HeaderLookup, nowMs: number): RateLimitReading[] {
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
