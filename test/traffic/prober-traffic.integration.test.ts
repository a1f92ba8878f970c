// Real traffic end to end on real parts: two demo platforms (real OpenTelemetry SDK, Prometheus
// exporter and undici/http instrumentations, each in its own process) calling the sandbox
// providers with known rates, errors and latency; the prober exporting the catalog's mapping;
// a real Prometheus scraping all three every second and evaluating the generated recording and
// alert rules (prometheus/*.yml, with 10-second windows and 1-second evaluations so the test
// takes seconds); the PromQL building blocks, the recorded series, the alerts and
// `apimon traffic` and `apimon status` reading it back.
//   platform A (conventions "both"): payments and geocoding on one host, told apart by
//     url.template (recorded by the app), plus calls through fetch to a host no API claims;
//   platform B (conventions "old"): email through node:http, instrumented by
//     instrumentation-http in the old conventions (ms, net.peer.name).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTrafficQueries, RECORDED } from '@apimon/core';
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import { ProberService } from '../../packages/prober/src/service';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { runCli, startPlatformProcess, type PlatformChild } from '../helpers/platform-process';
import { prometheusAvailable, startPrometheus, type RunningPrometheus, type VectorSample } from '../helpers/prometheus';

jest.setTimeout(90_000);

const ROOT = resolve(__dirname, '../..');
const WINDOW = '10s';

/**
 * Rates within [0.6, 1.3] of what was sent: a loaded machine runs the platform's calls late
 * (an open model catches up, but the last seconds of a window may be short), and a missing
 * deduplication of the conventions would double them.
 */
function within(value: number | undefined, expected: number): void {
  expect(value).toBeGreaterThan(expected * 0.6);
  expect(value).toBeLessThan(expected * 1.3);
}

const byApi = (samples: VectorSample[]) => Object.fromEntries(samples.map((s) => [s.metric.api, s.value]));

/**
 * A generated rule file for a test that lasts seconds: its 5-minute windows as WINDOW, every
 * group evaluated each second, alerts firing after 2 seconds. The expressions are otherwise
 * the committed ones.
 */
function fastRules(file: string): string {
  return readFileSync(join(ROOT, 'prometheus', file), 'utf8')
    .replace(/\[5m\]/g, `[${WINDOW}]`)
    .replace(/^(\s+)interval: \w+$/gm, '$1interval: 1s')
    .replace(/^(\s+)for: \w+$/gm, '$1for: 2s');
}

const describeIf = prometheusAvailable() ? describe : describe.skip;

describeIf('real traffic on a real Prometheus', () => {
  let dir: string;
  let sandbox: Sandbox;
  let other: Server;
  let otherPort: number;
  let platformA: PlatformChild | undefined;
  let platformB: PlatformChild | undefined;
  let service: ProberService | undefined;
  let prometheus: RunningPrometheus | undefined;
  const logs = captureLogs('warn');
  const q = createTrafficQueries();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-traffic-'));
    sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
    // Known latency: payments answers in 60 ms (stable buckets 0.05-0.075 s), email in 120 ms
    // (old buckets 100-250 ms).
    sandbox.admin.configure('acme-pay', { latencyMs: 60 });
    sandbox.admin.configure('postbird', { latencyMs: 120 });
    // Room for the test's rates: the only 429s are the ones the platform asks for.
    for (const provider of ['acme-pay', 'geoloc', 'postbird'] as const) {
      sandbox.admin.configure(provider, { rateLimit: { limit: 100_000, windowSeconds: 1 } });
    }
    // A service nobody put in the catalog.
    other = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    otherPort = (other.address() as AddressInfo).port;
    const s = sandbox.port;

    writeFileSync(
      join(dir, 'catalog.yaml'),
      `defaults: { location: it, interval: 1s, timeout: 900ms }
providers: [{ name: acme-pay }, { name: geoloc }, { name: postbird }]
apis:
  - name: payments
    provider: acme-pay
    criticality: critical
    owner: payments-team
    rateLimit: { limit: 100, window: 1s }
    traffic: { match: [{ serverAddress: 127.0.0.1, serverPort: ${s}, urlTemplate: /acme-pay/v1/charges }] }
    endpoints: [{ name: charges, url: "${sandbox.url}/acme-pay/v1/charges", expect: { status: [200, 401] } }]
  - name: geocoding
    provider: geoloc
    criticality: standard
    owner: search-team
    traffic: { match: [{ serverAddress: 127.0.0.1, serverPort: ${s}, urlTemplate: /geoloc/v1/geocode }] }
    endpoints: [{ name: forward, url: "${sandbox.url}/geoloc/v1/geocode?q=x", expect: { status: [200, 401] } }]
  - name: email
    provider: postbird
    criticality: background
    owner: growth-team
    rateLimit: { limit: 600, window: 1m }
    traffic: { match: [{ serverAddress: localhost, serverPort: ${s} }] }
    endpoints: [{ name: quota, url: "${sandbox.url}/postbird/v1/quota", expect: { status: [200, 401] } }]
`
    );
    service = new ProberService({ configFile: join(dir, 'catalog.yaml'), logger: logs.logger, watch: false });
    const prober = await service.start('127.0.0.1', 0);

    [platformA, platformB] = await Promise.all([
      startPlatformProcess({
        sandboxUrl: sandbox.url,
        semconv: 'both',
        shape: false,
        rps: 30,
        serviceName: 'marketplace-web',
        targets: [
          { name: 'payments', url: '{sandbox}/acme-pay/v1/charges', method: 'GET', headers: { Authorization: 'Bearer t' }, urlTemplate: '/acme-pay/v1/charges', client: 'fetch', weight: 4 },
          { name: 'geocoding', url: '{sandbox}/geoloc/v1/geocode?q=Berlin', method: 'GET', headers: { 'X-Geo-Key': 'k' }, urlTemplate: '/geoloc/v1/geocode', client: 'http', weight: 1 },
          { name: 'unlisted', url: `http://127.0.0.1:${otherPort}/v2/widgets`, method: 'GET', headers: {}, client: 'fetch', weight: 1 },
        ],
      }),
      startPlatformProcess({
        sandboxUrl: sandbox.url,
        semconv: 'old',
        shape: false,
        rps: 5,
        serviceName: 'marketplace-mailer',
        targets: [{ name: 'email', url: '{sandbox-localhost}/postbird/v1/quota', method: 'GET', headers: { Authorization: 'Bearer t' }, client: 'http', weight: 1 }],
      }),
    ]);
    // Known errors: every 10th payment is a 503, every 5th geocoding call is throttled (429).
    for (const [name, faults] of [
      ['payments', { errorRatio: 0.1, errorStatus: 503 }],
      ['geocoding', { errorRatio: 0.2, errorStatus: 429 }],
    ] as const) {
      const res = await fetch(`${platformA.url}/_admin/targets/${name}`, { method: 'POST', body: JSON.stringify(faults) });
      expect(res.status).toBe(200);
    }

    const target = (job: string, url: string) => `  - job_name: ${job}
    scrape_interval: 1s
    scrape_timeout: 900ms
    static_configs: [{ targets: ['${new URL(url).host}'] }]`;
    prometheus = await startPrometheus(
      `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [recording.yml, alerts.yml]
scrape_configs:
${target('apimon', `http://127.0.0.1:${prober.port}`)}
${target('marketplace-web', platformA.url)}
${target('marketplace-mailer', platformB.url)}
`,
      { files: { 'recording.yml': fastRules('recording.yml'), 'alerts.yml': fastRules('alerts.yml') } }
    );
    // A full rate window of traffic after the faults were set.
    await new Promise((r) => setTimeout(r, 12_500));
  });

  afterAll(async () => {
    await Promise.all([platformA?.stop(), platformB?.stop()]);
    await prometheus?.stop();
    await service?.stop(2_000);
    await sandbox?.close();
    await new Promise((r) => other?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each API its own request rate, once, whichever conventions the platform emits', async () => {
    const rps = byApi(await prometheus!.query(q.requestsPerSecond(WINDOW)));
    // 30 calls/s split 4:1:1, and 5 calls/s of email; platform A emits both conventions, so a
    // missing deduplication would double payments and geocoding.
    within(rps.payments, 20);
    within(rps.geocoding, 5);
    within(rps.email, 5);
    expect(Object.keys(rps).sort()).toEqual(['email', 'geocoding', 'payments']);
  });

  it('counts 5xx as errors and 429 apart as throttling', async () => {
    const errors = byApi(await prometheus!.query(q.errorRatio(WINDOW)));
    expect(errors.payments).toBeGreaterThan(0.07);
    expect(errors.payments).toBeLessThan(0.13);
    expect(errors.geocoding).toBe(0);
    expect(errors.email).toBe(0);
    const throttled = byApi(await prometheus!.query(q.throttledRatio(WINDOW)));
    expect(throttled.geocoding).toBeGreaterThan(0.15);
    expect(throttled.geocoding).toBeLessThan(0.25);
    expect(throttled.payments).toBe(0);
    const byStatus = await prometheus!.query(q.requestsPerSecondByStatus(WINDOW));
    expect(byStatus.filter((s) => s.metric.api === 'payments').map((s) => s.metric.http_response_status_code).sort()).toEqual(['200', '503']);
  });

  it('reads latency from the stable seconds and the old milliseconds histograms alike', async () => {
    const p50 = byApi(await prometheus!.query(q.latencyQuantile(0.5, WINDOW)));
    // Never faster than the providers' delays (60 ms, 120 ms); a loaded machine only adds.
    expect(p50.payments).toBeGreaterThan(0.05);
    expect(p50.email).toBeGreaterThan(0.1);
    // Exactly the quantile of the emitter's own histogram, in seconds: the old one in
    // milliseconds divided by 1000 (one query, so both sides see the same instant).
    for (const [api, raw, scale] of [
      ['email', `rate(http_client_duration_bucket{net_peer_name="localhost"}[${WINDOW}])`, 1000],
      ['payments', `rate(http_client_request_duration_bucket{url_template="/acme-pay/v1/charges"}[${WINDOW}])`, 1],
    ] as const) {
      for (const quantile of [0.5, 0.95, 0.99]) {
        const own = `label_replace(histogram_quantile(${quantile}, sum by (le) (${raw})), "api", "${api}", "", "")`;
        const [ratio] = await prometheus!.query(`${q.latencyQuantile(quantile, WINDOW)} / on(api) ${own}`);
        expect(ratio?.value).toBeCloseTo(1 / scale, 9);
      }
    }
    const size = byApi(await prometheus!.query(q.responseSizeQuantile(0.95, WINDOW)!));
    expect(size.payments).toBeGreaterThan(100);
    expect(size.email).toBeGreaterThan(10);
  });

  it('compares usage with the documented limit', async () => {
    const [usageSamples, rpsSamples] = await Promise.all([prometheus!.query(q.usageRatio(WINDOW)), prometheus!.query(q.requestsPerSecond(WINDOW))]);
    const usage = byApi(usageSamples);
    const rps = byApi(rpsSamples);
    // payments: ~20 calls/s against 100 per second; email: ~5/s = ~300 per minute against 600.
    within(usage.payments, 0.2);
    within(usage.email, 0.5);
    // The rate against the limit, not the rate alone: usage = rate x window / limit.
    expect(usage.email / usage.payments).toBeCloseTo((rps.email * 60) / 600 / (rps.payments / 100), 1);
    expect(usage.geocoding).toBeUndefined();
    const peak = byApi(await prometheus!.query(q.usagePeakRatio(WINDOW, '30s', '1s')));
    expect(peak.payments).toBeGreaterThanOrEqual(usage.payments * 0.8);
  });

  it('lists the host no API claims as unmapped', async () => {
    const unmapped = await prometheus!.query(q.unmappedRequestsPerSecond(WINDOW));
    expect(unmapped.map((s) => `${s.metric.server_address}:${s.metric.server_port}`)).toEqual([`127.0.0.1:${otherPort}`]);
    within(unmapped[0].value, 5);
  });

  it('records the per-API real traffic: rate, errors and throttling, latency in seconds, usage, unmapped hosts', async () => {
    const recorded = async (name: string) => byApi(await prometheus!.query(name));
    const rps = await recorded(RECORDED.trafficRequestsRate5m);
    within(rps.payments, 20);
    within(rps.geocoding, 5);
    within(rps.email, 5);
    expect(Object.keys(rps).sort()).toEqual(['email', 'geocoding', 'payments']);
    const errors = await recorded(RECORDED.trafficErrorRatioRate5m);
    expect(errors.payments).toBeGreaterThan(0.07);
    expect(errors.payments).toBeLessThan(0.13);
    expect(errors.geocoding).toBe(0);
    const throttled = await recorded(RECORDED.trafficThrottledRate5m);
    within(throttled.geocoding, 1);
    expect(throttled.payments).toBeUndefined();
    const codes = await prometheus!.query(`${RECORDED.trafficCodeRequestsRate5m}{api="payments"}`);
    expect(codes.map((c) => c.metric.http_response_status_code).sort()).toEqual(['200', '503']);
    // Latency in seconds from both conventions: never faster than the injected delays.
    const p95 = await recorded(RECORDED.trafficP95Rate5m);
    expect(p95.payments).toBeGreaterThan(0.05);
    expect(p95.email).toBeGreaterThan(0.1);
    expect(p95.email).toBeLessThan(2);
    const p50 = await recorded(RECORDED.trafficP50Rate5m);
    expect(p50.payments).toBeLessThanOrEqual(p95.payments);
    expect(Object.keys(await recorded(RECORDED.trafficResponseSizeP95Rate5m)).sort()).toEqual(['email', 'geocoding', 'payments']);
    // payments: ~20 calls/s against 100 per second; email: ~5/s = ~300 per minute against 600.
    const usage = await recorded(RECORDED.trafficUsageRate5m);
    within(usage.payments, 0.2);
    within(usage.email, 0.5);
    expect(usage.geocoding).toBeUndefined();
    // The day's peak: the highest recorded usage (recorded a second or so behind it).
    const [peak] = await prometheus!.query(`${RECORDED.trafficUsageMax1d}{api="payments"} / max_over_time(${RECORDED.trafficUsageRate5m}{api="payments"}[1d])`);
    expect(peak.value).toBeGreaterThan(0.8);
    expect(peak.value).toBeLessThanOrEqual(1);
    const unmapped = await prometheus!.query(RECORDED.trafficUnmappedRequestsRate5m);
    expect(unmapped.map((u) => `${u.metric.server_address}:${u.metric.server_port}`)).toEqual([`127.0.0.1:${otherPort}`]);
    within(unmapped[0].value, 5);
  });

  it('fires the real-traffic alerts: the platform throttled, and real calls failing while the probes pass', async () => {
    const firing = async () =>
      Object.fromEntries(
        ['ApimonTrafficErrorRatioHigh', 'ApimonTrafficFailingProbesPass', 'ApimonTrafficThrottled', 'ApimonProbesFailingTrafficPasses', 'ApimonTrafficUsageNearLimit', 'ApimonTrafficLatencyHigh'].map((alert) => [alert, [] as string[]])
      );
    let seen = await firing();
    const expected = {
      ...(await firing()),
      ApimonTrafficErrorRatioHigh: ['payments'],
      ApimonTrafficFailingProbesPass: ['payments'],
      ApimonTrafficThrottled: ['geocoding'],
    };
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      seen = await firing();
      for (const s of await prometheus!.query('ALERTS{alertstate="firing"}')) {
        seen[s.metric.alertname]?.push(s.metric.api);
      }
      if (JSON.stringify(seen) === JSON.stringify(expected)) {
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(seen).toEqual(expected);
  });

  it('apimon status --json carries the real traffic per API', async () => {
    const r = await runCli(['status', '--prometheus', prometheus!.url, '--json', '--window', WINDOW, '--scrape-interval', '1s']);
    expect(r.code).toBe(0);
    const rows = Object.fromEntries(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | null | string>).map((row) => [row.api, row]));
    within(rows.payments.trafficRequestsPerSecond as number, 20);
    expect(rows.payments.trafficErrorRatio).toBeGreaterThan(0.07);
    expect(rows.payments.trafficRateLimitedPerSecond).toBe(0);
    within(rows.geocoding.trafficRateLimitedPerSecond as number, 1);
    expect(rows.email.trafficLatencyP95Seconds).toBeGreaterThan(0.1);
    within(rows.payments.trafficUsageRatio as number, 0.2);
    expect(rows.geocoding.trafficUsageRatio).toBeNull();
  });

  it('apimon traffic prints one line per host and API, unmapped included', async () => {
    const r = await runCli(['traffic', '--prometheus', prometheus!.url, '--window', WINDOW, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const s = sandbox.port;
    // Sorted by host, then port, then API (unmapped last).
    const local = [
      ['127.0.0.1', s, 'geocoding'],
      ['127.0.0.1', s, 'payments'],
    ];
    const unlisted = [['127.0.0.1', otherPort, null]];
    expect(lines.map((l) => [l.serverAddress, l.serverPort, l.api])).toEqual([
      ...(otherPort < s ? [...unlisted, ...local] : [...local, ...unlisted]),
      ['localhost', s, 'email'],
    ]);
    const payments = lines.find((l) => l.api === 'payments')!;
    expect(Object.keys(payments)).toEqual(['serverAddress', 'serverPort', 'api', 'requestsPerSecond', 'errorRatio']);
    within(payments.requestsPerSecond as number, 20);
    expect(payments.errorRatio).toBeGreaterThan(0.07);
    expect(payments.errorRatio).toBeLessThan(0.13);

    const table = await runCli(['traffic', '--prometheus', prometheus!.url, '--window', WINDOW]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^SERVER ADDRESS\s+PORT\s+API\s+REQ\/S\s+ERRORS$/);
    expect(table.stdout).toMatch(new RegExp(`127\\.0\\.0\\.1\\s+${otherPort}\\s+\\(unmapped\\)`));
  });

  it('apimon traffic says what is wrong with a store it cannot read', async () => {
    const r = await runCli(['traffic', '--prometheus', 'http://127.0.0.1:9/', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^apimon traffic: the Prometheus-compatible store is unreachable \(.*\) while running the real-traffic request rate per host\n$/);
    const usage = await runCli(['traffic']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--prometheus is required/);
  });
});
