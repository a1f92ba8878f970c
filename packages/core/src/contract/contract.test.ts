import {
  API_LEVEL,
  apiDashboardLink,
  apiThreshold,
  errorRatio,
  errorRatioTerms,
  LOADTEST_METRIC_DEFS,
  LOADTEST_METRICS,
  LOADTEST_RUN_LABELS,
  METRIC_DEFS,
  METRIC_PREFIX,
  METRICS,
  OUTCOMES,
  PROVIDER_FAILED_OUTCOME,
  PROVIDER_FAILURE_OUTCOMES,
  rawErrorRatioTerms,
  RECORDED,
  RECORDED_RATES,
  RECORDING_GROUPS,
  recordedNamesIn,
  recordingPasses,
  selector,
  trafficRecordingGroups,
  STATUS_LEVEL_SCALE,
  statusLevelFromValue,
  statusLevelValue,
  thresholdBy,
  thresholdSelector,
} from '.';
import { presetSource } from '../traffic/sources';

describe('metric definitions', () => {
  it('name every series under the apimon_ prefix, counters with _total, once', () => {
    const names = Object.values(METRIC_DEFS).map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const def of Object.values(METRIC_DEFS)) {
      expect(def.name.startsWith(METRIC_PREFIX)).toBe(true);
      expect(def.name.endsWith('_total')).toBe(def.type === 'counter');
      expect(def.help).toMatch(/\.$/);
    }
    expect(METRICS.probeDuration).toBe('apimon_probe_duration_seconds');
  });

  it('name the load-test series apart from the prober\'s: gauges under apimon_loadtest_, per run or per stage', () => {
    const names = Object.values(LOADTEST_METRIC_DEFS).map((d) => d.name);
    const proberNames = new Set<string>(Object.values(METRIC_DEFS).map((d) => d.name));
    expect(new Set(names).size).toBe(names.length);
    for (const def of Object.values(LOADTEST_METRIC_DEFS)) {
      expect(def.name.startsWith(`${METRIC_PREFIX}loadtest_`)).toBe(true);
      expect(proberNames.has(def.name)).toBe(false);
      expect(def.type).toBe('gauge');
      expect(def.labels.slice(0, LOADTEST_RUN_LABELS.length)).toEqual([...LOADTEST_RUN_LABELS]);
      expect(def.help).toMatch(/\.$/);
    }
    expect(LOADTEST_METRICS.kneeRate).toBe('apimon_loadtest_knee_rate');
    expect(LOADTEST_METRIC_DEFS.latency.labels).toEqual([...LOADTEST_RUN_LABELS, 'stage', 'quantile']);
  });

  it('keeps the provider failure outcomes a subset of the outcomes', () => {
    for (const o of PROVIDER_FAILURE_OUTCOMES) {
      expect(OUTCOMES).toContain(o);
    }
    expect(PROVIDER_FAILED_OUTCOME).toBe('outcome=~"timeout|dns|connect|tls|http_5xx"');
  });

  it('maps status levels to gauge values and back, unknown as -1', () => {
    for (const { level, value } of STATUS_LEVEL_SCALE) {
      expect(statusLevelValue(level)).toBe(value);
      expect(statusLevelFromValue(value)).toBe(level);
    }
    expect(statusLevelFromValue(7)).toBe('unknown');
  });
});

describe('PromQL building blocks', () => {
  const terms = rawErrorRatioTerms('5m', ['api']);

  it('writes the error ratio terms over the probe counter', () => {
    expect(terms).toEqual({
      failed: 'sum by (api) (rate(apimon_probe_requests_total{outcome!="ok"}[5m]))',
      all: 'sum by (api) (rate(apimon_probe_requests_total[5m]))',
    });
    const recorded = errorRatioTerms((m) => selector('apimon:probe_requests:rate5m', m), []);
    expect(recorded.failed).toBe('sum (apimon:probe_requests:rate5m{outcome!="ok"})');
  });

  it('spells the one ratio for the engine, the dashboards and the alerts', () => {
    expect(errorRatio.zeroFilled({ failed: 'F', all: 'A' })).toBe('(F or A * 0) / A');
    expect(errorRatio.probedOnly({ failed: 'F', all: 'A' })).toBe('((F or A * 0) / (A > 0))');
    expect(errorRatio.probedOnly({ failed: 'F', all: 'A' }, 'block')).toBe('(\n  F\n  or A * 0\n)\n/ (A > 0)\n');
    expect(errorRatio.plain({ failed: 'F', all: 'A' }, '\n  ')).toBe('F\n  / A');
  });

  it('selects the API-level threshold with endpoint="" and endpoint overrides with endpoint!=""', () => {
    expect(apiThreshold(METRICS.thresholdErrorRatio)).toBe('max by (api) (apimon_threshold_error_ratio{endpoint=""})');
    expect(thresholdBy('endpoint', thresholdSelector(METRICS.thresholdLatency, 'endpoint', ['api="x"']))).toBe(
      'max by (api, endpoint) (apimon_threshold_latency_seconds{api="x", endpoint!=""})'
    );
    expect(API_LEVEL).toBe('endpoint=""');
  });

  it('links to the API dashboard with a template or an encoded name', () => {
    expect(apiDashboardLink('${api}')).toBe('/d/apimon-api?var-api=${api}');
    expect(apiDashboardLink(encodeURIComponent('a b'), { keepTime: true })).toBe(
      '/d/apimon-api?var-api=a%20b&${__url_time_range}'
    );
  });
});

describe('recording rules', () => {
  const rules = RECORDING_GROUPS.flatMap((g) => g.rules);

  it('record every name of RECORDED exactly once', () => {
    expect(rules.map((r) => r.record).sort()).toEqual(Object.values(RECORDED).sort());
  });

  it('record the rates the engine reads, keeping every label it groups by', () => {
    for (const rate of RECORDED_RATES) {
      const rule = rules.find((r) => r.record === rate.record)!;
      expect(rule.expr).toBe(`sum by (${rate.keeps.join(', ')}) (rate(${rate.metric}[5m]))`);
    }
  });

  it('read raw series only in the probe groups, so a backfill evaluates them in one pass', () => {
    for (const rule of RECORDING_GROUPS.filter((g) => !g.name.startsWith('apimon-traffic-')).flatMap((g) => g.rules)) {
      expect(rule.expr).not.toMatch(/\b[a-z_]+:[a-z_]+:[a-z0-9_]+\b/);
    }
  });

  it('join real traffic with the recorded attribution, which alone evaluates the claims', () => {
    const traffic = trafficRecordingGroups().flatMap((g) => g.rules);
    expect(traffic[0].record).toBe(RECORDED.trafficAttribution);
    expect(traffic[0].expr).toContain('apimon_traffic_match{');
    for (const rule of traffic.slice(1)) {
      expect({ rule: rule.record, readsClaims: rule.expr.includes('apimon_traffic_match{') }).toEqual({ rule: rule.record, readsClaims: false });
    }
  });

  it('read only rules recorded above them, in a group of the same or a shorter interval', () => {
    const seen = new Set<string>();
    for (const rule of rules) {
      for (const input of recordedNamesIn(rule.expr).filter((n) => n !== rule.record)) {
        expect({ rule: rule.record, input, recordedAbove: seen.has(input) }).toEqual({ rule: rule.record, input, recordedAbove: true });
      }
      seen.add(rule.record);
    }
  });

  it('split into backfill passes that each read only what earlier passes recorded', () => {
    const passes = recordingPasses();
    expect(passes.map((p) => p.flatMap((g) => g.rules.map((r) => r.record))).flat().sort()).toEqual(Object.values(RECORDED).sort());
    const before = new Set<string>();
    for (const pass of passes) {
      const records = pass.flatMap((g) => g.rules);
      for (const rule of records) {
        for (const input of recordedNamesIn(rule.expr).filter((n) => n !== rule.record)) {
          expect({ rule: rule.record, input, earlier: before.has(input) }).toEqual({ rule: rule.record, input, earlier: true });
        }
      }
      records.forEach((r) => before.add(r.record));
    }
    // Attribution; per-API rates; quantiles and usage; peaks; forecast.
    expect(passes).toHaveLength(5);
    expect(passes[0].flatMap((g) => g.name)).toContain('apimon-recording-5m');
  });

  it('read the catalog settings: custom metric and label names, dotted ones quoted', () => {
    const custom = trafficRecordingGroups({
      identityLabels: ['job'],
      sources: [presetSource('stable-utf8'), presetSource('old-utf8')],
    });
    const exprs = custom.flatMap((g) => g.rules.map((r) => r.expr)).join('\n');
    expect(exprs).toContain('{"http.client.request.duration_count"}');
    expect(exprs).toContain('"server_address", "$1", "net.peer.name", "(.*)"');
    expect(exprs).not.toContain('http_client_request_duration_count');
    expect(exprs).toContain('or on(job, server_address)');
  });
});
