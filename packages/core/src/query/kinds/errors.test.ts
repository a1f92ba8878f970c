import { buildPromQL } from '.';
import type { ApimonQuery } from '../model';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

function exprs(query: ApimonQuery, range = SIX_HOURS, rules: string[] = []) {
  return buildPromQL(query, range, { recordingRules: new Set(rules) }).exprs.map((e) => e.expr);
}

describe('errors', () => {
  it('errors: ratio is 0 (not absent) without failures; rate is by outcome', () => {
    expect(exprs({ kind: 'errors' })).toEqual([
      '(sum by (api) (rate(apimon_probe_requests_total{outcome!="ok"}[1m])) or sum by (api) (rate(apimon_probe_requests_total[1m])) * 0) / sum by (api) (rate(apimon_probe_requests_total[1m]))',
    ]);
    expect(exprs({ kind: 'errors', errorMode: 'rate', endpoint: 'list-charges' })).toEqual([
      'sum by (api, outcome) (rate(apimon_probe_requests_total{endpoint=~"list-charges", outcome!="ok"}[1m]))',
    ]);
  });
});
