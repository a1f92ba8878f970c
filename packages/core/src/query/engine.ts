// The query engine: domain query -> PromQL and prober calls -> frame-ready series, tables and
// annotations. Transport injected: the data source passes one on Grafana's backendSrv, the CLI
// one on Node's fetch. No Grafana or Node types here.
import { DEFAULT_SCRAPE_INTERVAL_MS, METRICS, selector, STATUS_LEVELS, statusLevelValue } from '../contract';
import type { ApimonQuery, QueryFilters } from './model';
import { filterMatchers, isAllValue, regexEscape, regexMatcher } from './matchers';
import {
  buildPromQL as planQuery,
  type PlannedExpr,
  type QueryPlan,
  type ThresholdExpr,
} from './promql';
import { verdictSteps, type ThresholdKind } from '../verdict';
import {
  apiLink,
  catalogTable,
  filterCatalogRows,
  filterIncidents,
  incidentAnnotations,
  incidentsTable,
  parseCatalogRows,
  parseIncidents,
  parseProviderDetail,
  type IncidentRow,
} from './prober';
import { recordedNames } from './recording';
import { describeFailure, parseMatrix, parseVector, QueryError, type RawSample, type RawSeries } from './response';
import {
  summaryRows,
  summaryTable,
  type ProberView,
  type SummaryResults,
  type SummaryRow,
} from './summary';
import {
  TransportError,
  type EngineResult,
  type EngineSeries,
  type EngineTable,
  type Target,
  type TimeRange,
  type Transport,
  type ValueText,
} from './types';
import { rangeWindow } from './windows';

export interface QueryEngineOptions {
  transport: Transport;
  /** The store's scrape interval of the prober (default 15 s): rate windows are at least 4x it. */
  scrapeIntervalMs?: number;
  /** False when no prober API URL is configured: incidents and catalog are then unavailable. */
  proberConfigured?: boolean;
  /** Read recording rules when the store has them (default true). */
  useRecordingRules?: boolean;
  /** Clock, for tests. */
  now?: () => number;
}

export interface ConnectionCheck {
  target: Target;
  ok: boolean;
  message: string;
}

export interface ConnectionReport {
  ok: boolean;
  /** One line for Grafana's "Save & test". */
  message: string;
  checks: ConnectionCheck[];
}

export interface SummaryResult {
  rows: SummaryRow[];
  sparklines: EngineSeries[];
  executed: string[];
  warnings: string[];
}

export interface QueryEngine {
  run(query: ApimonQuery, range: TimeRange): Promise<EngineResult>;
  /** The plan run() would execute, with the recording rules known so far. */
  buildPromQL(query: ApimonQuery, range: TimeRange): QueryPlan;
  /** The summary rows (what `apimon status` prints) and the p95 sparklines over the range. */
  summary(query: ApimonQuery, range: TimeRange, options?: { sparklines?: boolean }): Promise<SummaryResult>;
  /** Values of a label for template variables, narrowed by the other filters. */
  labelValues(label: string, filters?: QueryFilters, range?: Pick<TimeRange, 'fromMs' | 'toMs'>): Promise<string[]>;
  testConnection(): Promise<ConnectionReport>;
}

/** Grafana value mappings for the 0..4 status scale. */
export const STATUS_VALUE_TEXTS: ValueText[] = [
  ...STATUS_LEVELS.map((level, i) => ({
    value: statusLevelValue(level),
    text: level.replace('_', ' '),
    color: ['green', 'blue', 'yellow', 'orange', 'red'][i],
  })),
  { value: -1, text: 'unknown', color: 'text' },
];

const RULES_RETRY_MS = 10 * 60_000;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The metric whose series carry a label, for /api/v1/label/<name>/values?match[]=. */
const LABEL_SOURCES: Record<string, string> = {
  api: METRICS.apiInfo,
  provider: METRICS.apiInfo,
  criticality: METRICS.apiInfo,
  owner: METRICS.apiInfo,
  endpoint: METRICS.probeRequests,
  location: METRICS.probeRequests,
  code: METRICS.probeRequests,
  outcome: METRICS.probeRequests,
  policy: METRICS.rateLimitLimit,
  phase: `${METRICS.probePhaseDuration}_count`,
  component: METRICS.providerComponentStatus,
};

const seconds = (ms: number) => String(ms / 1000);

function interpolateLegend(legend: string, labels: Record<string, string>): string {
  return legend.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '').trim();
}

/** Thresholds by "api" or "api/endpoint"; "*" when every API shares one value. */
function thresholdIndex(samples: RawSample[], perEndpoint: boolean): Map<string, number> {
  const out = new Map<string, number>();
  const distinct = new Set<number>();
  for (const s of samples) {
    if (s.value === null || !Number.isFinite(s.value) || !s.labels.api) {
      continue;
    }
    out.set(perEndpoint ? `${s.labels.api}/${s.labels.endpoint ?? ''}` : s.labels.api, s.value);
    distinct.add(s.value);
  }
  if (distinct.size === 1) {
    out.set('*', [...distinct][0]);
  }
  return out;
}

export function createQueryEngine(options: QueryEngineOptions): QueryEngine {
  const { transport } = options;
  const scrapeIntervalMs = options.scrapeIntervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS;
  const proberConfigured = options.proberConfigured ?? true;
  const now = options.now ?? (() => Date.now());
  let rules: Set<string> = new Set();
  let rulesFetch: Promise<Set<string>> | undefined;
  let rulesCheckedAt = -Infinity;

  /** Detects recording rules once (again after a failure, at most every 10 minutes). */
  function recordingRules(): Promise<Set<string>> {
    if (options.useRecordingRules === false) {
      return Promise.resolve(rules);
    }
    if (!rulesFetch && now() - rulesCheckedAt >= RULES_RETRY_MS) {
      rulesCheckedAt = now();
      rulesFetch = transport.get('prometheus', '/api/v1/rules', { type: 'record' }).then(
        (body) => {
          rules = recordedNames(body);
          return rules;
        },
        () => {
          rulesFetch = undefined;
          return rules;
        }
      );
    }
    return rulesFetch ?? Promise.resolve(rules);
  }

  async function get(target: Target, path: string, params: Record<string, string>, what: string): Promise<unknown> {
    try {
      return await transport.get(target, path, params);
    } catch (err) {
      throw describeFailure(err, target, what);
    }
  }

  async function instant(expr: string, atMs: number): Promise<RawSample[]> {
    const body = await get('prometheus', '/api/v1/query', { query: expr, time: seconds(atMs) }, expr);
    return parseVector(body, expr);
  }

  async function matrix(expr: string, plan: QueryPlan): Promise<RawSeries[]> {
    const w = plan.window;
    const body = await get(
      'prometheus',
      '/api/v1/query_range',
      { query: expr, start: seconds(w.startMs), end: seconds(w.endMs), step: seconds(w.stepMs) },
      expr
    );
    return parseMatrix(body, expr);
  }

  function toSeries(
    raw: RawSeries,
    e: PlannedExpr,
    thresholds: Map<ThresholdKind, Map<string, number>>,
    perEndpoint: boolean
  ): EngineSeries {
    const labels = raw.labels;
    const series: EngineSeries = {
      name: e.name,
      labels,
      displayName: interpolateLegend(e.legend, labels),
      timestamps: raw.timestamps,
      values: raw.values,
      unit: e.unit,
      expr: e.expr,
    };
    if (e.threshold) {
      const index = thresholds.get(e.threshold);
      const key = labels.api === undefined ? '*' : perEndpoint ? `${labels.api}/${labels.endpoint ?? ''}` : labels.api;
      const value = index?.get(key) ?? (labels.api === undefined ? undefined : index?.get('*'));
      if (value !== undefined) {
        series.thresholds = verdictSteps(e.threshold, value);
      }
    }
    if (labels.api !== undefined) {
      series.links = [apiLink(labels.api)];
    }
    if (e.name === 'provider_status' || e.name === 'component_status') {
      series.valueMappings = STATUS_VALUE_TEXTS;
    }
    return series;
  }

  async function fetchThresholds(
    list: ThresholdExpr[],
    atMs: number
  ): Promise<Map<ThresholdKind, Map<string, number>>> {
    const out = new Map<ThresholdKind, Map<string, number>>();
    await Promise.all(
      list.map(async (t) => {
        out.set(t.kind, thresholdIndex(await instant(t.expr, atMs), t.perEndpoint));
      })
    );
    return out;
  }

  /** Range expressions -> series; instant ones -> one table of values per group. */
  async function runPlan(plan: QueryPlan, query: ApimonQuery, range: TimeRange): Promise<EngineResult> {
    const perEndpoint = query.groupBy === 'endpoint';
    const evalAt = Math.min(range.toMs, now());
    const [thresholds, results] = await Promise.all([
      fetchThresholds(plan.thresholds, evalAt),
      Promise.all(
        plan.exprs.map(async (e) =>
          e.instant ? { e, samples: await instant(e.expr, evalAt) } : { e, series: await matrix(e.expr, plan) }
        )
      ),
    ]);
    const series: EngineSeries[] = [];
    const instantResults: Array<{ e: PlannedExpr; samples: RawSample[] }> = [];
    for (const r of results) {
      if ('series' in r && r.series) {
        for (const raw of r.series) {
          series.push(toSeries(raw, r.e, thresholds, perEndpoint));
        }
      } else if ('samples' in r && r.samples) {
        instantResults.push({ e: r.e, samples: r.samples });
      }
    }
    const tables = instantResults.length > 0 ? [instantTable(query.kind, plan.groupLabels, instantResults)] : [];
    return {
      series,
      tables,
      annotations: [],
      executed: [...plan.exprs.map((e) => e.expr), ...plan.thresholds.map((t) => t.expr)],
      warnings: [],
    };
  }

  /** API or criticality filters -> the providers they cover (from apimon_api_info). */
  async function providersOf(filters: QueryFilters, atMs: number): Promise<Set<string> | undefined> {
    const matchers = filterMatchers(filters, ['api', 'provider']);
    const crit = regexMatcher('criticality', filters.criticality);
    if (crit) {
      matchers.push(crit);
    }
    if (isAllValue(filters.api) && !crit) {
      return undefined;
    }
    const expr = selector(METRICS.apiInfo, matchers);
    return new Set((await instant(expr, atMs)).map((s) => s.labels.provider).filter((p): p is string => !!p));
  }

  async function proberGet(path: string, params: Record<string, string>, kind: string): Promise<unknown> {
    if (!proberConfigured) {
      throw new QueryError(`${kind} come from the prober API, and no prober URL is configured`, 'prober', path);
    }
    return get('prober', path, params, `GET ${path}`);
  }

  async function fetchIncidents(params: Record<string, string>): Promise<{ rows: IncidentRow[]; truncated: boolean }> {
    const path = '/api/v1/incidents';
    let body: unknown;
    try {
      body = await proberGet(path, params, 'incidents');
    } catch (err) {
      // A provider the prober has no status page for has no incidents.
      if (params.provider && err instanceof QueryError && err.status === 404 && /unknown provider/.test(err.message)) {
        return { rows: [], truncated: false };
      }
      throw err;
    }
    const parsed = parseIncidents(body);
    if (!parsed) {
      throw new QueryError(
        `the prober API answered GET ${path} with something that is not a list of incidents`,
        'prober',
        path
      );
    }
    return parsed;
  }

  async function runIncidents(plan: QueryPlan, query: ApimonQuery, range: TimeRange): Promise<EngineResult> {
    const call = plan.prober[0];
    const [fetched, providers] = await Promise.all([
      fetchIncidents(call.params),
      providersOf(query, Math.min(range.toMs, now())),
    ]);
    const selected = filterIncidents(fetched.rows, query, providers, query.openOnly === true);
    const query_string = `GET ${call.path}?${new URLSearchParams(call.params).toString()}`;
    return {
      series: [],
      tables: [incidentsTable(selected)],
      annotations: incidentAnnotations(selected, range.toMs),
      executed: providers ? [query_string, selector(METRICS.apiInfo, [])] : [query_string],
      warnings: fetched.truncated
        ? [
            `the prober returned only the first ${fetched.rows.length} incidents of the range; narrow the range or the provider`,
          ]
        : [],
    };
  }

  async function runCatalog(plan: QueryPlan, query: ApimonQuery): Promise<EngineResult> {
    const path = plan.prober[0].path;
    const body = await proberGet(path, {}, 'the catalog');
    const rows = parseCatalogRows(body);
    if (!rows) {
      throw new QueryError(
        `the prober API answered GET ${path} with something that is not a catalog (no "apis" list)`,
        'prober',
        path
      );
    }
    return {
      series: [],
      tables: [catalogTable(filterCatalogRows(rows, query))],
      annotations: [],
      executed: [`GET ${path}`],
      warnings: [],
    };
  }

  async function summary(
    query: ApimonQuery,
    range: TimeRange,
    summaryOptions: { sparklines?: boolean } = {}
  ): Promise<SummaryResult> {
    const plan = planQuery({ ...query, kind: 'summary' }, range, {
      scrapeIntervalMs,
      recordingRules: await recordingRules(),
    });
    const atMs = Math.min(range.toMs, now());
    const results: SummaryResults = {};
    let sparkRaw: RawSeries[] = [];
    const wanted = summaryOptions.sparklines === false ? plan.exprs.filter((e) => e.instant) : plan.exprs;
    await Promise.all(
      wanted.map(async (e) => {
        if (e.instant) {
          results[e.id] = await instant(e.expr, atMs);
        } else {
          sparkRaw = await matrix(e.expr, { ...plan, window: rangeWindow(range, scrapeIntervalMs) });
        }
      })
    );
    const warnings: string[] = [];
    const executed = wanted.map((e) => e.expr);
    const view: ProberView = { apiStatus: new Map(), incidentTitles: new Map() };
    if (proberConfigured) {
      const providers = [
        ...new Set((results.info ?? []).map((s) => s.labels.provider).filter((p): p is string => !!p)),
      ].sort();
      const failures: string[] = [];
      await Promise.all(
        providers.map(async (provider) => {
          const path = `/api/v1/providers/${encodeURIComponent(provider)}`;
          executed.push(`GET ${path}`);
          try {
            const detail = parseProviderDetail(await get('prober', path, {}, `GET ${path}`));
            if (!detail) {
              failures.push(`GET ${path} did not answer with a provider`);
              return;
            }
            detail.apiStatus.forEach((status, api) => view.apiStatus.set(api, status));
            if (detail.openTitle) {
              view.incidentTitles.set(provider, detail.openTitle);
            }
          } catch (err) {
            // A provider without a status page is not an error; anything else is worth a word.
            if (!(err instanceof QueryError && err.status === 404)) {
              failures.push((err as Error).message);
            }
          }
        })
      );
      if (failures.length > 0) {
        warnings.push(
          `provider status per API and incident titles unavailable: ${failures[0]}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`
        );
      }
    }
    const rows = summaryRows(results, atMs, view);
    const p95Max = new Map(rows.map((r) => [r.api, r.latencyThresholdSeconds]));
    const sparkExpr = plan.exprs.find((e) => !e.instant)!;
    const sparklines = sparkRaw.map((raw) => {
      const s = toSeries(raw, { ...sparkExpr, threshold: undefined }, new Map(), false);
      const t = p95Max.get(raw.labels.api ?? '');
      if (t !== undefined && t !== null) {
        s.thresholds = verdictSteps('latency', t);
      }
      return s;
    });
    return { rows, sparklines, executed, warnings };
  }

  async function run(query: ApimonQuery, range: TimeRange): Promise<EngineResult> {
    if (query.kind === 'summary') {
      const s = await summary(query, range);
      return {
        series: s.sparklines,
        tables: [summaryTable(s.rows)],
        annotations: [],
        executed: s.executed,
        warnings: s.warnings,
      };
    }
    const plan = planQuery(query, range, { scrapeIntervalMs, recordingRules: await recordingRules() });
    if (query.kind === 'incidents') {
      return runIncidents(plan, query, range);
    }
    if (query.kind === 'catalog') {
      return runCatalog(plan, query);
    }
    return runPlan(plan, query, range);
  }

  async function labelValues(
    label: string,
    filters: QueryFilters = {},
    range?: Pick<TimeRange, 'fromMs' | 'toMs'>
  ): Promise<string[]> {
    if (!LABEL_RE.test(label)) {
      throw new QueryError(`"${label}" is not a label name`, 'prometheus', label);
    }
    const source = LABEL_SOURCES[label] ?? METRICS.probeRequests;
    // A variable is narrowed by the others, never by itself.
    const others: QueryFilters = { ...filters, [label]: undefined };
    const timeParams: Record<string, string> = range ? { start: seconds(range.fromMs), end: seconds(range.toMs) } : {};
    const values = async (name: string, match: string): Promise<string[]> => {
      const path = `/api/v1/label/${name}/values`;
      const body = await get('prometheus', path, { 'match[]': match, ...timeParams }, `${path}?match[]=${match}`);
      const data = (body as { status?: unknown; data?: unknown } | null)?.data;
      if ((body as { status?: unknown } | null)?.status !== 'success' || !Array.isArray(data)) {
        throw new QueryError(
          `malformed response from the store for ${path}: expected {"status":"success","data":[...]}`,
          'prometheus',
          path
        );
      }
      return data.filter((v): v is string => typeof v === 'string' && v !== '');
    };
    let matchers: string[];
    if (source === METRICS.apiInfo) {
      matchers = filterMatchers(others, ['api', 'provider', 'location']);
      const crit = regexMatcher('criticality', others.criticality);
      if (crit) {
        matchers.push(crit);
      }
    } else {
      matchers = filterMatchers(others);
      const crit = regexMatcher('criticality', others.criticality);
      if (crit) {
        // Selectors cannot join: turn the criticality into the APIs that have it.
        const apiMatchers = [...filterMatchers(others, ['api', 'provider']), crit];
        const apis = await values('api', selector(METRICS.apiInfo, apiMatchers));
        if (apis.length === 0) {
          return [];
        }
        matchers = matchers.filter((m) => !m.startsWith('api=~'));
        matchers.unshift(`api=~${JSON.stringify(apis.map(regexEscape).join('|'))}`);
      }
    }
    const found = await values(label, selector(source, matchers));
    return [...new Set(found)].sort();
  }

  async function testConnection(): Promise<ConnectionReport> {
    const checks: ConnectionCheck[] = [];
    // APIs per provider, each API once however many locations probe it.
    const probe = `count by (provider) (count by (api, provider) (${METRICS.apiInfo}))`;
    try {
      const body = await transport.get('prometheus', '/api/v1/query', { query: probe });
      const b = body as { status?: unknown; data?: { resultType?: unknown } } | null;
      if (typeof b !== 'object' || b === null || b.status !== 'success' || b.data?.resultType !== 'vector') {
        checks.push({
          target: 'prometheus',
          ok: false,
          message:
            'the store URL answers, but not as a Prometheus-compatible API (no {"status":"success"} from /api/v1/query): check the URL (Mimir needs the /prometheus prefix)',
        });
      } else {
        const samples = parseVector(body, probe);
        const apis = samples.reduce((n, s) => n + (s.value ?? 0), 0);
        if (samples.length === 0) {
          checks.push({
            target: 'prometheus',
            ok: false,
            message: `the store works but holds no apimon metrics (no ${METRICS.apiInfo} in the last 5 minutes): make it scrape the prober's /metrics (apimon run)`,
          });
        } else {
          const names = await recordingRules();
          const recorded = names.size > 0 ? `, recording rules found (${names.size})` : '';
          checks.push({
            target: 'prometheus',
            ok: true,
            message: `store ok: ${apis} APIs of ${samples.length} providers${recorded}`,
          });
        }
      }
    } catch (err) {
      const failure = describeFailure(err, 'prometheus', '/api/v1/query');
      const notJson =
        err instanceof TransportError &&
        typeof err.body === 'string' &&
        failure.status !== undefined &&
        failure.status < 300;
      const message =
        failure.status === undefined
          ? `the store is unreachable: ${(err as Error).message}`
          : notJson
            ? 'the store URL answers, but not with JSON: it is not a Prometheus-compatible API (check the URL)'
            : failure.message;
      checks.push({ target: 'prometheus', ok: false, message });
    }
    if (proberConfigured) {
      try {
        const body = await transport.get('prober', '/api/v1/catalog', {});
        const rows = parseCatalogRows(body);
        if (!rows) {
          checks.push({
            target: 'prober',
            ok: false,
            message:
              'the prober URL answers, but not as the apimon prober API (no catalog at /api/v1/catalog): check the URL',
          });
        } else {
          const apis = new Set(rows.map((r) => r.api)).size;
          checks.push({ target: 'prober', ok: true, message: `prober API ok: ${apis} APIs in the catalog` });
        }
      } catch (err) {
        const failure = describeFailure(err, 'prober', '/api/v1/catalog');
        let message = failure.message;
        if (failure.status === undefined) {
          message = `the prober API is unreachable: ${(err as Error).message}`;
        } else if (failure.status === 401 || failure.status === 403) {
          message = `the prober API rejected the token (HTTP ${failure.status}): set the prober token the prober was started with`;
        }
        checks.push({ target: 'prober', ok: false, message });
      }
    }
    const failed = checks.filter((c) => !c.ok);
    return {
      ok: failed.length === 0,
      message: (failed.length > 0 ? failed : checks).map((c) => c.message).join('; '),
      checks,
    };
  }

  return {
    run,
    summary,
    labelValues,
    testConnection,
    buildPromQL: (query, range) => planQuery(query, range, { scrapeIntervalMs, recordingRules: rules }),
  };
}

/** Instant results as one table: group labels, then one column per expression. */
function instantTable(
  kind: string,
  groupLabels: string[],
  results: Array<{ e: PlannedExpr; samples: RawSample[] }>
): EngineTable {
  const keyOf = (labels: Record<string, string>) => groupLabels.map((l) => labels[l] ?? '').join('\u0000');
  const rows = new Map<string, Record<string, string>>();
  for (const r of results) {
    for (const s of r.samples) {
      rows.set(keyOf(s.labels), s.labels);
    }
  }
  const keys = [...rows.keys()].sort();
  return {
    name: kind,
    columns: [
      ...groupLabels.map((l) => ({ name: l, type: 'string' as const, values: keys.map((k) => rows.get(k)![l] ?? '') })),
      ...results.map((r) => {
        const byKey = new Map(r.samples.map((s) => [keyOf(s.labels), s.value]));
        return {
          name: r.e.name,
          type: 'number' as const,
          values: keys.map((k) => byKey.get(k) ?? null),
          unit: r.e.unit,
          displayName: r.e.legend.replace(/\{\{[^}]*\}\}\s*(\/\s*)?/g, '').trim() || r.e.name,
        };
      }),
    ],
  };
}
