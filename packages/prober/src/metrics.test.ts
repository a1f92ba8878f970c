import { METRICS, RUNTIME_METRICS } from '@apimon/core';
import { version } from '../package.json';
import { ProberMetrics } from './metrics';
import { catalogFrom, catalogYaml } from './test-support/catalogs';
import { find, parseExposition, valueOf } from './test-support/exposition';
import { probeResult } from './test-support/probe-result';

const BASE = 'https://api.example';
const id = (api: string, endpoint: string) => ({ api, endpoint, provider: `${api}-inc`, location: 'test' });

async function samples(metrics: ProberMetrics) {
  return parseExposition(await metrics.exposition());
}

describe('ProberMetrics', () => {
  it('puts a probe result into the contract series with api, endpoint, provider and location', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 0);
    const expiry = Date.UTC(2027, 0, 1);
    metrics.recordProbe(
      id('payments', 'charges'),
      probeResult({
        durationMs: 180,
        phases: { dns: 4, connect: 6, tls: 20, ttfb: 140, transfer: 10 },
        bytes: 3000,
        tlsExpiresAt: expiry,
        rateLimits: [
          { policy: 'default', limit: 5000, remaining: 4990, resetSeconds: 42 },
          { policy: 'burst', limit: 10, remaining: 9, resetSeconds: null },
        ],
      })
    );
    metrics.recordProbe(
      id('payments', 'charges'),
      probeResult({ outcome: 'http_5xx', code: 503, durationMs: 30, error: 'HTTP 503' })
    );
    const s = await samples(metrics);
    const labels = id('payments', 'charges');

    expect(valueOf(s, 'apimon_probe_duration_seconds_count', labels)).toBe(2);
    expect(valueOf(s, 'apimon_probe_duration_seconds_sum', labels)).toBeCloseTo(0.21, 6);
    expect(valueOf(s, 'apimon_probe_duration_seconds_bucket', { ...labels, le: '0.2' })).toBe(2);
    expect(valueOf(s, 'apimon_probe_duration_seconds_bucket', { ...labels, le: '0.175' })).toBe(1);
    expect(valueOf(s, 'apimon_probe_phase_duration_seconds_sum', { ...labels, phase: 'ttfb' })).toBeCloseTo(0.24, 6);
    // The second result had no TLS phase (0 ms): a phase that did not happen is not observed.
    expect(valueOf(s, 'apimon_probe_phase_duration_seconds_count', { ...labels, phase: 'tls' })).toBe(1);
    expect(valueOf(s, 'apimon_probe_phase_duration_seconds_count', { ...labels, phase: 'ttfb' })).toBe(2);
    expect(valueOf(s, 'apimon_probe_requests_total', { ...labels, code: '200', outcome: 'ok' })).toBe(1);
    expect(valueOf(s, 'apimon_probe_requests_total', { ...labels, code: '503', outcome: 'http_5xx' })).toBe(1);
    expect(valueOf(s, 'apimon_probe_response_bytes_bucket', { ...labels, le: '4096' })).toBe(2);
    expect(valueOf(s, 'apimon_tls_cert_expiry_timestamp_seconds', labels)).toBe(expiry / 1000);
    // The 503 carried no rate-limit headers and the catalog documents none: the policies go.
    expect(find(s, 'apimon_ratelimit_limit', labels)).toHaveLength(0);
    expect(valueOf(s, 'apimon_endpoint_plain_http', labels)).toBe(0);
  });

  it('exports rate-limit policies from the last response and removes those no longer sent', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 0);
    const labels = id('payments', 'charges');
    metrics.recordProbe(
      labels,
      probeResult({
        rateLimits: [
          { policy: 'default', limit: 5000, remaining: 4990, resetSeconds: 42 },
          { policy: 'burst', limit: 10, remaining: 9, resetSeconds: null },
        ],
      })
    );
    let s = await samples(metrics);
    expect(valueOf(s, 'apimon_ratelimit_limit', { ...labels, policy: 'default' })).toBe(5000);
    expect(valueOf(s, 'apimon_ratelimit_remaining', { ...labels, policy: 'default' })).toBe(4990);
    expect(valueOf(s, 'apimon_ratelimit_reset_seconds', { ...labels, policy: 'default' })).toBe(42);
    expect(valueOf(s, 'apimon_ratelimit_remaining', { ...labels, policy: 'burst' })).toBe(9);
    expect(valueOf(s, 'apimon_ratelimit_reset_seconds', { ...labels, policy: 'burst' })).toBeUndefined();

    // A connection failure says nothing about the limits: the last values stay.
    metrics.recordProbe(labels, probeResult({ outcome: 'connect', code: 0, error: 'refused' }));
    s = await samples(metrics);
    expect(valueOf(s, 'apimon_ratelimit_remaining', { ...labels, policy: 'burst' })).toBe(9);

    metrics.recordProbe(
      labels,
      probeResult({ rateLimits: [{ policy: 'default', limit: 5000, remaining: 4000, resetSeconds: 10 }] })
    );
    s = await samples(metrics);
    expect(valueOf(s, 'apimon_ratelimit_remaining', { ...labels, policy: 'default' })).toBe(4000);
    expect(find(s, 'apimon_ratelimit_remaining', { policy: 'burst' })).toHaveLength(0);
    expect(find(s, 'apimon_ratelimit_limit', { policy: 'burst' })).toHaveLength(0);
  });

  it('falls back to the catalog estimate when the response has no rate-limit headers', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 0);
    const labels = id('payments', 'charges');
    metrics.recordProbe(labels, probeResult(), [{ policy: 'catalog', limit: 100, remaining: 97, resetSeconds: null }]);
    const s = await samples(metrics);
    expect(valueOf(s, 'apimon_ratelimit_limit', { ...labels, policy: 'catalog' })).toBe(100);
    expect(valueOf(s, 'apimon_ratelimit_remaining', { ...labels, policy: 'catalog' })).toBe(97);
  });

  it('exports catalog facts and thresholds per API and per endpoint', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    const catalog = catalogFrom(`
providers: [{ name: acme }]
apis:
  - name: payments
    provider: acme
    criticality: critical
    owner: pay-team
    auth: { type: bearer, secretEnv: PAY_KEY }
    thresholds: { latencyP95: 200ms, errorRate: 1%, headroom: 20% }
    endpoints:
      - { name: charges, url: "https://pay.example/charges" }
      - { name: refunds, url: "http://pay.example/refunds", thresholds: { latencyP95: 1s } }
`);
    metrics.applyCatalog(catalog, 1_700_000_000_000);
    const s = await samples(metrics);
    const api = { api: 'payments', provider: 'acme', location: 'local' };
    expect(valueOf(s, 'apimon_api_info', { ...api, criticality: 'critical', owner: 'pay-team', auth: 'bearer' })).toBe(
      1
    );
    expect(valueOf(s, 'apimon_threshold_latency_seconds', api, true)).toBe(0.2);
    expect(valueOf(s, 'apimon_threshold_latency_seconds', { ...api, endpoint: 'charges' })).toBe(0.2);
    expect(valueOf(s, 'apimon_threshold_latency_seconds', { ...api, endpoint: 'refunds' })).toBe(1);
    expect(valueOf(s, 'apimon_threshold_error_ratio', { ...api, endpoint: 'refunds' })).toBe(0.01);
    expect(valueOf(s, 'apimon_threshold_headroom_ratio', api, true)).toBe(0.2);
    expect(valueOf(s, 'apimon_endpoint_plain_http', { ...api, endpoint: 'refunds' })).toBe(1);
    expect(valueOf(s, 'apimon_endpoint_plain_http', { ...api, endpoint: 'charges' })).toBe(0);
    expect(valueOf(s, 'apimon_api_misconfigured', api, true)).toBe(0);
    expect(valueOf(s, 'apimon_catalog_apis')).toBe(1);
    expect(valueOf(s, 'apimon_catalog_endpoints')).toBe(2);
    expect(valueOf(s, 'apimon_catalog_reload_success')).toBe(1);
    expect(valueOf(s, 'apimon_catalog_reload_timestamp_seconds')).toBe(1_700_000_000);
    // Never the secret's variable name or value in a label, only the auth method.
    expect(await metrics.exposition()).not.toContain('PAY_KEY');
  });

  it('removes every series of APIs and endpoints the new catalog no longer has', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges', 'refunds'], maps: ['geocode'] })), 0);
    for (const [api, endpoint] of [
      ['payments', 'charges'],
      ['payments', 'refunds'],
      ['maps', 'geocode'],
    ]) {
      metrics.recordProbe(
        id(api, endpoint),
        probeResult({ api, endpoint, rateLimits: [{ policy: 'p', limit: 1, remaining: 1, resetSeconds: 1 }] })
      );
      metrics.recordSkip(id(api, endpoint), 'quota_guard');
    }
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 0);
    const text = await metrics.exposition();
    expect(text).not.toContain('maps');
    expect(text).not.toContain('refunds');
    const s = parseExposition(text);
    expect(valueOf(s, 'apimon_probe_requests_total', { ...id('payments', 'charges'), outcome: 'ok' })).toBe(1);
    expect(valueOf(s, 'apimon_ratelimit_limit', id('payments', 'charges'))).toBe(1);
    expect(valueOf(s, 'apimon_probe_skipped_total', { ...id('payments', 'charges'), reason: 'quota_guard' })).toBe(1);
    expect(valueOf(s, 'apimon_catalog_apis')).toBe(1);
  });

  it('keeps the start delay per provider and criticality, while the catalog still has an API of both', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges', 'refunds'], maps: ['geocode'] })), 0);
    metrics.recordStartDelay(id('payments', 'charges'), 'standard', 0.002);
    metrics.recordStartDelay(id('payments', 'refunds'), 'standard', 1.5);
    metrics.recordStartDelay(id('maps', 'geocode'), 'standard', 0.002);
    let s = await samples(metrics);
    // One series per provider and criticality: both endpoints of payments count in one.
    const payments = { provider: 'payments-inc', criticality: 'standard', location: 'test' };
    expect(find(s, 'apimon_probe_start_delay_seconds_count').map((x) => x.labels)).toEqual([
      payments,
      { provider: 'maps-inc', criticality: 'standard', location: 'test' },
    ]);
    expect(valueOf(s, 'apimon_probe_start_delay_seconds_count', payments)).toBe(2);
    expect(valueOf(s, 'apimon_probe_start_delay_seconds_bucket', { ...payments, le: '0.005' })).toBe(1);
    // maps is gone; payments turns critical: neither old queue is left behind.
    metrics.applyCatalog(
      catalogFrom(
        catalogYaml(BASE, { payments: ['charges'] }).replace('criticality: standard', 'criticality: critical')
      ),
      0
    );
    s = await samples(metrics);
    expect(find(s, 'apimon_probe_start_delay_seconds_count')).toEqual([]);
  });

  it('streams its exposition in pieces and lets probes run between them', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    const apis = Object.fromEntries(
      Array.from({ length: 40 }, (_, a) => [`api${a}`, Array.from({ length: 50 }, (_, e) => `e${e}`)])
    );
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, apis)), 0);
    for (const [api, endpoints] of Object.entries(apis)) {
      for (const endpoint of endpoints) {
        metrics.recordProbe(id(api, endpoint), probeResult({ api, endpoint }));
      }
    }
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const pieces: string[] = [];
    try {
      for await (const piece of metrics.expositionChunks()) {
        pieces.push(piece);
      }
    } finally {
      clearInterval(ticking);
    }
    const whole = pieces.join('');
    // 2,000 endpoints: no piece holds more than a few hundred histogram series.
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(whole.length / 10);
    expect(turns).toBeGreaterThan(0);
    // Every series whole, once: the same samples as a one-string render.
    const s = parseExposition(whole);
    expect(find(s, 'apimon_probe_duration_seconds_count')).toHaveLength(2_000);
    expect(valueOf(s, 'apimon_probe_duration_seconds_bucket', { ...id('api7', 'e9'), le: '+Inf' })).toBe(1);
    expect(parseExposition(await metrics.exposition())).toHaveLength(s.length);
  });

  it('moves series when an API changes provider or location', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 0);
    metrics.recordProbe(id('payments', 'charges'), probeResult());
    metrics.applyCatalog(
      catalogFrom(catalogYaml(BASE, { payments: ['charges'] }).replace('location: test', 'location: eu-west')),
      0
    );
    const s = await samples(metrics);
    expect(find(s, 'apimon_probe_requests_total')).toHaveLength(0);
    expect(find(s, 'apimon_api_info', { location: 'test' })).toHaveLength(0);
    expect(find(s, 'apimon_api_info', { location: 'eu-west' })).toHaveLength(1);
    expect(find(s, 'apimon_api_misconfigured', { api: 'payments' })).toEqual([
      {
        name: 'apimon_api_misconfigured',
        labels: { api: 'payments', provider: 'payments-inc', location: 'eu-west' },
        value: 0,
      },
    ]);
  });

  it('marks an API misconfigured with the variable name as reason, and clears it', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'], maps: ['geocode'] })), 0);
    expect(metrics.setMisconfigured('payments', 'missing env PAY_KEY')).toBe(true);
    expect(metrics.setMisconfigured('payments', 'missing env PAY_KEY')).toBe(false);
    let s = await samples(metrics);
    const pay = { api: 'payments', provider: 'payments-inc', location: 'test' };
    expect(find(s, 'apimon_api_misconfigured', { api: 'payments' })).toEqual([
      { name: 'apimon_api_misconfigured', labels: { ...pay, reason: 'missing env PAY_KEY' }, value: 1 },
    ]);
    expect(valueOf(s, 'apimon_api_misconfigured', { api: 'maps' })).toBe(0);
    // A reload keeps the state of an API that stays, even when it moves to another location.
    metrics.applyCatalog(
      catalogFrom(
        catalogYaml(BASE, { payments: ['charges'], maps: ['geocode'] }).replace('location: test', 'location: eu')
      ),
      0
    );
    s = await samples(metrics);
    expect(find(s, 'apimon_api_misconfigured', { api: 'payments' })).toEqual([
      { name: 'apimon_api_misconfigured', labels: { ...pay, location: 'eu', reason: 'missing env PAY_KEY' }, value: 1 },
    ]);
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'], maps: ['geocode'] })), 0);
    expect(metrics.setMisconfigured('payments', undefined)).toBe(true);
    s = await samples(metrics);
    expect(find(s, 'apimon_api_misconfigured', { api: 'payments' })).toEqual([
      { name: 'apimon_api_misconfigured', labels: pay, value: 0 },
    ]);
  });

  it('tracks a redirect to plain http', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 0);
    metrics.recordProbe(id('payments', 'charges'), probeResult({ plainHttp: true, redirects: 1 }));
    const s = await samples(metrics);
    expect(valueOf(s, 'apimon_endpoint_plain_http', id('payments', 'charges'))).toBe(1);
  });
});

describe("ProberMetrics: the prober's own health", () => {
  it("exposes prom-client's process and Node.js metrics under their usual names, every one the contract names", async () => {
    const metrics = new ProberMetrics();
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 0);
    // The GC histogram appears once a collection has been observed: make garbage.
    let kept = 0;
    for (let i = 0; i < 200_000; i++) {
      kept += new Array(16).fill(i).length;
    }
    expect(kept).toBe(3_200_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const s = await samples(metrics);
    const names = new Set(s.map((x) => x.name));
    for (const name of Object.values(RUNTIME_METRICS)) {
      const present = names.has(name === RUNTIME_METRICS.gcDuration ? `${name}_count` : name);
      expect({ name, present }).toEqual({ name, present: true });
    }
    expect(valueOf(s, RUNTIME_METRICS.residentMemory)).toBeGreaterThan(10 * 1024 * 1024);
    expect([...names].filter((n) => n.startsWith('apimon_process_') && n !== METRICS.processMemoryLimit)).toEqual([]);
    // Gauges prom-client names *_total (a counter's suffix) are left out; nodejs_active_* have the numbers.
    expect([...names].filter((n) => /^nodejs_active_.*_total$/.test(n))).toEqual([]);
  });

  it('says which version runs where: build info follows the catalog location', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 0);
    let s = await samples(metrics);
    expect(find(s, METRICS.buildInfo)).toEqual([
      { name: METRICS.buildInfo, labels: { version, node_version: process.version, location: 'test' }, value: 1 },
    ]);
    metrics.applyCatalog(
      catalogFrom(catalogYaml(BASE, { payments: ['charges'] }).replace('location: test', 'location: eu')),
      0
    );
    s = await samples(metrics);
    expect(find(s, METRICS.buildInfo).map((x) => x.labels.location)).toEqual(['eu']);
  });

  it('counts catalog loads by result, both results from the start', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    let s = await samples(metrics);
    expect(valueOf(s, METRICS.catalogReloads, { result: 'accepted' })).toBe(0);
    expect(valueOf(s, METRICS.catalogReloads, { result: 'rejected' })).toBe(0);
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 5_000);
    metrics.catalogRejected();
    metrics.catalogRejected();
    s = await samples(metrics);
    expect(valueOf(s, METRICS.catalogReloads, { result: 'accepted' })).toBe(1);
    expect(valueOf(s, METRICS.catalogReloads, { result: 'rejected' })).toBe(2);
    expect(valueOf(s, METRICS.catalogReloadSuccess)).toBe(0);
    expect(valueOf(s, METRICS.catalogReloadTimestamp)).toBe(5);
  });

  it('keeps a probe with degraded timing out of the latency histograms, and counts it', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'] })), 0);
    const labels = id('payments', 'charges');
    metrics.recordProbe(labels, probeResult({ durationMs: 40, loopDelayMs: 3 }));
    metrics.recordProbe(labels, probeResult({ durationMs: 640, loopDelayMs: 600 }), [], { degraded: true });
    const s = await samples(metrics);
    expect(valueOf(s, 'apimon_probe_duration_seconds_count', labels)).toBe(1);
    expect(valueOf(s, 'apimon_probe_duration_seconds_sum', labels)).toBeCloseTo(0.04, 6);
    expect(valueOf(s, 'apimon_probe_phase_duration_seconds_count', { ...labels, phase: 'ttfb' })).toBe(1);
    expect(valueOf(s, METRICS.probeTimingDegraded, labels)).toBe(1);
    // Its outcome is a fact all the same.
    expect(valueOf(s, 'apimon_probe_requests_total', { ...labels, code: '200', outcome: 'ok' })).toBe(2);
    // Every probe's loop delay lands in the prober-wide histogram.
    expect(valueOf(s, 'apimon_probe_loop_delay_seconds_count')).toBe(2);
    expect(valueOf(s, 'apimon_probe_loop_delay_seconds_bucket', { le: '0.005' })).toBe(1);
    expect(valueOf(s, 'apimon_probe_loop_delay_seconds_sum')).toBeCloseTo(0.603, 6);
    // The counter goes with the endpoint.
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { maps: ['geocode'] })), 0);
    expect(find(await samples(metrics), METRICS.probeTimingDegraded)).toEqual([]);
  });

  it('times its own renders and says how much memory it may use', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    await metrics.exposition();
    await metrics.exposition();
    const s = await samples(metrics);
    // The render being timed is observed after it is done: two before this one.
    expect(valueOf(s, 'apimon_metrics_render_duration_seconds_count')).toBe(2);
    expect(valueOf(s, 'apimon_metrics_render_duration_seconds_sum')).toBeGreaterThan(0);
    expect(valueOf(s, METRICS.processMemoryLimit)).toBeGreaterThan(64 * 1024 * 1024);
  });

  it('exports the audit facts of the last response: cache, encoding and sizes, TLS, HSTS, body repeats', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'], maps: ['geocode'] })), 0);
    const labels = id('payments', 'charges');
    const cache = {
      noStore: false,
      noCache: false,
      private: false,
      etag: true,
      lastModified: false,
      expires: false,
      vary: 'accept-encoding',
      freshnessSeconds: 300,
    };
    const facts = (bodyHash: string | null, encoding = 'gzip') => ({
      cache,
      encoding,
      compressionRequested: true,
      wireBytes: 1200,
      decodedBytes: 9000,
      bodyHash,
      hstsMaxAgeSeconds: 0,
    });
    const tls = { protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-SHA', verifyError: null };
    for (const hash of ['h1', 'h1', 'h2', null]) {
      metrics.recordProbe(labels, probeResult({ facts: facts(hash), tls }));
    }
    let s = await samples(metrics);
    expect(find(s, 'apimon_endpoint_cache_info', labels)).toEqual([
      {
        name: 'apimon_endpoint_cache_info',
        labels: {
          ...labels,
          no_store: 'false',
          no_cache: 'false',
          private: 'false',
          etag: 'true',
          last_modified: 'false',
          expires: 'false',
          vary: 'accept-encoding',
        },
        value: 1,
      },
    ]);
    expect(valueOf(s, 'apimon_endpoint_cache_freshness_seconds', labels)).toBe(300);
    // h1 -> h1 same, h1 -> h2 changed; the first has nothing to compare with, a null hash is skipped.
    expect(valueOf(s, 'apimon_probe_body_compared_total', { ...labels, result: 'same' })).toBe(1);
    expect(valueOf(s, 'apimon_probe_body_compared_total', { ...labels, result: 'changed' })).toBe(1);
    expect(
      valueOf(s, 'apimon_endpoint_content_encoding_info', { ...labels, encoding: 'gzip', requested: 'true' })
    ).toBe(1);
    expect(valueOf(s, 'apimon_endpoint_body_wire_bytes', labels)).toBe(1200);
    expect(valueOf(s, 'apimon_endpoint_body_decoded_bytes', labels)).toBe(9000);
    expect(
      valueOf(s, 'apimon_endpoint_tls_info', { ...labels, protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-SHA' })
    ).toBe(1);
    expect(valueOf(s, 'apimon_endpoint_tls_verify_error', labels)).toBe(0);
    expect(valueOf(s, 'apimon_endpoint_hsts_max_age_seconds', labels)).toBe(0);

    // New facts replace the old series; a verify error carries its reason.
    metrics.recordProbe(
      labels,
      probeResult({
        facts: facts('h3', 'identity'),
        tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', verifyError: 'CERT_HAS_EXPIRED' },
      })
    );
    s = await samples(metrics);
    expect(find(s, 'apimon_endpoint_content_encoding_info', labels).map((x) => x.labels.encoding)).toEqual([
      'identity',
    ]);
    expect(find(s, 'apimon_endpoint_tls_info', labels).map((x) => x.labels.protocol)).toEqual(['TLSv1.3']);
    expect(find(s, 'apimon_endpoint_tls_verify_error', labels)).toEqual([
      { name: 'apimon_endpoint_tls_verify_error', labels: { ...labels, reason: 'CERT_HAS_EXPIRED' }, value: 1 },
    ]);

    // Plain http drops the TLS series; an endpoint leaving the catalog drops them all.
    metrics.recordProbe(labels, probeResult({ plainHttp: true, facts: { ...facts('h3'), hstsMaxAgeSeconds: null } }));
    s = await samples(metrics);
    expect(find(s, 'apimon_endpoint_tls_info', labels)).toHaveLength(0);
    expect(find(s, 'apimon_endpoint_hsts_max_age_seconds', labels)).toHaveLength(0);
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { maps: ['geocode'] })), 0);
    s = await samples(metrics);
    for (const name of [
      'apimon_endpoint_cache_info',
      'apimon_probe_body_compared_total',
      'apimon_endpoint_content_encoding_info',
      'apimon_endpoint_body_wire_bytes',
    ]) {
      expect(find(s, name, { api: 'payments' })).toHaveLength(0);
    }
  });

  it('exports the shape of the token a probe sent (JWT and its alg, or opaque), never the token; gone when it sends none', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalogFrom(catalogYaml(BASE, { payments: ['charges'], maps: ['geocode'] })), 0);
    const labels = id('payments', 'charges');
    metrics.recordProbe(
      labels,
      probeResult({ credential: { format: 'jwt', alg: 'RS256', expiresAt: 1_900_000_000_000 } })
    );
    let s = await samples(metrics);
    expect(find(s, 'apimon_endpoint_credential_info', labels)).toEqual([
      { name: 'apimon_endpoint_credential_info', labels: { ...labels, format: 'jwt', alg: 'RS256' }, value: 1 },
    ]);
    metrics.recordProbe(labels, probeResult({ credential: { format: 'opaque', alg: null, expiresAt: null } }));
    s = await samples(metrics);
    expect(find(s, 'apimon_endpoint_credential_info', labels).map((x) => x.labels)).toEqual([
      { ...labels, format: 'opaque', alg: '' },
    ]);
    // The catalog moved the API to Basic: the probe sends no token, the series goes.
    metrics.recordProbe(labels, probeResult({ credential: null }));
    s = await samples(metrics);
    expect(find(s, 'apimon_endpoint_credential_info', labels)).toHaveLength(0);
  });
});
