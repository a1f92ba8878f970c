// The Prometheus recording rules (rendered to prometheus/recording.yml by `npm run
// provisioning`): precomputed series for the heavy dashboard queries, so that a 30-day
// dashboard reads a few thousand recorded points per API instead of every raw sample.
// Names follow level:metric:operations. Levels:
//   apimon   - the probe labels kept (api, endpoint, provider, location)
//   api      - one series per API (api, provider)
//   api_code - per API, HTTP status code and outcome
//   traffic_key - a real-traffic key (server_address, server_port, http_request_method,
//                 url_template) with the api and provider it belongs to
//   host     - a real-traffic host (server_address, server_port)
// Every probe rule reads raw series only (no rule reads another rule's output), so they give
// the same answer however they are evaluated, and `promtool tsdb create-blocks-from rules`
// backfills them in one pass. The probe alert rules do not depend on them: they run on any store.
// The real-traffic rules (trafficRecordingGroups) build on each other: the attribution of every
// observed key to its API is recorded once and every per-API rule joins with it, the quantiles
// read the recorded buckets and the peaks and the forecast read the recorded usage. A backfill
// runs them in passes (recordingPasses); the real-traffic alert rules read them.
import { createTrafficQueries } from '../traffic/promql';
import { DEFAULT_TRAFFIC_SETTINGS, type TrafficSettings } from '../traffic/sources';
import { bucket, METRICS, PROBE_LABELS, TRAFFIC_METRICS, type Label } from './metrics';
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
  // Real traffic (docs/real-traffic.md): the platform's own calls, per API.
  trafficAttribution: 'traffic_key:apimon_traffic_match:most_specific',
  trafficRequestsRate5m: 'api:apimon_traffic_requests:rate5m',
  trafficCodeRequestsRate5m: 'api_code:apimon_traffic_requests:rate5m',
  trafficErrorRatioRate5m: 'api:apimon_traffic_errors_per_request:ratio_rate5m',
  trafficThrottledRate5m: 'api:apimon_traffic_throttled:rate5m',
  trafficDurationBucketRate5m: 'api:apimon_traffic_request_duration_seconds_bucket:rate5m',
  trafficP50Rate5m: 'api:apimon_traffic_request_duration_seconds:p50_rate5m',
  trafficP95Rate5m: 'api:apimon_traffic_request_duration_seconds:p95_rate5m',
  trafficP99Rate5m: 'api:apimon_traffic_request_duration_seconds:p99_rate5m',
  trafficResponseSizeP95Rate5m: 'api:apimon_traffic_response_size_bytes:p95_rate5m',
  trafficUsageRate5m: 'api:apimon_traffic_usage:ratio_rate5m',
  trafficUsageMax1d: 'api:apimon_traffic_usage:max1d',
  trafficUsageMax1w: 'api:apimon_traffic_usage:max1w',
  trafficUsageForecast: 'api:apimon_traffic_usage:max1w_predict30d',
  trafficDaysToLimit: 'api:apimon_traffic_usage:max1w_days_to_limit',
  trafficUnmappedRequestsRate5m: 'host:apimon_traffic_unmapped_requests:rate5m',
  trafficUnmappedErrorRatioRate5m: 'host:apimon_traffic_unmapped_errors_per_request:ratio_rate5m',
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

const PROBE_RECORDING_GROUPS: readonly RecordingGroup[] = [
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

/**
 * The capacity forecast (issue 14): the weekly peak of real usage (the highest usage ratio of
 * the last week, which the daily and weekly rhythm of traffic cannot hide), its linear trend
 * over the last four weeks, and where that trend takes it.
 */
export const TRAFFIC_FORECAST = {
  /** The peak the forecast follows: the highest usage over this range. */
  peakRange: '1w',
  /** The trend is fitted over this much history (less while the store has less). */
  trendRange: '4w',
  /** How far ahead `trafficUsageForecast` looks. */
  horizonDays: 30,
  /** The forecast group runs once an hour: readers take its last value within this range. */
  readRange: '90m',
} as const;

/** A series of the hourly forecast group as an instant or range query reads it: its last value. */
export const lastForecast = (expr: string) => `last_over_time(${expr}[${TRAFFIC_FORECAST.readRange}])`;

/** The per-API level of the real-traffic rules: the labels the attribution gives. */
const TRAFFIC_PER_API: readonly string[] = ['api', 'provider'];
const DAY_SECONDS = 86_400;

/**
 * The real-traffic recording rules for where the store keeps the platform's HTTP-client metrics
 * (the catalog's `traffic` settings; the committed prometheus/recording.yml uses the defaults:
 * the stable and old conventions, exporter and OTLP names). Rules of one group run in order, so
 * a rule reads what the rules above it recorded at the same evaluation.
 */
export function trafficRecordingGroups(settings: TrafficSettings = DEFAULT_TRAFFIC_SETTINGS): RecordingGroup[] {
  const inline = createTrafficQueries(settings);
  const q = createTrafficQueries(settings, { attribution: RECORDED.trafficAttribution });
  // One line per alternative (the attribution's specificity levels, the sources of a rate):
  // the same PromQL, readable in the rule file.
  const lines = (rule: RecordingRule): RecordingRule => ({ ...rule, expr: `${rule.expr.replace(/ or on\(/g, '\n  or on(')}\n` });
  const perApi = TRAFFIC_PER_API;
  const sumByLabels = (labels: readonly string[], expr: string) => `sum by (${labels.join(', ')}) (${expr})`;
  const quantileOfRecorded = (quantile: number) =>
    `histogram_quantile(${quantile}, ${sumByLabels([...perApi, 'le'], RECORDED.trafficDurationBucketRate5m)})`;
  const sizeP95 = q.responseSizeQuantile(LATENCY_QUANTILE, '5m', perApi);
  const usage = RECORDED.trafficUsageRate5m;
  const peak = RECORDED.trafficUsageMax1w;
  const { trendRange, horizonDays } = TRAFFIC_FORECAST;
  return [
    {
      name: 'apimon-traffic-5m',
      interval: '1m',
      comment: [
        "Real traffic: the platform's own calls to each API, from its OpenTelemetry HTTP-client",
        'metrics (docs/real-traffic.md), joined with the catalog mapping the prober exports',
        `(${TRAFFIC_METRICS.match}). Sources, in order of preference: ${settings.sources.map((s) => s.name).join(', ')}.`,
      ].join('\n'),
      rules: [
        {
          record: RECORDED.trafficAttribution,
          expr: inline.attribution(),
          comment: 'Every observed (host, port, method, url template) with the API of its most specific claim; the rules below join with it.',
        },
        {
          record: RECORDED.trafficRequestsRate5m,
          expr: q.requestsPerSecond('5m', perApi),
          comment: 'Per API: calls per second, the old and stable conventions deduplicated per emitter.',
        },
        { record: RECORDED.trafficCodeRequestsRate5m, expr: q.requestsPerSecondByStatus('5m', perApi) },
        {
          record: RECORDED.trafficErrorRatioRate5m,
          expr: q.errorRatio('5m', perApi),
          comment: '5xx answers and failures without an answer (error.type) over all calls; 429 is throttling, not an error.',
        },
        { record: RECORDED.trafficThrottledRate5m, expr: q.throttledPerSecond('5m', perApi) },
        {
          record: RECORDED.trafficDurationBucketRate5m,
          expr: sumByLabels([...perApi, 'le'], q.attributed(q.durationBucketRate('5m'))),
          comment: 'Duration buckets in seconds (the old millisecond histograms converted), for any percentile.',
        },
        { record: RECORDED.trafficP50Rate5m, expr: quantileOfRecorded(0.5) },
        { record: RECORDED.trafficP95Rate5m, expr: quantileOfRecorded(LATENCY_QUANTILE) },
        { record: RECORDED.trafficP99Rate5m, expr: quantileOfRecorded(0.99) },
        ...(sizeP95 === undefined ? [] : [{ record: RECORDED.trafficResponseSizeP95Rate5m, expr: sizeP95 }]),
        {
          record: RECORDED.trafficUsageRate5m,
          expr: q.usageOf(RECORDED.trafficRequestsRate5m),
          comment: 'Usage of the documented rate limit: calls per documented window at the current rate / the limit (1 = at the limit).',
        },
        {
          record: RECORDED.trafficUnmappedRequestsRate5m,
          expr: q.unmappedRequestsPerSecond('5m'),
          comment: 'Calls to hosts no catalog API claims: integrations missing from the catalog.',
        },
        { record: RECORDED.trafficUnmappedErrorRatioRate5m, expr: q.unmappedErrorRatio('5m') },
      ].map(lines),
    },
    {
      name: 'apimon-traffic-peaks',
      interval: '5m',
      rules: [
        {
          record: RECORDED.trafficUsageMax1d,
          expr: `max_over_time(${usage}[1d])`,
          comment: "The day's peak usage of the documented limit (a rolling day).",
        },
      ],
    },
    {
      name: 'apimon-traffic-forecast',
      interval: '1h',
      comment: [
        'Capacity forecast: the weekly peak of real usage and its linear trend over the last four weeks.',
        `${RECORDED.trafficUsageForecast}: the weekly peak ${horizonDays} days from now at that trend.`,
        `${RECORDED.trafficDaysToLimit}: days until the weekly peak reaches the documented limit (1) at that`,
        'trend; 0 when the last week already reached it, absent while the peak is not growing.',
      ].join('\n'),
      rules: [
        { record: RECORDED.trafficUsageMax1w, expr: `max_over_time(${usage}[${TRAFFIC_FORECAST.peakRange}])` },
        {
          record: RECORDED.trafficUsageForecast,
          expr: `predict_linear(${peak}[${trendRange}], ${horizonDays * DAY_SECONDS})`,
        },
        {
          record: RECORDED.trafficDaysToLimit,
          expr:
            `clamp_min((1 - predict_linear(${peak}[${trendRange}], 0)) / (deriv(${peak}[${trendRange}]) > 0) / ${DAY_SECONDS}, 0)\n` +
            `or (${peak} >= 1) * 0\n`,
        },
      ],
    },
  ];
}

/** Every recording group of prometheus/recording.yml: the probe rules, then the real-traffic rules. */
export function recordingGroups(settings: TrafficSettings = DEFAULT_TRAFFIC_SETTINGS): RecordingGroup[] {
  return [...PROBE_RECORDING_GROUPS, ...trafficRecordingGroups(settings)];
}

export const RECORDING_GROUPS: readonly RecordingGroup[] = recordingGroups();

/** The recorded names an expression reads (names are [a-z0-9_:], so no regex escaping). */
export function recordedNamesIn(expr: string): RecordedName[] {
  return (Object.values(RECORDED) as RecordedName[]).filter((name) =>
    new RegExp(`(^|[^a-zA-Z0-9_:])${name}($|[^a-zA-Z0-9_:])`).test(expr)
  );
}

/**
 * The groups split into passes for `promtool tsdb create-blocks-from rules`, which evaluates
 * every rule against the source store alone: a rule reading another rule's output needs that
 * output in the store first. Pass n holds the rules whose inputs all come from earlier passes;
 * load each pass's blocks into the store before running the next.
 */
export function recordingPasses(groups: readonly RecordingGroup[] = RECORDING_GROUPS): RecordingGroup[][] {
  const rules = new Map(groups.flatMap((g) => g.rules).map((r) => [r.record as string, r]));
  const passOf = new Map<string, number>();
  const pass = (record: string, seen: ReadonlySet<string>): number => {
    const known = passOf.get(record);
    if (known !== undefined) {
      return known;
    }
    const rule = rules.get(record);
    if (!rule || seen.has(record)) {
      return -1;
    }
    const inputs = recordedNamesIn(rule.expr).filter((name) => name !== record && rules.has(name));
    const n = Math.max(-1, ...inputs.map((name) => pass(name, new Set([...seen, record])))) + 1;
    passOf.set(record, n);
    return n;
  };
  for (const record of rules.keys()) {
    pass(record, new Set());
  }
  const passes = Math.max(0, ...passOf.values()) + 1;
  return Array.from({ length: passes }, (_, n) =>
    groups
      .map((g) => ({ ...g, rules: g.rules.filter((r) => passOf.get(r.record) === n) }))
      .filter((g) => g.rules.length > 0)
  );
}
