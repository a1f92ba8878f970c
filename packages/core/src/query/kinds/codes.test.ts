import { buildPromQL } from '.';

describe('codes', () => {
  it('sums probes per second by status code within the grouping', () => {
    const plan = buildPromQL(
      { kind: 'codes', groupBy: 'provider' },
      { fromMs: 0, toMs: 3_600_000, maxDataPoints: 1000 }
    );
    expect(plan.exprs.map((e) => e.expr)).toEqual(['sum by (provider, code) (rate(apimon_probe_requests_total[1m]))']);
    expect(plan.groupLabels).toEqual(['provider', 'code']);
  });
});
