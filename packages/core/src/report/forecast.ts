// The capacity forecast of the scalability section. One forecast for the report and the
// rate-limits dashboard: the store's capacity-forecast recording rules (the weekly peak of real
// usage, its linear trend over four weeks, where it is in 30 days and the days until it reaches
// the documented limit; contract/recording.ts TRAFFIC_FORECAST) read at the month's end.
// Only where the store has no recorded forecast for an API (a store without the rules, rules
// added too recently, `--raw`) does the report fit its own least-squares line through the
// month's daily peaks, and says so: a month of daily peaks supports a trend, not a seasonal model.
import { TRAFFIC_FORECAST } from '../contract';
import type { Forecast } from './types';

const DAY_MS = 86_400_000;
/** Fewer days than this (with data) is no fitted trend. */
export const MIN_FORECAST_DAYS = 7;
/** The report names the day the limit is reached when it is at most this many days away. */
export const FORECAST_HORIZON_DAYS = 90;
/** How far ahead `predictedUsageRatio` looks: the recorded forecast's horizon. */
export const FORECAST_PREDICT_DAYS = TRAFFIC_FORECAST.horizonDays;

const reachesAt = (endMs: number, daysToLimit: number | null): string | null =>
  daysToLimit !== null && daysToLimit <= FORECAST_HORIZON_DAYS
    ? new Date(Math.round(endMs + daysToLimit * DAY_MS)).toISOString()
    : null;

/** The recorded series of one API at the month's end (`lastForecast` of each). */
export interface RecordedForecastValues {
  /** api:apimon_traffic_usage:max1w */
  weeklyPeak: number | null;
  /** api:apimon_traffic_usage:max1w_predict30d */
  predicted: number;
  /** api:apimon_traffic_usage:max1w_days_to_limit; null: absent (the peak is not growing). */
  daysToLimit: number | null;
}

/** The recorded forecast as the report shows it: the recorded values unchanged. */
export function recordedForecast(values: RecordedForecastValues, endMs: number, atLimit: boolean): Forecast {
  return {
    method: 'recorded',
    peakUsageRatio: values.weeklyPeak,
    predictedUsageRatio: values.predicted,
    predictedAfterDays: FORECAST_PREDICT_DAYS,
    daysToLimit: values.daysToLimit,
    reachesLimitAt: reachesAt(endMs, values.daysToLimit),
    horizonDays: FORECAST_HORIZON_DAYS,
    atLimit,
    slopePerDay: null,
  };
}

/**
 * The fallback: a least-squares line through the daily peaks. `dayStartsMs[i]` is the start of
 * day i, `peaks[i]` its peak usage ratio (null: no traffic); `endMs` is the end of the period,
 * where the forecast starts (the end of the last day when omitted).
 */
export function forecastLimit(
  dayStartsMs: readonly number[],
  peaks: ReadonlyArray<number | null>,
  endMs: number = (dayStartsMs[dayStartsMs.length - 1] ?? 0) + DAY_MS
): Forecast | null {
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
  // The line's value where the period ends: the forecast starts there, as the recorded one
  // starts at the month's end.
  const fittedEnd = my + slope * (endMs / DAY_MS - mx);
  const daysToLimit = fittedEnd >= 1 ? 0 : slope > 0 ? (1 - fittedEnd) / slope : null;
  return {
    method: 'fitted',
    peakUsageRatio: fittedEnd,
    predictedUsageRatio: fittedEnd + slope * FORECAST_PREDICT_DAYS,
    predictedAfterDays: FORECAST_PREDICT_DAYS,
    daysToLimit,
    reachesLimitAt: reachesAt(endMs, daysToLimit),
    horizonDays: FORECAST_HORIZON_DAYS,
    atLimit,
    slopePerDay: slope,
  };
}
