import { buildPromQL } from '.';
import { TrafficExprs } from '../traffic';
import { instantWindow } from '../windows';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

describe('trafficLatency', () => {
  it('percentiles of the seconds and milliseconds histograms alike, the p95 against the latency threshold', () => {
    const p = buildPromQL({ kind: 'trafficLatency', percentiles: ['p50', 'p95'] }, SIX_HOURS);
    expect(p.exprs.map((e) => [e.id, e.threshold])).toEqual([
      ['p50', undefined],
      ['p95', 'latency'],
    ]);
    expect(p.exprs[1].expr).toMatch(/^histogram_quantile\(0\.95, sum by \(api, le\) /);
    expect(p.exprs[1].expr).toContain('"le", "0.00$1$2"');
  });

  it('reads the recorded buckets for any percentile over 5 minutes', () => {
    const t = new TrafficExprs({}, instantWindow(T0, 300_000), new Set(['api:apimon_traffic_request_duration_seconds_bucket:rate5m']));
    expect(t.latency(0.9, ['provider'])).toBe('histogram_quantile(0.9, sum by (le, provider) (api:apimon_traffic_request_duration_seconds_bucket:rate5m))');
  });

  it('has no mean', () => {
    expect(() => buildPromQL({ kind: 'trafficLatency', percentiles: ['mean'] }, SIX_HOURS)).toThrow(/percentiles: "mean" is not available for real traffic/);
  });
});
