import { buildPromQL } from '.';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

describe('trafficUnmapped', () => {
  it('lists the calls no claim matches per host, whatever the filters', () => {
    const p = buildPromQL({ kind: 'trafficUnmapped', api: 'payments' }, SIX_HOURS);
    expect(p.groupLabels).toEqual(['server_address', 'server_port']);
    expect(p.exprs.map((e) => e.id)).toEqual(['rate', 'errors']);
    expect(p.exprs[0].expr).toMatch(/^sum by \(server_address, server_port\) \(\(.*\) unless on\(server_address, server_port, http_request_method, url_template\) \(.*\)\)$/);
    // An API filter must not turn the other APIs' calls into unmapped ones.
    expect(p.exprs[0].expr).not.toContain('payments');
  });
});
