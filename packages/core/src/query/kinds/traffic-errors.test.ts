import { buildPromQL } from '.';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

describe('trafficErrors', () => {
  it('ratio: failed real calls against the API error threshold, and the throttled share beside it', () => {
    const p = buildPromQL({ kind: 'trafficErrors', api: 'payments' }, SIX_HOURS);
    expect(p.exprs.map((e) => [e.id, e.unit, e.threshold])).toEqual([
      ['ratio', 'percentunit', 'errorRatio'],
      ['throttled', 'percentunit', undefined],
    ]);
    expect(p.exprs[0].expr).toContain('http_response_status_code=~"5.."');
    expect(p.exprs[1].expr).toContain('http_response_status_code="429"');
    expect(p.thresholds).toEqual([
      { kind: 'errorRatio', expr: 'max by (api) (apimon_threshold_error_ratio{api=~"payments", endpoint=""})', perEndpoint: false },
    ]);
  });

  it('rate: real calls per second by status code', () => {
    const p = buildPromQL({ kind: 'trafficErrors', errorMode: 'rate' }, SIX_HOURS);
    expect(p.groupLabels).toEqual(['api', 'http_response_status_code']);
    expect(p.exprs[0].expr).toMatch(/^sum by \(api, http_response_status_code\) /);
  });
});
