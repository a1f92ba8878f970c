import { buildPromQL } from '.';
import type { ApimonQuery } from '../model';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

function exprs(query: ApimonQuery, range = SIX_HOURS, rules: string[] = []) {
  return buildPromQL(query, range, { recordingRules: new Set(rules) }).exprs.map((e) => e.expr);
}

describe('phases', () => {
  it('phases: mean per phase by default', () => {
    expect(exprs({ kind: 'phases', api: 'payments' })).toEqual([
      'sum by (api, phase) (rate(apimon_probe_phase_duration_seconds_sum{api=~"payments"}[1m])) / sum by (api, phase) (rate(apimon_probe_phase_duration_seconds_count{api=~"payments"}[1m]))',
    ]);
  });
});
