// The provisioned PromQL against a real store holding three hours of synthetic apimon history,
// with faults injected 20 minutes before the end, on each store (test/helpers/stores.ts):
// Prometheus backfilled with promtool, VictoriaMetrics loaded by its import API with the
// recording rules replayed by vmalert:
// - every alert expression returns exactly the APIs in trouble, and nothing before the faults;
// - every dashboard and recording-rule expression runs and returns data;
// - the 30-day panels read recorded series that agree with the same query on raw series.
import { join } from 'node:path';
import { ALERT_SIGNALS, API_PANELS } from '../../scripts/provisioning/alerts';
import { DASHBOARD_UIDS, judgeApi, RECORDED, recordingPasses, type VerdictInput } from '@apimon/core';
import { RAW_EQUIVALENTS, type PromTarget, type ThresholdStep } from '../../scripts/provisioning/dashboard-kit';
import { DASHBOARD_BUILDERS } from '../../scripts/provisioning/dashboards';
import { EXPECTED_FIRING, SCENARIO_APIS, SCENARIO_UNMAPPED_RPS } from '../helpers/scenario';
import { startBackfilledStore, toolsAvailable, type BackfilledStore } from '../helpers/store';
import { describeStores } from '../helpers/stores';
import { syntheticOpenMetrics } from '../helpers/synthetic';
import { dashboardPromTargets, substituteVariables } from './promql-targets';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';

const ROOT = join(__dirname, '..', '..');
const RECORDING = join(ROOT, 'prometheus', 'recording.yml');
const ALERTS = join(ROOT, 'prometheus', 'alerts.yml');
const MINUTE = 60_000;
// The history ends three hours ago, clear of the range the running Prometheus's head covers.
const end = Math.floor(Date.now() / MINUTE) * MINUTE - 180 * MINUTE;
const start = end - 180 * MINUTE;
const faultFrom = end - 20 * MINUTE;
const endSec = end / 1000;

describeStores('provisioned PromQL on a real store with apimon history', (kind) => {
  let store: BackfilledStore;

  beforeAll(async () => {
    // Generous: backfilling in passes (the real-traffic rules read other rules) and a Prometheus
    // start per pass on 2 shared cores.
    store = await startBackfilledStore({
      store: kind,
      openMetrics: syntheticOpenMetrics({
        apis: SCENARIO_APIS,
        startMs: start,
        endMs: end,
        stepMs: 15_000,
        faultFromMs: faultFrom,
        phases: true,
        unmappedRps: SCENARIO_UNMAPPED_RPS,
        auditRun: true,
      }),
      ruleFiles: [RECORDING, ALERTS],
      backfillPasses: { passes: recordingPasses(), startMs: start, endMs: end },
    });
  }, 240_000);

  afterAll(async () => {
    await store?.stop();
  });

  const apisOf = async (expr: string, timeSec: number) => {
    const { result } = await store.instant(expr, timeSec);
    return result.map((r) => r.metric.api).sort();
  };

  it.each(ALERT_SIGNALS.map((s) => [s.alert, s] as const))('%s returns exactly the APIs in trouble', async (alert, signal) => {
    expect(await apisOf(signal.expr, endSec)).toEqual(EXPECTED_FIRING[alert]);
  });

  it.each(ALERT_SIGNALS.map((s) => [s.alert, s] as const))('%s stays quiet before the faults', async (_alert, signal) => {
    expect(await apisOf(signal.expr, (faultFrom - 2 * MINUTE) / 1000)).toEqual([]);
  });

  it('ApimonNoData fires where the store has no apimon data', async () => {
    const noData = ALERT_SIGNALS.find((s) => s.alert === 'ApimonNoData')!;
    const { result } = await store.instant(noData.expr, (start - 60 * MINUTE) / 1000);
    expect(result).toHaveLength(1);
    expect(Number(result[0].value![1])).toBe(1);
  });

  it('alert series carry the routing labels, and the threshold query has the same labels with the catalog value', async () => {
    for (const signal of ALERT_SIGNALS.filter((s) => s.alert !== 'ApimonNoData')) {
      const fired = (await store.instant(signal.expr, endSec)).result;
      for (const series of fired) {
        expect(series.metric).toEqual(expect.objectContaining({ api: expect.any(String), provider: expect.any(String), criticality: expect.any(String), owner: expect.any(String) }));
      }
      if (!signal.threshold) {
        continue;
      }
      const thresholds = (await store.instant(signal.threshold.expr, endSec)).result;
      for (const series of fired) {
        const match = thresholds.find((t) => JSON.stringify(t.metric) === JSON.stringify(series.metric));
        expect(match).toBeDefined();
        const api = SCENARIO_APIS.find((a) => a.api === series.metric.api)!;
        const expected: Record<string, number | undefined> = {
          latency: api.thresholds.latency,
          traffic_latency: api.thresholds.latency,
          headroom: api.thresholds.headroom,
          traffic_usage: api.traffic?.documentedLimit?.usageThreshold,
        };
        expect(Number(match!.value![1])).toBeCloseTo(expected[signal.signal] ?? api.thresholds.errorRatio, 6);
      }
    }
  });

  it('alert values are the measured signal', async () => {
    const value = async (alert: string, api: string) => {
      const signal = ALERT_SIGNALS.find((s) => s.alert === alert)!;
      const { result } = await store.instant(signal.expr, endSec);
      return Number(result.find((r) => r.metric.api === api)!.value![1]);
    };
    // 0.45 s probes fall in the (0.25, 0.5] bucket: histogram_quantile interpolates to 0.4875.
    expect(await value('ApimonLatencyHigh', 'pay-slow')).toBeCloseTo(0.4875, 3);
    expect(await value('ApimonErrorRatioHigh', 'geo-errors')).toBeCloseTo(0.3, 2);
    expect(await value('ApimonRateLimitHeadroomLow', 'sms-quota')).toBe(0);
    const exhaustion = await value('ApimonRateLimitExhaustionSoon', 'mail-burn');
    expect(exhaustion).toBeGreaterThan(0);
    expect(exhaustion).toBeLessThan(3600);
    expect(await value('ApimonTlsCertificateExpiring', 'tls-soon')).toBeCloseTo(5, 0);
    expect(await value('ApimonProviderMajorOutage', 'ad-feed')).toBe(4);
    // Real traffic: 90 calls/s against 100/s; half of 2 calls/s throttled; 20 % of search's calls
    // failing (and only them: its probes pass); 0.45 s calls in the (0.25, 0.5] bucket; 50 % of
    // cdn-probe's probes failing while its real calls succeed.
    expect(await value('ApimonTrafficUsageNearLimit', 'pay-quota')).toBeCloseTo(0.9, 2);
    expect(await value('ApimonTrafficThrottled', 'sms-quota')).toBeCloseTo(1, 2);
    expect(await value('ApimonTrafficFailingProbesPass', 'search')).toBeCloseTo(0.2, 2);
    expect(await value('ApimonTrafficErrorRatioHigh', 'crm-down')).toBeCloseTo(1, 6);
    expect(await value('ApimonTrafficLatencyHigh', 'pay-slow')).toBeCloseTo(0.4875, 3);
    expect(await value('ApimonProbesFailingTrafficPasses', 'cdn-probe')).toBeCloseTo(0.5, 2);
  });

  it('every recording rule evaluates over the backfilled history', async () => {
    const groups = (parse(readFileSync(RECORDING, 'utf8')) as { groups: Array<{ rules: Array<{ record: string }> }> }).groups;
    for (const rule of groups.flatMap((g) => g.rules)) {
      // Hourly rules have a sample within the last hour, not within the 5-minute lookback.
      const { result } = await store.instant(`last_over_time(${rule.record}[70m])`, endSec);
      expect({ rule: rule.record, series: result.length > 0 }).toEqual({ rule: rule.record, series: true });
    }
  });

  it('every Prometheus query of the dashboards runs and returns data', async () => {
    // Two dashboards read series synthetic history does not have: the load-test dashboard reads
    // what apimon loadtest writes (test/loadtest/dashboard.integration.test.ts) and prober health
    // the prober's own series (test/prober/self-monitoring.integration.test.ts, a live prober).
    const elsewhere: string[] = [DASHBOARD_UIDS.loadTests, DASHBOARD_UIDS.prober];
    const apiDashboards = Object.entries(DASHBOARD_BUILDERS).filter(([uid]) => !elsewhere.includes(uid));
    const targets = dashboardPromTargets(apiDashboards.map(([, build]) => build()));
    expect(targets.length).toBeGreaterThan(20);
    for (const t of targets) {
      // Per-API panels: data for at least one of the scenario's APIs (skips exist only for sms-quota).
      let hasData = false;
      for (const api of ['pay-slow', 'sms-quota', 'tls-soon']) {
        const expr = substituteVariables(t.expr, { api, rangeSeconds: 10_800 });
        const { result } = t.instant ? await store.instant(expr, endSec) : await store.range(expr, start / 1000, endSec, 60);
        hasData ||= result.length > 0;
      }
      expect({ panel: `${t.dashboard} #${t.panelId} ${t.refId}`, hasData }).toEqual({ panel: `${t.dashboard} #${t.panelId} ${t.refId}`, hasData: true });
    }
  });

  it('colours every API as the verdict judges it: its own thresholds, the verdict margins', async () => {
    const colourOf = (steps: ThresholdStep[], v: number) => steps.filter((s) => s.value === null || v >= s.value).pop()!.color;
    const stateOf: Record<string, string> = { green: 'ok', orange: 'warning', red: 'critical' };
    const panel = (uid: keyof typeof DASHBOARD_BUILDERS, id: number) => DASHBOARD_BUILDERS[uid]().panels.find((p) => p.id === id)!;
    const judged = async (uid: keyof typeof DASHBOARD_BUILDERS, id: number, api = '') => {
      const p = panel(uid, id);
      const expr = substituteVariables((p.targets![0] as PromTarget).expr, { api, rangeSeconds: 3600 });
      const steps = (p.fieldConfig!.defaults.thresholds as { steps: ThresholdStep[] }).steps;
      const { result } = await store.instant(expr, endSec);
      return new Map(result.map((r) => [r.metric.api ?? api, stateOf[colourOf(steps, Number(r.value![1]))]]));
    };
    const verdict = (api: string, input: Partial<VerdictInput>) => {
      const a = SCENARIO_APIS.find((x) => x.api === api)!;
      const none = { latencyP95Seconds: null, errorRatio: null, headroomRatio: null, exhaustionSeconds: null, tlsExpiresAt: null, providerStatus: '' };
      const thresholds = { latencyThresholdSeconds: a.thresholds.latency, errorThreshold: a.thresholds.errorRatio, headroomThreshold: a.thresholds.headroom };
      const v = judgeApi({ ...none, ...thresholds, ...input }, end);
      return v.state === 'unknown' ? 'ok' : v.state;
    };
    // Lowest headroom against each API's minimum (overview): every API with a rate limit.
    const headroom = await judged(DASHBOARD_UIDS.overview, 8);
    const left: Record<string, number> = { search: 0.9, 'pay-quota': 0.3, 'mail-burn': 100 / 600, 'sms-quota': 0 };
    expect(Object.fromEntries(headroom)).toEqual(Object.fromEntries(Object.entries(left).map(([api, h]) => [api, verdict(api, { headroomRatio: h })])));
    expect(headroom.get('pay-quota')).toBe('warning');
    // Worst error ratio against each API's threshold (overview), over the last hour.
    for (const [api, state] of await judged(DASHBOARD_UIDS.overview, 7)) {
      const { result } = await store.instant(`${RECORDED.apiErrorRatioRate1h}{api="${api}"}`, endSec);
      expect({ api, state }).toEqual({ api, state: verdict(api, { errorRatio: Number(result[0].value![1]) }) });
    }
    // TLS expiry on the API dashboard: tls-soon's certificate has 5 days left, a warning.
    expect((await judged(DASHBOARD_UIDS.api, API_PANELS.tls, 'tls-soon')).get('tls-soon')).toBe(verdict('tls-soon', { tlsExpiresAt: end + 5 * 86_400_000 }));
    expect(verdict('tls-soon', { tlsExpiresAt: end + 5 * 86_400_000 })).toBe('warning');
  });

  it('recorded 30-day queries agree with the same query on raw series', async () => {
    expect(RAW_EQUIVALENTS.size).toBeGreaterThan(5);
    // Compare at the last evaluation of the hourly recording group before the faults, over the
    // two hours before it (less a minute, so the range holds exactly two hourly samples): there
    // the hourly building blocks cover the same time as one raw rate over the range. (They lag
    // a change by up to an hour: negligible over 30 days, not over this 3-hour history.)
    // The recorded samples themselves, with their own timestamps (a range selector, answered alike
    // by every store).
    const samples = (await store.instant('api:apimon_probe_requests:rate1h[70m]', faultFrom / 1000)).result;
    const at = Math.max(...samples.flatMap((r) => (r.values ?? []).map(([t]) => t)));
    expect(at).toBeGreaterThan(faultFrom / 1000 - 3600);
    expect(at).toBeLessThanOrEqual(faultFrom / 1000);
    for (const [recorded, raw] of RAW_EQUIVALENTS) {
      const vars = { api: 'pay-slow', rangeSeconds: 2 * 3600 - 60 };
      // Compare every API, not the ten a ranking keeps: near-equal values may rank apart.
      const everyApi = (q: string) => substituteVariables(q, vars).replace(/\b(topk|bottomk)\(10,/g, '$1(1000,');
      const a = (await store.instant(everyApi(recorded), at)).result;
      const b = (await store.instant(everyApi(raw), at)).result;
      // A plain recorded selector keeps its name; the raw expression has none.
      const keyOf = ({ __name__: _name, ...labels }: Record<string, string>) => labels.api ?? JSON.stringify(labels);
      const byKey = (rs: typeof a) => new Map(rs.map((r) => [keyOf(r.metric), Number(r.value![1])]));
      const ra = byKey(a);
      const rb = byKey(b);
      expect({ query: recorded, keys: [...ra.keys()].sort() }).toEqual({ query: recorded, keys: [...rb.keys()].sort() });
      for (const [key, va] of ra) {
        const vb = rb.get(key)!;
        // Hourly rates averaged vs one rate over the range, bucket interpolation: close, not equal.
        // Counts rounded to whole probes may round apart by one (4 vs 5 in CI).
        const rounding = recorded.includes('round(') ? 1 : 0;
        const close = Math.abs(va - vb) <= Math.max(0.02, 0.1 * Math.abs(vb), rounding);
        expect({ query: recorded, key, recorded: va, raw: vb, close }).toEqual({ query: recorded, key, recorded: va, raw: vb, close: true });
      }
    }
  });
}, toolsAvailable);
