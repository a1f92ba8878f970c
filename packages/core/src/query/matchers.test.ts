import { promString } from '../contract';
import { buildPromQL } from './kinds';
import { filterRegExp, isAllValue, regexMatcher } from './matchers';
import type { ApimonQuery } from './model';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

function exprs(query: ApimonQuery, range = SIX_HOURS, rules: string[] = []) {
  return buildPromQL(query, range, { recordingRules: new Set(rules) }).exprs.map((e) => e.expr);
}

describe('filters to label matchers', () => {
  it.each(['', '.*', '$__all', undefined, ' .* '])('treats %p as every value (no matcher)', (v) => {
    expect(isAllValue(v)).toBe(true);
    expect(regexMatcher('api', v)).toBeUndefined();
  });

  it('keeps multi-value regexes as anchored =~ matchers', () => {
    expect(regexMatcher('api', '(payments|geocoding)')).toBe('api=~"(payments|geocoding)"');
  });

  it('escapes backslashes, quotes and newlines for a PromQL string', () => {
    expect(promString('geo\\.loc"x\ny')).toBe('"geo\\\\.loc\\"x\\ny"');
    expect(exprs({ kind: 'codes', api: 'a"b', groupBy: 'none' })[0]).toBe(
      'sum by (code) (rate(apimon_probe_requests_total{api=~"a\\"b"}[1m]))'
    );
  });

  it('matches like Prometheus (anchored) for data filtered outside the store', () => {
    const re = filterRegExp('provider', 'acme|geo.*')!;
    expect(re.test('acme')).toBe(true);
    expect(re.test('acme-pay')).toBe(false);
    expect(re.test('geoloc')).toBe(true);
    expect(() => filterRegExp('provider', '(')).toThrow(/filter provider: "\(" is not a valid regular expression/);
  });
});
