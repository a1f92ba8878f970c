// End to end for the query engine: the sandbox providers serve injected latency, errors,
// rate-limit headers and an admitted outage; the real prober service (with its status-page
// monitor) probes them; a real Prometheus scrapes it every second; the engine, over the CLI's
// fetch transport, must read back what was injected.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import { createQueryEngine, DURATION_BUCKETS, type QueryEngine } from '@apimon/core';
import { main } from '../../packages/prober/src/cli/main';
import { createFetchTransport } from '../../packages/prober/src/query/transport';
import { probeEndpoint } from '../../packages/prober/src/probe/probe';
import { ProberService } from '../../packages/prober/src/service';
import { StatusPageMonitor } from '../../packages/prober/src/statuspage';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { scrapeConfig, startPrometheus, waitFor, type RunningPrometheus } from '../helpers/prometheus';

jest.setTimeout(60_000);

const INJECTED_LATENCY_MS = 110;
/** errorMode "sequence": exactly every 5th request fails. */
const INJECTED_ERROR_RATE = 0.2;
const SERVED = { limit: 1000, remaining: 600 };
const SECRETS = { PAY_API_KEY: 'pay-e2e-secret', GEO_API_KEY: 'geo-e2e-secret', MAIL_API_KEY: 'mail-e2e-secret' };

/** The bucket of DURATION_BUCKETS a duration (s) falls in: (lower, upper]. */
function bucketOf(seconds: number): [number, number] {
  const i = DURATION_BUCKETS.findIndex((b) => seconds <= b);
  return i < 0
    ? [DURATION_BUCKETS[DURATION_BUCKETS.length - 1], Infinity]
    : [i === 0 ? 0 : DURATION_BUCKETS[i - 1], DURATION_BUCKETS[i]];
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function catalogYaml(sandbox: string): string {
  return `
defaults: { interval: 1s, timeout: 900ms, location: e2e }
prober: { probeShare: 50% }
providers:
  - name: acme-pay
    statusPage: { url: ${sandbox}/acme-pay/status, format: statuspage, interval: 1s }
  - name: geoloc
    statusPage: { url: ${sandbox}/geoloc/status, format: incidentio, interval: 1s }
  - name: postbird
apis:
  - name: payments
    provider: acme-pay
    criticality: critical
    owner: payments-team
    auth: { type: bearer, secretEnv: PAY_API_KEY }
    thresholds: { latencyP95: 200ms, errorRate: 2%, headroom: 20% }
    endpoints:
      - { name: list-charges, url: "${sandbox}/acme-pay/v1/charges" }
  - name: geocoding
    provider: geoloc
    criticality: standard
    owner: search-team
    auth: { type: header, header: X-Geo-Key, secretEnv: GEO_API_KEY }
    endpoints:
      - { name: forward, url: "${sandbox}/geoloc/v1/geocode?q=Berlin" }
  - name: mail-quota
    provider: postbird
    criticality: background
    owner: messaging-team
    auth: { type: bearer, secretEnv: MAIL_API_KEY }
    endpoints:
      - { name: quota, url: "${sandbox}/postbird/v1/quota" }
`;
}

describe('query engine end to end: sandbox -> prober -> Prometheus -> engine', () => {
  let dir: string;
  let sandbox: Sandbox;
  let service: ProberService;
  let prometheus: RunningPrometheus;
  let proberUrl: string;
  let engine: QueryEngine;
  const logs = captureLogs('warn');
  /** Every payments probe the prober made: [end time ms, duration s], to check the p95 against. */
  const measured: Array<[number, number]> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-engine-e2e-'));
    sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
    sandbox.admin.configure('acme-pay', {
      latencyMs: INJECTED_LATENCY_MS,
      jitterMs: 0,
      errorRate: INJECTED_ERROR_RATE,
      errorMode: 'sequence',
      rateLimit: { limit: SERVED.limit, windowSeconds: 3600, remaining: SERVED.remaining },
      statusPage: {
        indicator: 'major_outage',
        incidents: [{ id: 'e2e-1', name: 'Card payments unavailable', status: 'investigating', impact: 'critical' }],
      },
    });
    // Room enough that the prober's quota guard never holds a probe back.
    sandbox.admin.configure('geoloc', { latencyMs: 30, jitterMs: 0, rateLimit: { limit: 100_000, windowSeconds: 60 } });
    // mail-quota: announced Azure Resource Manager style, what is left and no limit, and that is 0.
    sandbox.admin.configure('postbird', { latencyMs: 5, jitterMs: 0, rateLimit: { convention: 'azure-arm', remaining: 0 } });
    writeFileSync(join(dir, 'catalog.yaml'), catalogYaml(sandbox.url));
    service = new ProberService({
      configFile: join(dir, 'catalog.yaml'),
      logger: logs.logger,
      env: SECRETS,
      watch: false,
      modules: (_catalog, metrics) => [
        new StatusPageMonitor({ registry: metrics.registry, logger: logs.logger, dataDir: dir }),
      ],
      probe: async (api, endpoint, options) => {
        const result = await probeEndpoint(api, endpoint, options);
        if (api.name === 'payments') {
          measured.push([Date.now(), result.durationMs / 1000]);
        }
        return result;
      },
    });
    const address = await service.start('127.0.0.1', 0);
    proberUrl = `http://127.0.0.1:${address.port}`;
    const rules = readFileSync(join(__dirname, '../../prometheus/recording.yml'), 'utf8').replace(
      /interval: (1m|5m)/g,
      'interval: 1s'
    );
    prometheus = await startPrometheus(
      scrapeConfig(`127.0.0.1:${address.port}`).replace(
        'scrape_configs:',
        'rule_files: [recording.yml]\nscrape_configs:'
      ),
      { files: { 'recording.yml': rules } }
    );
    engine = createQueryEngine({
      transport: createFetchTransport({ prometheusUrl: prometheus.url, proberUrl }),
      scrapeIntervalMs: 1000,
    });
    // About 20 probes of each API in the store, and the outage seen on the status page.
    await waitFor(
      async () => {
        // (mail-quota is probed once, then held back by the quota guard: nothing is left.)
        const probes = await prometheus.query('sum by (api) (apimon_probe_requests_total{api=~"payments|geocoding"})');
        const status = await prometheus.query('apimon_provider_status{provider="acme-pay"}');
        return probes.length === 2 && probes.every((s) => s.value >= 22) && status[0]?.value === 4;
      },
      45_000,
      '22 probes of each API and the acme-pay outage in the store'
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    await service?.stop(2_000);
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const range = () => {
    const now = Date.now();
    return { fromMs: now - 60_000, toMs: now, maxDataPoints: 60 };
  };
  const last = (values: Array<number | null>) => [...values].reverse().find((v) => v !== null) ?? null;

  it('summary: the injected latency, error share, served rate-limit values and the outage', async () => {
    const { rows, warnings } = await engine.summary({ kind: 'summary', window: '20s' }, range());
    expect(warnings).toEqual([]);
    const payments = rows.find((r) => r.api === 'payments')!;
    // Against what the prober itself measured in (about) the same window: the p95 lies in the
    // histogram bucket of the true p95; a band from p80 to p99 absorbs the window's edges
    // (scrape and evaluation times) on a loaded machine.
    const recent = measured
      .filter(([at]) => at > Date.now() - 22_000)
      .map(([, d]) => d)
      .sort((a, b) => a - b);
    expect(recent[0]).toBeGreaterThanOrEqual(INJECTED_LATENCY_MS / 1000);
    expect(payments.latencyP95Seconds).toBeGreaterThanOrEqual(bucketOf(quantile(recent, 0.8))[0]);
    expect(payments.latencyP95Seconds).toBeLessThanOrEqual(bucketOf(quantile(recent, 0.99))[1]);
    const p50 = await engine.run({ kind: 'latency', api: 'payments', percentiles: ['p50'] }, range());
    // The median: above the 110 ms injected, and no higher than the bucket of what the prober
    // measured at the 90th percentile over the query's minute (the engine's rate window for a
    // 60 s range is shorter than the summary's 20 s, so its samples are a subset of the minute's).
    const minute = measured
      .filter(([at]) => at > Date.now() - 62_000)
      .map(([, d]) => d)
      .sort((a, b) => a - b);
    expect(last(p50.series[0].values)).toBeGreaterThan(0.1);
    expect(last(p50.series[0].values)).toBeLessThanOrEqual(bucketOf(quantile(minute, 0.9))[1]);
    // Every 5th request fails: 0.2 over a 20 s window of one probe per second (+- one probe).
    expect(payments.errorRatio).toBeGreaterThanOrEqual(0.1);
    expect(payments.errorRatio).toBeLessThanOrEqual(0.3);
    expect(payments).toMatchObject({
      provider: 'acme-pay',
      criticality: 'critical',
      rateLimitRemaining: SERVED.remaining,
      rateLimitLimit: SERVED.limit,
      headroomRatio: SERVED.remaining / SERVED.limit,
      headroomThreshold: 0.2,
      latencyThresholdSeconds: 0.2,
      errorThreshold: 0.02,
      providerStatus: 'major_outage',
      state: 'critical',
    });
    expect(payments.openIncidents).toBeGreaterThanOrEqual(1);
    expect(payments.incidentTitle).toEqual(expect.any(String));
    const geocoding = rows.find((r) => r.api === 'geocoding')!;
    expect(geocoding).toMatchObject({ errorRatio: 0, providerStatus: 'operational' });
    expect(geocoding.latencyP95Seconds).toBeGreaterThanOrEqual(0.025);
  });

  it('range kinds: latency per endpoint, headroom and provider status over time', async () => {
    const latency = await engine.run(
      { kind: 'latency', api: 'payments', groupBy: 'endpoint', percentiles: ['mean'] },
      range()
    );
    expect(latency.series[0].labels).toEqual({ api: 'payments', endpoint: 'list-charges' });
    // A mean lies between the fastest and the slowest probe the prober measured.
    const recent = measured.filter(([at]) => at > Date.now() - 15_000).map(([, d]) => d);
    expect(last(latency.series[0].values)).toBeGreaterThanOrEqual(INJECTED_LATENCY_MS / 1000);
    expect(last(latency.series[0].values)).toBeLessThanOrEqual(Math.max(...recent));
    const headroom = await engine.run({ kind: 'ratelimit', criticality: 'critical' }, range());
    expect(headroom.series.map((s) => [s.labels.api, last(s.values)])).toEqual([['payments', 0.6]]);
    const status = await engine.run({ kind: 'status', provider: 'acme-pay' }, range());
    expect(last(status.series.find((s) => s.name === 'provider_status')!.values)).toBe(4);
  });

  it('a provider that announces only what is left, and nothing is left, reads 0 headroom everywhere', async () => {
    const headroom = await engine.run({ kind: 'ratelimit', api: 'mail-quota' }, range());
    expect(headroom.series.map((s) => [s.labels.api, last(s.values)])).toEqual([['mail-quota', 0]]);
    const recorded = await waitFor(
      async () => (await prometheus.query('api:apimon_ratelimit_headroom:ratio{api="mail-quota"}'))[0],
      15_000,
      'the recorded headroom of mail-quota'
    );
    expect(recorded.value).toBe(0);
    const { rows } = await engine.summary({ kind: 'summary', window: '20s', api: 'mail-quota' }, range());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ headroomRatio: 0, rateLimitRemaining: 0, rateLimitLimit: null, state: 'critical' });
  });

  it('incidents and catalog from the prober API', async () => {
    const incidents = await engine.run({ kind: 'incidents', api: 'payments', openOnly: true }, range());
    const table = incidents.tables[0];
    const providers = table.columns.find((c) => c.name === 'provider')!.values;
    expect(providers.length).toBeGreaterThanOrEqual(1);
    expect(new Set(providers)).toEqual(new Set(['acme-pay']));
    expect(incidents.annotations[0]).toMatchObject({
      title: expect.stringMatching(/^acme-pay: /),
      tags: expect.arrayContaining(['provider:acme-pay']),
    });
    const catalog = await engine.run({ kind: 'catalog', criticality: 'critical' }, range());
    const columns = Object.fromEntries(catalog.tables[0].columns.map((c) => [c.name, c.values]));
    expect(columns.api).toEqual(['payments']);
    expect(columns.endpoint).toEqual(['list-charges']);
    expect(columns.auth).toEqual(['bearer (PAY_API_KEY)']);
    expect(JSON.stringify(catalog)).not.toContain(SECRETS.PAY_API_KEY);
    const report = await engine.testConnection();
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.target)).toEqual(['prometheus', 'prober']);
  });

  it('apimon status --prober prints the same row as JSON', async () => {
    let out = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    try {
      const code = await main([
        'status',
        '--prometheus',
        prometheus.url,
        '--prober',
        proberUrl,
        '--json',
        '--window',
        '20s',
        '--scrape-interval',
        '1s',
        '--api',
        'payments',
      ]);
      expect(code).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const row = JSON.parse(out.trim()) as Record<string, unknown>;
    expect(row).toMatchObject({
      api: 'payments',
      rateLimitRemaining: 600,
      rateLimitLimit: 1000,
      headroomRatio: 0.6,
      providerStatus: 'major_outage',
      state: 'critical',
    });
  });
});
