// How much of a rate limit is left, from the headers or, for a provider that sends none, from
// the catalog's documented limit and the requests apimon counted in that window.
import type { RateLimitReading } from './types';

/**
 * remaining / limit clamped to [0, 1]. A spent policy has none left whether or not its limit
 * is known (remaining-only conventions, a quota first seen already spent), and neither has a
 * zero limit; otherwise null when either is unknown. headroomExpr in the contract is the same
 * rule in PromQL.
 */
export function headroomRatio(r: Pick<RateLimitReading, 'limit' | 'remaining'>): number | null {
  if (r.remaining === 0) {
    return 0;
  }
  if (r.limit === null || r.remaining === null || !Number.isFinite(r.limit) || !Number.isFinite(r.remaining)) {
    return null;
  }
  if (r.limit <= 0) {
    return 0;
  }
  return Math.min(1, Math.max(0, r.remaining / r.limit));
}

/** The catalog's `rateLimit` as resolved (`Api.rateLimit`). */
export interface DocumentedLimit {
  limit: number;
  windowMs: number;
}

export const DOCUMENTED_POLICY = 'documented';

/**
 * A reading for a provider that sends no rate-limit headers: the documented limit, less the
 * requests observed in the current window (apimon's own, unless the caller counts more).
 */
export function documentedReading(documented: DocumentedLimit, requestsInWindow: number): RateLimitReading {
  const used = Number.isFinite(requestsInWindow) ? Math.max(0, requestsInWindow) : 0;
  const limit = Math.max(0, documented.limit);
  return {
    policy: DOCUMENTED_POLICY,
    limit,
    remaining: Math.max(0, limit - used),
    resetSeconds: null,
    windowSeconds: documented.windowMs > 0 ? documented.windowMs / 1000 : null,
    unit: 'requests',
    convention: 'catalog',
  };
}

/** Headroom from the documented limit and the observed request count, in [0, 1]. */
export function documentedHeadroom(documented: DocumentedLimit, requestsInWindow: number): number {
  return headroomRatio(documentedReading(documented, requestsInWindow)) ?? 0;
}
