// Step and rate-window rules. A rate window must hold several scrapes or rate() returns
// nothing (two samples at least, and a missed scrape must not blank the graph), so it is
// never shorter than 4x the scrape interval; it also covers a whole step so no sample falls
// between two evaluations. This is Grafana's $__rate_interval rule:
//   window = max(step + scrape, 4 * scrape)
import { DEFAULT_SCRAPE_INTERVAL_MS } from '../contract';
import { formatDuration } from '../units';
import type { TimeRange } from './types';

/** Grafana's default when a panel does not say how many points it can draw. */
export const DEFAULT_MAX_DATA_POINTS = 1_100;
/** Prometheus refuses ranges with more than 11,000 points per series. */
export const PROMETHEUS_MAX_POINTS = 11_000;

/** Steps are rounded up to one of these, so ranges line up with step boundaries and caches. */
const NICE_STEPS_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_200_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

export interface QueryWindow {
  /** Evaluation start and end, aligned to the step (epoch ms). */
  startMs: number;
  endMs: number;
  stepMs: number;
  /** The rate()/deriv() window. */
  windowMs: number;
  /** The window as PromQL writes it: "1m", "1m45s". */
  window: string;
}

function roundUpToNiceStep(ms: number): number {
  for (const nice of NICE_STEPS_MS) {
    if (ms <= nice) {
      return nice;
    }
  }
  return Math.ceil(ms / 86_400_000) * 86_400_000;
}

/**
 * step = max(requested step, range / maxDataPoints, range / 11,000, scrape interval),
 * rounded up to a whole "nice" step; start and end are aligned down / up to it.
 */
export function rangeWindow(range: TimeRange, scrapeIntervalMs = DEFAULT_SCRAPE_INTERVAL_MS): QueryWindow {
  const spanMs = Math.max(0, range.toMs - range.fromMs);
  const maxPoints = range.maxDataPoints && range.maxDataPoints > 0 ? range.maxDataPoints : DEFAULT_MAX_DATA_POINTS;
  const raw = Math.max(range.stepMs ?? 0, spanMs / maxPoints, spanMs / PROMETHEUS_MAX_POINTS, scrapeIntervalMs);
  const stepMs = roundUpToNiceStep(raw);
  const windowMs = rateWindowMs(stepMs, scrapeIntervalMs);
  return {
    startMs: Math.floor(range.fromMs / stepMs) * stepMs,
    endMs: Math.ceil(range.toMs / stepMs) * stepMs,
    stepMs,
    windowMs,
    window: formatDuration(windowMs),
  };
}

/** The rate window for a step: max(step + scrape, 4 * scrape), in whole seconds. */
export function rateWindowMs(stepMs: number, scrapeIntervalMs = DEFAULT_SCRAPE_INTERVAL_MS): number {
  const ms = Math.max(stepMs + scrapeIntervalMs, 4 * scrapeIntervalMs);
  return Math.ceil(ms / 1000) * 1000;
}

/** An instant evaluation over a requested window (e.g. the CLI's --window 5m), never below 4x scrape. */
export function instantWindow(
  atMs: number,
  requestedWindowMs: number,
  scrapeIntervalMs = DEFAULT_SCRAPE_INTERVAL_MS
): QueryWindow {
  const windowMs = Math.ceil(Math.max(requestedWindowMs, 4 * scrapeIntervalMs) / 1000) * 1000;
  return { startMs: atMs, endMs: atMs, stepMs: 0, windowMs, window: formatDuration(windowMs) };
}
