// What the query engine needs (a transport) and what it returns (frame-ready series and
// tables). The Grafana data source turns these into DataFrames; the CLI prints them.
// Pure data: no Grafana types here, so the CLI and tests use the engine without Grafana.

/** Where a request goes: the Prometheus-compatible store or the prober's JSON API. */
export type Target = 'prometheus' | 'prober';

/**
 * Injected HTTP GET. Resolves with the parsed JSON body; rejects with a TransportError.
 * The data source builds one on getBackendSrv().fetch (data proxy), the CLI on Node's fetch.
 * `path` is relative to the target's base URL, e.g. "/api/v1/query_range".
 */
export interface Transport {
  get(target: Target, path: string, params: Record<string, string>): Promise<unknown>;
}

/**
 * Convention the engine relies on to explain failures:
 * - `status` undefined: no response at all (refused, DNS, timeout, aborted);
 * - `status` set and `body` the parsed JSON error body when there was one (Prometheus sends
 *   `{status: "error", errorType, error}` with 4xx/5xx);
 * - `body` a string: the response was not JSON (an HTML login page, a proxy error), even with 200.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly target: Target,
    readonly status?: number,
    readonly body?: unknown
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface TimeRange {
  fromMs: number;
  toMs: number;
  /** Preferred step (Grafana's interval); the engine never goes below what the scrape interval allows. */
  stepMs?: number;
  maxDataPoints?: number;
}

/** Grafana unit ids, so the data source can pass them through. */
export type Unit = 's' | 'percentunit' | 'reqps' | 'short' | 'none' | 'dateTimeAsIso' | 'bytes' | 'ms' | 'd';

export interface SeriesThreshold {
  value: number;
  /** Grafana color name. */
  color: 'green' | 'orange' | 'red';
}

export interface Link {
  title: string;
  url: string;
}

/** One time series: shaped like a Prometheus-data-source frame (time field + value field with labels). */
export interface EngineSeries {
  /** Metric-like name of the value, e.g. "latency_p95". */
  name: string;
  labels: Record<string, string>;
  displayName: string;
  timestamps: number[];
  values: Array<number | null>;
  unit: Unit;
  thresholds?: SeriesThreshold[];
  links?: Link[];
  /** The PromQL expression that produced it. */
  expr?: string;
  /** Text for coded values (e.g. provider status 0..4), as Grafana value mappings. */
  valueMappings?: ValueText[];
}

export interface ValueText {
  value: number;
  text: string;
  color?: string;
}

export type ColumnType = 'string' | 'number' | 'time' | 'boolean' | 'other';

export interface EngineColumn {
  name: string;
  type: ColumnType;
  values: unknown[];
  unit?: Unit;
  displayName?: string;
  thresholds?: SeriesThreshold[];
  links?: Link[];
}

export interface EngineTable {
  name: string;
  columns: EngineColumn[];
}

export interface EngineAnnotation {
  timeMs: number;
  timeEndMs?: number;
  title: string;
  text: string;
  tags: string[];
  url?: string;
}

export interface EngineResult {
  series: EngineSeries[];
  tables: EngineTable[];
  annotations: EngineAnnotation[];
  /** Every PromQL expression / prober path executed, for meta.executedQueryString. */
  executed: string[];
  /** Non-fatal problems the user should see (e.g. prober API unreachable for a summary). */
  warnings: string[];
}
