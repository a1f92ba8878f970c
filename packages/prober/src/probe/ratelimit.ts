// Rate-limit readings of a response, through the one parser in @apimon/core, and what the
// prober remembers of them between responses.
import type { IncomingHttpHeaders } from 'node:http';
import {
  compareRestrictiveness,
  headerLookup,
  parseRateLimit,
  parseRetryAfterHeaders,
  type RateLimitHeaderMapping,
} from '@apimon/core';
import type { RateLimitObservation } from './types';

export interface RateLimitReadings {
  /** Most restrictive (scarcest) first, as the parser orders them. */
  rateLimits: RateLimitObservation[];
  retryAfterSeconds: number | null;
}

/** Every policy and the wait a response announces; `mapping` is the API's catalog mapping. */
export function readRateLimits(
  headers: IncomingHttpHeaders,
  nowMs: number,
  mapping?: RateLimitHeaderMapping
): RateLimitReadings {
  const get = headerLookup(headers);
  return {
    rateLimits: parseRateLimit(get, nowMs, mapping).map(
      ({ policy, limit, remaining, resetSeconds, windowSeconds, unit, convention }) => ({
        policy,
        limit,
        remaining,
        resetSeconds,
        windowSeconds,
        unit,
        convention,
      })
    ),
    retryAfterSeconds: parseRetryAfterHeaders(get, nowMs, mapping),
  };
}

interface KnownLimit {
  limit: number;
  windowSeconds: number | null;
}

/**
 * Each endpoint's policies' last announced limit and window, for responses that leave them out:
 * Jira stops sending Beta-RateLimit-Policy once the points quota is spent and says only
 * `"tenant-app-quota";r=0`. Without its limit that spent quota has no headroom to alert on.
 * Only the policies of the latest response are kept, so a provider cannot grow this.
 */
export class PolicyLimitMemory {
  private readonly known = new Map<string, Map<string, KnownLimit>>();

  /** The observations with remembered limits filled in, scarcest first again. */
  complete(key: string, observations: RateLimitObservation[]): RateLimitObservation[] {
    const before = this.known.get(key);
    const after = new Map<string, KnownLimit>();
    const out = observations.map((o) => {
      const prev = before?.get(o.policy);
      const filled =
        o.limit === null && o.remaining !== null && prev
          ? { ...o, limit: prev.limit, windowSeconds: o.windowSeconds ?? prev.windowSeconds }
          : o;
      if (filled.limit !== null) {
        after.set(o.policy, { limit: filled.limit, windowSeconds: filled.windowSeconds ?? null });
      }
      return filled;
    });
    if (after.size > 0) {
      this.known.set(key, after);
    } else {
      this.known.delete(key);
    }
    return out.sort((a, b) =>
      compareRestrictiveness(
        { ...a, windowSeconds: a.windowSeconds ?? null },
        { ...b, windowSeconds: b.windowSeconds ?? null }
      )
    );
  }

  /** Forgets endpoints no longer in the catalog. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.known.keys()) {
      if (!keys.has(key)) {
        this.known.delete(key);
      }
    }
  }
}
