// The audit's proof on real parts: sandbox providers set up to trigger every finding kind
// (cacheable answers, a big uncompressed feed, a key in the query string, a slow SMS gateway
// behind a short timeout, TLS 1.1, a CBC cipher, an incomplete chain, no HSTS, a missing
// secret, an advisory feed) and one clean HTTPS provider; the demo platform (real
// OpenTelemetry SDK, in its own process) calling payments with a naive client that retries
// 429s at once, and e-mail near its documented limit; the real prober probing all of it; a
// real Prometheus scraping the prober and the platform every second; then `apimon audit`
// reading the store, and the prober's scheduled audit exporting apimon_audit_finding.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_KIND_NAMES, type AuditKind, type FindingJson } from '@apimon/core';
import { createSandbox, createTlsEndpoints, type Sandbox, type TlsEndpoints } from '@apimon/sandbox';
import { AdvisoryMonitor } from '../../packages/prober/src/advisory';
import { AuditModule } from '../../packages/prober/src/audit';
import { ProberService } from '../../packages/prober/src/service';
import { StatusPageMonitor } from '../../packages/prober/src/statuspage';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { runCli, startPlatformProcess, type PlatformChild } from '../helpers/platform-process';
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from '../helpers/prometheus';

jest.setTimeout(120_000);

/** payments' bearer secret is a JWT: the inventory must name it by its shape, and show no more of it than its alg. */
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const PAY_JWT = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: 'audit-subject-7', exp: 1_900_000_000 })}.c2lnbmF0dXJlLWF1ZGl0`;
const SECRETS = {
  PAY_KEY: PAY_JWT,
  GEO_KEY: 'geo-audit-secret',
  SMS_USER: 'AC-audit',
  SMS_PASS: 'sms-audit-secret',
  CLEAN_KEY: 'clean-audit-secret',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function catalogYaml(sb: string, port: number, tls: TlsEndpoints['urls'], audit = ''): string {
  const tlsApi = (name: string, url: string) =>
    `  - { name: ${name}, provider: tlslab, criticality: standard, owner: platform-team, interval: 1s, timeout: 900ms, endpoints: [{ name: listings, url: "${url}/v1/listings" }] }`;
  return `defaults: { location: it }
${audit}
providers:
  - name: acme-pay
    advisories: [{ url: "${sb}/acme-pay/advisories.rss", acknowledged: [acme-pay-v1-list-deprecation] }]
  - { name: geoloc }
  - { name: adstream }
  - { name: textly }
  - { name: postbird }
  - { name: secure-co }
  - { name: tlslab }
apis:
  # The clean provider: https, TLS 1.3, full chain, HSTS, gzip, no-store, a timeout that fits.
  - name: clean
    provider: secure-co
    criticality: standard
    owner: platform-team
    auth: { type: header, header: X-Api-Key, secretEnv: CLEAN_KEY }
    interval: 1s
    timeout: 900ms
    endpoints: [{ name: listings, url: "${tls.modern}/v1/listings" }]
${tlsApi('tls-legacy', tls['legacy-tls'])}
${tlsApi('tls-cbc', tls['weak-cipher'])}
${tlsApi('tls-chain', tls['incomplete-chain'])}
${tlsApi('tls-nohsts', tls['no-hsts'])}
  - name: payments
    provider: acme-pay
    criticality: critical
    owner: payments-team
    auth: { type: bearer, secretEnv: PAY_KEY }
    fallback: { type: queue, description: capture later }
    interval: 1s
    timeout: 900ms
    traffic: { match: [{ serverAddress: 127.0.0.1, serverPort: ${port}, urlTemplate: /acme-pay/v1/charges }] }
    endpoints: [{ name: charges, url: "${sb}/acme-pay/v1/charges" }]
  - name: email
    provider: postbird
    criticality: standard
    owner: growth-team
    auth: { type: bearer, secretEnv: POSTBIRD_KEY }
    capabilities: { batching: true }
    rateLimit: { limit: 5, window: 1s }
    interval: 1s
    timeout: 900ms
    traffic: { match: [{ serverAddress: 127.0.0.1, serverPort: ${port}, urlTemplate: /postbird/v1/quota }] }
    endpoints: [{ name: quota, url: "${sb}/postbird/v1/quota" }]
  - name: geocoding
    provider: geoloc
    criticality: standard
    owner: search-team
    auth: { type: query, param: key, secretEnv: GEO_KEY }
    interval: 2s
    timeout: 2s
    endpoints: [{ name: forward, url: "${sb}/geoloc/v1/geocode?q=Berlin" }]
  - name: ad-feed
    provider: adstream
    criticality: background
    owner: ads-team
    capabilities: { fieldSelection: true }
    interval: 2s
    timeout: 2s
    endpoints: [{ name: feed, url: "${sb}/adstream/v1/feed", expect: { maxBytes: 2MB } }]
  - name: sms
    provider: textly
    criticality: critical
    owner: messaging-team
    auth: { type: basic, usernameEnv: SMS_USER, passwordEnv: SMS_PASS }
    interval: 1s
    timeout: 300ms
    endpoints: [{ name: send, url: "${sb}/textly/v1/messages" }]
`;
}

/** The kinds each API must show (the clean one exactly, the others at least). */
const EXPECTED: Record<string, AuditKind[]> = {
  'tls-legacy': ['tls_old_protocol'],
  'tls-cbc': ['tls_weak_cipher'],
  'tls-chain': ['tls_chain_problem'],
  'tls-nohsts': ['hsts_missing'],
  payments: ['retry_storm', 'provider_advisory', 'plain_http'],
  email: ['near_limit_batchable', 'secret_missing'],
  geocoding: ['credentials_in_url', 'cacheable', 'timeout_too_long'],
  'ad-feed': ['large_payload', 'uncompressed'],
  sms: ['basic_auth', 'timeout_too_short', 'no_fallback'],
};

const describeIf = prometheusAvailable() ? describe : describe.skip;

describeIf('the audit on the sandbox, a real prober, platform and Prometheus', () => {
  let dir: string;
  let sandbox: Sandbox;
  let tls: TlsEndpoints;
  let platform: PlatformChild | undefined;
  let service: ProberService | undefined;
  let prometheus: RunningPrometheus | undefined;
  let auditModule: AuditModule | undefined;
  let proberUrl: string;
  const logs = captureLogs('info');
  let findings: FindingJson[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-audit-'));
    [sandbox, tls] = await Promise.all([
      createSandbox({ listen: '127.0.0.1:0', realisticLatency: false }),
      createTlsEndpoints(),
    ]);
    for (const provider of ['acme-pay', 'postbird', 'geoloc', 'adstream'] as const) {
      sandbox.admin.configure(provider, { rateLimit: { limit: 100_000, windowSeconds: 1 } });
    }
    sandbox.admin.configure('adstream', { payloadBytes: 300 * 1024 });
    // The SMS gateway answers in 400 ms: a 300 ms timeout cuts off every call.
    sandbox.admin.configure('textly', { latencyMs: 400, bursts: null });
    const catalog = join(dir, 'catalog.yaml');
    writeFileSync(catalog, catalogYaml(sandbox.url, sandbox.port, tls.urls));
    service = new ProberService({
      configFile: catalog,
      logger: logs.logger,
      watch: false,
      env: SECRETS,
      probeOptions: { ca: tls.ca },
      modules: (_catalog, metrics) => {
        const advisories = new AdvisoryMonitor({ registry: metrics.registry, logger: logs.logger });
        auditModule = new AuditModule({
          registry: metrics.registry,
          logger: logs.logger,
          advisories: () => advisories.newItems(),
        });
        return [
          new StatusPageMonitor({ registry: metrics.registry, logger: logs.logger, dataDir: null }),
          advisories,
          auditModule,
        ];
      },
    });
    const prober = await service.start('127.0.0.1', 0);
    proberUrl = `http://127.0.0.1:${prober.port}`;
    platform = await startPlatformProcess({
      sandboxUrl: sandbox.url,
      semconv: 'stable',
      shape: false,
      rps: 10,
      serviceName: 'marketplace-web',
      targets: [
        {
          name: 'payments',
          url: '{sandbox}/acme-pay/v1/charges',
          method: 'GET',
          headers: { Authorization: 'Bearer t' },
          urlTemplate: '/acme-pay/v1/charges',
          client: 'http',
          weight: 1,
        },
        {
          name: 'email',
          url: '{sandbox}/postbird/v1/quota',
          method: 'GET',
          headers: { Authorization: 'Bearer t' },
          urlTemplate: '/postbird/v1/quota',
          client: 'fetch',
          weight: 1,
        },
      ],
    });
    const job = (name: string, url: string) =>
      `  - { job_name: ${name}, scrape_interval: 1s, scrape_timeout: 900ms, static_configs: [{ targets: ['${new URL(url).host}'] }] }`;
    prometheus = await startPrometheus(
      `global: { scrape_interval: 1s }\nscrape_configs:\n${job('apimon', proberUrl)}\n${job('marketplace-web', platform.url)}\n`
    );
    // The scheduled audit on this store (its findings become apimon_audit_finding).
    writeFileSync(
      catalog,
      catalogYaml(
        sandbox.url,
        sandbox.port,
        tls.urls,
        `prober: { audit: { prometheus: "${prometheus.url}", interval: 1h, window: 1m } }`
      )
    );
    expect(await service.reload('request')).toBe(true);

    // A baseline of well-behaved traffic, then the provider throttles 80% of payments and the
    // platform's naive client retries each 429 at once, up to four times.
    await sleep(9_000);
    const res = await fetch(`${platform.url}/_admin/targets/payments`, {
      method: 'POST',
      body: JSON.stringify({ errorRatio: 0.8, errorStatus: 429, retries: 4 }),
    });
    expect(res.status).toBe(200);
    await sleep(10_000);

    const r = await runCli([
      'audit',
      '--config',
      catalog,
      '--prometheus',
      prometheus.url,
      '--prober',
      proberUrl,
      '--window',
      '35s',
      '--scrape-interval',
      '1s',
      '--min-samples',
      '5',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    findings = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FindingJson);
  });

  afterAll(async () => {
    await platform?.stop();
    await prometheus?.stop();
    await service?.stop(2_000);
    await Promise.all([sandbox?.close(), tls?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const kindsOf = (api: string) => findings.filter((f) => f.api === api).map((f) => f.kind);

  it('finds nothing but the auth inventory for the clean provider', () => {
    expect(findings.filter((f) => f.api === 'clean')).toEqual([
      expect.objectContaining({
        kind: 'auth_method',
        severity: 'info',
        evidence: expect.objectContaining({ method: 'header', variables: 'CLEAN_KEY', schemes: 'https' }),
      }),
    ]);
  });

  it.each(Object.entries(EXPECTED))('finds what %s was set up to trigger', (api, kinds) => {
    expect(kindsOf(api)).toEqual(expect.arrayContaining([...kinds, 'auth_method']));
  });

  it('produces every finding kind somewhere, each line in the documented shape', () => {
    expect(new Set(findings.map((f) => f.kind))).toEqual(new Set(AUDIT_KIND_NAMES));
    for (const f of findings) {
      expect(Object.keys(f)).toEqual([
        'api',
        'endpoint',
        'kind',
        'severity',
        'category',
        'summary',
        'evidence',
        'recommendation',
        'estimatedGain',
      ]);
    }
    const text = JSON.stringify(findings);
    for (const secret of [...Object.values(SECRETS), PAY_JWT.split('.')[1], 'audit-subject-7']) {
      expect(text).not.toContain(secret);
      expect(logs.text()).not.toContain(secret);
    }
  });

  it('names the JWT in the auth inventory where an API uses one, and an opaque key as such', () => {
    const inventory = (api: string) => findings.find((f) => f.api === api && f.kind === 'auth_method')!;
    expect(inventory('payments').summary).toBe('Authentication: bearer token: a JWT (RS256) (PAY_KEY), over http.');
    expect(inventory('payments').evidence).toMatchObject({ tokenFormat: 'jwt', jwtAlg: 'RS256' });
    expect(inventory('clean').evidence).toMatchObject({ tokenFormat: 'opaque', jwtAlg: null });
    // The secret is missing where the prober runs: nothing probed, nothing known.
    expect(inventory('email').evidence).toMatchObject({ tokenFormat: 'unknown' });
  });

  it('backs each finding with the numbers that triggered it', () => {
    const find = (api: string, kind: AuditKind) => findings.find((f) => f.api === api && f.kind === kind)!;
    expect(find('tls-legacy', 'tls_old_protocol').evidence).toMatchObject({ protocol: 'TLSv1.1' });
    expect(find('tls-cbc', 'tls_weak_cipher').evidence).toMatchObject({
      protocol: 'TLSv1.2',
      cipher: 'ECDHE-ECDSA-AES128-SHA',
    });
    expect(find('tls-chain', 'tls_chain_problem').evidence).toMatchObject({
      verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    expect(find('sms', 'timeout_too_short').evidence).toMatchObject({ configuredTimeoutSeconds: 0.3 });
    expect(find('sms', 'timeout_too_short').evidence.falseTimeoutRateAtConfigured as number).toBeGreaterThan(0.9);
    expect(find('sms', 'no_fallback').evidence.availability as number).toBeLessThan(0.1);
    expect(find('geocoding', 'cacheable').evidence).toMatchObject({ freshnessSeconds: 300, etag: true });
    expect(find('geocoding', 'credentials_in_url').evidence).toEqual({ param: 'key', secretEnv: 'GEO_KEY' });
    expect(find('ad-feed', 'uncompressed').evidence).toMatchObject({
      encoding: 'identity',
      compressionRequested: true,
    });
    expect(find('ad-feed', 'large_payload').evidence.decodedBytes as number).toBeGreaterThan(290 * 1024);
    expect(find('email', 'secret_missing').evidence).toEqual({ variable: 'POSTBIRD_KEY' });
    expect(find('email', 'near_limit_batchable').evidence.peakUsage as number).toBeGreaterThan(0.7);
    // ~5 calls/s before the throttling; with four immediate retries of 80% 429s, ~3x that after.
    const storm = find('payments', 'retry_storm').evidence;
    expect(storm.amplification as number).toBeGreaterThan(2);
    expect(storm.requestsPerSecondOtherwise as number).toBeGreaterThan(3);
    // One new security item: the deprecation is acknowledged, the attestation is 120 days old.
    expect(find('payments', 'provider_advisory').evidence).toMatchObject({ items: 1, security: 1 });
  });

  it('prints a list and a Markdown report as well', async () => {
    const catalog = join(dir, 'catalog.yaml');
    const common = [
      'audit',
      '--config',
      catalog,
      '--prometheus',
      prometheus!.url,
      '--prober',
      proberUrl,
      '--window',
      '35s',
      '--scrape-interval',
      '1s',
      '--min-samples',
      '5',
    ];
    const list = await runCli(common);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^apimon audit of 10 APIs over 35s: \d+ findings \((\d+ critical, )?\d+ high, /);
    expect(list.stdout).toMatch(
      /\nHIGH {5}tls_old_protocol {5}tls-legacy\/listings\n {2}The server negotiates TLSv1\.1/
    );
    expect(list.stdout).toContain('Authentication inventory:');
    // Without --prober the audit fetches the advisory feeds itself.
    const direct = await runCli(
      common.filter((a, i) => a !== '--prober' && common[i - 1] !== '--prober').concat('--json')
    );
    expect(direct.code).toBe(0);
    const advisory = direct.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FindingJson)
      .find((f) => f.kind === 'provider_advisory');
    expect(advisory).toMatchObject({ api: 'payments', evidence: { items: 1, security: 1 } });
    const md = await runCli([...common, '--md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# API audit\n/);
    expect(md.stdout).toContain('| high | `tls_old_protocol` (Old TLS protocol) | tls-legacy | listings |');
    expect(md.stdout).toContain('## Authentication inventory');
  });

  it('exports the scheduled audit as apimon_audit_finding and serves it at /api/v1/audit', async () => {
    await auditModule!.runNow();
    const body = (await (await fetch(`${proberUrl}/api/v1/audit`)).json()) as {
      error: string | null;
      findings: FindingJson[];
    };
    expect(body.error).toBeNull();
    expect(body.findings.some((f) => f.api === 'tls-legacy' && f.kind === 'tls_old_protocol')).toBe(true);
    const deadline = Date.now() + 10_000;
    let series: Array<{ metric: Record<string, string> }> = [];
    while (Date.now() < deadline && series.length === 0) {
      series = await prometheus!.query('apimon_audit_finding{api="tls-legacy", kind="tls_old_protocol"}');
      await sleep(500);
    }
    expect(series.map((s) => s.metric)).toEqual([
      expect.objectContaining({ api: 'tls-legacy', endpoint: 'listings', kind: 'tls_old_protocol', severity: 'high' }),
    ]);
    expect(await prometheus!.query('apimon_audit_finding{api="clean", severity!="info"}')).toEqual([]);
    expect((await prometheus!.query('apimon_audit_last_run_success'))[0]?.value).toBe(1);
  });

  it('says what is wrong with its input, and with a store it cannot read', async () => {
    const catalog = join(dir, 'catalog.yaml');
    const missing = await runCli(['audit', '--prometheus', prometheus!.url]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/^apimon audit: --config is required\n/)]);
    const window = await runCli(['audit', '--config', catalog, '--prometheus', prometheus!.url, '--window', 'a month']);
    expect([window.code, window.stderr]).toEqual([
      2,
      expect.stringMatching(/^apimon audit: --window: "a month" is not a duration such as "30d"/),
    ]);
    const both = await runCli(['audit', '--config', catalog, '--prometheus', prometheus!.url, '--json', '--md']);
    expect([both.code, both.stderr]).toEqual([
      2,
      expect.stringMatching(/^apimon audit: --json and --md: choose one output format\n/),
    ]);
    const url = await runCli(['audit', '--config', catalog, '--prometheus', 'localhost:9090']);
    expect([url.code, url.stderr]).toEqual([
      2,
      expect.stringMatching(/^apimon audit: --prometheus: "localhost:9090" is not an http:\/\/ or https:\/\/ URL/),
    ]);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apis:\n  - { name: x, provider: p, criticality: critical, owner: o, fallback: { type: spare }, endpoints: [{ name: e, url: "https://x.test" }] }\n'
    );
    const catalogErr = await runCli(['audit', '--config', bad, '--prometheus', prometheus!.url]);
    expect(catalogErr.code).toBe(2);
    expect(catalogErr.stderr).toContain('apis[0].fallback.type: must be one of "api", "cache", "queue"');
    const down = await runCli([
      'audit',
      '--config',
      catalog,
      '--prometheus',
      'http://127.0.0.1:9/',
      '--prober',
      proberUrl,
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^apimon audit: the Prometheus-compatible store is unreachable/);
  });
});
