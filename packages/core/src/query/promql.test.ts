import { buildPromQL, groupLabels } from './promql';
import { promString } from '../contract';
import { filterRegExp, isAllValue, regexMatcher } from './matchers';
import { instantWindow, rangeWindow, rateWindowMs } from './windows';
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

describe('steps and windows', () => {
  it('uses max(step + scrape, 4 x scrape) as the rate window', () => {
    expect(rateWindowMs(15_000, 15_000)).toBe(60_000);
    expect(rateWindowMs(60_000, 15_000)).toBe(75_000);
    expect(rateWindowMs(1_000, 1_000)).toBe(4_000);
  });

  it('derives the step from the range and maxDataPoints, rounded up to a nice step, range aligned', () => {
    const w = rangeWindow(SIX_HOURS);
    // 6 h / 1000 points = 21.6 s -> 30 s
    expect(w.stepMs).toBe(30_000);
    expect(w.window).toBe('1m');
    expect(w.startMs % 30_000).toBe(0);
    expect(w.endMs % 30_000).toBe(0);
    expect(w.startMs).toBeLessThanOrEqual(SIX_HOURS.fromMs);
    expect(w.endMs).toBeGreaterThanOrEqual(SIX_HOURS.toMs);
  });

  it('never steps below the scrape interval and honours a larger requested step', () => {
    expect(rangeWindow({ fromMs: T0, toMs: T0 + 60_000, maxDataPoints: 10_000 }).stepMs).toBe(15_000);
    expect(rangeWindow({ fromMs: T0, toMs: T0 + 60_000, stepMs: 120_000 }).stepMs).toBe(120_000);
    const month = rangeWindow({ fromMs: T0, toMs: T0 + 30 * 86_400_000, maxDataPoints: 1000 });
    // 30 d / 1000 points = 2592 s -> 1 h
    expect(month.stepMs).toBe(3_600_000);
    expect(month.window).toBe('1h15s');
  });

  it('keeps a 30-day range under Prometheus 11,000 points even with huge maxDataPoints', () => {
    const w = rangeWindow({ fromMs: T0, toMs: T0 + 30 * 86_400_000, maxDataPoints: 100_000 });
    expect((w.endMs - w.startMs) / w.stepMs).toBeLessThanOrEqual(11_000);
  });

  it('applies a configurable scrape interval', () => {
    const w = rangeWindow({ fromMs: T0, toMs: T0 + 300_000, maxDataPoints: 1000 }, 1_000);
    expect(w.stepMs).toBe(1_000);
    expect(w.window).toBe('4s');
    expect(instantWindow(T0, 1_000, 15_000).window).toBe('1m');
  });
});

describe('PromQL per kind', () => {
  it('latency: histogram_quantile over summed buckets by le and the group; mean = rate(sum)/rate(count)', () => {
    expect(exprs({ kind: 'latency', api: 'payments', percentiles: ['p95', 'mean'] })).toEqual([
      'histogram_quantile(0.95, sum by (le, api) (rate(apimon_probe_duration_seconds_bucket{api=~"payments"}[1m])))',
      'sum by (api) (rate(apimon_probe_duration_seconds_sum{api=~"payments"}[1m])) / sum by (api) (rate(apimon_probe_duration_seconds_count{api=~"payments"}[1m]))',
    ]);
  });

  it('latency by endpoint keeps api (endpoint names are unique per API only); none sums everything', () => {
    expect(exprs({ kind: 'latency', groupBy: 'endpoint', percentiles: ['p99'] })[0]).toBe(
      'histogram_quantile(0.99, sum by (le, api, endpoint) (rate(apimon_probe_duration_seconds_bucket[1m])))'
    );
    expect(exprs({ kind: 'latency', groupBy: 'none', percentiles: ['p50'] })[0]).toBe(
      'histogram_quantile(0.5, sum by (le) (rate(apimon_probe_duration_seconds_bucket[1m])))'
    );
    expect(groupLabels('location')).toEqual(['location']);
  });

  it('criticality filters join through apimon_api_info', () => {
    expect(exprs({ kind: 'latency', criticality: 'critical', provider: 'acme-pay' })[0]).toBe(
      'histogram_quantile(0.95, sum by (le, api) ((rate(apimon_probe_duration_seconds_bucket{provider=~"acme-pay"}[1m]) and on(api) apimon_api_info{criticality=~"critical"})))'
    );
  });

  it('phases: mean per phase by default', () => {
    expect(exprs({ kind: 'phases', api: 'payments' })).toEqual([
      'sum by (api, phase) (rate(apimon_probe_phase_duration_seconds_sum{api=~"payments"}[1m])) / sum by (api, phase) (rate(apimon_probe_phase_duration_seconds_count{api=~"payments"}[1m]))',
    ]);
  });

  it('errors: ratio is 0 (not absent) without failures; rate is by outcome', () => {
    expect(exprs({ kind: 'errors' })).toEqual([
      '(sum by (api) (rate(apimon_probe_requests_total{outcome!="ok"}[1m])) or sum by (api) (rate(apimon_probe_requests_total[1m])) * 0) / sum by (api) (rate(apimon_probe_requests_total[1m]))',
    ]);
    expect(exprs({ kind: 'errors', errorMode: 'rate', endpoint: 'list-charges' })).toEqual([
      'sum by (api, outcome) (rate(apimon_probe_requests_total{endpoint=~"list-charges", outcome!="ok"}[1m]))',
    ]);
  });

  it('ratelimit: remaining, limit by policy; headroom over limits > 0; exhaustion only while decreasing', () => {
    expect(exprs({ kind: 'ratelimit', rateLimitSignal: 'remaining', api: 'payments' })).toEqual([
      'min by (api, policy) (apimon_ratelimit_remaining{api=~"payments"})',
    ]);
    expect(exprs({ kind: 'ratelimit', rateLimitSignal: 'limit' })).toEqual([
      'max by (api, policy) (apimon_ratelimit_limit)',
    ]);
    expect(exprs({ kind: 'ratelimit' })).toEqual([
      'min by (api) (apimon_ratelimit_remaining / (apimon_ratelimit_limit > 0))',
    ]);
    expect(exprs({ kind: 'ratelimit', rateLimitSignal: 'exhaustion' })).toEqual([
      'min by (api) (apimon_ratelimit_remaining / -(deriv(apimon_ratelimit_remaining[1m]) < 0))',
    ]);
  });

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

  it('status: provider indicator and components, api filters joined on provider', () => {
    expect(exprs({ kind: 'status', api: 'payments' })).toEqual([
      'max by (provider) ((apimon_provider_status and on(provider) apimon_api_info{api=~"payments"}))',
      'max by (provider, component) ((apimon_provider_component_status and on(provider) apimon_api_info{api=~"payments"}))',
    ]);
  });

  it('incidents and catalog call the prober API, a single provider is passed through', () => {
    const plan = buildPromQL({ kind: 'incidents', provider: 'acme-pay' }, SIX_HOURS);
    expect(plan.exprs).toEqual([]);
    expect(plan.prober).toEqual([
      {
        path: '/api/v1/incidents',
        params: { from: String(T0), to: String(SIX_HOURS.toMs), provider: 'acme-pay' },
        meaning: expect.any(String),
      },
    ]);
    expect(buildPromQL({ kind: 'incidents', provider: 'a|b' }, SIX_HOURS).prober[0].params.provider).toBeUndefined();
    expect(buildPromQL({ kind: 'catalog' }, SIX_HOURS).prober[0].path).toBe('/api/v1/catalog');
  });

  it('thresholds come from the per-API series (endpoint="") or per endpoint', () => {
    expect(buildPromQL({ kind: 'latency', api: 'payments' }, SIX_HOURS).thresholds).toEqual([
      {
        kind: 'latency',
        expr: 'max by (api) (apimon_threshold_latency_seconds{api=~"payments", endpoint=""})',
        perEndpoint: false,
      },
    ]);
    expect(buildPromQL({ kind: 'errors', groupBy: 'endpoint' }, SIX_HOURS).thresholds[0].expr).toBe(
      'max by (api, endpoint) (apimon_threshold_error_ratio{endpoint!=""})'
    );
  });

  it('summary: instant KPIs over its window, recording rules when their window matches', () => {
    const plan = buildPromQL({ kind: 'summary', api: 'payments', window: '5m' }, SIX_HOURS, {
      recordingRules: new Set(['apimon:probe_duration_seconds_bucket:rate5m']),
    });
    const byId = Object.fromEntries(plan.exprs.map((e) => [e.id, e]));
    expect(byId.latencyP95.expr).toBe(
      'histogram_quantile(0.95, sum by (le, api) (apimon:probe_duration_seconds_bucket:rate5m{api=~"payments"}))'
    );
    expect(byId.latencyP95.instant).toBe(true);
    expect(byId.errorRatio.expr).toContain('rate(apimon_probe_requests_total{api=~"payments"}[5m])');
    // The sparkline is a range query over the range window (no recording rule for 1m).
    expect(byId.sparkline).toMatchObject({
      instant: false,
      name: 'latency_p95',
      expr: 'histogram_quantile(0.95, sum by (le, api) (rate(apimon_probe_duration_seconds_bucket{api=~"payments"}[1m])))',
    });
    expect(byId.info.expr).toBe('apimon_api_info{api=~"payments"}');
    expect(() => buildPromQL({ kind: 'summary', window: 'soon' }, SIX_HOURS)).toThrow(
      /window: "soon" is not a duration/
    );
  });

  it('rejects an inverted range and an unknown kind with the field named', () => {
    expect(() => buildPromQL({ kind: 'latency' }, { fromMs: 2, toMs: 1 })).toThrow(/time range: from/);
    expect(() => buildPromQL({ kind: 'nope' as never }, SIX_HOURS)).toThrow(/kind: "nope"/);
  });
});
