import type { Criticality } from '../contract';

export interface CriticalityDefaults {
  timeoutMs: number;
  intervalMs: number;
  latencyP95Ms: number;
  errorRatio: number;
  headroomRatio: number;
  /** Real usage of the documented rate limit that alerts: the limit less the headroom kept. */
  usageRatio: number;
}

/**
 * What each criticality demands when the catalog says nothing. Critical APIs sit in the
 * user's transaction (checkout, payment): p95 under 200 ms and a short timeout so a hang is
 * seen fast. Background syncs can be slow without anyone waiting on them.
 */
export const CRITICALITY_DEFAULTS: Record<Criticality, CriticalityDefaults> = {
  critical: { timeoutMs: 2_000, intervalMs: 15_000, latencyP95Ms: 200, errorRatio: 0.01, headroomRatio: 0.2, usageRatio: 0.8 },
  standard: { timeoutMs: 5_000, intervalMs: 30_000, latencyP95Ms: 500, errorRatio: 0.02, headroomRatio: 0.15, usageRatio: 0.85 },
  background: { timeoutMs: 30_000, intervalMs: 60_000, latencyP95Ms: 2_000, errorRatio: 0.05, headroomRatio: 0.1, usageRatio: 0.9 },
};

export const PROBER_DEFAULTS = {
  /** Probes in flight at once. A hanging probe holds a socket and about 15 KB of memory, so
   * this is sized for every endpoint of a large catalog hanging at once (bench/RESULTS.md). */
  concurrency: 1024,
  /** apimon's own probes may use at most this share of a provider's rate limit. */
  probeShare: 0.05,
  maxRedirects: 5,
  maxBytes: 1024 * 1024,
  location: 'local',
  statusPageIntervalMs: 60_000,
  statusPageTimeoutMs: 10_000,
  statusPageMaxBytes: 5 * 1024 * 1024,
  historyRetentionMs: 90 * 86_400_000,
  advisoryIntervalMs: 3600_000,
  advisoryWindowMs: 30 * 86_400_000,
  auditIntervalMs: 3600_000,
  auditWindowMs: 30 * 86_400_000,
  dataDir: './data',
  /** A probe whose timed events waited longer than this on the prober's blocked event loop
   * (GC, a CPU spike, a slow /metrics render) has a wrong duration: it is counted in
   * apimon_probe_timing_degraded_total and left out of the latency histograms. A quarter of
   * the strictest default threshold (200 ms), above the stalls a healthy prober shows. */
  timingToleranceMs: 50,
};

/** What `apimon loadtest` assumes where the catalog's `loadTest` says nothing (docs/load-testing.md). */
export const LOADTEST_DEFAULTS = {
  /** Enough sockets for 200 req/s at a 1 s response time; a stuck target can hold no more. */
  maxConcurrency: 256,
  stageDurationMs: 30_000,
  /** Stop at once when more than a fifth of recent requests fail (a knee is long past)... */
  abortErrorRatio: 0.2,
  /** ...or more than one in twenty is answered 429: the provider is asking us to stop. */
  abortRateLimitedRatio: 0.05,
};
/** The range prober.timingTolerance may take: the prober samples its event loop every 10 ms,
 * so shorter stalls go unseen; a minute is longer than any probe's timeout should be. */
export const TIMING_TOLERANCE_RANGE_MS = { min: 10, max: 60_000 } as const;
