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
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export const PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'mean'] as const;
export type Percentile = (typeof PERCENTILES)[number];

export const GROUP_BY = ['api', 'endpoint', 'provider', 'location', 'none'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const RATELIMIT_SIGNALS = ['remaining', 'limit', 'headroom', 'exhaustion'] as const;
export type RateLimitSignal = (typeof RATELIMIT_SIGNALS)[number];

export const ERROR_MODES = ['ratio', 'rate'] as const;
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
  /** latency: which percentiles (default ["p95"]). */
  percentiles?: Percentile[];
  /** latency, phases, errors, codes, availability: the series grouping (default "api"). */
  groupBy?: GroupBy;
  /** errors: ratio of failed probes (default) or failures per second by outcome. */
  errorMode?: ErrorMode;
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

/** Criticality values a filter may name. */
export type CriticalityFilter = Criticality;

/**
 * Fields of the `summary` frame, one row per API. The health-board panel reads exactly these
 * (any frame with these field names works), the CLI's `apimon status --json` prints them.
 * Ratios are in [0, 1]; durations in seconds; timestamps in epoch milliseconds.
 */
export const SUMMARY_FIELDS = {
  api: 'api',
  provider: 'provider',
  criticality: 'criticality',
  owner: 'owner',
  state: 'state',
  latencyP95Seconds: 'latencyP95Seconds',
  latencyThresholdSeconds: 'latencyThresholdSeconds',
  errorRatio: 'errorRatio',
  errorThreshold: 'errorThreshold',
  headroomRatio: 'headroomRatio',
  headroomThreshold: 'headroomThreshold',
  rateLimitRemaining: 'rateLimitRemaining',
  rateLimitLimit: 'rateLimitLimit',
  exhaustionSeconds: 'exhaustionSeconds',
  providerStatus: 'providerStatus',
  openIncidents: 'openIncidents',
  incidentTitle: 'incidentTitle',
  tlsExpiresAt: 'tlsExpiresAt',
  notProbed: 'notProbed',
} as const;

export const API_STATES = ['ok', 'warning', 'critical', 'unknown'] as const;
export type ApiState = (typeof API_STATES)[number];

/** One row of the summary: what `apimon status --json` prints per API. */
export interface ApiSummary {
  api: string;
  provider: string;
  criticality: string;
  owner?: string;
  state: ApiState;
  latencyP95Seconds: number | null;
  latencyThresholdSeconds: number | null;
  errorRatio: number | null;
  errorThreshold: number | null;
  headroomRatio: number | null;
  headroomThreshold: number | null;
  rateLimitRemaining: number | null;
  rateLimitLimit: number | null;
  exhaustionSeconds: number | null;
  providerStatus: string;
  openIncidents: number;
  incidentTitle?: string | null;
  tlsExpiresAt: number | null;
  /** Why the prober cannot probe the API (apimon_api_misconfigured's reason), or null. */
  notProbed?: string | null;
}
