// The domain query model: what a Grafana panel, a dashboard JSON, the CLI and the health-board
// panel ask for. The query engine (engine.ts) turns it into PromQL and prober API calls.
// This is a stable contract: dashboards in dashboards/ store these objects verbatim.
import type { Criticality } from '../contract';

export const QUERY_KINDS = [
  'latency',
  'phases',
  'errors',
  'codes',
  'ratelimit',
  'availability',
  'status',
  'incidents',
  'catalog',
  'summary',
  'traffic',
  'trafficErrors',
  'trafficLatency',
  'trafficUsage',
  'trafficUnmapped',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export const PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'mean'] as const;
export type Percentile = (typeof PERCENTILES)[number];

export const GROUP_BY = ['api', 'endpoint', 'provider', 'location', 'none'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const RATELIMIT_SIGNALS = ['remaining', 'limit', 'headroom', 'exhaustion'] as const;
export type RateLimitSignal = (typeof RATELIMIT_SIGNALS)[number];

export const ERROR_MODES = ['ratio', 'rate'] as const;

/** trafficUsage: real usage of the documented limit now, the day's peak, the weekly peak's
 * forecast, or the days until that peak reaches the limit. */
export const USAGE_SIGNALS = ['usage', 'peak', 'forecast', 'daysToLimit'] as const;
export type UsageSignal = (typeof USAGE_SIGNALS)[number];
export type ErrorMode = (typeof ERROR_MODES)[number];

/**
 * Filters are anchored PromQL regular expressions, as Grafana interpolates multi-value
 * template variables for Prometheus: "payments", "payments|geocoding", "pay.*".
 * Empty, undefined, ".*" and "$__all" mean every value.
 */
export interface QueryFilters {
  api?: string;
  provider?: string;
  criticality?: string;
  endpoint?: string;
  location?: string;
}

export interface ApimonQuery extends QueryFilters {
  kind: QueryKind;
  /** latency, trafficLatency: which percentiles (default ["p95"]; real traffic has no mean). */
  percentiles?: Percentile[];
  /**
   * latency, phases, errors, codes, availability: the series grouping (default "api");
   * traffic, trafficErrors, trafficLatency: "api", "provider" or "none".
   */
  groupBy?: GroupBy;
  /**
   * errors: ratio of failed probes (default) or failures per second by outcome;
   * trafficErrors: ratio of failed real calls (default) or real calls per second by status code.
   */
  errorMode?: ErrorMode;
  /** trafficUsage: which signal (default "usage"). */
  usageSignal?: UsageSignal;
  /** ratelimit: which signal (default "headroom"). */
  rateLimitSignal?: RateLimitSignal;
  /** availability: SLO target as a ratio, e.g. 0.999 (default 0.99). */
  sloTarget?: number;
  /** incidents: only open ones. */
  openOnly?: boolean;
  /** summary: the window the KPIs are computed over at the end of the range, e.g. "5m" (default "5m"). */
  window?: string;
}

export const DEFAULT_QUERY: ApimonQuery = { kind: 'summary' };

/** summary (and `apimon status`): the window the KPIs are computed over unless `window` says. */
export const DEFAULT_SUMMARY_WINDOW_MS = 300_000;
/** availability: the SLO target unless `sloTarget` says. */
export const DEFAULT_SLO_TARGET = 0.99;

/** Criticality values a filter may name. */
export type CriticalityFilter = Criticality;
