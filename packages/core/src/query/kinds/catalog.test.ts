import { buildPromQL } from '.';
import type { CatalogRow } from '../../prober-api/read';
import { catalogTable, filterCatalogRows } from './catalog';

const row = (endpoint: string): CatalogRow => ({
  api: 'payments',
  provider: 'acme-pay',
  criticality: 'critical',
  owner: 'payments-team',
  description: '',
  docs: '',
  auth: 'bearer (PAY_KEY)',
  rateLimit: '600 / 1h',
  endpoint,
  method: 'GET',
  url: `https://pay/${endpoint}`,
  timeoutSeconds: 2,
  intervalSeconds: 15,
  latencyThresholdSeconds: 0.2,
  errorThreshold: 0.02,
  headroomThreshold: 0.2,
});

describe('catalog', () => {
  it('calls the prober API', () => {
    expect(buildPromQL({ kind: 'catalog' }, { fromMs: 0, toMs: 1 }).prober[0].path).toBe('/api/v1/catalog');
  });

  it('filters rows like the store filters series, and links each API to its dashboard', () => {
    const rows = [row('charges'), row('refunds')];
    expect(filterCatalogRows(rows, { endpoint: 'ref.*' }).map((r) => r.endpoint)).toEqual(['refunds']);
    const table = catalogTable(rows);
    expect(table.columns[0].links?.[0].url).toBe('/d/apimon-api?var-api=${__value.raw}&${__url_time_range}');
    expect(table.columns.find((c) => c.name === 'latencyThresholdSeconds')).toMatchObject({
      unit: 's',
      values: [0.2, 0.2],
    });
  });
});
