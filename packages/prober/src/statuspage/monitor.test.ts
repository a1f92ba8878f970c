// The status-page monitor against real local HTTP servers: polling, conditional requests,
// stale snapshots, metrics, the JSON API as the prober's server mounts it, and history that
// survives a restart.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { METRICS, type Catalog } from '@apimon/core';
import { close, createServer, listen } from '../server';
import { StatusPageMonitor, HISTORY_FILE } from '.';
import { catalogFrom } from '../test-support/catalogs';
import { captureLogs } from '../test-support/logs';
import { FixtureServer } from '../test-support/fixture-server';

const FIXTURES = join(__dirname, '../../../core/src/statuspage/fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

function summary(componentStatus: string, incidents: unknown[] = []) {
  return {
    page: { id: 'p1', name: 'Acme Pay', url: 'https://status.acme.example' },
    status: { indicator: componentStatus === 'operational' ? 'none' : 'critical', description: 'x' },
    components: [
      { id: 'c1', name: 'API', status: componentStatus, group: false },
      { id: 'c2', name: 'Card payments', status: 'operational', group: false },
      { id: 'c3', name: 'Dashboard', status: 'degraded_performance', group: false },
    ],
    incidents,
    scheduled_maintenances: [],
  };
}

const OUTAGE = {
  id: 'inc-1',
  name: 'API down',
  status: 'investigating',
  impact: 'critical',
  created_at: '2026-11-24T01:00:00Z',
  components: [{ name: 'API' }],
  incident_updates: [{ status: 'investigating', body: 'Looking.', created_at: '2026-11-24T01:00:00Z' }],
};

function catalogFor(origin: string, extra = ''): Catalog {
  return catalogFrom(`
defaults: { location: lab }
prober: { historyRetention: 30d }
providers:
  - name: acme
    statusPage: { url: "${origin}/acme", format: statuspage, timeout: 2s, maxBytes: 64KB }
  - name: textly
    statusPage: { url: "${origin}/textly", format: instatus }
  - name: quiet
${extra}
apis:
  - name: payments
    provider: acme
    criticality: critical
    owner: t
    statusComponents: [api, Card Payments, Refunds]
    endpoints: [{ name: a, url: "${origin}/x" }]
  - name: admin
    provider: acme
    criticality: background
    owner: t
    endpoints: [{ name: a, url: "${origin}/x" }]
  - name: sms
    provider: textly
    criticality: standard
    owner: t
    endpoints: [{ name: a, url: "${origin}/x" }]
`);
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  const data = await metric?.get();
  return data?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value;
}

describe('StatusPageMonitor', () => {
  let fixtures: FixtureServer;
  let dir: string;
  let registry: Registry;
  let monitor: StatusPageMonitor;
  let server: Server;
  let api: string;
  let logs = captureLogs('debug');

  const get = async (path: string) => {
    const res = await fetch(`${api}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeEach(async () => {
    logs = captureLogs('debug');
    fixtures = await new FixtureServer().start();
    fixtures.json('/acme/api/v2/summary.json', summary('operational'));
    fixtures.json('/acme/api/v2/incidents.json', { page: { id: 'p1' }, incidents: [] });
    fixtures.set('/textly/summary.json', { body: fixture('instatus-summary.json'), lastModified: 'Mon, 24 Nov 2026 02:00:00 GMT', etag: false });
    fixtures.set('/textly/v2/components.json', { body: fixture('instatus-components.json') });
    dir = mkdtempSync(join(tmpdir(), 'apimon-sp-'));
    registry = new Registry();
    monitor = new StatusPageMonitor({ registry, logger: logs.logger, dataDir: dir });
    monitor.updateCatalog(catalogFor(fixtures.origin));
    server = createServer({ routes: [], modules: () => [monitor] });
    const address: AddressInfo = await listen(server, '127.0.0.1', 0);
    api = `http://127.0.0.1:${address.port}`;
  });

  afterEach(async () => {
    await monitor.stop();
    await close(server);
    await fixtures.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('polls every configured page and exposes the normal form', async () => {
    const snapshots = await monitor.pollOnce();
    expect(snapshots.map((s) => [s.provider, s.format, s.indicator, s.error])).toEqual([
      ['acme', 'statuspage', 'operational', null],
      ['textly', 'instatus', 'partial_outage', null],
    ]);
    const acme = monitor.snapshot('acme')!;
    expect(acme.components.map((c) => [c.name, c.status])).toEqual([
      ['API', 'operational'],
      ['Card payments', 'operational'],
      ['Dashboard', 'degraded'],
    ]);
    expect(monitor.snapshot('textly')!.components).toHaveLength(5);
    expect(monitor.snapshot('quiet')).toBeUndefined();
  });

  it('shows a major outage in the metrics and the JSON API after one poll', async () => {
    await monitor.pollOnce();
    expect(await metricValue(registry, METRICS.providerComponentStatus, { provider: 'acme', component: 'API', location: 'lab' })).toBe(0);
    fixtures.json('/acme/api/v2/summary.json', summary('major_outage', [OUTAGE]));
    await monitor.pollOnce();
    expect(await metricValue(registry, METRICS.providerComponentStatus, { provider: 'acme', component: 'API' })).toBe(4);
    expect(await metricValue(registry, METRICS.providerStatus, { provider: 'acme' })).toBe(4);
    expect(await metricValue(registry, METRICS.providerIncidentsOpen, { provider: 'acme', impact: 'critical' })).toBe(1);
    expect(await metricValue(registry, METRICS.providerIncidentsOpen, { provider: 'acme', impact: 'minor' })).toBe(0);
    expect(await metricValue(registry, METRICS.providerFetchSuccess, { provider: 'acme' })).toBe(1);
    const ts = await metricValue(registry, METRICS.providerFetchTimestamp, { provider: 'acme' });
    expect(Math.abs(ts! - Date.now() / 1000)).toBeLessThan(30);

    const list = await get('/api/v1/providers');
    expect(list.status).toBe(200);
    expect(list.body.providers.map((p: any) => [p.provider, p.indicator, p.openIncidents, p.stale])).toEqual([
      ['acme', 'major_outage', 1, false],
      ['textly', 'partial_outage', 2, false],
      ['quiet', 'unknown', 0, false],
    ]);
    expect(list.body.providers[2].statusPage).toBeNull();

    const detail = await get('/api/v1/providers/acme');
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ provider: 'acme', format: 'statuspage', indicator: 'major_outage', stale: false, error: null });
    expect(detail.body.incidents[0]).toMatchObject({ id: 'inc-1', title: 'API down', impact: 'critical', status: 'investigating' });
    // payments names API and Card payments (case-insensitively); admin follows the whole page.
    expect(detail.body.apis).toEqual([
      {
        api: 'payments',
        status: 'major_outage',
        components: [
          { id: 'c1', name: 'API', label: 'API', status: 'major_outage' },
          { id: 'c2', name: 'Card payments', label: 'Card payments', status: 'operational' },
        ],
        unmatched: ['Refunds'],
        ambiguous: [],
      },
      { api: 'admin', status: 'major_outage', components: [], unmatched: [], ambiguous: [] },
    ]);
    // The unmatched name is logged once, however often we poll.
    await monitor.pollOnce();
    const warnings = logs.entries().filter((e) => e.msg === 'statusComponents names a component the status page does not have');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ api: 'payments', component: 'Refunds', provider: 'acme' });

    // The exposition is valid for Prometheus.
    const exposition = await registry.metrics();
    expect(exposition).toContain('apimon_provider_component_status{provider="acme",location="lab",component="API"} 4');
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
    expect(promtool.error).toBeUndefined();
    expect({ code: promtool.status, output: `${promtool.stdout}${promtool.stderr}` }).toEqual({ code: 0, output: '' });
  });

  it('keeps the last good snapshot, stale with the error, when the page breaks', async () => {
    fixtures.json('/acme/api/v2/summary.json', summary('major_outage', [OUTAGE]));
    await monitor.pollOnce();
    const goodAt = monitor.snapshot('acme')!.fetchedAt;

    fixtures.set('/acme/api/v2/summary.json', { body: fixture('html-error.html'), contentType: 'text/html' });
    await monitor.pollOnce();
    const stale = monitor.snapshot('acme')!;
    expect(stale).toMatchObject({ indicator: 'major_outage', stale: true, fetchedAt: goodAt });
    expect(stale.error).toBe(`${fixtures.origin}/acme/api/v2/summary.json: expected JSON but got an HTML page titled "502 Bad Gateway – Cloud Edge"`);
    expect(await metricValue(registry, METRICS.providerFetchSuccess, { provider: 'acme' })).toBe(0);
    expect(await metricValue(registry, METRICS.providerComponentStatus, { provider: 'acme', component: 'API' })).toBe(4);
    expect(await metricValue(registry, METRICS.providerIncidentsOpen, { provider: 'acme', impact: 'critical' })).toBe(1);
    expect(await metricValue(registry, METRICS.providerFetchTimestamp, { provider: 'acme' })).toBe(Math.floor(goodAt! / 1000));
    const detail = await get('/api/v1/providers/acme');
    expect(detail.body).toMatchObject({ stale: true, indicator: 'major_outage', consecutiveFailures: 1 });
    expect(detail.body.error).toMatch(/HTML page/);

    fixtures.json('/acme/api/v2/summary.json', {}, { status: 503 });
    await monitor.pollOnce();
    expect(monitor.snapshot('acme')!.error).toBe(`${fixtures.origin}/acme/api/v2/summary.json: HTTP 503 Service Unavailable`);

    fixtures.set('/acme/api/v2/summary.json', { body: '{"page": {"id": "p1"}, "compo' });
    await monitor.pollOnce();
    expect(monitor.snapshot('acme')!.error).toMatch(/invalid JSON \(truncated\?\)/);

    fixtures.set('/acme/api/v2/summary.json', { body: JSON.stringify({ ...summary('operational'), pad: 'x'.repeat(70_000) }) });
    await monitor.pollOnce();
    expect(monitor.snapshot('acme')!.error).toMatch(/exceeds the limit of 64000 bytes/);

    fixtures.set('/acme/api/v2/summary.json', { body: JSON.stringify(summary('operational')), delayMs: 3_000 });
    await monitor.pollOnce();
    expect(monitor.snapshot('acme')!.error).toBe(`${fixtures.origin}/acme/api/v2/summary.json: timed out after 2000 ms`);
    expect(monitor.pollState('acme')!.failures).toBe(5);
    // The failure was logged once per distinct error, not once per poll.
    expect(logs.entries().filter((e) => e.msg === 'status page fetch failed; keeping the last good snapshot' && e.provider === 'acme')).toHaveLength(5);

    fixtures.json('/acme/api/v2/summary.json', summary('operational'));
    await monitor.pollOnce();
    expect(monitor.snapshot('acme')).toMatchObject({ stale: false, error: null, indicator: 'operational' });
    expect(await metricValue(registry, METRICS.providerFetchSuccess, { provider: 'acme' })).toBe(1);
    expect(await metricValue(registry, METRICS.providerComponentStatus, { provider: 'acme', component: 'API' })).toBe(0);
  });

  it('an optional document failing costs only its part', async () => {
    fixtures.routes.delete('/acme/api/v2/incidents.json');
    await monitor.pollOnce();
    expect(monitor.snapshot('acme')).toMatchObject({ error: null, stale: false, indicator: 'operational' });
    expect(logs.entries().find((e) => e.msg === 'status page read with warnings')?.warnings).toEqual([
      `${fixtures.origin}/acme/api/v2/incidents.json: HTTP 404 Not Found (optional; left out)`,
    ]);
  });

  it('sends conditional requests and reuses the body on 304', async () => {
    await monitor.pollOnce();
    await monitor.pollOnce();
    await monitor.pollOnce();
    // ETag for Statuspage documents, Last-Modified for the Instatus summary.
    expect(fixtures.notModified.get('/acme/api/v2/summary.json')).toBe(2);
    expect(fixtures.notModified.get('/acme/api/v2/incidents.json')).toBe(2);
    expect(fixtures.notModified.get('/textly/summary.json')).toBe(2);
    expect(fixtures.conditionalHeaders.find((h) => h.path === '/textly/summary.json')).toEqual({
      path: '/textly/summary.json',
      ifModifiedSince: 'Mon, 24 Nov 2026 02:00:00 GMT',
    });
    expect(monitor.snapshot('acme')).toMatchObject({ stale: false, error: null, indicator: 'operational' });
    expect(monitor.snapshot('acme')!.components).toHaveLength(3);
    // A changed page is fetched in full again.
    fixtures.json('/acme/api/v2/summary.json', summary('partial_outage'));
    await monitor.pollOnce();
    expect(monitor.snapshot('acme')!.components[0].status).toBe('partial_outage');
    expect(fixtures.notModified.get('/acme/api/v2/summary.json')).toBe(2);
  });

  it('answers bad API requests with a clear status and message', async () => {
    await monitor.pollOnce();
    const unknown = { error: 'unknown provider "nope"', code: 'unknown_provider', providers: ['acme', 'textly', 'quiet'] };
    expect(await get('/api/v1/providers/nope')).toEqual({ status: 404, body: unknown });
    expect(await get('/api/v1/incidents?provider=nope')).toEqual({ status: 404, body: unknown });
    const bad = [
      ['/api/v1/incidents?from=yesterday', /^from: must be a time in epoch milliseconds/],
      ['/api/v1/incidents?to=-5', /^to: must be a time in epoch milliseconds/],
      ['/api/v1/incidents?from=20&to=10', /^from \(20\) is after to \(10\)$/],
      ['/api/v1/incidents?limit=0', /^limit: must be a whole number from 1 to 10000/],
      ['/api/v1/incidents?kind=outage', /^kind: must be "incident" or "maintenance"/],
      ['/api/v1/incidents?provder=acme', /^unknown parameter "provder"/],
    ] as const;
    for (const [path, message] of bad) {
      const r = await get(path);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(message);
      expect(r.body.code).toBe('bad_request');
    }
    const post = await fetch(`${api}/api/v1/providers`, { method: 'POST' });
    expect(post.status).toBe(405);
    // The monitor's own guard, for servers that pass every method through.
    const res = { headers: {} as Record<string, string>, status: 0, body: '', writeHead(s: number, h: Record<string, string>) { this.status = s; this.headers = h; }, end(b: string) { this.body = b; } };
    await monitor.handleRequest({ method: 'DELETE' } as never, res as never, new URL('http://x/api/v1/incidents'));
    expect(res.status).toBe(405);
    expect(res.headers.Allow).toBe('GET, HEAD');
    expect(await monitor.handleRequest({ method: 'GET' } as never, res as never, new URL('http://x/api/v1/catalog'))).toBe(false);
  });

  it('keeps incident history across a restart and closes incidents that leave the page', async () => {
    const t0 = Date.now();
    fixtures.json('/acme/api/v2/summary.json', summary('major_outage', [OUTAGE]));
    await monitor.pollOnce();
    // The page drops the incident without ever saying "resolved" (incident.io, Instatus do).
    fixtures.json('/acme/api/v2/summary.json', summary('operational'));
    await monitor.pollOnce();
    await monitor.stop();
    expect(existsSync(join(dir, HISTORY_FILE))).toBe(true);

    const registry2 = new Registry();
    const restarted = new StatusPageMonitor({ registry: registry2, logger: logs.logger, dataDir: dir });
    restarted.updateCatalog(catalogFor(fixtures.origin));
    const server2 = createServer({ routes: [], modules: () => [restarted] });
    const address = await listen(server2, '127.0.0.1', 0);
    try {
      // Nothing polled yet: the history alone answers.
      restarted.start();
      await restarted.stop();
      const res = await fetch(`http://127.0.0.1:${address.port}/api/v1/incidents?provider=acme&from=${Date.parse('2026-11-24T00:00:00Z')}&to=${t0 + 60_000}`);
      const body = (await res.json()) as Record<string, any>;
      expect(res.status).toBe(200);
      const ids = body.incidents.map((i: any) => `${i.provider}/${i.kind}/${i.id}`);
      expect(ids).toEqual(['acme/incident/inc-1']);
      const inc = body.incidents[0];
      expect(inc).toMatchObject({ status: 'resolved', resolvedInferred: true, impact: 'critical', startedAt: Date.parse('2026-11-24T01:00:00Z') });
      expect(inc.resolvedAt).toBeGreaterThanOrEqual(t0);
      // Textly's two open incidents are in the history too; a window before them finds nothing.
      const all = (await (await fetch(`http://127.0.0.1:${address.port}/api/v1/incidents?from=0&to=${t0 + 60_000}&kind=incident`)).json()) as Record<string, any>;
      expect(all.incidents.map((i: any) => i.provider).sort()).toEqual(['acme', 'textly', 'textly']);
      const none = (await (await fetch(`http://127.0.0.1:${address.port}/api/v1/incidents?from=0&to=1000`)).json()) as Record<string, any>;
      expect(none).toEqual({ from: 0, to: 1000, count: 0, truncated: false, incidents: [] });
    } finally {
      await close(server2);
    }
  });

  it('starts empty, keeping a corrupt history file aside', async () => {
    writeFileSync(join(dir, HISTORY_FILE), '{"version": 1, "providers": {"acme": [ {"id": ');
    const fresh = new StatusPageMonitor({ registry: new Registry(), logger: logs.logger, dataDir: dir });
    fresh.updateCatalog(catalogFor(fixtures.origin));
    await fresh.pollOnce();
    await fresh.stop();
    const aside = readdirSync(dir).filter((f) => f.startsWith(`${HISTORY_FILE}.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]), 'utf8')).toContain('"providers"');
    const logged = logs.entries().find((e) => e.msg === 'status-page history file is corrupt; kept aside, starting with an empty history');
    expect(logged).toMatchObject({ level: 'error', movedTo: join(dir, aside[0]) });
    // A fresh, valid file replaced it.
    const saved = JSON.parse(readFileSync(join(dir, HISTORY_FILE), 'utf8')) as { version: number; providers: Record<string, unknown[]> };
    expect(saved.version).toBe(1);
    expect(Object.keys(saved.providers)).toEqual(['textly']);
  });

  it('follows catalog changes: removed providers lose their series', async () => {
    await monitor.pollOnce();
    expect(await metricValue(registry, METRICS.providerStatus, { provider: 'textly' })).toBe(3);
    expect(await metricValue(registry, METRICS.providerComponentStatus, { provider: 'textly', component: 'Regions / EU' })).toBe(1);
    const catalog = catalogFor(fixtures.origin);
    monitor.updateCatalog({ ...catalog, providers: catalog.providers.filter((p) => p.name !== 'textly') });
    expect(await metricValue(registry, METRICS.providerStatus, { provider: 'textly' })).toBeUndefined();
    expect(await metricValue(registry, METRICS.providerComponentStatus, { provider: 'textly', component: 'Regions / EU' })).toBeUndefined();
    expect(await metricValue(registry, METRICS.providerStatus, { provider: 'acme' })).toBe(0);
    // A new location relabels the series at once; none are left under the old one.
    monitor.updateCatalog({ ...catalog, location: 'eu', providers: catalog.providers.filter((p) => p.name !== 'textly') });
    expect(await metricValue(registry, METRICS.providerStatus, { provider: 'acme', location: 'eu' })).toBe(0);
    expect(await metricValue(registry, METRICS.providerStatus, { provider: 'acme', location: 'lab' })).toBeUndefined();
    expect(await metricValue(registry, METRICS.providerComponentStatus, { provider: 'acme', component: 'API', location: 'lab' })).toBeUndefined();
    expect(await metricValue(registry, METRICS.providerComponentStatus, { provider: 'acme', component: 'API', location: 'eu' })).toBe(0);
    // A component that leaves the page loses its series.
    fixtures.json('/acme/api/v2/summary.json', { ...summary('operational'), components: [{ name: 'API', status: 'operational' }] });
    await monitor.pollOnce();
    expect(await metricValue(registry, METRICS.providerComponentStatus, { provider: 'acme', component: 'Dashboard' })).toBeUndefined();
  });

  it("exports each API's own status: the worst of its statusComponents, or of the whole page without them", async () => {
    const apiStatus = (api: string, provider = 'acme') => metricValue(registry, METRICS.apiProviderStatus, { api, provider, location: 'lab' });
    // The page says "operational" overall, with Dashboard degraded.
    await monitor.pollOnce();
    expect(await apiStatus('payments')).toBe(0); // API and Card payments: operational
    expect(await apiStatus('admin')).toBe(2); // no statusComponents: Dashboard's degraded counts
    expect(await apiStatus('sms', 'textly')).toBe(3); // textly's page shows a partial outage

    // Dashboard goes down: it concerns admin (the whole page), not payments.
    fixtures.json('/acme/api/v2/summary.json', {
      ...summary('operational'),
      components: [
        { id: 'c1', name: 'API', status: 'operational', group: false },
        { id: 'c2', name: 'Card payments', status: 'operational', group: false },
        { id: 'c3', name: 'Dashboard', status: 'major_outage', group: false },
      ],
    });
    await monitor.pollOnce();
    expect(await apiStatus('payments')).toBe(0);
    expect(await apiStatus('admin')).toBe(4);

    // A catalog change applies at once: payments now names Dashboard; admin names a component
    // the page does not have (unknown, -1); sms left the catalog.
    const changed = catalogFor(fixtures.origin);
    changed.apis = changed.apis
      .filter((a) => a.name !== 'sms')
      .map((a) => (a.name === 'payments' ? { ...a, statusComponents: ['Dashboard'] } : { ...a, statusComponents: ['Billing'] }));
    monitor.updateCatalog(changed);
    expect(await apiStatus('payments')).toBe(4);
    expect(await apiStatus('admin')).toBe(-1);
    expect(await apiStatus('sms', 'textly')).toBeUndefined();

    // A failed fetch keeps the last good values; a provider that leaves the catalog takes its APIs' series along.
    fixtures.json('/acme/api/v2/summary.json', {}, { status: 503 });
    await monitor.pollOnce();
    expect(await apiStatus('payments')).toBe(4);
    monitor.updateCatalog({ ...changed, providers: changed.providers.filter((p) => p.name !== 'acme') });
    expect(await apiStatus('payments')).toBeUndefined();
    expect(await apiStatus('admin')).toBeUndefined();
  });

  it('backs off exponentially while a page keeps failing, and polls on its own', async () => {
    const catalog = catalogFrom(`
providers:
  - name: flaky
    statusPage: { url: "${fixtures.origin}/flaky", format: statuspage, interval: 100ms, timeout: 1s }
apis:
  - { name: x, provider: flaky, criticality: standard, owner: t, endpoints: [{ name: a, url: "${fixtures.origin}/x" }] }
`);
    const flaky = new StatusPageMonitor({ registry: new Registry(), logger: logs.logger, dataDir: null, maxBackoffMs: 400 });
    flaky.updateCatalog(catalog);
    flaky.start();
    try {
      const deadline = Date.now() + 15_000;
      while ((flaky.pollState('flaky')?.failures ?? 0) < 4 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const state = flaky.pollState('flaky')!;
      expect(state.failures).toBeGreaterThanOrEqual(4);
      // After n failures the next poll waits interval * 2^n, capped at 400 ms.
      expect(state.nextPollAt! - state.lastAttemptAt!).toBeGreaterThanOrEqual(390);
      expect(fixtures.hits.get('/flaky/api/v2/summary.json')).toBeLessThanOrEqual(state.failures + 1);
      // It recovers on its own once the page is back.
      fixtures.json('/flaky/api/v2/summary.json', summary('operational'));
      fixtures.json('/flaky/api/v2/incidents.json', { incidents: [] });
      while (flaky.snapshot('flaky')?.error !== null && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(flaky.snapshot('flaky')).toMatchObject({ error: null, indicator: 'operational' });
      expect(flaky.pollState('flaky')!.failures).toBe(0);
    } finally {
      await flaky.stop();
    }
  });

  it('honours Retry-After on 429 and 503', async () => {
    fixtures.json('/acme/api/v2/summary.json', { error: 'slow down' }, { status: 429, headers: { 'Retry-After': '900' } });
    const catalog = catalogFor(fixtures.origin);
    monitor.updateCatalog({ ...catalog, providers: catalog.providers.filter((p) => p.name === 'acme') });
    monitor.start();
    const deadline = Date.now() + 10_000;
    while (monitor.pollState('acme')?.failures !== 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    // The next poll is scheduled right after the failed one completes.
    while (monitor.pollState('acme')?.nextPollAt === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const state = monitor.pollState('acme')!;
    expect(monitor.snapshot('acme')!.error).toBe(`${fixtures.origin}/acme/api/v2/summary.json: HTTP 429 Too Many Requests (retry after 900 s)`);
    // Back-off alone would wait 120 s (60 s x 2); Retry-After asks for 15 minutes, beyond even its cap.
    expect(state.nextPollAt! - state.lastAttemptAt!).toBeGreaterThanOrEqual(900_000);
    const date = new Date(Date.now() + 30 * 60_000).toUTCString();
    fixtures.json('/acme/api/v2/summary.json', {}, { status: 503, headers: { 'Retry-After': date } });
    await monitor.pollOnce();
    expect(monitor.snapshot('acme')!.error).toMatch(/HTTP 503 Service Unavailable \(retry after 1[78]\d\d s\)/);
  });

  it('discovers the API under a human status page with format auto', async () => {
    fixtures.set('/human', { body: '<!doctype html><html><head><title>Status</title></head><body>All good</body></html>', contentType: 'text/html' });
    fixtures.json('/human/api/v1/summary', JSON.parse(fixture('incidentio-summary.json')));
    const catalog = catalogFrom(`
providers:
  - name: geo
    statusPage: { url: "${fixtures.origin}/human" }
apis:
  - { name: x, provider: geo, criticality: standard, owner: t, endpoints: [{ name: a, url: "${fixtures.origin}/x" }] }
`);
    const auto = new StatusPageMonitor({ registry: new Registry(), logger: logs.logger, dataDir: null });
    auto.updateCatalog(catalog);
    await auto.pollOnce();
    expect(auto.snapshot('geo')).toMatchObject({ format: 'incidentio', indicator: 'major_outage', error: null });
    // Once found, the plan sticks: the HTML page is not fetched again.
    await auto.pollOnce();
    expect(fixtures.hits.get('/human')).toBe(1);
    expect(fixtures.hits.get('/human/api/v1/summary')).toBe(2);
    await auto.stop();
  });
});
