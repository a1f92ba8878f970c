import { buildPromQL } from '.';
import { DEFAULT_TRAFFIC_SETTINGS, presetSource } from '../../traffic/sources';
import type { ApimonQuery } from '../model';
import { TrafficExprs } from '../traffic';
import { instantWindow } from '../windows';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };
/** The recorded series' window, as the summary and `apimon status` evaluate. */
const FIVE_MINUTES = instantWindow(T0, 300_000);
const TRAFFIC_RULES = ['traffic_key:apimon_traffic_match:most_specific', 'api:apimon_traffic_requests:rate5m'];

const plan = (query: ApimonQuery, range = SIX_HOURS, rules: string[] = [], opts = {}) =>
  buildPromQL(query, range, { recordingRules: new Set(rules), ...opts });

describe('traffic', () => {
  it('joins the raw OpenTelemetry rates with the catalog claims inline when the store has no rules', () => {
    const p = plan({ kind: 'traffic' });
    expect(p.groupLabels).toEqual(['api']);
    expect(p.window.window).toBe('1m');
    expect(p.exprs[0].expr).toMatch(/^sum by \(api\) \(/);
    expect(p.exprs[0].expr).toContain('rate(http_client_request_duration_count[1m])');
    expect(p.exprs[0].expr).toContain('apimon_traffic_match{');
    expect(p.exprs[0].unit).toBe('reqps');
  });

  it('joins with the recorded attribution, and reads the recorded rate when the window is its 5 minutes', () => {
    const raw = plan({ kind: 'traffic', groupBy: 'provider' }, SIX_HOURS, TRAFFIC_RULES).exprs[0].expr;
    expect(raw).toContain('group_left(api, provider) (traffic_key:apimon_traffic_match:most_specific)');
    expect(raw).not.toContain('apimon_traffic_match{');
    expect(new TrafficExprs({}, FIVE_MINUTES, new Set(TRAFFIC_RULES)).requests(['provider'])).toBe('sum by (provider) (api:apimon_traffic_requests:rate5m)');
    // Without the rule, the raw rate over the same window.
    expect(new TrafficExprs({}, FIVE_MINUTES, new Set()).requests(['provider'])).toContain('rate(http_client_request_duration_count[5m])');
  });

  it('narrows the attribution to the filtered APIs, criticality through apimon_api_info', () => {
    const inline = plan({ kind: 'traffic', api: 'payments', criticality: 'critical' }).exprs[0].expr;
    expect(inline).toContain(') and on(api) apimon_api_info{api=~"payments", criticality=~"critical"})');
    const recorded = plan({ kind: 'traffic', provider: 'acme' }, SIX_HOURS, TRAFFIC_RULES).exprs[0].expr;
    expect(recorded).toContain('(traffic_key:apimon_traffic_match:most_specific{provider=~"acme"})');
    expect(new TrafficExprs({ api: 'payments', criticality: 'critical' }, FIVE_MINUTES, new Set(TRAFFIC_RULES)).requests(['api'])).toBe(
      'sum by (api) ((api:apimon_traffic_requests:rate5m{api=~"payments"} and on(api) apimon_api_info{criticality=~"critical"}))'
    );
  });

  it('reads the catalog settings: a custom source, dotted names quoted', () => {
    const expr = plan({ kind: 'traffic' }, SIX_HOURS, [], {
      trafficSettings: { ...DEFAULT_TRAFFIC_SETTINGS, sources: [presetSource('stable-utf8')] },
    }).exprs[0].expr;
    expect(expr).toContain('rate({"http.client.request.duration_count"}[1m])');
    expect(expr).not.toContain('http_client_duration');
  });

  it('says which groupings real traffic has', () => {
    expect(() => plan({ kind: 'traffic', groupBy: 'endpoint' })).toThrow(
      'groupBy: "endpoint" is not available for real traffic: its series carry api and provider (use "api", "provider", "none")'
    );
    expect(plan({ kind: 'traffic', groupBy: 'none' }).exprs[0].legend).toBe('all APIs calls/s');
  });
});
