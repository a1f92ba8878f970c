// summary: one row per API (what `apimon status` prints and the health-board panel draws),
// its KPIs evaluated once at the end of the range over the summary window, plus each API's
// p95 over the range for sparklines, and from the prober each API's status on its provider's
// page and the newest open incident's title.
import { apiProviderLevel, LATENCY_QUANTILE, METRICS, selector, sumBy, type Label } from '../../contract';
import { PROBER_API } from '../../prober-api/api';
import { verdictSteps } from '../../verdict';
import type { EngineContext } from '../context';
import { filterMatchers, regexMatcher } from '../matchers';
import { DEFAULT_SUMMARY_WINDOW_MS, type ApimonQuery } from '../model';
import { ExprBuilder, type PlannedExpr } from '../plan';
import type { TrafficExprs } from '../traffic';
import type { RawSeries } from '../response';
import { toSeries } from '../series';
import { summaryRows, summaryTable, type ProberView, type SummaryResults, type SummaryRow } from '../summary';
import type { EngineSeries, TimeRange, Unit } from '../types';
import { parseDuration } from '../../units';
import { instantWindow, rangeWindow } from '../windows';
import type { QueryKindHandler } from './handler';
import { exhaustionExpr } from './ratelimit';

export interface SummaryResult {
  rows: SummaryRow[];
  sparklines: EngineSeries[];
  executed: string[];
  warnings: string[];
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

/** The ids of the instant expressions are the summary fields they fill (or feed). */
function summaryExprs(b: ExprBuilder, query: ApimonQuery, sparkline: ExprBuilder, traffic: TrafficExprs): PlannedExpr[] {
  const api: Label[] = ['api'];
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
  const window = b.window.window;
  return [
    instant('info', selector(METRICS.apiInfo, infoMatchers), 'none', 'catalog facts: provider, criticality, owner'),
    instant(
      'misconfigured',
      `max by (api, reason) (${selector(METRICS.apiMisconfigured, filterMatchers(query, ['api', 'provider', 'location']))} == 1)`,
      'none',
      'why the prober cannot probe an API (a missing secret)'
    ),
    instant(
      'latencyP95Seconds',
      b.quantile(LATENCY_QUANTILE, METRICS.probeDuration, api),
      's',
      `p95 probe duration over ${window}`
    ),
    instant(
      'latencyThresholdSeconds',
      b.threshold(METRICS.thresholdLatency, false),
      's',
      'catalog p95 latency threshold'
    ),
    instant('errorRatio', b.errorRatio(api), 'percentunit', `error ratio over ${window}`),
    // Several probers (docs/topologies.md): each location's own view, judged by the verdict.
    instant(
      'locationLatencyP95Seconds',
      b.quantile(LATENCY_QUANTILE, METRICS.probeDuration, ['api', 'location']),
      's',
      `p95 probe duration over ${window} per location`
    ),
    instant('locationErrorRatio', b.errorRatio(['api', 'location']), 'percentunit', `error ratio over ${window} per location`),
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
    instant('exhaustionSeconds', exhaustionExpr(b, api), 's', 'seconds to rate-limit exhaustion at the current trend'),
    instant(
      'apiProviderStatus',
      apiProviderLevel(filterMatchers(query, ['api', 'provider', 'location'])),
      'none',
      "each API's status on its provider's page (its statusComponents)"
    ),
    instant(
      'openIncidents',
      `sum by (provider) (${selector(METRICS.providerIncidentsOpen, providerMatchers)})`,
      'short',
      'open incidents on the provider status page'
    ),
    instant(
      'timingDegradedRatio',
      `${sumBy(api, b.rate(METRICS.probeTimingDegraded))} / ${sumBy(api, b.rate(METRICS.probeRequests))}`,
      'percentunit',
      `share of probes over ${window} whose timing the busy prober degraded (left out of the p95)`
    ),
    instant(
      'tlsExpiry',
      `min by (api) (${b.gauge(METRICS.tlsCertExpiry)})`,
      'dateTimeAsIso',
      'earliest certificate expiry'
    ),
    instant('trafficRequestsPerSecond', traffic.requests(api), 'reqps', `real calls per second over ${window}`),
    instant('trafficErrorRatio', traffic.errorRatio(api), 'percentunit', `share of failed real calls over ${window}`),
    instant(
      'trafficRateLimitedPerSecond',
      `${traffic.throttled(api)} or ${traffic.requests(api)} * 0`,
      'reqps',
      `real calls answered 429 per second over ${window}`
    ),
    instant('trafficLatencyP95Seconds', traffic.latency(LATENCY_QUANTILE, api), 's', `p95 of the real calls over ${window}`),
    instant('trafficUsageRatio', traffic.usage(), 'percentunit', 'real usage of the documented rate limit'),
    {
      id: 'sparkline',
      expr: sparkline.quantile(LATENCY_QUANTILE, METRICS.probeDuration, api),
      instant: false,
      name: 'latency_p95',
      legend: '{{api}} p95',
      meaning: 'p95 probe duration over the range, per API',
      unit: 's',
      threshold: 'latency',
    },
  ];
}

/** The rows and, unless asked not to, the sparklines over the range. */
export async function runSummary(
  query: ApimonQuery,
  range: TimeRange,
  ctx: EngineContext,
  options: { sparklines?: boolean } = {}
): Promise<SummaryResult> {
  const plan = await ctx.plan({ ...query, kind: 'summary' }, range);
  const atMs = Math.min(range.toMs, ctx.now());
  const results: SummaryResults = {};
  let sparkRaw: RawSeries[] = [];
  const wanted = options.sparklines === false ? plan.exprs.filter((e) => e.instant) : plan.exprs;
  await Promise.all(
    wanted.map(async (e) => {
      if (e.instant) {
        results[e.id] = await ctx.store.instant(e.expr, atMs);
      } else {
        sparkRaw = await ctx.store.matrix(e.expr, rangeWindow(range, ctx.scrapeIntervalMs));
      }
    })
  );
  const executed = wanted.map((e) => e.expr);
  const { view, warnings } = await proberView(ctx, results, executed);
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

/** Each provider's page as the prober sees it; a prober that fails is a warning, not an error. */
async function proberView(
  ctx: EngineContext,
  results: SummaryResults,
  executed: string[]
): Promise<{ view: ProberView; warnings: string[] }> {
  const view: ProberView = { apiStatus: new Map(), incidentTitles: new Map() };
  if (!ctx.proberConfigured) {
    return { view, warnings: [] };
  }
  const providers = [
    ...new Set((results.info ?? []).map((s) => s.labels.provider).filter((p): p is string => !!p)),
  ].sort();
  const failures: string[] = [];
  await Promise.all(
    providers.map(async (provider) => {
      executed.push(`GET ${PROBER_API.provider(provider)}`);
      try {
        const detail = await ctx.prober.provider(provider);
        detail?.apiStatus.forEach((status, api) => view.apiStatus.set(api, status));
        if (detail?.openTitle) {
          view.incidentTitles.set(provider, detail.openTitle);
        }
      } catch (err) {
        failures.push((err as Error).message);
      }
    })
  );
  const warnings =
    failures.length > 0
      ? [
          `provider status per API and incident titles unavailable: ${failures[0]}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`,
        ]
      : [];
  return { view, warnings };
}

export const summary: QueryKindHandler = {
  plan: ({ query, range, scrapeIntervalMs, rules, b, traffic }) => {
    const instant = instantWindow(range.toMs, summaryWindowMs(query), scrapeIntervalMs);
    return {
      exprs: summaryExprs(new ExprBuilder(query, instant, rules), query, b, traffic(instant)),
      window: instant,
      groupLabels: ['api'],
    };
  },

  async run(_plan, query, range, ctx) {
    const s = await runSummary(query, range, ctx);
    return {
      series: s.sparklines,
      tables: [summaryTable(s.rows)],
      annotations: [],
      executed: s.executed,
      warnings: s.warnings,
    };
  },
};
