// Domain query -> PromQL. Pure: the same query and range always give the same expressions,
// which is what the query editor shows and what the unit tests pin down.
import { DEFAULT_SCRAPE_INTERVAL_MS, METRICS, PHASES, selector } from '../contract';
import { parseDuration } from '../units';
import type { ThresholdKind } from '../verdict';
import type { ApimonQuery, GroupBy, Percentile, QueryFilters, RateLimitSignal } from './model';
import {
  filterMatchers,
  hasCriticalityFilter,
  regexMatcher,
  type DirectFilterLabel,
} from './matchers';
import { recordedRate } from './recording';
import type { TimeRange, Unit } from './types';
import { instantWindow, rangeWindow, type QueryWindow } from './windows';


export interface PlannedExpr {
  /** Stable id within the plan, e.g. "p95", "ratio", "info". */
  id: string;
  expr: string;
  /** Evaluated once at the end of the range (/api/v1/query) instead of over it. */
  instant: boolean;
  /** Series name, e.g. "latency_p95". */
  name: string;
  /** Legend in Grafana's format, e.g. "{{api}} p95". */
  legend: string;
  /** What the values mean, for the query editor. */
  meaning: string;
  unit: Unit;
  threshold?: ThresholdKind;
}

export interface ProberCall {
  path: string;
  params: Record<string, string>;
  meaning: string;
}

/** An instant query for the catalog thresholds that colour a query's series. */
export interface ThresholdExpr {
  kind: ThresholdKind;
  expr: string;
  /** Keyed by api and endpoint (groupBy endpoint) or by api only. */
  perEndpoint: boolean;
}

export interface QueryPlan {
  kind: ApimonQuery['kind'];
  window: QueryWindow;
  /** Labels each series of this query is grouped by. */
  groupLabels: string[];
  exprs: PlannedExpr[];
  thresholds: ThresholdExpr[];
  prober: ProberCall[];
}

const THRESHOLD_METRICS: Record<ThresholdKind, string> = {
  latency: METRICS.thresholdLatency,
  errorRatio: METRICS.thresholdErrorRatio,
  headroom: METRICS.thresholdHeadroom,
};

export interface PlanOptions {
  scrapeIntervalMs?: number;
  /** Recording rules the store has (names); empty: raw expressions only. */
  recordingRules?: ReadonlySet<string>;
}

export const DEFAULT_SUMMARY_WINDOW_MS = 300_000;
export const DEFAULT_SLO_TARGET = 0.99;

const QUANTILES: Record<Exclude<Percentile, 'mean'>, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

/** Series labels per grouping; endpoint names are only unique within an API, so they keep api. */
export function groupLabels(groupBy: GroupBy | undefined): string[] {
  switch (groupBy ?? 'api') {
    case 'api':
      return ['api'];
    case 'endpoint':
      return ['api', 'endpoint'];
    case 'provider':
      return ['provider'];
    case 'location':
      return ['location'];
    case 'none':
      return [];
  }
}

function by(labels: readonly string[]): string {
  return labels.length === 0 ? '' : ` by (${labels.join(', ')})`;
}

function legendOf(labels: readonly string[], suffix: string): string {
  if (labels.length === 0) {
    return `all APIs ${suffix}`.trim();
  }
  return `${labels.map((l) => `{{${l}}}`).join(' / ')} ${suffix}`.trim();
}

/** Builds expressions for one query's filters, window and recording rules. */
class ExprBuilder {
  constructor(
    private readonly filters: QueryFilters,
    private readonly window: QueryWindow,
    private readonly rules: ReadonlySet<string>
  ) {}

  /** A probe-series selector with the direct filters plus extra matchers. */
  select(metric: string, extra: string[] = [], labels?: readonly DirectFilterLabel[]): string {
    return selector(metric, [...filterMatchers(this.filters, labels), ...extra]);
  }

  /** Keeps only series of APIs whose catalog criticality matches the filter. */
  criticality(expr: string, on = 'api'): string {
    if (!hasCriticalityFilter(this.filters)) {
      return expr;
    }
    const info = selector(METRICS.apiInfo, [regexMatcher('criticality', this.filters.criticality)!]);
    return `(${expr} and on(${on}) ${info})`;
  }

  /** rate(metric{filters}[window]) or the matching recording rule, criticality-filtered. */
  rate(metric: string, extra: string[] = []): string {
    const recorded = recordedRate(metric, this.window.windowMs, this.rules);
    const inner = recorded
      ? this.select(recorded, extra)
      : `rate(${this.select(metric, extra)}[${this.window.window}])`;
    return this.criticality(inner);
  }

  gauge(metric: string, extra: string[] = []): string {
    return this.criticality(this.select(metric, extra));
  }

  quantile(q: number, bucketMetric: string, labels: readonly string[], extra: string[] = []): string {
    return `histogram_quantile(${q}, sum${by(['le', ...labels])} (${this.rate(bucketMetric, extra)}))`;
  }

  mean(histogram: string, labels: readonly string[], extra: string[] = []): string {
    return `sum${by(labels)} (${this.rate(`${histogram}_sum`, extra)}) / sum${by(labels)} (${this.rate(`${histogram}_count`, extra)})`;
  }

  /** Failed / all probes; 0 (not absent) when nothing failed. */
  errorRatio(labels: readonly string[]): string {
    const all = `sum${by(labels)} (${this.rate(METRICS.probeRequests)})`;
    const failed = `sum${by(labels)} (${this.rate(METRICS.probeRequests, ['outcome!="ok"'])})`;
    return `(${failed} or ${all} * 0) / ${all}`;
  }

  /** A catalog threshold per API (endpoint="" selects the API-level series) or per endpoint. */
  threshold(metric: string, perEndpoint: boolean): string {
    if (perEndpoint) {
      return `max by (api, endpoint) (${this.gauge(metric, ['endpoint!=""'])})`;
    }
    return `max by (api) (${this.criticality(this.select(metric, ['endpoint=""'], ['api', 'provider', 'location']))})`;
  }
}

/** The window a summary or the CLI evaluates over: the query's `window` or 5m. */
export function summaryWindowMs(query: ApimonQuery): number {
  if (query.window) {
    const ms = parseDuration(query.window);
    if (ms === undefined || ms <= 0) {
      throw new Error(`window: "${query.window}" is not a duration such as "5m" or "1h"`);
    }
    return ms;
  }
  return DEFAULT_SUMMARY_WINDOW_MS;
}

function percentilesOf(query: ApimonQuery, fallback: Percentile[]): Percentile[] {
  const list = query.percentiles && query.percentiles.length > 0 ? query.percentiles : fallback;
  return [...new Set(list)];
}

function latencyExprs(b: ExprBuilder, query: ApimonQuery, labels: string[]): PlannedExpr[] {
  return percentilesOf(query, ['p95']).map((p) => ({
    id: p,
    expr:
      p === 'mean'
        ? b.mean(METRICS.probeDuration, labels)
        : b.quantile(QUANTILES[p], `${METRICS.probeDuration}_bucket`, labels),
    instant: false,
    name: `latency_${p}`,
    legend: legendOf(labels, p),
    meaning: p === 'mean' ? 'mean probe duration' : `${p.slice(1)}th percentile of probe duration`,
    unit: 's' as Unit,
    threshold: p === 'p95' ? ('latency' as const) : undefined,
  }));
}

function phaseExprs(b: ExprBuilder, query: ApimonQuery, labels: string[]): PlannedExpr[] {
  const withPhase = [...labels, 'phase'];
  return percentilesOf(query, ['mean']).map((p) => ({
    id: p,
    expr:
      p === 'mean'
        ? b.mean(METRICS.probePhaseDuration, withPhase)
        : b.quantile(QUANTILES[p], `${METRICS.probePhaseDuration}_bucket`, withPhase),
    instant: false,
    name: `phase_${p}`,
    legend: legendOf(withPhase, p),
    meaning: `${p === 'mean' ? 'mean' : `${p.slice(1)}th percentile`} duration of each probe phase (${PHASES.join(', ')})`,
    unit: 's' as Unit,
  }));
}

function errorExprs(b: ExprBuilder, query: ApimonQuery, labels: string[]): PlannedExpr[] {
  if ((query.errorMode ?? 'ratio') === 'rate') {
    const withOutcome = [...labels, 'outcome'];
    return [
      {
        id: 'rate',
        expr: `sum${by(withOutcome)} (${b.rate(METRICS.probeRequests, ['outcome!="ok"'])})`,
        instant: false,
        name: 'errors_rate',
        legend: legendOf(withOutcome, ''),
        meaning: 'failed probes per second by outcome',
        unit: 'reqps',
      },
    ];
  }
  return [
    {
      id: 'ratio',
      expr: b.errorRatio(labels),
      instant: false,
      name: 'error_ratio',
      legend: legendOf(labels, 'error ratio'),
      meaning: 'share of probes that did not end ok',
      unit: 'percentunit',
      threshold: 'errorRatio',
    },
  ];
}

function codeExprs(b: ExprBuilder, labels: string[]): PlannedExpr[] {
  const withCode = [...labels, 'code'];
  return [
    {
      id: 'codes',
      expr: `sum${by(withCode)} (${b.rate(METRICS.probeRequests)})`,
      instant: false,
      name: 'requests_rate',
      legend: legendOf(withCode, ''),
      meaning: 'probes per second by HTTP status code (0: no response)',
      unit: 'reqps',
    },
  ];
}

function rateLimitExprs(b: ExprBuilder, query: ApimonQuery, labels: string[], window: QueryWindow): PlannedExpr[] {
  const signal: RateLimitSignal = query.rateLimitSignal ?? 'headroom';
  const remaining = b.gauge(METRICS.rateLimitRemaining);
  const limit = b.gauge(METRICS.rateLimitLimit);
  const withPolicy = [...labels, 'policy'];
  switch (signal) {
    case 'remaining':
      return [
        {
          id: 'remaining',
          expr: `min${by(withPolicy)} (${remaining})`,
          instant: false,
          name: 'ratelimit_remaining',
          legend: legendOf(withPolicy, 'remaining'),
          meaning: 'requests left in the current rate-limit window (lowest endpoint)',
          unit: 'short',
        },
      ];
    case 'limit':
      return [
        {
          id: 'limit',
          expr: `max${by(withPolicy)} (${limit})`,
          instant: false,
          name: 'ratelimit_limit',
          legend: legendOf(withPolicy, 'limit'),
          meaning: 'request quota of the rate-limit policy',
          unit: 'short',
        },
      ];
    case 'headroom':
      return [
        {
          id: 'headroom',
          expr: `min${by(labels)} (${remaining} / (${limit} > 0))`,
          instant: false,
          name: 'ratelimit_headroom',
          legend: legendOf(labels, 'headroom'),
          meaning: 'remaining / limit of the tightest policy and endpoint',
          unit: 'percentunit',
          threshold: 'headroom',
        },
      ];
    case 'exhaustion':
      return [
        {
          id: 'exhaustion',
          expr: exhaustionExpr(b, labels, window),
          instant: false,
          name: 'ratelimit_exhaustion',
          legend: legendOf(labels, 'time to exhaustion'),
          meaning: `seconds until remaining reaches 0 at the consumption trend of the last ${window.window} (absent when not decreasing)`,
          unit: 's',
        },
      ];
  }
}

/** remaining / consumption per second, where remaining is falling over the window. */
function exhaustionExpr(b: ExprBuilder, labels: readonly string[], window: QueryWindow): string {
  const remaining = b.gauge(METRICS.rateLimitRemaining);
  const trend = `deriv(${b.select(METRICS.rateLimitRemaining)}[${window.window}])`;
  return `min${by(labels)} (${remaining} / -(${trend} < 0))`;
}

function availabilityExprs(
  b: ExprBuilder,
  query: ApimonQuery,
  labels: string[],
  range: TimeRange,
  opts: PlanOptions
): PlannedExpr[] {
  const slo = sloTargetOf(query);
  const budget = formatNumber(1 - slo);
  const rolling = b.errorRatio(labels);
  // Over the whole range: one instant evaluation at its end with the range as the window.
  const spanMs = Math.max(1000, Math.round((range.toMs - range.fromMs) / 1000) * 1000);
  const whole = new ExprBuilder(
    query,
    instantWindow(range.toMs, spanMs, opts.scrapeIntervalMs),
    opts.recordingRules ?? new Set()
  );
  const wholeRatio = whole.errorRatio(labels);
  return [
    {
      id: 'availability',
      expr: `1 - (${rolling})`,
      instant: false,
      name: 'availability',
      legend: legendOf(labels, 'availability'),
      meaning: 'share of probes that ended ok (rolling)',
      unit: 'percentunit',
    },
    {
      id: 'burn',
      expr: `(${rolling}) / ${budget}`,
      instant: false,
      name: 'slo_burn_rate',
      legend: legendOf(labels, 'burn rate'),
      meaning: `error ratio / error budget (1 - ${slo}); 1 spends the budget exactly over the SLO period`,
      unit: 'none',
    },
    {
      id: 'range_availability',
      expr: `1 - (${wholeRatio})`,
      instant: true,
      name: 'availability',
      legend: legendOf(labels, 'availability over the range'),
      meaning: 'share of probes that ended ok over the whole range',
      unit: 'percentunit',
    },
    {
      id: 'range_burn',
      expr: `(${wholeRatio}) / ${budget}`,
      instant: true,
      name: 'slo_burn_rate',
      legend: legendOf(labels, 'burn rate over the range'),
      meaning: 'error budget burn rate over the whole range',
      unit: 'none',
    },
  ];
}

export function sloTargetOf(query: ApimonQuery): number {
  const slo = query.sloTarget ?? DEFAULT_SLO_TARGET;
  if (!Number.isFinite(slo) || slo <= 0 || slo >= 1) {
    throw new Error(`sloTarget: ${slo} must be a ratio between 0 and 1 (exclusive), e.g. 0.999`);
  }
  return slo;
}

function formatNumber(n: number): string {
  // Avoid 0.0010000000000000009 in the PromQL users read.
  return String(Number(n.toPrecision(12)));
}

/** Provider series are filtered by provider directly and by api/criticality through apimon_api_info. */
function providerFilter(query: QueryFilters, expr: string): string {
  const matchers = filterMatchers(query, ['api']);
  const crit = regexMatcher('criticality', query.criticality);
  if (crit) {
    matchers.push(crit);
  }
  if (matchers.length === 0) {
    return expr;
  }
  return `(${expr} and on(provider) ${selector(METRICS.apiInfo, matchers)})`;
}

function statusExprs(query: ApimonQuery): PlannedExpr[] {
  const provider = filterMatchers(query, ['provider', 'location']);
  return [
    {
      id: 'indicator',
      expr: `max by (provider) (${providerFilter(query, selector(METRICS.providerStatus, provider))})`,
      instant: false,
      name: 'provider_status',
      legend: '{{provider}}',
      meaning:
        'provider status page indicator: 0 operational, 1 maintenance, 2 degraded, 3 partial outage, 4 major outage, -1 unknown',
      unit: 'none',
    },
    {
      id: 'components',
      expr: `max by (provider, component) (${providerFilter(query, selector(METRICS.providerComponentStatus, provider))})`,
      instant: false,
      name: 'component_status',
      legend: '{{provider}} / {{component}}',
      meaning: 'status of each component on the provider status page (same scale)',
      unit: 'none',
    },
  ];
}

/** The instant expressions of a summary (one row per API) and its latency sparkline. */
function summaryExprs(b: ExprBuilder, query: ApimonQuery, window: QueryWindow, sparkline: ExprBuilder): PlannedExpr[] {
  const api = ['api'];
  const instant = (id: string, expr: string, unit: Unit, meaning: string): PlannedExpr => ({
    id,
    expr,
    instant: true,
    name: id,
    legend: '{{api}}',
    meaning,
    unit,
  });
  const infoMatchers = filterMatchers(query, ['api', 'provider', 'location']);
  const crit = regexMatcher('criticality', query.criticality);
  if (crit) {
    infoMatchers.push(crit);
  }
  const providerMatchers = filterMatchers(query, ['provider', 'location']);
  return [
    instant('info', selector(METRICS.apiInfo, infoMatchers), 'none', 'catalog facts: provider, criticality, owner'),
    instant(
      'misconfigured',
      `max by (api, reason) (${selector(METRICS.apiMisconfigured, filterMatchers(query, ['api', 'provider', 'location']))} == 1)`,
      'none',
      'why the prober cannot probe an API (a missing secret)'
    ),
    instant(
      'latencyP95',
      b.quantile(0.95, `${METRICS.probeDuration}_bucket`, api),
      's',
      `p95 probe duration over ${window.window}`
    ),
    instant('latencyThreshold', b.threshold(METRICS.thresholdLatency, false), 's', 'catalog p95 latency threshold'),
    instant('errorRatio', b.errorRatio(api), 'percentunit', `error ratio over ${window.window}`),
    instant(
      'errorThreshold',
      b.threshold(METRICS.thresholdErrorRatio, false),
      'percentunit',
      'catalog error-ratio threshold'
    ),
    instant(
      'headroomThreshold',
      b.threshold(METRICS.thresholdHeadroom, false),
      'percentunit',
      'catalog minimum headroom'
    ),
    instant('remaining', b.gauge(METRICS.rateLimitRemaining), 'short', 'rate-limit remaining per endpoint and policy'),
    instant('limit', b.gauge(METRICS.rateLimitLimit), 'short', 'rate-limit quota per endpoint and policy'),
    instant('exhaustion', exhaustionExpr(b, api, window), 's', 'seconds to rate-limit exhaustion at the current trend'),
    instant(
      'providerStatus',
      `max by (provider) (${selector(METRICS.providerStatus, providerMatchers)}) or max by (provider) (${selector(METRICS.providerComponentStatus, providerMatchers)})`,
      'none',
      'provider status page indicator'
    ),
    instant(
      'openIncidents',
      `sum by (provider) (${selector(METRICS.providerIncidentsOpen, providerMatchers)})`,
      'short',
      'open incidents on the provider status page'
    ),
    instant(
      'tlsExpiry',
      `min by (api) (${b.gauge(METRICS.tlsCertExpiry)})`,
      'dateTimeAsIso',
      'earliest certificate expiry'
    ),
    {
      id: 'sparkline',
      expr: sparkline.quantile(0.95, `${METRICS.probeDuration}_bucket`, api),
      instant: false,
      name: 'latency_p95',
      legend: '{{api}} p95',
      meaning: 'p95 probe duration over the range, per API',
      unit: 's',
      threshold: 'latency',
    },
  ];
}

function proberCalls(query: ApimonQuery, range: TimeRange): ProberCall[] {
  if (query.kind === 'incidents') {
    const params: Record<string, string> = {
      from: String(Math.floor(range.fromMs)),
      to: String(Math.ceil(range.toMs)),
    };
    const single = singleValue(query.provider);
    if (single !== undefined) {
      params.provider = single;
    }
    return [{ path: '/api/v1/incidents', params, meaning: 'provider incidents from the status-page history' }];
  }
  if (query.kind === 'catalog') {
    return [{ path: '/api/v1/catalog', params: {}, meaning: 'the catalog (without secrets)' }];
  }
  return [];
}

/** A filter that names exactly one literal value, so it can be passed to the prober as is. */
function singleValue(filter: string | undefined): string | undefined {
  if (filter === undefined) {
    return undefined;
  }
  const v = filter.trim().replace(/^\((.*)\)$/, '$1');
  return /^[a-z0-9_-]+$/.test(v) ? v : undefined;
}

/**
 * Every expression (and prober call) a query runs, with its legend, unit and meaning.
 * Throws an Error with a message naming the field for an invalid query.
 */
export function buildPromQL(query: ApimonQuery, range: TimeRange, opts: PlanOptions = {}): QueryPlan {
  const scrapeMs = opts.scrapeIntervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS;
  const rules = opts.recordingRules ?? new Set<string>();
  if (!(range.toMs >= range.fromMs)) {
    throw new Error(`time range: from (${range.fromMs}) is after to (${range.toMs})`);
  }
  const labels = groupLabels(query.groupBy);
  const window = rangeWindow(range, scrapeMs);
  const b = new ExprBuilder(query, window, rules);
  const perEndpoint = query.groupBy === 'endpoint';
  const plan = (exprs: PlannedExpr[], w = window, g = labels): QueryPlan => {
    const kinds =
      query.kind === 'summary'
        ? []
        : [...new Set(exprs.map((e) => e.threshold).filter((k): k is ThresholdKind => k !== undefined))];
    return {
      kind: query.kind,
      window: w,
      groupLabels: g,
      exprs,
      thresholds: kinds.map((kind) => ({ kind, expr: b.threshold(THRESHOLD_METRICS[kind], perEndpoint), perEndpoint })),
      prober: proberCalls(query, range),
    };
  };
  switch (query.kind) {
    case 'latency':
      return plan(latencyExprs(b, query, labels));
    case 'phases':
      return plan(phaseExprs(b, query, labels), window, [...labels, 'phase']);
    case 'errors':
      return plan(errorExprs(b, query, labels), window, query.errorMode === 'rate' ? [...labels, 'outcome'] : labels);
    case 'codes':
      return plan(codeExprs(b, labels), window, [...labels, 'code']);
    case 'ratelimit': {
      const signal = query.rateLimitSignal ?? 'headroom';
      const g = signal === 'remaining' || signal === 'limit' ? [...labels, 'policy'] : labels;
      return plan(rateLimitExprs(b, query, labels, window), window, g);
    }
    case 'availability':
      return plan(availabilityExprs(b, query, labels, range, opts));
    case 'status':
      return plan(statusExprs(query), window, ['provider']);
    case 'incidents':
    case 'catalog':
      return plan([], window, []);
    case 'summary': {
      const instant = instantWindow(range.toMs, summaryWindowMs(query), scrapeMs);
      const exprs = summaryExprs(new ExprBuilder(query, instant, rules), query, instant, b);
      return plan(exprs, instant, ['api']);
    }
    default:
      throw new Error(`kind: "${String((query as { kind: unknown }).kind)}" is not a query kind`);
  }
}

/** Label matchers as the store's /series and /label endpoints take them (match[]). */
export function seriesMatch(metric: string, filters: QueryFilters): string {
  return selector(metric, filterMatchers(filters));
}

