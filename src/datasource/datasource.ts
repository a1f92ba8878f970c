// The apimon data source (frontend only): interpolates template variables, runs the query
// engine from @apimon/core over Grafana's data proxy, and returns well-shaped data frames.
import {
  CoreApp,
  DataSourceApi,
  rangeUtil,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
  type TimeRange as GrafanaTimeRange,
} from '@grafana/data';
import { getTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import {
  createQueryEngine,
  DEFAULT_QUERY,
  type QueryEngine,
  type ApimonQuery,
  type QueryFilters,
  type TimeRange,
  type Transport,
  DEFAULT_SCRAPE_INTERVAL,
} from '@apimon/core';
import { createGrafanaTransport } from './api';
import { annotationsToFrame, resultToFrames } from './frames';
import { checkHealth } from './health';
import { interpolateFilters } from './interpolate';
import { ApimonAnnotationSupport } from './annotations';
import { ApimonVariableSupport } from './variables';
import { proberRouteFor, type ApimonDataQuery, type ApimonOptions, type ApimonVariableQuery } from './types';

export const DEFAULT_PANEL_QUERY: Partial<ApimonDataQuery> = { kind: 'latency', percentiles: ['p95'], groupBy: 'api' };

export interface ApimonDataSourceDeps {
  /** Defaults to a Transport on getBackendSrv(), i.e. Grafana's data proxy. */
  transport?: Transport;
  templateSrv?: () => Pick<TemplateSrv, 'replace' | 'getVariables'>;
}

export class ApimonDataSource extends DataSourceApi<ApimonDataQuery, ApimonOptions> {
  readonly engine: QueryEngine;
  private readonly transport: Transport;
  private readonly templateSrv: () => Pick<TemplateSrv, 'replace' | 'getVariables'>;
  readonly scrapeIntervalMs: number;

  constructor(
    readonly instanceSettings: DataSourceInstanceSettings<ApimonOptions>,
    deps: ApimonDataSourceDeps = {}
  ) {
    super(instanceSettings);
    this.transport =
      deps.transport ??
      createGrafanaTransport(instanceSettings.url ?? '', undefined, proberRouteFor(instanceSettings.jsonData));
    this.templateSrv = deps.templateSrv ?? getTemplateSrv;
    this.scrapeIntervalMs = parseInterval(instanceSettings.jsonData.scrapeInterval);
    this.engine = createQueryEngine({
      transport: this.transport,
      scrapeIntervalMs: this.scrapeIntervalMs,
      proberConfigured: Boolean(instanceSettings.jsonData.proberUrl),
    });
    this.variables = new ApimonVariableSupport(this);
    this.annotations = new ApimonAnnotationSupport();
  }

  /**
   * How the app's Reports page reaches the store and the prober: this instance's transport
   * (Grafana's data proxy, with its credentials and prober route) and whether a prober is set.
   */
  reportConnection(): { transport: Transport; proberConfigured: boolean } {
    return { transport: this.transport, proberConfigured: Boolean(this.instanceSettings.jsonData.proberUrl) };
  }

  getDefaultQuery(app: CoreApp): Partial<ApimonDataQuery> {
    // Explore and panels start with a time series that has data at once; the summary table
    // suits the health board, which sets its own query.
    return app === CoreApp.UnifiedAlerting ? {} : { ...DEFAULT_PANEL_QUERY };
  }

  filterQuery(query: ApimonDataQuery): boolean {
    return !query.hide;
  }

  /** The domain query after template interpolation, with defaults filled in. */
  applyTemplateVariables(query: ApimonDataQuery, scopedVars: ScopedVars): ApimonDataQuery {
    return interpolateFilters({ ...query, kind: query.kind ?? DEFAULT_QUERY.kind }, this.templateSrv(), scopedVars);
  }

  async query(request: DataQueryRequest<ApimonDataQuery>): Promise<DataQueryResponse> {
    const range = toEngineRange(request.range, request.intervalMs, request.maxDataPoints);
    const targets = request.targets.filter((t) => this.filterQuery(t));
    const results = await Promise.all(targets.map((t) => this.runTarget(this.applyTemplateVariables(t, request.scopedVars), range)));
    const data = results.flatMap((r) => r.frames);
    const errors = results.flatMap((r) => (r.error ? [r.error] : []));
    return errors.length > 0 ? { data, errors } : { data };
  }

  private async runTarget(query: ApimonDataQuery, range: TimeRange): Promise<{ frames: DataFrame[]; error?: DataQueryError }> {
    try {
      const result = await this.engine.run(toEngineQuery(query), range);
      if (query.asAnnotations) {
        return { frames: [annotationsToFrame(result.annotations, query.refId)] };
      }
      return { frames: resultToFrames(result, { refId: query.refId, stepMs: range.stepMs }) };
    } catch (err) {
      return { frames: [], error: toQueryError(err, query.refId) };
    }
  }

  /** What the engine would run for the query (PromQL and prober calls), for the query editor. */
  describeQuery(query: ApimonDataQuery, range: GrafanaTimeRange, scopedVars: ScopedVars = {}): string[] {
    const interpolated = this.applyTemplateVariables(query, scopedVars);
    return planLines(this.engine.buildPromQL(toEngineQuery(interpolated), toEngineRange(range)));
  }

  /** Names of the dashboard's template variables, offered in the filter pickers. */
  variableNames(): string[] {
    return this.templateSrv()
      .getVariables()
      .map((v) => v.name);
  }

  /** Values of a label in the store, narrowed by (interpolated) filters. */
  async labelValues(label: string, filters: QueryFilters = {}, scopedVars?: ScopedVars): Promise<string[]> {
    const values = await this.engine.labelValues(label, interpolateFilters(filters, this.templateSrv(), scopedVars));
    return [...values].sort((a, b) => a.localeCompare(b));
  }

  async metricFindQuery(query: ApimonVariableQuery | string, options?: { scopedVars?: ScopedVars }): Promise<MetricFindValue[]> {
    const variable: ApimonVariableQuery = typeof query === 'string' ? parseVariableQueryString(query) : query;
    const values = await this.labelValues(variable.label ?? 'api', variable, options?.scopedVars);
    return values.map((text) => ({ text, value: text }));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    const report = await checkHealth({
      transport: this.transport,
      storeConfigured: Boolean(this.instanceSettings.url),
      proberUrl: this.instanceSettings.jsonData.proberUrl,
    });
    return {
      status: report.status,
      message: report.message,
      details: report.details.length ? { message: report.details.join(' ') } : undefined,
    };
  }
}

export function toEngineQuery(query: ApimonDataQuery): ApimonQuery {
  const { refId: _refId, hide: _hide, key: _key, queryType: _queryType, datasource: _ds, asAnnotations: _a, ...rest } = query;
  return { ...rest, kind: rest.kind ?? DEFAULT_QUERY.kind };
}

export function toEngineRange(range: GrafanaTimeRange, intervalMs?: number, maxDataPoints?: number): TimeRange {
  return {
    fromMs: range.from.valueOf(),
    toMs: range.to.valueOf(),
    ...(intervalMs ? { stepMs: intervalMs } : {}),
    ...(maxDataPoints ? { maxDataPoints } : {}),
  };
}

export function parseInterval(value: string | undefined): number {
  const text = value?.trim() || DEFAULT_SCRAPE_INTERVAL;
  try {
    const ms = rangeUtil.intervalToMs(text);
    return ms > 0 ? ms : rangeUtil.intervalToMs(DEFAULT_SCRAPE_INTERVAL);
  } catch {
    return rangeUtil.intervalToMs(DEFAULT_SCRAPE_INTERVAL);
  }
}

/** Legacy string variable queries: "api", "provider", or `endpoint{api="payments"}`-free plain label names. */
export function parseVariableQueryString(query: string): ApimonVariableQuery {
  const label = query.trim().replace(/^label_values\((\w+)\)$/, '$1');
  const known = ['api', 'provider', 'criticality', 'endpoint', 'location'];
  if (!known.includes(label)) {
    throw new Error(`apimon variable query "${query}": expected one of ${known.join(', ')}`);
  }
  return { refId: 'variable', label: label as ApimonVariableQuery['label'] };
}

function toQueryError(err: unknown, refId: string): DataQueryError {
  const message = err instanceof Error ? err.message : String(err);
  const status = err && typeof err === 'object' && 'status' in err ? Number((err as { status?: number }).status) || undefined : undefined;
  return { refId, message, status };
}

interface PlanLike {
  exprs?: Array<{ expr: string; meaning?: string; instant?: boolean }>;
  prober?: Array<{ path: string; params?: Record<string, string>; meaning?: string }>;
}

/** Readable lines for the editor: each expression under a comment saying what it gives. */
export function planLines(plan: PlanLike | string | string[]): string[] {
  if (typeof plan === 'string') {
    return [plan];
  }
  if (Array.isArray(plan)) {
    return plan;
  }
  const lines: string[] = [];
  for (const e of plan.exprs ?? []) {
    lines.push(`# ${e.meaning ?? 'expression'}${e.instant ? ' (instant)' : ''}`, e.expr);
  }
  for (const call of plan.prober ?? []) {
    const params = new URLSearchParams(call.params ?? {}).toString();
    lines.push(`# ${call.meaning ?? 'prober API'}`, `GET prober ${call.path}${params ? `?${params}` : ''}`);
  }
  return lines;
}
