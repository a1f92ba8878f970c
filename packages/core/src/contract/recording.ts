// The Prometheus recording rules (rendered to prometheus/recording.yml by `npm run
// provisioning`): precomputed series for the heavy dashboard queries, so that a 30-day
// dashboard reads a few thousand recorded points per API instead of every raw sample.
// Names follow level:metric:operations. Levels:
//   apimon   - the probe labels kept (api, endpoint, provider, location)
//   api      - one series per API (api, provider)
//   api_code - per API, HTTP status code and outcome
// Every rule reads raw series only (no rule reads another rule's output), so the rules give
// the same answer however they are evaluated, and `promtool tsdb create-blocks-from rules`
// backfills them in one pass. The alert rules do not depend on them: they run on any store.
import { bucket, METRICS, PROBE_LABELS, type Label } from './metrics';
import {
  errorRatio,
  histogramQuantile,
  LATENCY_QUANTILE,
  rawErrorRatioTerms,
  RAW_HEADROOM,
  selector,
  sumBy,
} from './promql';

/** Every recorded series, by what it holds. */
export const RECORDED = {
  probeDurationBucketRate5m: 'apimon:probe_duration_seconds_bucket:rate5m',
  probePhaseDurationBucketRate5m: 'apimon:probe_phase_duration_seconds_bucket:rate5m',
  probeRequestsRate5m: 'apimon:probe_requests:rate5m',
  apiP95Rate5m: 'api:apimon_probe_duration_seconds:p95_rate5m',
  apiRequestsRate5m: 'api:apimon_probe_requests:rate5m',
  apiErrorRatioRate5m: 'api:apimon_probe_errors_per_request:ratio_rate5m',
  apiHeadroom: 'api:apimon_ratelimit_headroom:ratio',
  apiErrorRatioRate1h: 'api:apimon_probe_errors_per_request:ratio_rate1h',
  apiErrorRatioRate1d: 'api:apimon_probe_errors_per_request:ratio_rate1d',
  apiRequestsRate1h: 'api:apimon_probe_requests:rate1h',
  apiRequestsOkRate1h: 'api:apimon_probe_requests_ok:rate1h',
  apiCodeRequestsRate1h: 'api_code:apimon_probe_requests:rate1h',
  apiDurationBucketRate1h: 'api:apimon_probe_duration_seconds_bucket:rate1h',
  apiHeadroomMin1h: 'api:apimon_ratelimit_headroom:min1h',
} as const;

export type RecordedName = (typeof RECORDED)[keyof typeof RECORDED];

export interface RecordingRule {
  record: RecordedName;
  expr: string;
  /** Why the rule exists, for the rule file. */
  comment?: string;
}

export interface RecordingGroup {
  name: string;
  interval: string;
  rules: RecordingRule[];
  comment?: string;
}

/** A recorded rate the query engine can read instead of rate(metric[window]). */
export interface RecordedRate {
  /** The raw counter or bucket series the rule takes rate() of. */
  metric: string;
  windowMs: number;
  record: RecordedName;
  /** Labels the rule keeps (the rest are summed away). */
  keeps: readonly Label[];
}

/** The per-API level of the `api:` rules. */
const PER_API: readonly Label[] = ['api', 'provider'];

const rate = (metric: string, window: string, matchers: readonly string[] = []) =>
  `rate(${selector(metric, matchers)}[${window}])`;

/** The base rates of the engine: every probe label kept, over 5 minutes. */
export const RECORDED_RATES: readonly RecordedRate[] = [
  {
    metric: bucket(METRICS.probeDuration),
    windowMs: 300_000,
    record: RECORDED.probeDurationBucketRate5m,
    keeps: [...PROBE_LABELS, 'le'],
  },
  {
    metric: bucket(METRICS.probePhaseDuration),
    windowMs: 300_000,
    record: RECORDED.probePhaseDurationBucketRate5m,
    keeps: [...PROBE_LABELS, 'phase', 'le'],
  },
  {
    metric: METRICS.probeRequests,
    windowMs: 300_000,
    record: RECORDED.probeRequestsRate5m,
    keeps: [...PROBE_LABELS, 'code', 'outcome'],
  },
];

const recordedRateRule = (r: RecordedRate): RecordingRule => ({
  record: r.record,
  expr: sumBy(r.keeps, rate(r.metric, '5m')),
});

const apiErrorRatio = (window: string) => errorRatio.probedOnly(rawErrorRatioTerms(window, PER_API), 'block');

export const RECORDING_GROUPS: readonly RecordingGroup[] = [
  {
    name: 'apimon-recording-5m',
    interval: '1m',
    rules: [
      {
        ...recordedRateRule(RECORDED_RATES[0]),
        comment: 'Histogram buckets per endpoint and location: the base for every latency percentile.',
      },
      recordedRateRule(RECORDED_RATES[1]),
      recordedRateRule(RECORDED_RATES[2]),
      {
        record: RECORDED.apiP95Rate5m,
        expr: histogramQuantile(LATENCY_QUANTILE, [...PER_API, 'le'], rate(bucket(METRICS.probeDuration), '5m')),
        comment: 'Per API.',
      },
      { record: RECORDED.apiRequestsRate5m, expr: sumBy(PER_API, rate(METRICS.probeRequests, '5m')) },
      { record: RECORDED.apiErrorRatioRate5m, expr: apiErrorRatio('5m') },
      {
        record: RECORDED.apiHeadroom,
        expr: `min by (api, provider) (${RAW_HEADROOM})`,
        comment: 'Rate-limit headroom: the tightest policy of any endpoint of the API.',
      },
    ],
  },
  {
    name: 'apimon-recording-long',
    interval: '5m',
    rules: [
      { record: RECORDED.apiErrorRatioRate1h, expr: apiErrorRatio('1h') },
      { record: RECORDED.apiErrorRatioRate1d, expr: apiErrorRatio('1d') },
    ],
  },
  {
    name: 'apimon-recording-1h',
    interval: '1h',
    comment: [
      '30-day building blocks: hourly rates, evaluated once an hour (non-overlapping windows), so a',
      '30-day panel reads 720 points per series. Over 30 days,',
      '  availability = avg_over_time(ok[30d]) / avg_over_time(all[30d])',
      '  probe count  = avg_over_time(rate1h[30d]) * 30 * 86400',
      'They lag by up to an hour, which a monthly report does not notice.',
    ].join('\n'),
    rules: [
      { record: RECORDED.apiRequestsRate1h, expr: sumBy(PER_API, rate(METRICS.probeRequests, '1h')) },
      {
        record: RECORDED.apiRequestsOkRate1h,
        expr: sumBy(PER_API, rate(METRICS.probeRequests, '1h', ['outcome="ok"'])),
      },
      {
        record: RECORDED.apiCodeRequestsRate1h,
        expr: sumBy([...PER_API, 'code', 'outcome'], rate(METRICS.probeRequests, '1h')),
      },
      {
        record: RECORDED.apiDurationBucketRate1h,
        expr: sumBy([...PER_API, 'le'], rate(bucket(METRICS.probeDuration), '1h')),
      },
      {
        record: RECORDED.apiHeadroomMin1h,
        expr: `min by (api, provider) (min_over_time((${RAW_HEADROOM})[1h:1m]))`,
      },
    ],
  },
];
