// The query engine on history a live test cannot wait for, backfilled into a real Prometheus
// on each store (promtool for Prometheus, the import API and vmalert replay for VictoriaMetrics):
// the provisioning scenario (3 hours, one API per fault, faults in the last 20
// minutes, recording rules backfilled) and 30 days of two steady APIs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createQueryEngine, TransportError, type ApiState, type QueryEngine, type Transport } from '@apimon/core';
import { SCENARIO_APIS } from '../helpers/scenario';
import { describeStores } from '../helpers/stores';
import { startBackfilledStore, toolsAvailable, type BackfilledStore } from '../helpers/store';
import { syntheticOpenMetrics, type SyntheticApi } from '../helpers/synthetic';

const ROOT = join(__dirname, '..', '..');
const RECORDING = join(ROOT, 'prometheus', 'recording.yml');
const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
const end = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
const start = end - 180 * MINUTE;
const faultFrom = end - 20 * MINUTE;

const steady = {
  criticality: 'standard' as const,
  owner: 'history-team',
  thresholds: { latency: 0.5, errorRatio: 0.02, headroom: 0.1 },
  providerLevel: null,
};
const MONTH_APIS: SyntheticApi[] = [
  { api: 'month-a', provider: 'histco', endpoint: 'get', latencySeconds: 0.08, errorRatio: 0.01, ...steady },
  { api: 'month-b', provider: 'histco', endpoint: 'get', latencySeconds: 0.3, errorRatio: 0, ...steady },
];

/** The store's HTTP API over fetch, as the data source's proxy or the CLI would reach it. */
function transportTo(url: string): Transport {
  return {
    async get(_target, path, params) {
      const res = await fetch(`${url}${path}?${new URLSearchParams(params).toString()}`);
      const body = (await res.json()) as unknown;
      if (!res.ok) {
        throw new TransportError(`HTTP ${res.status}`, 'prometheus', res.status, body);
      }
      return body;
    },
  };
}

/** Only the rules the engine reads (apimon:*), so backfilling them stays quick. */
function engineRules(dir: string): string {
  const doc = parse(readFileSync(RECORDING, 'utf8')) as {
    groups: Array<{ name: string; interval?: string; rules: Array<{ record?: string }> }>;
  };
  const groups = doc.groups
    .map((g) => ({ ...g, rules: g.rules.filter((r) => r.record?.startsWith('apimon:')) }))
    .filter((g) => g.rules.length > 0);
  const file = join(dir, 'engine-recording.yml');
  writeFileSync(file, stringify({ groups }));
  return file;
}

describeStores('query engine on backfilled history', (kind) => {
  let store: BackfilledStore;
  let engine: QueryEngine;
  let rulesDir: string;

  beforeAll(async () => {
    rulesDir = mkdtempSync(join(tmpdir(), 'apimon-engine-rules-'));
    const rules = engineRules(rulesDir);
    const scenario = syntheticOpenMetrics({
      apis: SCENARIO_APIS,
      startMs: start,
      endMs: end,
      stepMs: 15_000,
      faultFromMs: faultFrom,
    });
    // A sample every 20 minutes keeps the backfill quick; a 1h15s window still holds 3-4 of them.
    const month = syntheticOpenMetrics({
      apis: MONTH_APIS,
      startMs: end - 30 * DAY,
      endMs: end,
      stepMs: 20 * MINUTE,
      probesPerStep: 60,
      buckets: [0.05, 0.1, 0.25, 0.5, 1],
    });
    store = await startBackfilledStore({
      store: kind,
      openMetrics: scenario.replace(/# EOF\n$/, '') + month,
      ruleFiles: [rules],
      // The summary reads the recorded rates at the end of the history only.
      backfillRules: { files: [rules], startMs: end - 15 * MINUTE, endMs: end },
      // One block for the whole month: many small blocks make both promtool and startup slow.
      maxBlockDuration: '744h',
    });
    engine = createQueryEngine({ transport: transportTo(store.url), proberConfigured: false, now: () => end });
  }, 120_000);

  afterAll(async () => {
    await store?.stop();
    rmSync(rulesDir, { recursive: true, force: true });
  });

  it('summary states follow the catalog thresholds for every injected fault', async () => {
    const scenarioProviders = [...new Set(SCENARIO_APIS.map((a) => a.provider))].join('|');
    const { rows } = await engine.summary(
      { kind: 'summary', provider: scenarioProviders },
      { fromMs: end - 60 * MINUTE, toMs: end }
    );
    const states = Object.fromEntries(rows.map((r) => [r.api, r.state]));
    const expected: Record<string, ApiState> = {
      search: 'ok',
      maps: 'ok', // geoloc's page shows geo-errors' component in a major outage, not maps' own
      'pay-slow': 'critical', // p95 0.45 s > 0.2 s
      'geo-errors': 'critical', // 30 % errors > 2 %
      'mail-burn': 'warning', // headroom 100/600 under twice its 15 % minimum, quota burning
      'pay-quota': 'warning', // headroom 30 % under twice its 20 % minimum
      'sms-quota': 'critical', // headroom 0
      'ad-feed': 'critical', // its component on the provider's page: major outage
      'crm-down': 'critical',
      'tls-soon': 'warning', // certificate expires in 5 days
      'pay-nokey': 'unknown', // not probed for 20 minutes: its secret is missing
      'cdn-probe': 'critical', // half its probes fail (401), whatever its real calls say
    };
    expect(states).toEqual(expected);
    const row = (api: string) => rows.find((r) => r.api === api)!;
    expect(row('pay-nokey')).toMatchObject({ notProbed: 'missing env REFUND_API_KEY', reasons: ['not probed: missing env REFUND_API_KEY'] });
    expect(rows.filter((r) => r.notProbed !== null).map((r) => r.api)).toEqual(['pay-nokey']);
    // 0.45 s lies in the (0.25, 0.5] bucket of the synthetic histogram.
    expect(row('pay-slow').latencyP95Seconds).toBeGreaterThan(0.25);
    expect(row('pay-slow').latencyP95Seconds).toBeLessThanOrEqual(0.5);
    expect(row('geo-errors').errorRatio).toBeCloseTo(0.3, 6);
    expect(row('maps').providerStatus).toBe('operational');
    expect(row('geo-errors').providerStatus).toBe('major_outage');
    expect(row('sms-quota')).toMatchObject({ headroomRatio: 0, rateLimitRemaining: 0, rateLimitLimit: 50 });
    // 600 - 25/min x 20 min = 100 left, burning 25/min: about 240 s.
    expect(row('mail-burn').rateLimitRemaining).toBeCloseTo(100, 0);
    expect(row('mail-burn').exhaustionSeconds).toBeGreaterThan(200);
    expect(row('mail-burn').exhaustionSeconds).toBeLessThan(280);
    expect(row('search').exhaustionSeconds).toBeNull();
    expect(row('tls-soon').tlsExpiresAt).toBe(end + 5 * DAY);
  });

  it('the recorded 5m rates give the same summary as the raw series', async () => {
    const raw = createQueryEngine({
      transport: transportTo(store.url),
      proberConfigured: false,
      useRecordingRules: false,
      now: () => end,
    });
    const range = { fromMs: end - 60 * MINUTE, toMs: end };
    const recorded = await engine.summary({ kind: 'summary', api: 'pay-slow|geo-errors|search' }, range, {
      sparklines: false,
    });
    const plain = await raw.summary({ kind: 'summary', api: 'pay-slow|geo-errors|search' }, range, {
      sparklines: false,
    });
    expect(recorded.executed.join('\n')).toContain('apimon:probe_requests:rate5m');
    expect(plain.executed.join('\n')).not.toContain('apimon:');
    for (const [a, b] of recorded.rows.map((r, i) => [r, plain.rows[i]])) {
      expect(a.api).toBe(b.api);
      expect(a.latencyP95Seconds).toBeCloseTo(b.latencyP95Seconds!, 6);
      expect(a.errorRatio).toBeCloseTo(b.errorRatio!, 6);
    }
  });

  it('a 30-day range: one-hour steps, windows over the step, values in their buckets', async () => {
    const range = { fromMs: end - 30 * DAY, toMs: end, maxDataPoints: 1000 };
    const plan = engine.buildPromQL({ kind: 'latency', provider: 'histco' }, range);
    expect(plan.window).toMatchObject({ stepMs: 3_600_000, window: '1h15s' });
    const result = await engine.run({ kind: 'latency', provider: 'histco' }, range);
    const byApi = Object.fromEntries(result.series.map((s) => [s.labels.api, s]));
    expect(byApi['month-a'].timestamps.length).toBeGreaterThanOrEqual(719);
    expect(byApi['month-a'].timestamps.length).toBeLessThanOrEqual(722);
    expect(byApi['month-a'].timestamps[1] - byApi['month-a'].timestamps[0]).toBe(3_600_000);
    const values = (api: string) => byApi[api].values.filter((v): v is number => v !== null);
    // 0.08 s in (0.05, 0.1]; 0.3 s in (0.25, 0.5].
    expect(Math.min(...values('month-a'))).toBeGreaterThan(0.05);
    expect(Math.max(...values('month-a'))).toBeLessThanOrEqual(0.1);
    expect(Math.min(...values('month-b'))).toBeGreaterThan(0.25);
    expect(Math.max(...values('month-b'))).toBeLessThanOrEqual(0.5);
  });

  it('availability and SLO burn over 30 days', async () => {
    const result = await engine.run(
      { kind: 'availability', provider: 'histco', sloTarget: 0.999 },
      { fromMs: end - 30 * DAY, toMs: end, maxDataPoints: 200 }
    );
    const table = result.tables[0];
    const col = (name: string) => table.columns.find((c) => c.name === name)!.values as number[];
    const apis = table.columns.find((c) => c.name === 'api')!.values;
    expect(apis).toEqual(['month-a', 'month-b']);
    expect(col('availability')[0]).toBeCloseTo(0.99, 6);
    expect(col('availability')[1]).toBe(1);
    // 1 % errors against a 0.1 % budget: ten times too fast.
    expect(col('slo_burn_rate')[0]).toBeCloseTo(10, 4);
    expect(col('slo_burn_rate')[1]).toBe(0);
  });
}, toolsAvailable);
