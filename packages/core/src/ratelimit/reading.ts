// What every convention reader shares: a lookup that never throws and the one way a reading is
// built, so no reader can report a negative or non-finite number.
import type { HeaderLookup, RateLimitConvention, RateLimitReading } from './types';

export const DEFAULT_POLICY = 'default';
export const REQUESTS = 'requests';

/** A header's trimmed value, or null when absent, empty or when the lookup throws. */
export function header(get: HeaderLookup, name: string): string | null {
  try {
    const value = get(name);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  } catch {
    return null; // a lookup that throws is a missing header, not a failed probe
  }
}

/** The header names present (lowercase), or null when the lookup cannot list them. */
export function headerNames(get: HeaderLookup): string[] | null {
  try {
    return get.names ? [...get.names()].map((n) => n.toLowerCase()) : null;
  } catch {
    return null;
  }
}

export const nonNegative = (n: number | null): number | null => (n !== null && n >= 0 && Number.isFinite(n) ? n : null);
export const positive = (n: number | null): number | null => (n !== null && n > 0 && Number.isFinite(n) ? n : null);

export function reading(
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

/** Whether a reading says anything about quota (a reset alone does not make a policy). */
export const hasQuota = (r: RateLimitReading): boolean => r.limit !== null || r.remaining !== null;

/**
 * A policy name taken from a header name or value, as a label value: lowercase, short, from a
 * small alphabet, so a provider cannot put arbitrary text into a metric label.
 */
export function policyName(raw: string): string | null {
  const name = raw.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9_.:/-]{0,63}$/.test(name) ? name : null;
}
