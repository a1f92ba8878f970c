import { buildPromQL } from '.';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

describe('summary', () => {
  it('summary: instant KPIs over its window, recording rules when their window matches', () => {
    const plan = buildPromQL({ kind: 'summary', api: 'payments', window: '5m' }, SIX_HOURS, {
      recordingRules: new Set(['apimon:probe_duration_seconds_bucket:rate5m']),
    });
    const byId = Object.fromEntries(plan.exprs.map((e) => [e.id, e]));
    expect(byId.latencyP95Seconds.expr).toBe(
      'histogram_quantile(0.95, sum by (le, api) (apimon:probe_duration_seconds_bucket:rate5m{api=~"payments"}))'
    );
    expect(byId.latencyP95Seconds.instant).toBe(true);
    expect(byId.errorRatio.expr).toContain('rate(apimon_probe_requests_total{api=~"payments"}[5m])');
    // The sparkline is a range query over the range window (no recording rule for 1m).
    expect(byId.sparkline).toMatchObject({
      instant: false,
      name: 'latency_p95',
      expr: 'histogram_quantile(0.95, sum by (le, api) (rate(apimon_probe_duration_seconds_bucket{api=~"payments"}[1m])))',
    });
    expect(byId.info.expr).toBe('apimon_api_info{api=~"payments"}');
    expect(() => buildPromQL({ kind: 'summary', window: 'soon' }, SIX_HOURS)).toThrow(
      /window: "soon" is not a duration/
    );
  });
});
