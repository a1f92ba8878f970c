import { Registry } from 'prom-client';
import { METRICS, type ComponentStatus, type ProviderSnapshot } from '@apimon/core';
import { MAX_COMPONENT_SERIES, StatusPageMetrics } from './metrics';

const snapshot = (components: ComponentStatus[]): ProviderSnapshot => ({
  provider: 'shop',
  format: 'statuspage',
  indicator: 'operational',
  components,
  incidents: [],
  maintenances: [],
  fetchedAt: Date.parse('2026-11-24T09:00:00Z'),
  stale: false,
  error: null,
});

async function componentSeries(registry: Registry): Promise<Map<string, number>> {
  const data = await registry.getSingleMetric(METRICS.providerComponentStatus)!.get();
  return new Map(data.values.map((v) => [String(v.labels.component), v.value]));
}

describe('StatusPageMetrics component series', () => {
  it('labels grouped components Group / Name, one series each', async () => {
    const registry = new Registry();
    const left = new StatusPageMetrics(registry).recordSuccess(
      'lab',
      snapshot([
        { id: 'a', name: 'API', group: 'EU', status: 'major_outage' },
        { id: 'b', name: 'API', group: 'US', status: 'operational' },
        { id: 'c', name: 'API', status: 'degraded' },
        // Same group and name, another id: a reader cannot tell them apart either; worst wins.
        { id: 'd', name: 'API', group: 'US', status: 'partial_outage' },
      ])
    );
    expect(left).toBe(0);
    expect(Object.fromEntries(await componentSeries(registry))).toEqual({ 'EU / API': 4, 'US / API': 3, API: 2 });
  });

  it(`writes at most ${MAX_COMPONENT_SERIES} series per provider and says how many it left out`, async () => {
    const registry = new Registry();
    const components = Array.from({ length: MAX_COMPONENT_SERIES + 5 }, (_, i) => ({ id: `c${i}`, name: `C${i}`, status: 'operational' as const }));
    expect(new StatusPageMetrics(registry).recordSuccess('lab', snapshot(components))).toBe(5);
    const series = await componentSeries(registry);
    expect(series.size).toBe(MAX_COMPONENT_SERIES);
    expect(series.has('C0')).toBe(true);
    expect(series.has(`C${MAX_COMPONENT_SERIES}`)).toBe(false);
  });
});
