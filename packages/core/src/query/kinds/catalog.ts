// catalog: the catalog as documentation, one row per endpoint (secrets never leave the prober).
import { PROBER_API } from '../../prober-api/api';
import type { CatalogRow } from '../../prober-api/read';
import { column as col } from '../columns';
import { apiLink } from '../links';
import { filterRegExp } from '../matchers';
import type { QueryFilters } from '../model';
import type { EngineColumn, EngineTable } from '../types';
import type { QueryKindHandler } from './handler';

export function filterCatalogRows(rows: CatalogRow[], filters: QueryFilters): CatalogRow[] {
  const tests: Array<[RegExp | undefined, (r: CatalogRow) => string]> = [
    [filterRegExp('api', filters.api), (r) => r.api],
    [filterRegExp('provider', filters.provider), (r) => r.provider],
    [filterRegExp('criticality', filters.criticality), (r) => r.criticality],
    [filterRegExp('endpoint', filters.endpoint), (r) => r.endpoint],
  ];
  return rows.filter((r) => tests.every(([re, get]) => !re || re.test(get(r))));
}

export function catalogTable(rows: CatalogRow[]): EngineTable {
  const s = (name: keyof CatalogRow, displayName: string, extra: Partial<EngineColumn> = {}) =>
    col(
      name,
      'string',
      rows.map((r) => r[name]),
      { displayName, ...extra }
    );
  const n = (name: keyof CatalogRow, displayName: string, unit: EngineColumn['unit']) =>
    col(
      name,
      'number',
      rows.map((r) => r[name]),
      { displayName, unit }
    );
  return {
    name: 'catalog',
    columns: [
      s('api', 'API', { links: [apiLink('${__value.raw}')] }),
      s('endpoint', 'Endpoint'),
      s('provider', 'Provider'),
      s('criticality', 'Criticality'),
      s('owner', 'Owner'),
      s('method', 'Method'),
      s('url', 'URL'),
      s('auth', 'Auth'),
      s('rateLimit', 'Rate limit'),
      n('timeoutSeconds', 'Timeout', 's'),
      n('intervalSeconds', 'Interval', 's'),
      n('latencyThresholdSeconds', 'p95 threshold', 's'),
      n('errorThreshold', 'Error threshold', 'percentunit'),
      n('headroomThreshold', 'Headroom threshold', 'percentunit'),
      s('docs', 'Docs'),
      s('description', 'Description'),
    ],
  };
}

export const catalog: QueryKindHandler = {
  plan: () => ({
    exprs: [],
    groupLabels: [],
    prober: [{ path: PROBER_API.catalog, params: {}, meaning: 'the catalog (without secrets)' }],
  }),

  async run(plan, query, _range, ctx) {
    const rows = await ctx.prober.catalog();
    return {
      series: [],
      tables: [catalogTable(filterCatalogRows(rows, query))],
      annotations: [],
      executed: [`GET ${plan.prober[0].path}`],
      warnings: [],
    };
  },
};
