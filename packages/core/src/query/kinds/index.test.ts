import { buildPromQL } from '.';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

describe('buildPromQL', () => {
  it('thresholds come from the per-API series (endpoint="") or per endpoint', () => {
    expect(buildPromQL({ kind: 'latency', api: 'payments' }, SIX_HOURS).thresholds).toEqual([
      {
        kind: 'latency',
        expr: 'max by (api) (apimon_threshold_latency_seconds{api=~"payments", endpoint=""})',
        perEndpoint: false,
      },
    ]);
    expect(buildPromQL({ kind: 'errors', groupBy: 'endpoint' }, SIX_HOURS).thresholds[0].expr).toBe(
      'max by (api, endpoint) (apimon_threshold_error_ratio{endpoint!=""})'
    );
  });

  it('rejects an inverted range and an unknown kind with the field named', () => {
    expect(() => buildPromQL({ kind: 'latency' }, { fromMs: 2, toMs: 1 })).toThrow(/time range: from/);
    expect(() => buildPromQL({ kind: 'nope' as never }, SIX_HOURS)).toThrow(/kind: "nope"/);
  });
});
