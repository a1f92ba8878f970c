// Rate-limit readings of a response, through the one parser in @apimon/core.
import type { IncomingHttpHeaders } from 'node:http';
import { headerLookup, parseRateLimit, parseRetryAfter } from '@apimon/core';
import type { RateLimitObservation } from './types';

export interface RateLimitReadings {
  /** Most restrictive first, as the parser orders them. */
  rateLimits: RateLimitObservation[];
  retryAfterSeconds: number | null;
}

export function readRateLimits(headers: IncomingHttpHeaders, nowMs: number): RateLimitReadings {
  const get = headerLookup(headers);
  return {
    rateLimits: parseRateLimit(get, nowMs).map(({ policy, limit, remaining, resetSeconds, windowSeconds }) => ({
      policy,
      limit,
      remaining,
      resetSeconds,
      windowSeconds,
    })),
    retryAfterSeconds: parseRetryAfter(get('retry-after'), nowMs),
  };
}
