import { buildPromQL } from '.';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

describe('availability', () => {
  it('availability: rolling ratio and burn rate plus instant values over the whole range', () => {
    const plan = buildPromQL({ kind: 'availability', sloTarget: 0.999, groupBy: 'none' }, SIX_HOURS);
    const err = (w: string) =>
      `(sum (rate(apimon_probe_requests_total{outcome!="ok"}[${w}])) or sum (rate(apimon_probe_requests_total[${w}])) * 0) / sum (rate(apimon_probe_requests_total[${w}]))`;
    expect(plan.exprs.map((e) => [e.id, e.instant, e.expr])).toEqual([
      ['availability', false, `1 - (${err('1m')})`],
      ['burn', false, `(${err('1m')}) / 0.001`],
      ['range_availability', true, `1 - (${err('6h')})`],
      ['range_burn', true, `(${err('6h')}) / 0.001`],
    ]);
    expect(() => buildPromQL({ kind: 'availability', sloTarget: 1 }, SIX_HOURS)).toThrow(
      /sloTarget: 1 must be a ratio/
    );
  });
});
