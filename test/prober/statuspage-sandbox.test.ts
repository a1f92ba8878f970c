// The status-page monitor against the sandbox providers, every format served as the sandbox
// renders it: the demo catalog's five pages plus status.io and Google Cloud under the
// sandbox's extra paths. A provider flipped to a major outage through the admin API shows in
// the metrics and the JSON API after one poll; a page that then breaks leaves a stale
// snapshot with the error, the last values in the metrics and fetch success at 0.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { METRICS, parseCatalog, formatIssue, type Catalog } from '@apimon/core';
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import { close, createServer, listen } from '../../packages/prober/src/server';
import { StatusPageMonitor } from '../../packages/prober/src/statuspage';
import { captureLogs } from '../../packages/prober/src/test-support/logs';

const EXAMPLE = join(__dirname, '../../catalog.example.yaml');

function demoCatalog(origin: string): Catalog {
  let text = readFileSync(EXAMPLE, 'utf8').replaceAll('http://127.0.0.1:8480', origin);
  text = text.replace(
    'providers:\n',
    `providers:
  - name: sio
    statusPage: { url: "${origin}/_formats/statusio/1.0/status/acme-pay", format: statusio }
  - name: gcloud
    statusPage: { url: "${origin}/_formats/gcp/incidents.json", format: gcp }
`
  );
  const result = parseCatalog(text, 'catalog.example.yaml');
  if (!result.ok) {
    throw new Error(result.issues.map(formatIssue).join('\n'));
  }
  return result.catalog;
}

async function metric(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const data = await registry.getSingleMetric(name)?.get();
  return data?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value;
}

describe('status pages of the sandbox providers', () => {
  let sandbox: Sandbox;
  let registry: Registry;
  let monitor: StatusPageMonitor;
  let server: Server;
  let api: string;

  beforeAll(async () => {
    sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
    registry = new Registry();
    monitor = new StatusPageMonitor({ registry, logger: captureLogs('warn').logger, dataDir: null });
    monitor.updateCatalog(demoCatalog(sandbox.url));
    server = createServer({ routes: [], modules: () => [monitor] });
    const address = await listen(server, '127.0.0.1', 0);
    api = `http://127.0.0.1:${address.port}/api/v1`;
  });

  afterAll(async () => {
    await monitor.stop();
    await close(server);
    await sandbox.close();
  });

  it('reads every format the sandbox serves', async () => {
    const snapshots = await monitor.pollOnce();
    expect(Object.fromEntries(snapshots.map((s) => [s.provider, [s.format, s.indicator, s.error]]))).toEqual({
      sio: ['statusio', 'operational', null],
      gcloud: ['gcp', 'operational', null],
      'acme-pay': ['statuspage', 'operational', null],
      geoloc: ['incidentio', 'operational', null],
      adstream: ['rss', 'operational', null],
      textly: ['instatus', 'operational', null],
      postbird: ['atom', 'operational', null],
    });
    const acme = monitor.snapshot('acme-pay')!;
    expect(acme.components.map((c) => c.name)).toEqual(expect.arrayContaining(['API', 'Card payments']));
    expect(acme.components.every((c) => c.status === 'operational')).toBe(true);
  });

  it('shows a major outage the provider admits within one poll', async () => {
    sandbox.admin.configure('acme-pay', { outage: 'major', statusPageAdmits: true });
    await monitor.pollOnce();
    expect(await metric(registry, METRICS.providerStatus, { provider: 'acme-pay' })).toBe(4);
    expect(await metric(registry, METRICS.providerComponentStatus, { provider: 'acme-pay', component: 'Payments / API' })).toBe(4);
    expect(await metric(registry, METRICS.providerIncidentsOpen, { provider: 'acme-pay', impact: 'critical' })).toBe(1);
    expect(await metric(registry, METRICS.providerFetchSuccess, { provider: 'acme-pay' })).toBe(1);

    const res = await fetch(`${api}/providers/acme-pay`);
    const detail = (await res.json()) as Record<string, any>;
    expect(detail).toMatchObject({ indicator: 'major_outage', stale: false, error: null });
    // payments names [API, Card payments] in the demo catalog.
    expect(detail.apis).toEqual([expect.objectContaining({ api: 'payments', status: 'major_outage', unmatched: [] })]);
    const open = detail.incidents.filter((i: any) => i.resolvedAt === null);
    expect(open).toHaveLength(1);
    expect(open[0].impact).toBe('critical');
  });

  it('keeps the last snapshot, stale with the error, when the page then breaks', async () => {
    sandbox.admin.configure('acme-pay', { statusPageBroken: 'html200' });
    await monitor.pollOnce();
    const snap = monitor.snapshot('acme-pay')!;
    expect(snap).toMatchObject({ stale: true, indicator: 'major_outage' });
    expect(snap.error).toMatch(/acme-pay\/status\/api\/v2\/summary\.json: expected JSON but got an HTML page/);
    expect(await metric(registry, METRICS.providerFetchSuccess, { provider: 'acme-pay' })).toBe(0);
    expect(await metric(registry, METRICS.providerStatus, { provider: 'acme-pay' })).toBe(4);
    expect(await metric(registry, METRICS.providerComponentStatus, { provider: 'acme-pay', component: 'Payments / API' })).toBe(4);
    const list = (await (await fetch(`${api}/providers`)).json()) as { providers: Array<Record<string, any>> };
    expect(list.providers.find((p) => p.provider === 'acme-pay')).toMatchObject({ stale: true, indicator: 'major_outage', error: snap.error });

    sandbox.admin.configure('acme-pay', { statusPageBroken: 'http500' });
    await monitor.pollOnce();
    expect(monitor.snapshot('acme-pay')!.error).toMatch(/HTTP 500/);
    sandbox.admin.configure('acme-pay', { statusPageBroken: 'truncated' });
    await monitor.pollOnce();
    expect(monitor.snapshot('acme-pay')!.error).toMatch(/invalid JSON \(truncated\?\)/);

    sandbox.admin.reset('acme-pay');
    await monitor.pollOnce();
    expect(monitor.snapshot('acme-pay')).toMatchObject({ stale: false, error: null, indicator: 'operational' });
    expect(await metric(registry, METRICS.providerFetchSuccess, { provider: 'acme-pay' })).toBe(1);
  });
  it('polls unchanged pages with conditional GETs, which the sandbox answers with 304', async () => {
    const statuses: Array<[string, number]> = [];
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push([String(input), response.status]);
      return response;
    };
    const own = new StatusPageMonitor({ registry: new Registry(), logger: captureLogs('warn').logger, dataDir: null, fetch: recording });
    own.updateCatalog(demoCatalog(sandbox.url));
    try {
      await own.pollOnce();
      expect(statuses.length).toBeGreaterThanOrEqual(7);
      expect(statuses.filter(([, status]) => status !== 200)).toEqual([]);

      statuses.length = 0;
      const before = own.snapshot('geoloc')!;
      await own.pollOnce();
      expect(statuses.filter(([, status]) => status !== 304)).toEqual([]);
      expect(own.snapshot('geoloc')).toMatchObject({ stale: false, error: null, indicator: before.indicator });

      // A change reaches the poller in full: only documents holding the changed provider are 200
      // (its own page, and Google Cloud's incidents.json, which holds every provider).
      statuses.length = 0;
      sandbox.admin.configure('geoloc', { outage: 'major', statusPageAdmits: true });
      await own.pollOnce();
      const fresh = statuses.filter(([, status]) => status === 200).map(([url]) => new URL(url).pathname);
      expect(fresh.length).toBeGreaterThan(0);
      expect(fresh.every((path) => path.startsWith('/geoloc/') || path === '/_formats/gcp/incidents.json')).toBe(true);
      expect(own.snapshot('geoloc')!.indicator).toBe('major_outage');
    } finally {
      sandbox.admin.reset('geoloc');
      await own.stop();
    }
  });
});
