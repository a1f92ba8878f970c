// The PromQL of the real-traffic query kinds (kinds/traffic*.ts) and the summary's traffic
// fields, for one query's filters, window and store: the recorded per-API series of
// prometheus/recording.yml where the store has them and the window is theirs (5 minutes), the
// building blocks of traffic/promql.ts over the raw OpenTelemetry metrics otherwise (joined with
// the recorded attribution when the store has it). Filters narrow the attribution, so every
// expression sees only the chosen APIs' calls; real traffic has no endpoint or location.
import { lastForecast, METRICS, RECORDED, selector, TRAFFIC_LABELS, type RecordedName } from '../contract';
import { createTrafficQueries, type TrafficQueries } from '../traffic/promql';
import { DEFAULT_TRAFFIC_SETTINGS, type TrafficSettings } from '../traffic/sources';
import { filterMatchers, hasCriticalityFilter, regexMatcher } from './matchers';
import type { GroupBy, QueryFilters } from './model';
import type { QueryWindow } from './windows';

/** The window of the recorded real-traffic series. */
const RECORDED_WINDOW_MS = 300_000;

/** Groupings real traffic has: its series carry api and provider (unmapped ones neither). */
export const TRAFFIC_GROUP_BY: readonly GroupBy[] = ['api', 'provider', 'none'];

/** The series labels of a real-traffic grouping; a grouping it has not is an error naming the field. */
export function trafficGroupLabels(groupBy: GroupBy | undefined): string[] {
  const g = groupBy ?? 'api';
  if (!TRAFFIC_GROUP_BY.includes(g)) {
    throw new Error(
      `groupBy: "${g}" is not available for real traffic: its series carry api and provider (use ${TRAFFIC_GROUP_BY.map((x) => `"${x}"`).join(', ')})`
    );
  }
  return g === 'none' ? [] : [g];
}

const by = (labels: readonly string[]) => (labels.length === 0 ? '' : ` by (${labels.join(', ')})`);

export class TrafficExprs {
  private readonly q: TrafficQueries;
  /** Joined with every API's claims: what no API claims is unmapped whatever the filters. */
  private readonly everyApi: TrafficQueries;
  private readonly w: string;

  constructor(
    private readonly filters: QueryFilters,
    private readonly window: QueryWindow,
    private readonly rules: ReadonlySet<string>,
    settings: TrafficSettings = DEFAULT_TRAFFIC_SETTINGS
  ) {
    this.w = window.window;
    const inline = createTrafficQueries(settings);
    this.q = createTrafficQueries(settings, { attribution: this.attribution(inline) });
    this.everyApi = rules.has(RECORDED.trafficAttribution)
      ? createTrafficQueries(settings, { attribution: RECORDED.trafficAttribution })
      : inline;
  }

  /** The attribution to join with: recorded or inline, narrowed to the filters' APIs. */
  private attribution(inline: TrafficQueries): string {
    const matchers = filterMatchers(this.filters, ['api', 'provider']);
    if (this.rules.has(RECORDED.trafficAttribution)) {
      return this.byCriticality(selector(RECORDED.trafficAttribution, matchers));
    }
    const crit = regexMatcher('criticality', this.filters.criticality);
    const info = [...matchers, ...(crit ? [crit] : [])];
    return info.length === 0 ? inline.attribution() : `(${inline.attribution()}) and on(api) ${selector(METRICS.apiInfo, info)}`;
  }

  private byCriticality(expr: string): string {
    if (!hasCriticalityFilter(this.filters)) {
      return expr;
    }
    return `(${expr} and on(api) ${selector(METRICS.apiInfo, [regexMatcher('criticality', this.filters.criticality)!])})`;
  }

  /** A recorded per-API series, filtered, when the store has it and the window is its window. */
  private recorded(name: RecordedName): string | undefined {
    if (this.window.windowMs !== RECORDED_WINDOW_MS || !this.rules.has(name)) {
      return undefined;
    }
    return this.byCriticality(selector(name, filterMatchers(this.filters, ['api', 'provider'])));
  }

  private needsRules(name: RecordedName, what: string, read: (s: string) => string = (s) => s): string {
    if (!this.rules.has(name)) {
      throw new Error(
        `${what} reads the recording rule ${name}, which the store does not have: load prometheus/recording.yml (its apimon-traffic-* groups) into the store`
      );
    }
    return this.byCriticality(read(selector(name, filterMatchers(this.filters, ['api', 'provider']))));
  }

  /** Calls per second. */
  requests(labels: readonly string[]): string {
    const r = this.recorded(RECORDED.trafficRequestsRate5m);
    return r ? `sum${by(labels)} (${r})` : this.q.requestsPerSecond(this.w, labels);
  }

  /** Calls per second by HTTP status code ("" for calls without an answer). */
  requestsByStatus(labels: readonly string[]): string {
    const r = this.recorded(RECORDED.trafficCodeRequestsRate5m);
    return r ? `sum${by([...labels, TRAFFIC_LABELS.statusCode])} (${r})` : this.q.requestsPerSecondByStatus(this.w, labels);
  }

  /** 5xx and failures without an answer over all calls; 0 when none failed. */
  errorRatio(labels: readonly string[]): string {
    const r = labels.length === 1 && labels[0] === 'api' ? this.recorded(RECORDED.trafficErrorRatioRate5m) : undefined;
    return r ? `max by (api) (${r})` : this.q.errorRatio(this.w, labels);
  }

  /** 429 answers per second. */
  throttled(labels: readonly string[]): string {
    const r = this.recorded(RECORDED.trafficThrottledRate5m);
    return r ? `sum${by(labels)} (${r})` : this.q.throttledPerSecond(this.w, labels);
  }

  /** A quantile of the call duration in seconds. */
  latency(quantile: number, labels: readonly string[]): string {
    const buckets = this.recorded(RECORDED.trafficDurationBucketRate5m);
    return buckets
      ? `histogram_quantile(${quantile}, sum by (${['le', ...labels].join(', ')}) (${buckets}))`
      : this.q.latencyQuantile(quantile, this.w, labels);
  }

  /** Usage of the documented rate limit at the current rate (1 = at the limit), per API. */
  usage(): string {
    const r = this.recorded(RECORDED.trafficUsageRate5m);
    return r ? `max by (api) (${r})` : this.q.usageRatio(this.w);
  }

  /** The highest usage over the last day, per API. */
  usagePeak(): string {
    return this.rules.has(RECORDED.trafficUsageMax1d)
      ? `max by (api) (${this.needsRules(RECORDED.trafficUsageMax1d, 'the daily peak')})`
      : this.q.usagePeakRatio(this.w);
  }

  /** The weekly peak's forecast (TRAFFIC_FORECAST.horizonDays ahead), per API (its last hourly value). */
  usageForecast(): string {
    return `max by (api) (${this.needsRules(RECORDED.trafficUsageForecast, 'usageSignal "forecast"', lastForecast)})`;
  }

  /** Days until the weekly peak reaches the documented limit, per API. */
  daysToLimit(): string {
    return `min by (api) (${this.needsRules(RECORDED.trafficDaysToLimit, 'usageSignal "daysToLimit"', lastForecast)})`;
  }

  /** Calls per second to hosts no API claims, per host and port (filters do not apply). */
  unmappedRequests(): string {
    const r = this.window.windowMs === RECORDED_WINDOW_MS && this.rules.has(RECORDED.trafficUnmappedRequestsRate5m);
    return r ? RECORDED.trafficUnmappedRequestsRate5m : this.everyApi.unmappedRequestsPerSecond(this.w);
  }

  unmappedErrorRatio(): string {
    const r = this.window.windowMs === RECORDED_WINDOW_MS && this.rules.has(RECORDED.trafficUnmappedErrorRatioRate5m);
    return r ? RECORDED.trafficUnmappedErrorRatioRate5m : this.everyApi.unmappedErrorRatio(this.w);
  }
}
