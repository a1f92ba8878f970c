// The behaviour of one provider that tests and the demo change at run time (see admin.ts).
import type { Bursts, ProviderDefinition } from './provider';
import type { LatencyModel } from './random';
import type { Capacity } from './capacity';
import type { RateLimitConvention } from './ratelimit';
import type { Outage } from './statuspages/lifecycle';

export const OUTAGES = ['none', 'degraded', 'partial', 'major'] as const;
export const BROKEN_MODES = ['none', 'http500', 'html200', 'truncated'] as const;
export const ERROR_MODES = ['random', 'sequence'] as const;
/** hang: never answer; reset: close the connection with a TCP reset; drip: answer 200 and send
 * the body a few bytes at a time. */
export const CONNECTION_FAULTS = ['hang', 'reset', 'drip'] as const;
export type BrokenMode = (typeof BROKEN_MODES)[number];
export type ErrorMode = (typeof ERROR_MODES)[number];

export interface ConnectionFault {
  kind: (typeof CONNECTION_FAULTS)[number];
  /** Share of the requests it hits, evenly spaced (0.25: the 4th, 8th, ... request). */
  rate: number;
  /** drip: one 16-byte piece of the body every this many ms. */
  dripIntervalMs: number;
}

/** Added to every request while the outage is "degraded". */
export const DEGRADED_EXTRA_MS = 400;

export interface ProviderSettings {
  /** Fixed latency added to every API request, ms. */
  latencyMs: number;
  /** The added latency varies uniformly by up to this much either way, ms. */
  jitterMs: number;
  /** The provider's own latency distribution; null serves without it. */
  baseLatency: LatencyModel | null;
  /**
   * Extra latency for callers from one location (by the `location=` token of their User-Agent,
   * which apimon's probers send): a provider slow from one region only. Keyed by location.
   */
  regionalLatencyMs: Record<string, number>;
  /** Share of requests answered 500, 0..1. */
  errorRate: number;
  /** random: each request fails with probability errorRate (seeded); sequence: exactly
   * errorRate of the requests fail, evenly spaced (0.25: the 4th, 8th, 12th, ...). */
  errorMode: ErrorMode;
  outage: Outage;
  rateLimit: {
    /** Requests per window: enforced, and announced in the headers. */
    limit: number;
    windowSeconds: number;
    /** Pinned header values (served verbatim; the counter still enforces the limit). */
    remaining: number | null;
    reset: number | null;
    /** The headers that announce the limits: the provider's own convention unless set. */
    convention: RateLimitConvention;
    /** A second, longer window counted and enforced as well (a daily quota next to a burst
     * window); null for none. */
    quota: { limit: number; windowSeconds: number } | null;
  };
  bursts: Bursts | null;
  /** A fault of the connection itself (hang, reset, slow drip), or null. */
  connectionFault: ConnectionFault | null;
  statusPageAdmits: boolean;
  statusPageBroken: BrokenMode;
  payloadBytes: number;
  /** Serve at most `concurrency` requests at once, `serviceMs` each, queueing the rest (load
   * tests: the knee is concurrency * 1000 / serviceMs requests per second); null: unlimited. */
  capacity: Capacity | null;
}

export function defaultSettings(def: ProviderDefinition, realisticLatency: boolean): ProviderSettings {
  return {
    latencyMs: 0,
    jitterMs: 0,
    baseLatency: realisticLatency ? { ...def.defaults.latency } : null,
    regionalLatencyMs: {},
    errorRate: 0,
    errorMode: 'random',
    outage: 'none',
    rateLimit: { ...def.defaults.rateLimit, remaining: null, reset: null, convention: def.convention, quota: null },
    bursts: def.defaults.bursts ? { ...def.defaults.bursts } : null,
    connectionFault: null,
    statusPageAdmits: def.defaults.statusPageAdmits,
    statusPageBroken: 'none',
    payloadBytes: def.defaults.payloadBytes ?? 0,
    capacity: null,
  };
}
