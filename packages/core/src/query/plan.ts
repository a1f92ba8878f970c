// What a query runs, before it runs: the PromQL expressions (with legend, unit and meaning,
// which the query editor shows) and prober API calls of one query, and the expression builder
// every query kind writes them with. Pure: the same query and range always give the same plan.
import {
  bucket,
  errorRatio,
  errorRatioTerms,
  histogramCount,
  histogramQuantile,
  histogramSum,
  METRICS,
  selector,
  sumBy,
  thresholdBy,
  thresholdSelector,
  type Label,
} from '../contract';
import type { ThresholdKind } from '../verdict';
import type { ApimonQuery, GroupBy, Percentile, QueryFilters } from './model';
import { filterMatchers, hasCriticalityFilter, regexMatcher, type DirectFilterLabel } from './matchers';
import { recordedRate } from './recording';
import type { TrafficSettings } from '../traffic/sources';
import type { TrafficExprs } from './traffic';
import type { TimeRange, Unit } from './types';
import type { QueryWindow } from './windows';

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

export interface PlanOptions {
  scrapeIntervalMs?: number;
  /** Recording rules the store has (names); empty: raw expressions only. */
  recordingRules?: ReadonlySet<string>;
  /** Where the store keeps the platform's HTTP-client metrics (a catalog's `traffic`); default: the defaults. */
  trafficSettings?: TrafficSettings;
}

/** What a query kind plans with: the query, its range window and grouping, a builder. */
export interface PlanContext {
  query: ApimonQuery;
  range: TimeRange;
  window: QueryWindow;
  scrapeIntervalMs: number;
  rules: ReadonlySet<string>;
  /** Series labels of the query's groupBy. */
  labels: Label[];
  b: ExprBuilder;
  /** The real-traffic expressions of the query's filters, over `window` (default: the query's). */
  traffic(window?: QueryWindow): TrafficExprs;
}

/** A kind's part of the plan; the window and grouping default to the query's. */
export interface KindPlan {
  exprs: PlannedExpr[];
  window?: QueryWindow;
  groupLabels?: string[];
  prober?: ProberCall[];
}

export const QUANTILES: Record<Exclude<Percentile, 'mean'>, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

/** Series labels per grouping; endpoint names are only unique within an API, so they keep api. */
export function groupLabels(groupBy: GroupBy | undefined): Label[] {
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

export function legendOf(labels: readonly string[], suffix: string): string {
  if (labels.length === 0) {
    return `all APIs ${suffix}`.trim();
  }
  return `${labels.map((l) => `{{${l}}}`).join(' / ')} ${suffix}`.trim();
}

export function percentilesOf(query: ApimonQuery, fallback: Percentile[]): Percentile[] {
  const list = query.percentiles && query.percentiles.length > 0 ? query.percentiles : fallback;
  return [...new Set(list)];
}

/** Builds expressions for one query's filters, window and recording rules. */
export class ExprBuilder {
  constructor(
    private readonly filters: QueryFilters,
    readonly window: QueryWindow,
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

  /** A quantile of a histogram (apimon_probe_duration_seconds, ...) per `labels`. */
  quantile(q: number, histogram: string, labels: readonly Label[], extra: string[] = []): string {
    return histogramQuantile(q, ['le', ...labels], this.rate(bucket(histogram), extra));
  }

  mean(histogram: string, labels: readonly Label[], extra: string[] = []): string {
    return `${sumBy(labels, this.rate(histogramSum(histogram), extra))} / ${sumBy(labels, this.rate(histogramCount(histogram), extra))}`;
  }

  /** Failed / all probes; 0 (not absent) when nothing failed. */
  errorRatio(labels: readonly Label[]): string {
    return errorRatio.zeroFilled(errorRatioTerms((extra) => this.rate(METRICS.probeRequests, extra), labels));
  }

  /** A catalog threshold per API (the API-level series) or per endpoint. */
  threshold(metric: string, perEndpoint: boolean): string {
    if (perEndpoint) {
      return thresholdBy(
        'endpoint',
        this.criticality(thresholdSelector(metric, 'endpoint', filterMatchers(this.filters)))
      );
    }
    return thresholdBy(
      'api',
      this.criticality(thresholdSelector(metric, 'api', filterMatchers(this.filters, ['api', 'provider', 'location'])))
    );
  }
}
