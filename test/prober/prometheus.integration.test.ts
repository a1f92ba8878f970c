// The whole chain with real parts: the real probe against a local API that answers with a
// fixed delay and X-RateLimit headers, the prober's /metrics checked by promtool, and a real
// Prometheus scraping it every second.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bucket, METRICS } from '@apimon/core';
import { ProberService } from '../../packages/prober/src/service';
import { find, parseExposition } from '../../packages/prober/src/test-support/exposition';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { startPrometheus, scrapeConfig, waitFor, type RunningPrometheus } from '../helpers/prometheus';
import { startTarget, type TestTarget } from '../../packages/prober/src/test-support/target';

jest.setTimeout(60_000);

const SECRET = 'sk_live_DO_NOT_LEAK_4f9a8b7c';
const DELAY_MS = 120;

function promtoolCheckMetrics(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(text);
  });
}

describe('prober scraped by a real Prometheus', () => {
  let dir: string;
  let target: TestTarget;
  let service: ProberService;
  let prometheus: RunningPrometheus | undefined;
  let metricsUrl: string;
  const logs = captureLogs('debug');
  let resetAt = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-it-'));
    resetAt = Math.floor(Date.now() / 1000) + 3600;
    target = await startTarget({
      '/v1/charges': {
        delayMs: DELAY_MS,
        headers: { 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '4321', 'X-RateLimit-Reset': String(resetAt) },
        body: '{"data":[]}',
      },
      '/v1/geocode': { status: 503, body: 'upstream down' },
    });
    const catalog = `
defaults: { location: it }
providers: [{ name: acme-pay }, { name: geoloc }, { name: textly }]
apis:
  - name: payments
    provider: acme-pay
    criticality: critical
    owner: payments-team
    auth: { type: bearer, secretEnv: APIMON_IT_PAY_KEY }
    interval: 1s
    timeout: 900ms
    thresholds: { latencyP95: 200ms }
    endpoints:
      - { name: list-charges, url: "${target.url}/v1/charges", expect: { status: [200], jsonKeys: [data] } }
  - name: geocoding
    provider: geoloc
    criticality: standard
    owner: search-team
    auth: { type: header, header: X-Geo-Key, secretEnv: APIMON_IT_PAY_KEY }
    rateLimit: { limit: 600, window: 1m }
    interval: 1s
    timeout: 900ms
    endpoints:
      - { name: forward, url: "${target.url}/v1/geocode" }
  - name: sms
    provider: textly
    criticality: standard
    owner: messaging-team
    auth: { type: basic, usernameEnv: APIMON_IT_SMS_ID, passwordEnv: APIMON_IT_SMS_TOKEN }
    interval: 1s
    timeout: 900ms
    endpoints:
      - { name: send-status, url: "${target.url}/v1/messages" }
`;
    writeFileSync(join(dir, 'catalog.yaml'), catalog);
    service = new ProberService({
      configFile: join(dir, 'catalog.yaml'),
      logger: logs.logger,
      env: { APIMON_IT_PAY_KEY: SECRET },
      watch: false,
    });
    const address = await service.start('127.0.0.1', 0);
    metricsUrl = `http://127.0.0.1:${address.port}/metrics`;
  });

  afterAll(async () => {
    await prometheus?.stop();
    await service?.stop(2_000);
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the credential to the target, but never into logs, metrics or the JSON API', async () => {
    await waitFor(
      () => logs.entries().some((e) => e.msg === 'probe failed' && e.api === 'geocoding'),
      15_000,
      'a failed probe'
    );
    await waitFor(
      () => logs.entries().some((e) => e.msg === 'API misconfigured: it is not probed until this is fixed'),
      15_000,
      'the misconfigured API'
    );
    const charges = await waitFor(
      () => target.requests.find((r) => r.path === '/v1/charges'),
      15_000,
      'a payments probe'
    );
    expect(charges.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(target.requests.find((r) => r.path === '/v1/geocode')?.headers['x-geo-key']).toBe(SECRET);
    const misconfigured = logs
      .entries()
      .find((e) => e.msg === 'API misconfigured: it is not probed until this is fixed');
    expect(misconfigured).toMatchObject({ api: 'sms', variable: 'APIMON_IT_SMS_ID' });

    const exposition = await (await fetch(metricsUrl)).text();
    const catalog = await (await fetch(metricsUrl.replace('/metrics', '/api/v1/catalog'))).text();
    for (const text of [logs.text(), exposition, catalog]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('DO_NOT_LEAK');
    }
    expect(exposition).toContain(
      'apimon_api_misconfigured{api="sms",provider="textly",location="it",reason="missing env APIMON_IT_SMS_ID"} 1'
    );
    expect(catalog).toContain('APIMON_IT_PAY_KEY');
  });

  it('exposes metrics that promtool accepts', async () => {
    await waitFor(
      async () => (await (await fetch(metricsUrl)).text()).includes('apimon_ratelimit_remaining{'),
      15_000,
      'a probe with rate-limit headers'
    );
    const exposition = await (await fetch(metricsUrl)).text();
    const result = await promtoolCheckMetrics(exposition);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);

    // The scheduler's own series are part of what promtool checked.
    const samples = parseExposition(exposition);
    const payments = { api: 'payments', provider: 'acme-pay', location: 'it' };
    expect(find(samples, METRICS.schedulerSlots)[0].value).toBeGreaterThan(0);
    expect(find(samples, METRICS.schedulerQueueLength)[0].value).toBe(0);
    expect(find(samples, METRICS.schedulerSaturated)[0].value).toBe(0);
    expect(
      find(samples, METRICS.schedulerInFlight)
        .map((s) => s.labels.provider)
        .sort()
    ).toEqual(['acme-pay', 'geoloc', 'textly']);
    expect(find(samples, METRICS.probeDue, { ...payments, endpoint: 'list-charges' })[0].value).toBeGreaterThanOrEqual(
      1
    );
    // Per provider and criticality (what the scheduler queues by), not per API or endpoint.
    const delays = find(samples, bucket(METRICS.probeStartDelay), { provider: 'acme-pay', location: 'it' });
    expect(delays.map((s) => s.labels.le)).toEqual(expect.arrayContaining(['0.005', '60', '+Inf']));
    expect(delays.every((s) => s.labels.api === undefined && s.labels.endpoint === undefined)).toBe(true);
    expect(new Set(delays.map((s) => s.labels.criticality))).toEqual(new Set(['critical']));
  });

  it('lands histogram buckets and rate-limit gauges in Prometheus with the values served', async () => {
    const { host } = new URL(metricsUrl);
    prometheus = await startPrometheus(scrapeConfig(host));
    const p = prometheus;
    const sel = 'api="payments",endpoint="list-charges",provider="acme-pay",location="it"';

    const buckets = await waitFor(
      async () => {
        const r = await p.query(`apimon_probe_duration_seconds_bucket{${sel}}`);
        return r.length > 0 ? r : undefined;
      },
      30_000,
      'the duration histogram in Prometheus'
    );
    const bucket = (le: string) => buckets.find((b) => b.metric.le === le)?.value;
    const total = bucket('+Inf')!;
    expect(total).toBeGreaterThanOrEqual(1);
    // Every probe waited for the fixed 120 ms delay: none in the 100 ms bucket; all end within
    // their 900 ms timeout (2 s leaves room for a loaded machine's event loop).
    expect(bucket('0.1')).toBe(0);
    expect(bucket('2')).toBe(total);
    expect(buckets.map((b) => b.metric.le)).toEqual(expect.arrayContaining(['0.005', '0.2', '60', '+Inf']));

    const ttfb = await p.query(`apimon_probe_phase_duration_seconds_bucket{${sel},phase="ttfb",le="0.1"}`);
    expect(ttfb[0].value).toBe(0);

    const gauge = async (name: string, policy?: string) => {
      const r = await p.query(`${name}{${sel}${policy ? `,policy="${policy}"` : ''}}`);
      return r;
    };
    const limit = await gauge('apimon_ratelimit_limit');
    expect(limit).toHaveLength(1);
    expect(limit[0].value).toBe(5000);
    const policy = limit[0].metric.policy;
    expect((await gauge('apimon_ratelimit_remaining', policy))[0].value).toBe(4321);
    const reset = (await gauge('apimon_ratelimit_reset_seconds', policy))[0].value;
    expect(reset).toBeGreaterThan(3500);
    expect(reset).toBeLessThanOrEqual(3600);

    const ok = await p.query(`apimon_probe_requests_total{${sel},code="200",outcome="ok"}`);
    expect(ok[0].value).toBeGreaterThanOrEqual(1);
    const failed = await p.query('apimon_probe_requests_total{api="geocoding",code="503",outcome="http_5xx"}');
    expect(failed[0].value).toBeGreaterThanOrEqual(1);
    // No rate-limit headers from geocoding, but a documented limit: limit and estimated remaining.
    const estimated = await p.query('apimon_ratelimit_limit{api="geocoding"}');
    expect(estimated.map((s) => s.value)).toEqual([600]);

    // The alert-rule join: probe latency against the per-endpoint threshold.
    const joined = await p.query(
      `max by (api, endpoint) (apimon_probe_duration_seconds_count{api="payments"}) * 0 + on (api, endpoint) group_left apimon_threshold_latency_seconds{endpoint!=""}`
    );
    expect(joined).toEqual([{ metric: { api: 'payments', endpoint: 'list-charges' }, value: 0.2 }]);
  });

  it('runs every example query of docs/metrics.md without error', async () => {
    const doc = readFileSync(resolve(__dirname, '../../docs/metrics.md'), 'utf8');
    const blocks = [...doc.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1]);
    const queries = blocks
      .join('\n\n')
      .split(/\n\s*\n/)
      .map((q) =>
        q
          .split('\n')
          .filter((l) => !l.startsWith('#'))
          .join('\n')
          .trim()
      )
      .filter((q) => q !== '');
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(queries.length).toBeGreaterThanOrEqual(18);
    for (const q of queries) {
      // query() throws with Prometheus's error message on a bad expression.
      expect(Array.isArray(await prometheus!.query(q))).toBe(true);
    }
    // And one that must return data: p95 per endpoint.
    const p95 = queries.find((q) => q.startsWith('histogram_quantile(0.95, sum by (api, endpoint, le)'))!;
    await waitFor(async () => (await prometheus!.query(p95)).length > 0, 15_000, 'a p95 from rate()');
  });
});
