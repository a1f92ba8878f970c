// The PromQL of the reports, from the contract's building blocks. Two spellings of every
// number: over the hourly recording rules (prometheus/recording.yml: a month is 744 points per
// series) and over the raw series (any store, slower). Both mean the same thing, and the
// integration tests hold them to the same synthetic truth.
//
// Every monthly number is an instant query at the end of the period with the period as its
// range, so it covers (from, to]. Sums of the hourly rules multiply by the rule's interval: each
// recorded sample is the rate over the hour before it, and the group writes one an hour.
import {
  API_LEVEL,
  bucket,
  FAILED_OUTCOME,
  histogramQuantile,
  LATENCY_QUANTILE,
  lastForecast,
  METRICS,
  RAW_HEADROOM,
  promString,
  RECORDED,
  selector,
  sumBy,
  thresholdBy,
  type Label,
} from '../contract';

/** The interval of the hourly recording group (apimon-recording-1h), in seconds. */
export const HOURLY_RULE_SECONDS = 3600;

/** What the per-API monthly numbers are grouped by. */
const PER_API: readonly Label[] = ['api', 'provider'];

/** Percentiles of the monthly report. */
export const REPORT_PERCENTILES = [
  { key: 'latencyP50Seconds', q: 0.5 },
  { key: 'latencyP95Seconds', q: LATENCY_QUANTILE },
  { key: 'latencyP99Seconds', q: 0.99 },
] as const;

export type ReportQueryMode = 'recorded' | 'raw';

/** The recorded series the monthly report reads in `recorded` mode: all must be in the store. */
export const REPORT_RECORDINGS = [
  RECORDED.apiRequestsRate1h,
  RECORDED.apiRequestsOkRate1h,
  RECORDED.apiCodeRequestsRate1h,
  RECORDED.apiDurationBucketRate1h,
  RECORDED.apiHeadroomMin1h,
  RECORDED.apiP95Rate5m,
] as const;

/** "2678400s": Prometheus durations in whole seconds. */
export const promSeconds = (ms: number) => `${Math.round(ms / 1000)}s`;

export interface PeriodQueries {
  /** Every API the store knew in the period, with its catalog facts (value 1). */
  apis: string;
  /** Probes in the period, per API. */
  probes: string;
  okProbes: string;
  /** Probes per API, status code and outcome. */
  probesByCode: string;
  /** A percentile of all probe durations in the period, per API. */
  latencyQuantile(q: number): string;
  /** Each API's catalog thresholds as the period ended. */
  latencyThreshold: string;
  errorThreshold: string;
  headroomThreshold: string;
  /** The lowest rate-limit headroom of the period, per API. */
  minHeadroom: string;
  /** Seconds the API's p95 (over 5 minutes) was above its threshold, sampled every minute. */
  secondsOverLatencyThreshold: string;
  /** Hours of the period with recorded series (the rules' coverage) and with raw series. */
  recordedHours: string;
  rawHours: string;
}

/** Queries of one period of `spanMs` ending at the evaluation time. */
export function periodQueries(mode: ReportQueryMode, spanMs: number): PeriodQueries {
  const R = promSeconds(spanMs);
  const recordedTotal = (record: string, matchers: string[] = []) =>
    `sum_over_time(${selector(record, matchers)}[${R}]) * ${HOURLY_RULE_SECONDS}`;
  const rawIncrease = (metric: string, labels: readonly Label[], matchers: string[] = []) =>
    sumBy(labels, `increase(${selector(metric, matchers)}[${R}])`);
  // Catalog facts and thresholds are gauges: an hourly look is enough to know their last value.
  const lastHourly = (expr: string) => `last_over_time(${expr}[${R}:1h])`;
  const threshold = (metric: string) => thresholdBy('api', lastHourly(selector(metric, [API_LEVEL])));
  const p95Threshold = thresholdBy('api', selector(METRICS.thresholdLatency, [API_LEVEL]));
  const p95 =
    mode === 'recorded'
      ? RECORDED.apiP95Rate5m
      : histogramQuantile(LATENCY_QUANTILE, [...PER_API, 'le'], `rate(${bucket(METRICS.probeDuration)}[5m])`);
  return {
    apis: `max by (api, provider, criticality, owner) (${lastHourly(METRICS.apiInfo)})`,
    probes:
      mode === 'recorded'
        ? sumBy(PER_API, recordedTotal(RECORDED.apiRequestsRate1h))
        : rawIncrease(METRICS.probeRequests, PER_API),
    okProbes:
      mode === 'recorded'
        ? sumBy(PER_API, recordedTotal(RECORDED.apiRequestsOkRate1h))
        : rawIncrease(METRICS.probeRequests, PER_API, ['outcome="ok"']),
    probesByCode:
      mode === 'recorded'
        ? sumBy([...PER_API, 'code', 'outcome'], recordedTotal(RECORDED.apiCodeRequestsRate1h))
        : rawIncrease(METRICS.probeRequests, [...PER_API, 'code', 'outcome']),
    latencyQuantile: (q) =>
      mode === 'recorded'
        ? histogramQuantile(q, [...PER_API, 'le'], `sum_over_time(${RECORDED.apiDurationBucketRate1h}[${R}])`)
        : histogramQuantile(q, [...PER_API, 'le'], `increase(${bucket(METRICS.probeDuration)}[${R}])`),
    latencyThreshold: threshold(METRICS.thresholdLatency),
    errorThreshold: threshold(METRICS.thresholdErrorRatio),
    headroomThreshold: threshold(METRICS.thresholdHeadroom),
    minHeadroom:
      mode === 'recorded'
        ? `min by (api, provider) (min_over_time(${RECORDED.apiHeadroomMin1h}[${R}]))`
        : `min by (api, provider) (min_over_time((${RAW_HEADROOM})[${R}:1m]))`,
    secondsOverLatencyThreshold: `${sumBy(PER_API, `sum_over_time((${p95} > bool on (api) group_left () ${p95Threshold})[${R}:1m])`)} * 60`,
    // The hourly rule writes one sample an hour: its count is the hours it covers.
    recordedHours: `max(count_over_time(${RECORDED.apiRequestsRate1h}[${R}]))`,
    rawHours: `count_over_time(sum(${METRICS.apiInfo})[${R}:1h])`,
  };
}

/** One point per day, each covering the day before it (range queries with a 1-day step). */
export interface DailyQueries {
  latencyP95: string;
  errorRatio: string;
  minHeadroom: string;
}

export function dailyQueries(mode: ReportQueryMode): DailyQueries {
  const D = '1d';
  if (mode === 'recorded') {
    const all = `sum by (api, provider) (sum_over_time(${RECORDED.apiRequestsRate1h}[${D}]))`;
    const ok = `sum by (api, provider) (sum_over_time(${RECORDED.apiRequestsOkRate1h}[${D}]))`;
    return {
      latencyP95: histogramQuantile(
        LATENCY_QUANTILE,
        [...PER_API, 'le'],
        `sum_over_time(${RECORDED.apiDurationBucketRate1h}[${D}])`
      ),
      errorRatio: `(${all} - ${ok}) / (${all} > 0)`,
      minHeadroom: `min by (api, provider) (min_over_time(${RECORDED.apiHeadroomMin1h}[${D}]))`,
    };
  }
  const all = sumBy(PER_API, `increase(${METRICS.probeRequests}[${D}])`);
  const failed = sumBy(PER_API, `increase(${selector(METRICS.probeRequests, [FAILED_OUTCOME])}[${D}])`);
  return {
    latencyP95: histogramQuantile(
      LATENCY_QUANTILE,
      [...PER_API, 'le'],
      `increase(${bucket(METRICS.probeDuration)}[${D}])`
    ),
    errorRatio: `(${failed} or ${all} * 0) / (${all} > 0)`,
    minHeadroom: `min by (api, provider) (min_over_time((${RAW_HEADROOM})[${D}:5m]))`,
  };
}

/** Incident report: probes per outcome in each step of the window, for one API. */
export function outcomeIncreaseByStep(api: string, stepMs: number): string {
  return sumBy(
    ['outcome'],
    `increase(${selector(METRICS.probeRequests, [`api=${promString(api)}`])}[${promSeconds(stepMs)}])`
  );
}

/** Incident report: failed probes of one API in the window. */
export function failedProbesIn(api: string, spanMs: number): string {
  return sumBy(
    [],
    `increase(${selector(METRICS.probeRequests, [`api=${promString(api)}`, FAILED_OUTCOME])}[${promSeconds(spanMs)}])`
  );
}

/**
 * The capacity forecast as the store's recording rules hold it (the rate-limits dashboard's
 * Capacity forecast panel reads the same series the same way), per API, at an instant.
 */
export const FORECAST_QUERIES = {
  weeklyPeak: `max by (api) (${lastForecast(RECORDED.trafficUsageMax1w)})`,
  predicted: `max by (api) (${lastForecast(RECORDED.trafficUsageForecast)})`,
  daysToLimit: `min by (api) (${lastForecast(RECORDED.trafficDaysToLimit)})`,
} as const;
