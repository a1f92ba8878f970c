// The query engine against a real store, on each store (Prometheus; VictoriaMetrics with vmalert
// running the rules). The series come from the prober's own metrics
// layer (ProberMetrics, the code `apimon run` exports with) fed with probe results of known
// latency, error share and rate-limit values, served on /metrics and scraped every second.
// The store also runs the project's recording rules, so the summary reads them.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Gauge } from 'prom-client';
import { createQueryEngine, METRIC_DEFS, QueryError, type QueryEngine } from '@apimon/core';
import { main } from '../../packages/prober/src/cli/main';
import { ProberMetrics } from '../../packages/prober/src/metrics';
import { createFetchTransport } from '../../packages/prober/src/query/transport';
import { catalogFrom } from '../../packages/prober/src/test-support/catalogs';
import { probeResult } from '../../packages/prober/src/test-support/probe-result';
import { freePort, scrapeConfig, waitFor } from '../helpers/prometheus';
import { describeStores, startStore, type RunningStore } from '../helpers/stores';

jest.setTimeout(60_000);

const CATALOG = `
defaults: { location: it }
providers: [{ name: acme-pay }, { name: geoloc }]
apis:
  - name: payments
    provider: acme-pay
    criticality: critical
    owner: payments-team
    thresholds: { latencyP95: 200ms, errorRate: 2%, headroom: 20% }
    endpoints: [{ name: charges, url: "http://127.0.0.1:9/charges" }]
  - name: geocoding
    provider: geoloc
    criticality: standard
    owner: search-team
    thresholds: { latencyP95: 500ms, errorRate: 5%, headroom: 10% }
    endpoints: [{ name: forward, url: "http://127.0.0.1:9/forward" }]
`;

/** payments: 130 ms (bucket 0.125-0.15), every 10th probe a 503; geocoding: 40 ms (0.025-0.05), no errors. */
const PAYMENTS_MS = 130;
const GEOCODING_MS = 40;

/** The recording rules, evaluated every second instead of every minute so a short test sees them. */
function fastRecordingRules(): string {
  const text = readFileSync(join(__dirname, '../../prometheus/recording.yml'), 'utf8');
  return text.replace(/interval: (1m|5m)/g, 'interval: 1s');
}

describeStores('query engine against a real store', (kind) => {
  let server: Server;
  let prometheus: RunningStore;
  let engine: QueryEngine;
  let feeder: NodeJS.Timeout;
  const metrics = new ProberMetrics({ processMetrics: false });

  beforeAll(async () => {
    const catalog = catalogFrom(CATALOG);
    metrics.applyCatalog(catalog, Date.now());
    const providerStatus = new Gauge({
      name: METRIC_DEFS.providerStatus.name,
      help: 'indicator',
      labelNames: ['provider'],
      registers: [metrics.registry],
    });
    // Each API's status on its provider's page, as the status-page monitor exports it.
    const apiProviderStatus = new Gauge({
      name: METRIC_DEFS.apiProviderStatus.name,
      help: 'status',
      labelNames: ['api', 'provider'],
      registers: [metrics.registry],
    });
    const incidents = new Gauge({
      name: 'apimon_provider_incidents_open',
      help: 'open',
      labelNames: ['provider', 'impact'],
      registers: [metrics.registry],
    });
    providerStatus.set({ provider: 'acme-pay' }, 4);
    providerStatus.set({ provider: 'geoloc' }, 0);
    apiProviderStatus.set({ api: 'payments', provider: 'acme-pay' }, 4);
    apiProviderStatus.set({ api: 'geocoding', provider: 'geoloc' }, 0);
    incidents.set({ provider: 'acme-pay', impact: 'critical' }, 1);

    let n = 0;
    let geoRemaining = 100_000;
    const feed = () => {
      for (let i = 0; i < 5; i++) {
        n++;
        const failed = n % 10 === 0;
        metrics.recordProbe(
          { api: 'payments', endpoint: 'charges', provider: 'acme-pay', location: 'it' },
          probeResult({
            api: 'payments',
            endpoint: 'charges',
            durationMs: PAYMENTS_MS,
            outcome: failed ? 'http_5xx' : 'ok',
            code: failed ? 503 : 200,
            rateLimits: [{ policy: 'default', limit: 100, remaining: 60, resetSeconds: 30 }],
          })
        );
        geoRemaining -= 3;
        metrics.recordProbe(
          { api: 'geocoding', endpoint: 'forward', provider: 'geoloc', location: 'it' },
          probeResult({
            api: 'geocoding',
            endpoint: 'forward',
            durationMs: GEOCODING_MS,
            rateLimits: [{ policy: 'minute', limit: 200_000, remaining: geoRemaining, resetSeconds: 60 }],
          })
        );
      }
    };
    feed();
    feeder = setInterval(feed, 100);

    server = createServer((req, res) => {
      void metrics.exposition().then((text) => {
        res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    prometheus = await startStore(
      kind,
      scrapeConfig(`127.0.0.1:${port}`).replace('scrape_configs:', 'rule_files: [recording.yml]\nscrape_configs:'),
      { files: { 'recording.yml': fastRecordingRules() } }
    );
    engine = createQueryEngine({
      transport: createFetchTransport({ prometheusUrl: prometheus.url }),
      scrapeIntervalMs: 1000,
      proberConfigured: false,
    });
    // Enough scrapes for a 4 s rate window, and the recorded series present.
    await waitFor(
      async () => {
        const rate = await prometheus.query('rate(apimon_probe_requests_total[4s])');
        const recorded = await prometheus.query('apimon:probe_duration_seconds_bucket:rate5m');
        // The failures too: vmalert may record its first evaluations before the first 503.
        const failures = await prometheus.query('apimon:probe_requests:rate5m{outcome="http_5xx"} > 0');
        return rate.length > 0 && recorded.length > 0 && failures.length > 0;
      },
      30_000,
      'rates and recorded series'
    );
  });

  afterAll(async () => {
    clearInterval(feeder);
    await prometheus?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  const lastMinute = () => {
    const now = Date.now();
    return { fromMs: now - 60_000, toMs: now, maxDataPoints: 60 };
  };
  const lastValue = (values: Array<number | null>) => [...values].reverse().find((v) => v !== null) ?? null;

  it('latency p95 lands in the histogram bucket of the injected latency, with threshold and link', async () => {
    const result = await engine.run({ kind: 'latency', percentiles: ['p95', 'mean'] }, lastMinute());
    const p95 = result.series.filter((s) => s.name === 'latency_p95');
    const payments = p95.find((s) => s.labels.api === 'payments')!;
    const geocoding = p95.find((s) => s.labels.api === 'geocoding')!;
    expect(lastValue(payments.values)).toBeGreaterThanOrEqual(0.125);
    expect(lastValue(payments.values)).toBeLessThanOrEqual(0.15);
    expect(lastValue(geocoding.values)).toBeGreaterThanOrEqual(0.025);
    expect(lastValue(geocoding.values)).toBeLessThanOrEqual(0.05);
    expect(payments).toMatchObject({
      displayName: 'payments p95',
      unit: 's',
      links: [{ url: expect.stringContaining('/d/apimon-api?var-api=payments') }],
    });
    expect(payments.thresholds?.at(-1)).toEqual({ value: 0.2, color: 'red' });
    expect(geocoding.thresholds?.at(-1)).toEqual({ value: 0.5, color: 'red' });
    // The mean is exact: every observation is the same.
    const mean = result.series.find((s) => s.name === 'latency_mean' && s.labels.api === 'payments')!;
    expect(lastValue(mean.values)).toBeCloseTo(PAYMENTS_MS / 1000, 6);
  });

  it('error ratio matches the injected share; the rate is split by outcome', async () => {
    const ratio = await engine.run({ kind: 'errors' }, lastMinute());
    const payments = ratio.series.find((s) => s.labels.api === 'payments')!;
    const geocoding = ratio.series.find((s) => s.labels.api === 'geocoding')!;
    expect(lastValue(payments.values)).toBeGreaterThan(0.07);
    expect(lastValue(payments.values)).toBeLessThan(0.13);
    expect(lastValue(geocoding.values)).toBe(0);
    expect(payments.unit).toBe('percentunit');
    const rate = await engine.run({ kind: 'errors', errorMode: 'rate' }, lastMinute());
    expect(rate.series.map((s) => `${s.labels.api}/${s.labels.outcome}`)).toEqual(['payments/http_5xx']);
    const codes = await engine.run({ kind: 'codes', api: 'payments' }, lastMinute());
    expect(codes.series.map((s) => s.labels.code).sort()).toEqual(['200', '503']);
  });

  it('rate limits: remaining, limit and headroom exactly as served; exhaustion from the falling trend', async () => {
    const range = lastMinute();
    const remaining = await engine.run({ kind: 'ratelimit', rateLimitSignal: 'remaining', api: 'payments' }, range);
    const limit = await engine.run({ kind: 'ratelimit', rateLimitSignal: 'limit', api: 'payments' }, range);
    const headroom = await engine.run({ kind: 'ratelimit', rateLimitSignal: 'headroom' }, range);
    expect(lastValue(remaining.series[0].values)).toBe(60);
    expect(remaining.series[0].labels).toEqual({ api: 'payments', policy: 'default' });
    expect(lastValue(limit.series[0].values)).toBe(100);
    const paymentsHeadroom = headroom.series.find((s) => s.labels.api === 'payments')!;
    expect(lastValue(paymentsHeadroom.values)).toBe(0.6);
    expect(paymentsHeadroom.thresholds?.[1]).toEqual({ value: 0.2, color: 'orange' });
    const exhaustion = await engine.run({ kind: 'ratelimit', rateLimitSignal: 'exhaustion' }, range);
    // geocoding loses 150 requests/s from ~100,000: hundreds of seconds left; payments is flat (absent).
    expect(exhaustion.series.map((s) => s.labels.api)).toEqual(['geocoding']);
    const left = lastValue(exhaustion.series[0].values)!;
    expect(left).toBeGreaterThan(100);
    expect(left).toBeLessThan(1000);
  });

  it('provider status and the criticality filter join through apimon_api_info', async () => {
    const status = await engine.run({ kind: 'status', criticality: 'critical' }, lastMinute());
    const indicator = status.series.filter((s) => s.name === 'provider_status');
    expect(indicator.map((s) => s.labels.provider)).toEqual(['acme-pay']);
    expect(lastValue(indicator[0].values)).toBe(4);
    expect(indicator[0].valueMappings?.find((m) => m.value === 4)?.text).toBe('major outage');
    const critical = await engine.run({ kind: 'latency', criticality: 'critical' }, lastMinute());
    expect(critical.series.map((s) => s.labels.api)).toEqual(['payments']);
  });

  it('availability over the range and the burn rate against the SLO', async () => {
    const result = await engine.run({ kind: 'availability', sloTarget: 0.99, api: 'payments' }, lastMinute());
    const table = result.tables[0];
    const column = (name: string) => table.columns.find((c) => c.name === name)!.values[0] as number;
    expect(column('availability')).toBeGreaterThan(0.87);
    expect(column('availability')).toBeLessThan(0.93);
    // 10 % errors against a 1 % budget: burning ten times too fast.
    expect(column('slo_burn_rate')).toBeGreaterThan(7);
    expect(column('slo_burn_rate')).toBeLessThan(13);
  });

  it('summary: one row per API with state, read from the recording rules like the raw series', async () => {
    const now = Date.now();
    const range = { fromMs: now - 60_000, toMs: now, maxDataPoints: 60 };
    const result = await engine.summary({ kind: 'summary', window: '5m' }, range);
    expect(result.executed.some((e) => e.includes('apimon:probe_duration_seconds_bucket:rate5m'))).toBe(true);
    const [geocoding, payments] = result.rows;
    expect(payments).toMatchObject({
      api: 'payments',
      provider: 'acme-pay',
      criticality: 'critical',
      owner: 'payments-team',
      latencyThresholdSeconds: 0.2,
      errorThreshold: 0.02,
      headroomRatio: 0.6,
      headroomThreshold: 0.2,
      rateLimitRemaining: 60,
      rateLimitLimit: 100,
      exhaustionSeconds: null,
      providerStatus: 'major_outage',
      openIncidents: 1,
      tlsExpiresAt: null,
      state: 'critical',
    });
    expect(payments.latencyP95Seconds).toBeGreaterThanOrEqual(0.125);
    expect(payments.latencyP95Seconds).toBeLessThanOrEqual(0.15);
    expect(payments.reasons.join('; ')).toMatch(/errors .* > 2\.0%.*provider reports a major outage/);
    expect(geocoding).toMatchObject({
      api: 'geocoding',
      state: 'ok',
      errorRatio: 0,
      providerStatus: 'operational',
      openIncidents: 0,
    });
    expect(result.sparklines.map((s) => [s.name, s.labels.api])).toEqual([
      ['latency_p95', 'geocoding'],
      ['latency_p95', 'payments'],
    ]);
    // Without the rules the numbers agree (same buckets).
    const raw = createQueryEngine({
      transport: createFetchTransport({ prometheusUrl: prometheus.url }),
      scrapeIntervalMs: 1000,
      proberConfigured: false,
      useRecordingRules: false,
    });
    const rawRows = (await raw.summary({ kind: 'summary', window: '5m' }, range, { sparklines: false })).rows;
    expect(rawRows[1].latencyP95Seconds).toBeGreaterThanOrEqual(0.125);
    expect(rawRows[1].latencyP95Seconds).toBeLessThanOrEqual(0.15);
  });

  it('label values for variables, narrowed by the other filters', async () => {
    expect(await engine.labelValues('api')).toEqual(['geocoding', 'payments']);
    expect(await engine.labelValues('api', { criticality: 'critical' })).toEqual(['payments']);
    expect(await engine.labelValues('endpoint', { criticality: 'standard' })).toEqual(['forward']);
    expect(await engine.labelValues('provider', { api: 'payments|geocoding' })).toEqual(['acme-pay', 'geoloc']);
    expect(await engine.labelValues('criticality')).toEqual(['critical', 'standard']);
  });

  it('testConnection finds the store and its apimon series; store errors name the expression', async () => {
    const report = await engine.testConnection();
    expect(report).toMatchObject({ ok: true, checks: [{ target: 'prometheus', ok: true }] });
    expect(report.message).toMatch(/store ok: 2 APIs of 2 providers, recording rules found/);
    const err = await engine.run({ kind: 'codes', api: '(' }, lastMinute()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryError);
    // The error type differs: Prometheus says bad_data, VictoriaMetrics 422 (its HTTP status).
    const errorType = kind === 'prometheus' ? 'bad_data' : '422';
    expect((err as Error).message).toMatch(
      new RegExp(`store rejected sum by \\(api, code\\) \\(rate\\(apimon_probe_requests_total\\{api=~"\\("\\}\\[4s\\]\\)\\): ${errorType}: .*check the filters`)
    );
  });

  describe('apimon status', () => {
    let out: string;
    let err: string;
    beforeEach(() => {
      out = '';
      err = '';
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    });
    afterEach(() => jest.restoreAllMocks());

    it('--json prints one object per API with exactly the summary fields', async () => {
      expect(await main(['status', '--prometheus', prometheus.url, '--json', '--scrape-interval', '1s'])).toBe(0);
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.api)).toEqual(['geocoding', 'payments']);
      expect(Object.keys(lines[1])).toEqual([
        'api',
        'provider',
        'criticality',
        'latencyP95Seconds',
        'latencyThresholdSeconds',
        'errorRatio',
        'errorThreshold',
        'headroomRatio',
        'headroomThreshold',
        'rateLimitRemaining',
        'rateLimitLimit',
        'exhaustionSeconds',
        'providerStatus',
        'openIncidents',
        'tlsExpiresAt',
        'timingDegradedRatio',
        'locations',
        'failingLocations',
        'notProbed',
        'trafficRequestsPerSecond',
        'trafficErrorRatio',
        'trafficRateLimitedPerSecond',
        'trafficLatencyP95Seconds',
        'trafficUsageRatio',
        'state',
      ]);
      // One location: its own numbers, no regional problem.
      expect(lines[1]).toMatchObject({ locations: [expect.objectContaining({ location: expect.any(String) })], failingLocations: null });
      // No real traffic in this store: the traffic fields are null, not absent.
      expect(lines[1]).toMatchObject({ trafficRequestsPerSecond: null, trafficUsageRatio: null });
      expect(lines[1]).toMatchObject({
        state: 'critical',
        rateLimitRemaining: 60,
        rateLimitLimit: 100,
        headroomRatio: 0.6,
      });
    });

    it('prints a table for people', async () => {
      expect(
        await main([
          'status',
          '--prometheus',
          prometheus.url,
          '--window',
          '1m',
          '--scrape-interval',
          '1s',
          '--criticality',
          'critical',
        ])
      ).toBe(0);
      const [header, row, extra] = out.trim().split('\n');
      expect(header).toMatch(/^API\s+PROVIDER\s+CRITICALITY\s+STATE\s+P95 \/ MAX/);
      expect(row).toMatch(
        /^payments\s+acme-pay\s+critical\s+CRITICAL\s+1\d\dms \/ 200ms\s+.*60\/100.*major outage\s+1\s/
      );
      expect(extra).toBeUndefined();
    });

    it('unreachable store: a clear message and exit 1; bad flags: exit 2', async () => {
      const closed = await freePort();
      expect(await main(['status', '--prometheus', `http://127.0.0.1:${closed}`, '--json'])).toBe(1);
      expect(err).toMatch(
        new RegExp(
          `^apimon status: the Prometheus-compatible store is unreachable \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${closed}`
        )
      );
      expect(err).not.toMatch(/\n\s+at /);
      err = '';
      expect(await main(['status', '--prometheus', prometheus.url, '--window', 'soon'])).toBe(2);
      expect(err).toMatch(/--window: "soon" is not a duration/);
      expect(await main(['status'])).toBe(2);
      expect(await main(['status', '--prometheus', 'ftp://x'])).toBe(2);
      expect(await main(['status', '--prometheus', prometheus.url, '--bogus'])).toBe(2);
    });
  });
});
