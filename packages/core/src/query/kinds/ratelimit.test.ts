import { buildPromQL } from '.';
import type { ApimonQuery } from '../model';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

function exprs(query: ApimonQuery, range = SIX_HOURS, rules: string[] = []) {
  return buildPromQL(query, range, { recordingRules: new Set(rules) }).exprs.map((e) => e.expr);
}

describe('ratelimit', () => {
  it('ratelimit: remaining, limit by policy; headroom over limits > 0, and 0 for a spent policy without one; exhaustion only while decreasing', () => {
    expect(exprs({ kind: 'ratelimit', rateLimitSignal: 'remaining', api: 'payments' })).toEqual([
      'min by (api, policy) (apimon_ratelimit_remaining{api=~"payments"})',
    ]);
    expect(exprs({ kind: 'ratelimit', rateLimitSignal: 'limit' })).toEqual([
      'max by (api, policy) (apimon_ratelimit_limit)',
    ]);
    expect(exprs({ kind: 'ratelimit' })).toEqual([
      'min by (api) ((apimon_ratelimit_remaining / (apimon_ratelimit_limit > 0) or apimon_ratelimit_remaining == 0))',
    ]);
    expect(exprs({ kind: 'ratelimit', rateLimitSignal: 'exhaustion' })).toEqual([
      'min by (api) (apimon_ratelimit_remaining / -(deriv(apimon_ratelimit_remaining[1m]) < 0))',
    ]);
  });
});
