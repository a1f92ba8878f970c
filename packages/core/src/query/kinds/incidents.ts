// incidents: the providers' incidents and maintenances from the prober's status-page history,
// as a table and as annotations (one region per incident), narrowed by the query's filters.
import { METRICS, selector } from '../../contract';
import { PROBER_API } from '../../prober-api/api';
import { isOpen, type IncidentRow } from '../../prober-api/read';
import { column as col } from '../columns';
import type { EngineContext } from '../context';
import { filterMatchers, filterRegExp, isAllValue, regexMatcher } from '../matchers';
import type { QueryFilters } from '../model';
import type { EngineAnnotation, EngineTable, Link } from '../types';
import type { QueryKindHandler } from './handler';

/** Only the providers the filters allow; `apiProviders` maps the api/criticality filters to providers. */
export function filterIncidents(
  rows: IncidentRow[],
  filters: QueryFilters,
  apiProviders: Set<string> | undefined,
  openOnly: boolean
): IncidentRow[] {
  const provider = filterRegExp('provider', filters.provider);
  return rows
    .filter(
      (r) =>
        (!provider || provider.test(r.provider)) &&
        (!apiProviders || apiProviders.has(r.provider)) &&
        (!openOnly || isOpen(r))
    )
    .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
}

export function incidentsTable(rows: IncidentRow[]): EngineTable {
  const link: Link = { title: 'Open on the status page', url: '${__value.raw}' };
  return {
    name: 'incidents',
    columns: [
      col(
        'startedAt',
        'time',
        rows.map((r) => r.startedAt),
        { displayName: 'Started', unit: 'dateTimeAsIso' }
      ),
      col(
        'resolvedAt',
        'time',
        rows.map((r) => r.resolvedAt),
        { displayName: 'Resolved', unit: 'dateTimeAsIso' }
      ),
      col(
        'provider',
        'string',
        rows.map((r) => r.provider),
        { displayName: 'Provider' }
      ),
      col(
        'kind',
        'string',
        rows.map((r) => r.kind),
        { displayName: 'Kind' }
      ),
      col(
        'title',
        'string',
        rows.map((r) => r.title),
        { displayName: 'Title' }
      ),
      col(
        'status',
        'string',
        rows.map((r) => r.status),
        { displayName: 'Status' }
      ),
      col(
        'impact',
        'string',
        rows.map((r) => r.impact),
        { displayName: 'Impact' }
      ),
      col(
        'components',
        'string',
        rows.map((r) => r.components.join(', ')),
        { displayName: 'Components' }
      ),
      col(
        'open',
        'boolean',
        rows.map((r) => isOpen(r)),
        { displayName: 'Open' }
      ),
      col(
        'url',
        'string',
        rows.map((r) => r.url ?? ''),
        { displayName: 'Link', links: [link] }
      ),
    ],
  };
}

/** Annotations: one region per incident, open ones up to `untilMs`. */
export function incidentAnnotations(rows: IncidentRow[], untilMs: number): EngineAnnotation[] {
  const out: EngineAnnotation[] = [];
  for (const r of rows) {
    if (r.startedAt === null) {
      continue;
    }
    const lines = [`Impact: ${r.impact}`, `Status: ${r.status}`];
    if (r.components.length > 0) {
      lines.push(`Components: ${r.components.join(', ')}`);
    }
    if (r.latestUpdate) {
      lines.push(r.latestUpdate);
    }
    out.push({
      timeMs: r.startedAt,
      timeEndMs: r.resolvedAt ?? Math.max(untilMs, r.startedAt),
      title: `${r.provider}: ${r.title}`,
      text: lines.join('\n'),
      tags: ['apimon', r.kind, `provider:${r.provider}`, `impact:${r.impact}`, `status:${r.status}`],
      url: r.url ?? undefined,
    });
  }
  return out;
}

/** A filter that names exactly one literal value, so it can be passed to the prober as is. */
function singleValue(filter: string | undefined): string | undefined {
  if (filter === undefined) {
    return undefined;
  }
  const v = filter.trim().replace(/^\((.*)\)$/, '$1');
  return /^[a-z0-9_-]+$/.test(v) ? v : undefined;
}

/** API or criticality filters -> the providers they cover (from apimon_api_info). */
async function providersOf(ctx: EngineContext, filters: QueryFilters, atMs: number): Promise<Set<string> | undefined> {
  const matchers = filterMatchers(filters, ['api', 'provider']);
  const crit = regexMatcher('criticality', filters.criticality);
  if (crit) {
    matchers.push(crit);
  }
  if (isAllValue(filters.api) && !crit) {
    return undefined;
  }
  const expr = selector(METRICS.apiInfo, matchers);
  return new Set((await ctx.store.instant(expr, atMs)).map((s) => s.labels.provider).filter((p): p is string => !!p));
}

export const incidents: QueryKindHandler = {
  plan: ({ query, range }) => {
    const params: Record<string, string> = {
      from: String(Math.floor(range.fromMs)),
      to: String(Math.ceil(range.toMs)),
    };
    const single = singleValue(query.provider);
    if (single !== undefined) {
      params.provider = single;
    }
    return {
      exprs: [],
      groupLabels: [],
      prober: [{ path: PROBER_API.incidents, params, meaning: 'provider incidents from the status-page history' }],
    };
  },

  async run(plan, query, range, ctx) {
    const call = plan.prober[0];
    const [fetched, providers] = await Promise.all([
      ctx.prober.incidents(call.params),
      providersOf(ctx, query, Math.min(range.toMs, ctx.now())),
    ]);
    const selected = filterIncidents(fetched.rows, query, providers, query.openOnly === true);
    const queryString = `GET ${call.path}?${new URLSearchParams(call.params).toString()}`;
    return {
      series: [],
      tables: [incidentsTable(selected)],
      annotations: incidentAnnotations(selected, range.toMs),
      executed: providers ? [queryString, selector(METRICS.apiInfo, [])] : [queryString],
      warnings: fetched.truncated
        ? [
            `the prober returned only the first ${fetched.rows.length} incidents of the range; narrow the range or the provider`,
          ]
        : [],
    };
  },
};
