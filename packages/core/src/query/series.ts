// Runs a plan's PromQL: range expressions become series (legend, unit, the catalog thresholds
// of each series as colour steps, links, value mappings); instant ones become one table of
// values per group. Shared by every kind that is PromQL only.
import { STATUS_LEVEL_COLORS, STATUS_LEVEL_SCALE, statusLevelText } from '../contract';
import { verdictSteps, type ThresholdKind } from '../verdict';
import type { EngineContext } from './context';
import { apiLink } from './links';
import type { ApimonQuery } from './model';
import type { PlannedExpr, QueryPlan, ThresholdExpr } from './plan';
import type { RawSample, RawSeries } from './response';
import type { EngineResult, EngineSeries, EngineTable, TimeRange, ValueText } from './types';

/** Grafana value mappings for the status scale (0 operational .. 4 major outage, -1 unknown). */
export const STATUS_VALUE_TEXTS: ValueText[] = STATUS_LEVEL_SCALE.map(({ level, value }) => ({
  value,
  text: statusLevelText(level),
  color: STATUS_LEVEL_COLORS[level],
}));

/** Catalog thresholds by kind, then by "api" or "api/endpoint"; "*" when every API shares one value. */
export type ThresholdIndex = Map<ThresholdKind, Map<string, number>>;

function interpolateLegend(legend: string, labels: Record<string, string>): string {
  return legend.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '').trim();
}

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

async function fetchThresholds(ctx: EngineContext, list: ThresholdExpr[], atMs: number): Promise<ThresholdIndex> {
  const out: ThresholdIndex = new Map();
  await Promise.all(
    list.map(async (t) => {
      out.set(t.kind, thresholdIndex(await ctx.store.instant(t.expr, atMs), t.perEndpoint));
    })
  );
  return out;
}

/** One series of a planned expression, with its thresholds, links and value mappings. */
export function toSeries(
  raw: RawSeries,
  e: PlannedExpr,
  thresholds: ThresholdIndex,
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

/** Runs every expression of a plan (and its threshold queries) at once. */
export async function runSeriesPlan(
  plan: QueryPlan,
  query: ApimonQuery,
  range: TimeRange,
  ctx: EngineContext
): Promise<EngineResult> {
  const perEndpoint = query.groupBy === 'endpoint';
  const evalAt = Math.min(range.toMs, ctx.now());
  const [thresholds, results] = await Promise.all([
    fetchThresholds(ctx, plan.thresholds, evalAt),
    Promise.all(
      plan.exprs.map(async (e) =>
        e.instant
          ? { e, samples: await ctx.store.instant(e.expr, evalAt) }
          : { e, series: await ctx.store.matrix(e.expr, plan.window) }
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
