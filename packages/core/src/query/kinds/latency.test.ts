import { buildPromQL } from '.';
import { groupLabels } from '../plan';
import type { ApimonQuery } from '../model';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

function exprs(query: ApimonQuery, range = SIX_HOURS, rules: string[] = []) {
  return buildPromQL(query, range, { recordingRules: new Set(rules) }).exprs.map((e) => e.expr);
}

describe('latency', () => {
  it('latency: histogram_quantile over summed buckets by le and the group; mean = rate(sum)/rate(count)', () => {
    expect(exprs({ kind: 'latency', api: 'payments', percentiles: ['p95', 'mean'] })).toEqual([
      'histogram_quantile(0.95, sum by (le, api) (rate(apimon_probe_duration_seconds_bucket{api=~"payments"}[1m])))',
      'sum by (api) (rate(apimon_probe_duration_seconds_sum{api=~"payments"}[1m])) / sum by (api) (rate(apimon_probe_duration_seconds_count{api=~"payments"}[1m]))',
    ]);
  });

  it('latency by endpoint keeps api (endpoint names are unique per API only); none sums everything', () => {
    expect(exprs({ kind: 'latency', groupBy: 'endpoint', percentiles: ['p99'] })[0]).toBe(
      'histogram_quantile(0.99, sum by (le, api, endpoint) (rate(apimon_probe_duration_seconds_bucket[1m])))'
    );
    expect(exprs({ kind: 'latency', groupBy: 'none', percentiles: ['p50'] })[0]).toBe(
      'histogram_quantile(0.5, sum by (le) (rate(apimon_probe_duration_seconds_bucket[1m])))'
    );
    expect(groupLabels('location')).toEqual(['location']);
  });

  it('criticality filters join through apimon_api_info', () => {
    expect(exprs({ kind: 'latency', criticality: 'critical', provider: 'acme-pay' })[0]).toBe(
      'histogram_quantile(0.95, sum by (le, api) ((rate(apimon_probe_duration_seconds_bucket{provider=~"acme-pay"}[1m]) and on(api) apimon_api_info{criticality=~"critical"})))'
    );
  });
});
