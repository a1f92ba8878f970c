// The capacity forecast of the scalability section: a least-squares line through the daily
// peaks of real usage of the documented limit, and the day it would reach the limit (1.0).
// Deliberately simple: a month of daily peaks supports a trend, not a seasonal model; the
// report says "at this month's trend".
import type { Forecast } from './types';

const DAY_MS = 86_400_000;
/** Fewer days than this (with data) is no trend. */
export const MIN_FORECAST_DAYS = 7;
export const FORECAST_HORIZON_DAYS = 90;

/** `dayStartsMs[i]` is the start of day i; `peaks[i]` its peak usage ratio (null: no traffic). */
export function forecastLimit(dayStartsMs: readonly number[], peaks: ReadonlyArray<number | null>): Forecast | null {
  const points = dayStartsMs
    .map((t, i) => [t / DAY_MS, peaks[i]] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  if (points.length < MIN_FORECAST_DAYS) {
    return null;
  }
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const atLimit = points.some(([, y]) => y >= 1);
  const lastX = points[n - 1][0];
  const fittedLast = my + slope * (lastX - mx);
  let reachesLimitAt: string | null = null;
  if (slope > 0) {
    const daysToLimit = Math.max(0, (1 - fittedLast) / slope);
    if (daysToLimit <= FORECAST_HORIZON_DAYS) {
      reachesLimitAt = new Date(Math.round((lastX + daysToLimit) * DAY_MS)).toISOString();
    }
  }
  return { slopePerDay: slope, reachesLimitAt, horizonDays: FORECAST_HORIZON_DAYS, atLimit };
}
