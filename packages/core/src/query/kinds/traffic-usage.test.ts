import { buildPromQL } from '.';
import { RECORDED } from '../../contract';

const T0 = 1_700_000_000_000;
const DAY = { fromMs: T0, toMs: T0 + 86_400_000, maxDataPoints: 1000 };
const ALL = new Set(Object.values(RECORDED));

describe('trafficUsage', () => {
  it('usage now against the catalog usage threshold, per API', () => {
    const p = buildPromQL({ kind: 'trafficUsage' }, DAY);
    expect(p.groupLabels).toEqual(['api']);
    expect(p.exprs[0].expr).toMatch(/ \* on\(api\) group_left\(\) \(max by \(api\) \(apimon_ratelimit_documented_window_seconds\) \/ max by \(api\) \(apimon_ratelimit_documented_limit\)\)$/);
    expect(p.thresholds).toEqual([{ kind: 'usage', expr: 'max by (api) (apimon_threshold_usage_ratio{endpoint=""})', perEndpoint: false }]);
  });

  it("the day's peak, the forecast and the days to the limit from the recorded series", () => {
    const exprs = (['peak', 'forecast', 'daysToLimit'] as const).map((usageSignal) => buildPromQL({ kind: 'trafficUsage', usageSignal, api: 'pay' }, DAY, { recordingRules: ALL }).exprs[0]);
    expect(exprs.map((e) => [e.expr, e.unit])).toEqual([
      ['max by (api) (api:apimon_traffic_usage:max1d{api=~"pay"})', 'percentunit'],
      ['max by (api) (last_over_time(api:apimon_traffic_usage:max1w_predict30d{api=~"pay"}[90m]))', 'percentunit'],
      ['min by (api) (last_over_time(api:apimon_traffic_usage:max1w_days_to_limit{api=~"pay"}[90m]))', 'd'],
    ]);
  });

  it('the peak from a subquery without rules; the forecast needs them and says so', () => {
    expect(buildPromQL({ kind: 'trafficUsage', usageSignal: 'peak' }, DAY).exprs[0].expr).toMatch(/^max_over_time\(\(.*\)\[1d:1m\]\)$/);
    expect(() => buildPromQL({ kind: 'trafficUsage', usageSignal: 'forecast' }, DAY)).toThrow(
      'usageSignal "forecast" reads the recording rule api:apimon_traffic_usage:max1w_predict30d, which the store does not have: load prometheus/recording.yml (its apimon-traffic-* groups) into the store'
    );
  });
});
