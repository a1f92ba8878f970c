// PromQL building blocks for real traffic: the platform's OpenTelemetry HTTP-client metrics,
// joined with apimon_traffic_match so every request counts for the API it called. Pure: the
// same settings and window always give the same text (the unit tests pin it; the integration
// tests run it on a real Prometheus).
//
// The steps, each a function below:
// 1. normalise: every source (convention x naming) is relabelled to the stable exporter's label
//    names (TRAFFIC_LABELS) and, for the old millisecond histograms, its bucket bounds are
//    rewritten in seconds, so all sources sum together;
// 2. deduplicate: an emitter in the OTel migration mode (OTEL_SEMCONV_STABILITY_OPT_IN=http/dup)
//    reports every request twice, once per convention: per emitter (identity labels) and host,
//    only the first source in the settings' order that has series counts;
// 3. attribute: the observed (host, port, method, url template) keys get the API of the most
//    specific claim that matches (a template beats none, then a method, then a port);
// 4. aggregate per API (rate, errors, throttling, quantiles, usage of the documented limit) or
//    per host, with the keys no claim matches listed as unmapped.
import { TRAFFIC_LABELS, TRAFFIC_METRICS } from '../contract/metrics';
import { promString } from '../contract/promql';
import { DEFAULT_TRAFFIC_SETTINGS, type TrafficSettings, type TrafficSource } from './sources';

const L = TRAFFIC_LABELS;

/** The labels that decide which API a series is: the ones apimon_traffic_match carries. */
export const TRAFFIC_KEY_LABELS = [L.serverAddress, L.serverPort, L.method, L.urlTemplate] as const;

/** Which requests a rate counts. errors: 5xx answers and failures without an answer
 * (error.type set, or for the old conventions no status code); throttled: 429 answers. */
export type TrafficSignal = 'all' | 'errors' | 'throttled';

export interface TrafficQueryOptions {
  /**
   * The attribution vector to join with (a recording rule's name, for instance) instead of the
   * inline expression: labels TRAFFIC_KEY_LABELS + api + provider, one series per key.
   */
  attribution?: string;
}

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label name as PromQL accepts it: quoted when it is not a classic name (UTF-8 stores). */
export function labelRef(name: string): string {
  return LEGACY_LABEL_NAME.test(name) ? name : promString(name);
}

/** `metric{m1, m2}`, or `{"dotted.metric", m1}` for names only UTF-8 stores accept. */
export function metricSelector(metric: string, matchers: readonly string[] = []): string {
  if (LEGACY_METRIC_NAME.test(metric)) {
    return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
  }
  return `{${[promString(metric), ...matchers].join(', ')}}`;
}

function matcher(label: string, op: '=' | '!=' | '=~', value: string): string {
  return `${labelRef(label)}${op}${promString(value)}`;
}

function byClause(labels: readonly string[]): string {
  return `(${labels.map(labelRef).join(', ')})`;
}

/**
 * Rewrites millisecond bucket bounds as seconds ("250" -> "0.25", "2500" -> "2.5", "+Inf" kept)
 * by moving the decimal point three places, then drops trailing zeros so the bounds read
 * exactly as the stable histograms' do and their buckets add up. Each step's output has the
 * integer part 0 or is final, so no step rewrites another's result.
 */
export const MILLISECOND_LE_STEPS: ReadonlyArray<readonly [regex: string, replacement: string]> = [
  ['([0-9])(?:[.]([0-9]+))?', '0.00$1$2'],
  ['([0-9]{2})(?:[.]([0-9]+))?', '0.0$1$2'],
  ['([0-9]{3})(?:[.]([0-9]+))?', '0.$1$2'],
  ['([0-9]+)([0-9]{3})(?:[.]([0-9]+))?', '$1.$2$3'],
  ['([0-9]+[.][0-9]*?)0+', '$1'],
  ['([0-9]+)[.]', '$1'],
];

export function millisecondBucketsToSeconds(expr: string): string {
  return MILLISECOND_LE_STEPS.reduce((inner, [regex, replacement]) => `label_replace(${inner}, "le", ${promString(replacement)}, "le", ${promString(regex)})`, expr);
}

/** Copies a source's labels to the canonical names (the source's own names are summed away later). */
function relabel(expr: string, source: TrafficSource, withStatus: boolean): string {
  const pairs: Array<[string, string | undefined]> = [
    [L.serverAddress, source.labels.serverAddress],
    [L.serverPort, source.labels.serverPort],
    [L.method, source.labels.method],
    [L.urlTemplate, source.labels.urlTemplate],
  ];
  if (withStatus) {
    pairs.push([L.statusCode, source.labels.statusCode]);
  }
  let out = expr;
  for (const [canonical, own] of pairs) {
    if (own !== undefined && own !== canonical) {
      out = `label_replace(${out}, ${promString(canonical)}, "$1", ${promString(own)}, "(.*)")`;
    }
  }
  return out;
}

/** The label matchers of a signal on one source; several sets are OR-ed. */
function signalMatchers(source: TrafficSource, signal: TrafficSignal): string[][] {
  const status = source.labels.statusCode;
  switch (signal) {
    case 'all':
      return [[]];
    case 'throttled':
      return [[matcher(status, '=', '429')]];
    case 'errors':
      return source.labels.errorType
        ? [[matcher(status, '=~', '5..')], [matcher(status, '=', ''), matcher(source.labels.errorType, '!=', '')]]
        : [[matcher(status, '=~', '5..|')]];
  }
}

export interface TrafficQueries {
  /** Every (host, port, method, url template) seen in the store, value 1. */
  observedKeys(): string;
  /** Observed keys with the api and provider of their most specific claim, value 1. */
  attribution(): string;
  /** Requests per second per emitter and key, normalised and deduplicated. */
  requestRate(window: string, signal?: TrafficSignal, options?: { byStatus?: boolean }): string;
  /** Bucket rates per emitter, key and le (seconds), normalised and deduplicated. */
  durationBucketRate(window: string): string;
  /** Response-size bucket rates (bytes); undefined when no source has a size histogram. */
  responseSizeBucketRate(window: string): string | undefined;
  /** `expr` with api and provider of its key; series of unclaimed keys are dropped. */
  attributed(expr: string): string;
  /** `expr` without the series some API claims: the unmapped traffic. */
  unattributed(expr: string): string;

  requestsPerSecond(window: string, by?: readonly string[]): string;
  errorRatio(window: string, by?: readonly string[]): string;
  throttledPerSecond(window: string, by?: readonly string[]): string;
  throttledRatio(window: string, by?: readonly string[]): string;
  requestsPerSecondByStatus(window: string, by?: readonly string[]): string;
  latencyQuantile(quantile: number, window: string, by?: readonly string[]): string;
  responseSizeQuantile(quantile: number, window: string, by?: readonly string[]): string | undefined;
  /** Requests per documented window at the current rate, over the documented limit (1 = at the limit). */
  usageRatio(window: string): string;
  /** usageRatio of a per-API request rate (a recorded one, say); keeps its labels. */
  usageOf(requestsPerSecondPerApi: string): string;
  /** The highest usageRatio over `range` (a rolling day by default), sampled every `resolution`. */
  usagePeakRatio(window: string, range?: string, resolution?: string): string;

  /** Per host line: server_address, server_port and api (absent when unmapped). */
  hostRequestsPerSecond(window: string): string;
  hostErrorsPerSecond(window: string): string;
  unmappedRequestsPerSecond(window: string): string;
  unmappedErrorRatio(window: string): string;
}

export function createTrafficQueries(
  settings: TrafficSettings = DEFAULT_TRAFFIC_SETTINGS,
  options: TrafficQueryOptions = {}
): TrafficQueries {
  const identity = settings.identityLabels;
  const dedupOn = byClause([...identity, L.serverAddress]);
  const keyOn = byClause(TRAFFIC_KEY_LABELS);

  const combine = (parts: string[]) => parts.join(` or on${dedupOn} `);

  const normalisedRate = (
    source: TrafficSource,
    metric: string,
    window: string,
    signal: TrafficSignal,
    extra: { status?: boolean; le?: 'seconds' | 'keep' }
  ) => {
    const rates = signalMatchers(source, signal).map((m) => `rate(${metricSelector(metric, m)}[${window}])`);
    let inner = relabel(rates.length === 1 ? rates[0] : `(${rates.join(' or ')})`, source, extra.status === true);
    const labels: string[] = [...identity, ...TRAFFIC_KEY_LABELS];
    if (extra.status) {
      labels.push(L.statusCode);
    }
    if (extra.le) {
      labels.push('le');
      if (extra.le === 'seconds' && source.durationUnit === 'ms') {
        inner = millisecondBucketsToSeconds(inner);
      }
    }
    return `sum by ${byClause(labels)} (${inner})`;
  };

  const observedKeys = () =>
    settings.sources
      .map((s) => `group by ${keyOn} (${relabel(metricSelector(`${s.duration}_count`), s, false)})`)
      .join(' or ');

  const attributionExpr = () => {
    const keys = observedKeys();
    const terms: string[] = [];
    // Most specific first: url template, then method, then port.
    for (const template of [true, false]) {
      for (const method of [true, false]) {
        for (const port of [true, false]) {
          const on = [L.serverAddress, ...(port ? [L.serverPort] : []), ...(method ? [L.method] : []), ...(template ? [L.urlTemplate] : [])];
          const claims = metricSelector(TRAFFIC_METRICS.match, [
            matcher(L.serverPort, port ? '!=' : '=', ''),
            matcher(L.method, method ? '!=' : '=', ''),
            matcher(L.urlTemplate, template ? '!=' : '=', ''),
          ]);
          terms.push(
            `((${keys}) * on${byClause(on)} group_left(api, provider) max by ${byClause(['api', 'provider', ...on])} (${claims}))`
          );
        }
      }
    }
    return terms.join(` or on${keyOn} `);
  };

  const attribution = () => options.attribution ?? attributionExpr();
  const attributed = (expr: string) => `(${expr}) * on${keyOn} group_left(api, provider) (${attribution()})`;
  const unattributed = (expr: string) => `(${expr}) unless on${keyOn} (${attribution()})`;

  const requestRate = (window: string, signal: TrafficSignal = 'all', o: { byStatus?: boolean } = {}) =>
    combine(settings.sources.map((s) => normalisedRate(s, `${s.duration}_count`, window, signal, { status: o.byStatus })));

  const durationBucketRate = (window: string) =>
    combine(settings.sources.map((s) => normalisedRate(s, `${s.duration}_bucket`, window, 'all', { le: 'seconds' })));

  const responseSizeBucketRate = (window: string) => {
    const sized = settings.sources.filter((s) => s.responseSize !== undefined);
    return sized.length === 0
      ? undefined
      : combine(sized.map((s) => normalisedRate(s, `${s.responseSize}_bucket`, window, 'all', { le: 'keep' })));
  };

  const sumBy = (by: readonly string[], expr: string) => `sum by ${byClause(by)} (${expr})`;
  const ratio = (part: string, whole: string) => `(${part} or ${whole} * 0) / ${whole}`;
  const API = ['api'];
  const HOST = [L.serverAddress, L.serverPort];

  const requestsPerSecond = (window: string, by: readonly string[] = API) => sumBy(by, attributed(requestRate(window)));
  const usageOf = (perApi: string) =>
    `${perApi} * on(api) group_left() (max by (api) (${TRAFFIC_METRICS.documentedWindow}) / max by (api) (${TRAFFIC_METRICS.documentedLimit}))`;
  const usageRatio = (window: string) => usageOf(requestsPerSecond(window, API));

  return {
    observedKeys,
    attribution,
    requestRate,
    durationBucketRate,
    responseSizeBucketRate,
    attributed,
    unattributed,
    requestsPerSecond,
    errorRatio: (window, by = API) =>
      ratio(sumBy(by, attributed(requestRate(window, 'errors'))), sumBy(by, attributed(requestRate(window)))),
    throttledPerSecond: (window, by = API) => sumBy(by, attributed(requestRate(window, 'throttled'))),
    throttledRatio: (window, by = API) =>
      ratio(sumBy(by, attributed(requestRate(window, 'throttled'))), sumBy(by, attributed(requestRate(window)))),
    requestsPerSecondByStatus: (window, by = API) =>
      sumBy([...by, L.statusCode], attributed(requestRate(window, 'all', { byStatus: true }))),
    latencyQuantile: (quantile, window, by = API) =>
      `histogram_quantile(${quantile}, ${sumBy([...by, 'le'], attributed(durationBucketRate(window)))})`,
    responseSizeQuantile: (quantile, window, by = API) => {
      const buckets = responseSizeBucketRate(window);
      return buckets === undefined ? undefined : `histogram_quantile(${quantile}, ${sumBy([...by, 'le'], attributed(buckets))})`;
    },
    usageRatio,
    usageOf,
    usagePeakRatio: (window, range = '1d', resolution = '1m') => `max_over_time((${usageRatio(window)})[${range}:${resolution}])`,
    hostRequestsPerSecond: (window) =>
      `${sumBy([...HOST, 'api'], attributed(requestRate(window)))} or ${sumBy(HOST, unattributed(requestRate(window)))}`,
    hostErrorsPerSecond: (window) =>
      `${sumBy([...HOST, 'api'], attributed(requestRate(window, 'errors')))} or ${sumBy(HOST, unattributed(requestRate(window, 'errors')))}`,
    unmappedRequestsPerSecond: (window) => sumBy(HOST, unattributed(requestRate(window))),
    unmappedErrorRatio: (window) =>
      ratio(sumBy(HOST, unattributed(requestRate(window, 'errors'))), sumBy(HOST, unattributed(requestRate(window)))),
  };
}
