// Several probers, one catalog, one store (docs/topologies.md), with real parts: three probers
// (eu-west in two shards, us-east) probe the sandbox, whose acme-pay is slow from eu-west only,
// and a real Prometheus scrapes all three and evaluates the alert rules. The regional alert
// fires and the API alerts do not; `apimon status` and the health board call it a regional
// problem, not down; every endpoint is probed by exactly one prober per location, once per
// interval.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQueryEngine, recordingGroups, summaryTable } from '@apimon/core';
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import { ProberService } from '../../packages/prober/src/service';
import { createFetchTransport } from '../../packages/prober/src/query/transport';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { runMain } from '../../packages/prober/src/test-support/loadtest';
import { ALERT_SIGNALS } from '../../scripts/provisioning/alerts';
import { DASHBOARD_BUILDERS } from '../../scripts/provisioning/dashboards';
import { dashboardPromTargets, substituteVariables } from '../provisioning/promql-targets';
import { tableToFrame } from '../../src/datasource/frames';
import { assess } from '../../src/panel/severity';
import { readBoardInput } from '../../src/panel/summaryFrame';
import { startPrometheus, waitFor, type RunningPrometheus } from '../helpers/prometheus';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..', '..');
const SECRETS = { PAY_API_KEY: 'pay-secret-locations', GEO_API_KEY: 'geo-secret-locations' };
const PAYMENT_ENDPOINTS = ['charges-a', 'charges-b', 'charges-c', 'charges-d', 'charges-e'];
const PROBERS = [
  { location: 'eu-west', shard: { index: 1, count: 2 } },
  { location: 'eu-west', shard: { index: 2, count: 2 } },
  { location: 'us-east', shard: { index: 1, count: 1 } },
];
const alertExpr = (name: string) => ALERT_SIGNALS.find((s) => s.alert === name)!.expr;

describe('three probers in two locations on one store', () => {
  let dir: string;
  let sandbox: Sandbox;
  let prometheus: RunningPrometheus | undefined;
  const probers: ProberService[] = [];
  const logs = captureLogs('warn');
  let startedAt = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-locations-'));
    sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
    // acme-pay answers eu-west 500 ms late: over the 200 ms threshold of payments.
    sandbox.admin.configure('acme-pay', { regionalLatencyMs: { 'eu-west': 500 } });
    // Room for a probe a second (geoloc allows 50 a minute by default).
    sandbox.admin.configure('geoloc', { rateLimit: { limit: 600 } });
    const catalog = `
defaults: { location: us-east, interval: 1s, timeout: 900ms }
prober:
  # Each of the three probers of payments may use a third of it: 10 of acme-pay's 100 a second.
  probeShare: 30%
  locations:
    - { name: eu-west, shards: 2 }
    - { name: us-east }
providers: [{ name: acme-pay }, { name: geoloc }]
apis:
  - name: payments
    provider: acme-pay
    criticality: critical
    owner: payments-team
    auth: { type: bearer, secretEnv: PAY_API_KEY }
    thresholds: { latencyP95: 200ms }
    endpoints:
${PAYMENT_ENDPOINTS.map((e) => `      - { name: ${e}, url: "${sandbox.url}/acme-pay/v1/charges?e=${e}" }`).join('\n')}
  - name: geocoding
    provider: geoloc
    criticality: standard
    owner: search-team
    auth: { type: header, header: X-Geo-Key, secretEnv: GEO_API_KEY }
    locations: [us-east]
    endpoints:
      - { name: forward, url: "${sandbox.url}/geoloc/v1/geocode?q=Berlin" }
`;
    writeFileSync(join(dir, 'catalog.yaml'), catalog);
    const targets: string[] = [];
    startedAt = Date.now();
    for (const placement of PROBERS) {
      const service = new ProberService({
        configFile: join(dir, 'catalog.yaml'),
        logger: logs.logger,
        env: SECRETS,
        watch: false,
        placement,
      });
      probers.push(service);
      const address = await service.start('127.0.0.1', 0);
      targets.push(`127.0.0.1:${address.port}`);
    }
    prometheus = await startPrometheus(
      `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [alerts.yml]
scrape_configs:
  - job_name: apimon
    scrape_interval: 1s
    scrape_timeout: 900ms
    static_configs:
      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]
`,
      // The shipped rules, evaluated every second instead of every minute.
      {
        files: {
          'alerts.yml': readFileSync(join(ROOT, 'prometheus', 'alerts.yml'), 'utf8').replace(
            /^(\s+)interval: 1m$/gm,
            '$1interval: 1s'
          ),
        },
      }
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(probers.map((p) => p.stop(2_000)));
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires the regional alert for the slow location only, and no API alert', async () => {
    const store = prometheus!;
    // Until every prober has a few seconds of history, a location without a rate yet is not
    // counted and one location's view is a "majority": wait for every endpoint from every location.
    await waitFor(
      async () => {
        const r = await store.query(
          'sum by (api, endpoint, location) (increase(apimon_probe_requests_total[8s])) >= 5'
        );
        return r.length === PAYMENT_ENDPOINTS.length * 2 + 1 ? r : undefined;
      },
      45_000,
      'a few seconds of probes of every endpoint from every location'
    );
    const regional = await waitFor(
      async () => {
        const r = await store.query(alertExpr('ApimonApiRegionalProblem'));
        return r.length > 0 ? r : undefined;
      },
      45_000,
      'ApimonApiRegionalProblem on the live store'
    );
    expect(regional.map((s) => [s.metric.api, s.metric.location])).toEqual([['payments', 'eu-west']]);
    expect(regional[0].metric).toMatchObject({ provider: 'acme-pay', criticality: 'critical', owner: 'payments-team' });
    // The same rule, loaded into Prometheus, is pending (its `for` is 5 minutes).
    const alerts = await waitFor(
      async () => {
        const body = (await (await fetch(`${store.url}/api/v1/alerts`)).json()) as {
          data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
        };
        const payments = body.data.alerts.filter((a) => a.labels.api === 'payments');
        return payments.some((a) => a.labels.alertname === 'ApimonApiRegionalProblem') ? payments : undefined;
      },
      20_000,
      'the loaded regional rule to go pending'
    );
    expect(alerts.map((a) => [a.labels.alertname, a.labels.location, a.state])).toEqual([
      ['ApimonApiRegionalProblem', 'eu-west', 'pending'],
    ]);
    // The API as a whole is neither slow nor failing nor down: joins over the catalog series
    // all three probers export neither multiply nor fail.
    for (const name of [
      'ApimonLatencyHigh',
      'ApimonErrorRatioHigh',
      'ApimonApiDown',
      'ApimonProviderSilentOutage',
      'ApimonApiFailingInMostLocations',
    ]) {
      expect({ name, firing: await store.query(alertExpr(name)) }).toEqual({ name, firing: [] });
    }
  });

  it('shows a regional problem in apimon status and on the health board, not an API down', async () => {
    const now = Date.now();
    const engine = createQueryEngine({
      transport: createFetchTransport({ prometheusUrl: prometheus!.url }),
      scrapeIntervalMs: 1000,
      proberConfigured: false,
    });
    const { rows } = await engine.summary(
      { kind: 'summary', window: '30s' },
      { fromMs: now - 30_000, toMs: now },
      { sparklines: false }
    );
    const payments = rows.find((r) => r.api === 'payments')!;
    expect(payments).toMatchObject({ state: 'warning', failingLocations: 'eu-west' });
    expect(payments.locations?.map((l) => l.location)).toEqual(['eu-west', 'us-east']);
    expect(payments.latencyP95Seconds).toBeLessThan(0.2);
    // A note on probes the busy machine could not time may follow; it changes no state.
    const judged = (reasons: string[]) => reasons.filter((r) => !r.startsWith('prober too busy'));
    expect(judged(payments.reasons)).toEqual([
      expect.stringMatching(/^regional problem from 1 of 2 locations \(eu-west: p95 \d+ms > 200ms\)$/),
    ]);
    expect(rows.find((r) => r.api === 'geocoding')).toMatchObject({
      state: 'ok',
      locations: [expect.objectContaining({ location: 'us-east' })],
    });

    const board = readBoardInput([tableToFrame(summaryTable(rows), 'A')]);
    if (board.kind !== 'rows') {
      throw new Error(`the panel did not read the summary: ${board.kind}`);
    }
    const tile = assess(
      board.rows.find((r) => r.api === 'payments')!,
      {},
      now
    );
    expect(tile.severity).toBe('warning');
    expect(judged(tile.reasons)).toEqual([
      expect.stringMatching(/^regional problem from 1 of 2 locations \(eu-west: p95 .+ > 200 ms\)$/),
    ]);

    const status = await runMain(['status', '--prometheus', prometheus!.url, '--window', '30s']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      /payments .*WARNING .*regional problem from 1 of 2 locations \(eu-west: p95 \d+ms > 200ms\)/
    );
    // One location alone: from us-east payments is fine, from eu-west it is too slow.
    const stateFrom = async (location: string) => {
      const out = await runMain([
        'status',
        '--prometheus',
        prometheus!.url,
        '--window',
        '30s',
        '--location',
        location,
        '--json',
      ]);
      const rows = out.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { api: string; state: string });
      return rows.find((r) => r.api === 'payments')?.state;
    };
    expect([await stateFrom('us-east'), await stateFrom('eu-west')]).toEqual(['ok', 'critical']);
  });

  it('probes every endpoint by exactly one prober per location, once per interval', async () => {
    const store = prometheus!;
    // Which prober (scrape target) probes each endpoint from each location.
    const owners = await store.query('count by (api, endpoint, location) (apimon_probe_requests_total)');
    const pairs = owners.map((s) => `${s.metric.api}/${s.metric.endpoint}@${s.metric.location}`).sort();
    expect(pairs).toEqual(
      [
        'geocoding/forward@us-east',
        ...PAYMENT_ENDPOINTS.flatMap((e) => [`payments/${e}@eu-west`, `payments/${e}@us-east`]),
      ].sort()
    );
    expect(owners.every((s) => s.value === 1)).toBe(true);
    // Both eu-west shards hold some of the payments endpoints.
    const shards = await store.query('count by (instance) (apimon_probe_requests_total{location="eu-west"})');
    expect(shards).toHaveLength(2);
    // Probes per endpoint and location since the probers started, at a 1s interval: at most one
    // a second (two probers on one endpoint would make two), and on a busy machine at least
    // half of that (quota skips would make far fewer).
    const elapsedS = (Date.now() - startedAt) / 1000;
    const totals = await store.query('sum by (api, endpoint, location) (apimon_probe_requests_total)');
    expect(totals).toHaveLength(pairs.length);
    const outside = totals
      .map((s) => ({ target: `${s.metric.endpoint}@${s.metric.location}`, probes: s.value }))
      .filter((t) => t.probes > elapsedS + 1 || t.probes < elapsedS / 2);
    expect({ elapsedS: Math.round(elapsedS), outside }).toEqual({ elapsedS: Math.round(elapsedS), outside: [] });
    // The divided quota share left room for every probe.
    const skipped = await store.query('sum(apimon_probe_skipped_total{reason=~"quota_guard|retry_after"})');
    expect(skipped.every((s) => s.value === 0)).toBe(true);
    // The sandbox saw the same: as many payments requests from each location.
    const seen = sandbox.admin.provider('acme-pay').counters.locations;
    expect(Math.abs(seen['eu-west'] - seen['us-east']) / seen['us-east']).toBeLessThan(0.2);
  });

  it('runs every dashboard query, alert and recording rule on the three probers without a join error', async () => {
    // Every prober exports the catalog's facts and thresholds with its own location and
    // instance: a join on them that does not deduplicate fails as many-to-many.
    const exprs = [
      ...dashboardPromTargets(Object.values(DASHBOARD_BUILDERS).map((build) => build())).map((t) => ({
        what: `${t.dashboard} #${t.panelId} ${t.refId}`,
        expr: substituteVariables(t.expr, { api: 'payments', rangeSeconds: 60, rateInterval: '10s' }),
      })),
      ...ALERT_SIGNALS.map((s) => ({ what: s.alert, expr: s.expr })),
      ...recordingGroups().flatMap((g) => g.rules.map((r) => ({ what: r.record, expr: r.expr }))),
    ];
    expect(exprs.length).toBeGreaterThan(60);
    const failures: string[] = [];
    for (const { what, expr } of exprs) {
      const body = (await (
        await fetch(`${prometheus!.url}/api/v1/query?query=${encodeURIComponent(expr)}`)
      ).json()) as {
        status: string;
        error?: string;
      };
      if (body.status !== 'success') {
        failures.push(`${what}: ${body.error}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
