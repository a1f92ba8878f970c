// The service with its real scheduler, metrics, server, logger and file watcher; the probe
// is injected so each test decides what the "targets" answer.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Api, Endpoint } from '@apimon/core';
import { MisconfiguredError } from './probe/errors';
import type { ProbeResult } from './probe/types';
import { ProberService, CatalogRejectedError } from './service';
import { ProberMetrics } from './metrics';
import { catalogYaml } from './test-support/catalogs';
import { find, parseExposition, valueOf } from './test-support/exposition';
import { captureLogs } from './test-support/logs';
import { probeResult } from './test-support/probe-result';
import { waitFor } from './test-support/wait';

const FAST = { interval: '300ms', timeout: '250ms' };
const BASE = 'http://127.0.0.1:9';

describe('ProberService', () => {
  let dir: string;
  let service: ProberService | undefined;
  let base: string;
  const calls: string[] = [];
  let answer: (api: Api, endpoint: Endpoint) => Promise<ProbeResult>;
  let logs = captureLogs();

  const file = () => join(dir, 'catalog.yaml');
  const write = (text: string) => writeFileSync(file(), text);
  const scrape = async () => parseExposition(await (await fetch(`${base}/metrics`)).text());
  const countCalls = (key: string) => calls.filter((c) => c === key).length;

  async function start(yaml: string, options: Partial<ConstructorParameters<typeof ProberService>[0]> = {}) {
    write(yaml);
    service = new ProberService({
      configFile: file(),
      logger: logs.logger,
      metrics: new ProberMetrics({ processMetrics: false }),
      probe: (api, endpoint) => {
        calls.push(`${api.name}/${endpoint.name}`);
        return answer(api, endpoint);
      },
      watchDebounceMs: 50,
      ...options,
    });
    const address = await service.start('127.0.0.1', 0);
    base = `http://127.0.0.1:${address.port}`;
    return service;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-service-'));
    calls.length = 0;
    logs = captureLogs();
    answer = async (api, endpoint) => probeResult({ api: api.name, endpoint: endpoint.name, durationMs: 12 });
  });
  afterEach(async () => {
    await service?.stop(1_000);
    service = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves health, readiness, the redacted catalog and metrics after start', async () => {
    await start(
      catalogYaml(BASE, { payments: ['charges'] }, '', FAST).replace(
        '{ name: charges,',
        '{ name: charges, headers: { X-Tenant: tenant-4711 }, body: "{\\"amount\\": 1}", method: POST,'
      )
    );
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', endpoints: 1 });

    const res = await fetch(`${base}/api/v1/catalog`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const catalog = JSON.parse(text);
    expect(catalog.apis[0].name).toBe('payments');
    expect(catalog.apis[0].endpoints[0]).toMatchObject({ name: 'charges', headerNames: ['X-Tenant'], hasBody: true });
    expect(text).not.toContain('tenant-4711');
    expect(text).not.toContain('amount');

    await waitFor(() => countCalls('payments/charges') >= 2, 10_000, 'two probes');
    const s = await scrape();
    expect(
      valueOf(s, 'apimon_probe_requests_total', { api: 'payments', endpoint: 'charges', outcome: 'ok', code: '200' })
    ).toBeGreaterThanOrEqual(1);
    expect(valueOf(s, 'apimon_api_info', { api: 'payments' })).toBe(1);

    await service!.stop(1_000);
    const after = countCalls('payments/charges');
    await new Promise((r) => setTimeout(r, 700));
    expect(countCalls('payments/charges')).toBe(after);
  });

  it('refuses to start on an invalid catalog with every issue', async () => {
    write('apis:\n  - name: Bad Name\n    provider: nobody\n');
    const svc = new ProberService({
      configFile: file(),
      logger: logs.logger,
      metrics: new ProberMetrics({ processMetrics: false }),
    });
    const err = await svc.start('127.0.0.1', 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogRejectedError);
    expect((err as CatalogRejectedError).issues.length).toBeGreaterThanOrEqual(2);
    await svc.stop(0);
  });

  it('swaps in a valid new catalog: new endpoints start, removed ones vanish, unchanged ones keep their state', async () => {
    await start(catalogYaml(BASE, { payments: ['charges', 'refunds'], maps: ['geocode'] }, '', FAST));
    await waitFor(() => countCalls('maps/geocode') >= 2 && countCalls('payments/charges') >= 2, 10_000, 'first probes');
    const before = valueOf(await scrape(), 'apimon_probe_requests_total', { api: 'payments', endpoint: 'charges' })!;

    write(catalogYaml(BASE, { payments: ['charges'], sms: ['send'] }, '', FAST));
    expect(await service!.reload('signal')).toBe(true);
    const mapsCalls = countCalls('maps/geocode');
    await waitFor(() => countCalls('sms/send') >= 2, 10_000, 'probes of the new endpoint');

    const s = await scrape();
    expect(find(s, 'apimon_probe_requests_total', { api: 'maps' })).toHaveLength(0);
    expect(find(s, 'apimon_api_info', { api: 'maps' })).toHaveLength(0);
    expect(find(s, 'apimon_probe_duration_seconds_count', { endpoint: 'refunds' })).toHaveLength(0);
    expect(valueOf(s, 'apimon_probe_requests_total', { api: 'sms', endpoint: 'send' })).toBeGreaterThanOrEqual(1);
    // The counter of the endpoint that stayed kept counting from where it was.
    expect(valueOf(s, 'apimon_probe_requests_total', { api: 'payments', endpoint: 'charges' })).toBeGreaterThan(before);
    expect(countCalls('maps/geocode')).toBeLessThanOrEqual(mapsCalls + 1);
    expect(valueOf(s, 'apimon_catalog_reload_success')).toBe(1);
    const reloaded = logs.entries().find((e) => e.msg === 'catalog reloaded');
    expect(reloaded).toMatchObject({
      added: ['sms/send'],
      removed: expect.arrayContaining(['maps/geocode', 'payments/refunds']),
    });
  });

  it('rejects an invalid new catalog with every issue logged and keeps the old one running', async () => {
    await start(catalogYaml(BASE, { payments: ['charges'] }, '', FAST));
    await waitFor(() => countCalls('payments/charges') >= 1, 10_000, 'first probe');
    write(
      catalogYaml(BASE, { payments: ['charges'] }, '', FAST)
        .replace('criticality: standard', 'criticality: urgent')
        .replace('interval: 300ms', 'interval: soon')
    );
    expect(await service!.reload('signal')).toBe(false);

    const issues = logs
      .entries()
      .filter((e) => e.msg === 'catalog reload rejected; the previous catalog keeps running');
    expect(issues.map((e) => e.issue)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /catalog\.yaml:\d+:\d+: apis\[0\]\.criticality: must be one of "critical", "standard", "background"/
        ),
        expect.stringMatching(/apis\[0\]\.interval: must be a duration .* \(got "soon"\)/),
      ])
    );
    const s = await scrape();
    expect(valueOf(s, 'apimon_catalog_reload_success')).toBe(0);
    expect(valueOf(s, 'apimon_api_info', { api: 'payments', criticality: 'standard' })).toBe(1);
    const n = countCalls('payments/charges');
    await waitFor(() => countCalls('payments/charges') >= n + 2, 10_000, 'the old catalog to keep probing');
    expect(service!.current!.apis[0].criticality).toBe('standard');
  });

  it('reloads when an editor replaces the file (write to a temp file, rename over)', async () => {
    await start(catalogYaml(BASE, { payments: ['charges'] }, '', FAST));
    const tmp = join(dir, '.catalog.yaml.swp');
    writeFileSync(tmp, catalogYaml(BASE, { payments: ['charges'], maps: ['geocode'] }, '', FAST));
    renameSync(tmp, file());
    await waitFor(() => service!.current!.apis.length === 2, 10_000, 'the watcher to reload the catalog');
    await waitFor(() => countCalls('maps/geocode') >= 1, 10_000, 'probes of the added API');
    // And again: the watch survives the replacement.
    write(catalogYaml(BASE, { maps: ['geocode'] }, '', FAST));
    await waitFor(() => service!.current!.apis.length === 1, 10_000, 'the second reload');
  });

  it('marks only the API whose env var is missing as misconfigured, logging once per change', async () => {
    let payEnvSet = false;
    answer = async (api, endpoint) => {
      if (api.name === 'payments' && !payEnvSet) {
        throw MisconfiguredError.missingEnv('payments', 'PAY_API_KEY', 'auth.secretEnv');
      }
      return probeResult({ api: api.name, endpoint: endpoint.name });
    };
    await start(catalogYaml(BASE, { payments: ['charges'], maps: ['geocode'] }, '', FAST));
    await waitFor(
      () => countCalls('payments/charges') >= 3 && countCalls('maps/geocode') >= 3,
      10_000,
      'several probe rounds'
    );

    let s = await scrape();
    const [mis] = find(s, 'apimon_api_misconfigured', { api: 'payments' });
    expect(mis).toMatchObject({ value: 1, labels: { reason: 'missing env PAY_API_KEY' } });
    expect(valueOf(s, 'apimon_api_misconfigured', { api: 'maps' })).toBe(0);
    expect(
      valueOf(s, 'apimon_probe_skipped_total', { api: 'payments', reason: 'misconfigured' })
    ).toBeGreaterThanOrEqual(3);
    expect(find(s, 'apimon_probe_requests_total', { api: 'payments' })).toHaveLength(0);
    expect(valueOf(s, 'apimon_probe_requests_total', { api: 'maps' })).toBeGreaterThanOrEqual(3);
    const lines = logs.entries().filter((e) => e.msg === 'API misconfigured: it is not probed until this is fixed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ api: 'payments', variable: 'PAY_API_KEY' });

    payEnvSet = true;
    await waitFor(
      async () => valueOf(await scrape(), 'apimon_api_misconfigured', { api: 'payments' }) === 0,
      10_000,
      'recovery'
    );
    s = await scrape();
    expect(find(s, 'apimon_api_misconfigured', { api: 'payments' })[0].labels.reason).toBeUndefined();
    expect(logs.entries().filter((e) => e.msg === 'API configuration is usable again')).toHaveLength(1);
  });

  it('logs one structured line per failed probe', async () => {
    answer = async (api, endpoint) =>
      probeResult({
        api: api.name,
        endpoint: endpoint.name,
        outcome: 'http_5xx',
        code: 503,
        error: 'HTTP 503 Service Unavailable',
        durationMs: 42.123,
      });
    await start(catalogYaml(BASE, { payments: ['charges'] }, '', FAST));
    await waitFor(() => logs.entries().some((e) => e.msg === 'probe failed'), 10_000, 'a failure log line');
    const line = logs.entries().find((e) => e.msg === 'probe failed')!;
    expect(line).toMatchObject({
      level: 'warn',
      api: 'payments',
      endpoint: 'charges',
      outcome: 'http_5xx',
      code: 503,
      error: 'HTTP 503 Service Unavailable',
      durationMs: 42.1,
    });
    expect(typeof line.time).toBe('string');
  });

  it('counts skips from the quota gate and exports its estimate where the provider sends no headers', async () => {
    let allow = false;
    const yaml = catalogYaml(BASE, { payments: ['charges'] }, '', FAST).replace(
      '    endpoints:',
      '    rateLimit: { limit: 100, window: 1m }\n    endpoints:'
    );
    await start(yaml, {
      quota: {
        configure: () => undefined,
        decide: () => (allow ? { allow: true } : { allow: false, reason: 'quota_guard' }),
        record: () => undefined,
        probesInWindow: () => 7,
      },
    });
    await waitFor(
      async () => (valueOf(await scrape(), 'apimon_probe_skipped_total', { reason: 'quota_guard' }) ?? 0) >= 2,
      10_000,
      'skips'
    );
    expect(calls).toHaveLength(0);
    allow = true;
    await waitFor(
      async () =>
        valueOf(await scrape(), 'apimon_ratelimit_remaining', { api: 'payments', policy: 'documented' }) === 93,
      10_000,
      'the estimate'
    );
  });
});
