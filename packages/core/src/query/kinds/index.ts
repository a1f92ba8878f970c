// The dispatch table: every query kind's handler, and the plan of a query (buildPromQL) that
// the engine runs and the query editor shows.
import { DEFAULT_SCRAPE_INTERVAL_MS, METRICS } from '../../contract';
import type { ThresholdKind } from '../../verdict';
import type { ApimonQuery, QueryKind } from '../model';
import { ExprBuilder, groupLabels, type PlanOptions, type QueryPlan } from '../plan';
import type { TimeRange } from '../types';
import { rangeWindow, type QueryWindow } from '../windows';
import { availability } from './availability';
import { catalog } from './catalog';
import { codes } from './codes';
import { errors } from './errors';
import type { QueryKindHandler } from './handler';
import { incidents } from './incidents';
import { latency } from './latency';
import { phases } from './phases';
import { ratelimit } from './ratelimit';
import { status } from './status';
import { summary } from './summary';
import { traffic } from './traffic';
import { trafficErrors } from './traffic-errors';
import { trafficLatency } from './traffic-latency';
import { trafficUnmapped } from './traffic-unmapped';
import { trafficUsage } from './traffic-usage';
import { TrafficExprs } from '../traffic';

export const QUERY_KIND_HANDLERS: Record<QueryKind, QueryKindHandler> = {
  latency,
  phases,
  errors,
  codes,
  ratelimit,
  availability,
  status,
  incidents,
  catalog,
  summary,
  traffic,
  trafficErrors,
  trafficLatency,
  trafficUsage,
  trafficUnmapped,
};

const THRESHOLD_METRICS = {
  latency: 'thresholdLatency',
  errorRatio: 'thresholdErrorRatio',
  headroom: 'thresholdHeadroom',
  usage: 'thresholdUsage',
} as const satisfies Record<ThresholdKind, string>;

export function handlerOf(query: ApimonQuery): QueryKindHandler {
  const handler = Object.prototype.hasOwnProperty.call(QUERY_KIND_HANDLERS, query.kind)
    ? QUERY_KIND_HANDLERS[query.kind]
    : undefined;
  if (!handler) {
    throw new Error(`kind: "${String((query as { kind: unknown }).kind)}" is not a query kind`);
  }
  return handler;
}

/**
 * Every expression (and prober call) a query runs, with its legend, unit and meaning.
 * Throws an Error with a message naming the field for an invalid query.
 */
export function buildPromQL(query: ApimonQuery, range: TimeRange, opts: PlanOptions = {}): QueryPlan {
  const scrapeIntervalMs = opts.scrapeIntervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS;
  const rules = opts.recordingRules ?? new Set<string>();
  if (!(range.toMs >= range.fromMs)) {
    throw new Error(`time range: from (${range.fromMs}) is after to (${range.toMs})`);
  }
  const handler = handlerOf(query);
  const labels = groupLabels(query.groupBy);
  const window = rangeWindow(range, scrapeIntervalMs);
  const b = new ExprBuilder(query, window, rules);
  const traffic = (w: QueryWindow = window) => new TrafficExprs(query, w, rules, opts.trafficSettings);
  const planned = handler.plan({ query, range, window, scrapeIntervalMs, rules, labels, b, traffic });
  const perEndpoint = query.groupBy === 'endpoint';
  // The summary colours its rows by the verdict, not by threshold queries.
  const kinds =
    query.kind === 'summary'
      ? []
      : [...new Set(planned.exprs.map((e) => e.threshold).filter((k): k is ThresholdKind => k !== undefined))];
  return {
    kind: query.kind,
    window: planned.window ?? window,
    groupLabels: planned.groupLabels ?? labels,
    exprs: planned.exprs,
    thresholds: kinds.map((kind) => ({
      kind,
      expr: b.threshold(METRICS[THRESHOLD_METRICS[kind]], perEndpoint),
      perEndpoint,
    })),
    prober: planned.prober ?? [],
  };
}
