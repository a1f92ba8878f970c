import type { Criticality } from '../contract';

export interface CriticalityDefaults {
  timeoutMs: number;
  intervalMs: number;
  latencyP95Ms: number;
  errorRatio: number;
  headroomRatio: number;
}

/**
 * What each criticality demands when the catalog says nothing. Critical APIs sit in the
 * user's transaction (checkout, payment): p95 under 200 ms and a short timeout so a hang is
 * seen fast. Background syncs can be slow without anyone waiting on them.
 */
export const CRITICALITY_DEFAULTS: Record<Criticality, CriticalityDefaults> = {
  critical: { timeoutMs: 2_000, intervalMs: 15_000, latencyP95Ms: 200, errorRatio: 0.01, headroomRatio: 0.2 },
  standard: { timeoutMs: 5_000, intervalMs: 30_000, latencyP95Ms: 500, errorRatio: 0.02, headroomRatio: 0.15 },
  background: { timeoutMs: 30_000, intervalMs: 60_000, latencyP95Ms: 2_000, errorRatio: 0.05, headroomRatio: 0.1 },
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
  dataDir: './data',
};
