import { buildPromQL } from '.';
import type { ApimonQuery } from '../model';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

function exprs(query: ApimonQuery, range = SIX_HOURS, rules: string[] = []) {
  return buildPromQL(query, range, { recordingRules: new Set(rules) }).exprs.map((e) => e.expr);
}

describe('status', () => {
  it('status: provider indicator and components, api filters joined on provider', () => {
    expect(exprs({ kind: 'status', api: 'payments' })).toEqual([
      'max by (provider) ((apimon_provider_status and on(provider) apimon_api_info{api=~"payments"}))',
      'max by (provider, component) ((apimon_provider_component_status and on(provider) apimon_api_info{api=~"payments"}))',
    ]);
  });
});
