import { buildPromQL } from '.';
import type { ApimonQuery } from '../model';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

function exprs(query: ApimonQuery, range = SIX_HOURS, rules: string[] = []) {
  return buildPromQL(query, range, { recordingRules: new Set(rules) }).exprs.map((e) => e.expr);
}

describe('status', () => {
  it('status: provider indicator and components, api filters joined on provider', () => {
    expect(exprs({ kind: 'status', provider: 'acme' })).toEqual([
      'max by (provider) (apimon_provider_status{provider=~"acme"})',
      'max by (provider, component) (apimon_provider_component_status{provider=~"acme"})',
    ]);
    expect(exprs({ kind: 'status', api: 'payments' })).toEqual([
      'max by (api, provider) (apimon_api_provider_status{api=~"payments"})',
      'max by (provider) ((apimon_provider_status and on(provider) apimon_api_info{api=~"payments"}))',
      'max by (provider, component) ((apimon_provider_component_status and on(provider) apimon_api_info{api=~"payments"}))',
    ]);
  });

  it("status of named APIs: each API's own view of the page, which the alerts judge it by", () => {
    expect(exprs({ kind: 'status', api: 'pay.*', criticality: 'critical' })[0]).toBe(
      '(max by (api, provider) (apimon_api_provider_status{api=~"pay.*"}) and on(api) apimon_api_info{criticality=~"critical"})'
    );
  });
});
