// The advisory monitor against a real local HTTP server: feeds in three formats, the window
// and the catalog's acknowledgements, conditional requests, a failing feed keeping its last
// good items, the series (one per new item, for annotations) and /api/v1/advisories.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { METRICS, PROBER_API, type AdvisoriesBody, type Catalog } from '@apimon/core';
import { AdvisoryMonitor } from '.';
import { catalogFrom } from '../test-support/catalogs';
import { find, parseExposition, valueOf } from '../test-support/exposition';
import { FixtureServer } from '../test-support/fixture-server';
import { captureLogs } from '../test-support/logs';
import { close, createServer, listen } from '../server';

const FIXTURES = join(__dirname, '../../../core/src/advisory/fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
/** The fixtures' items are from June 2025: the clock is a few days later. */
const NOW = Date.UTC(2025, 5, 15);

function catalogFor(origin: string, acknowledged: string[] = []): Catalog {
  return catalogFrom(`
defaults: { location: lab }
prober: { advisoryWindow: 30d }
providers:
  - name: acme-pay
    advisories:
      - { url: "${origin}/acme/security.rss", acknowledged: ${JSON.stringify(acknowledged)} }
      - { url: "${origin}/acme/changelog.atom", format: atom }
  - name: postbird
    advisories: [{ url: "${origin}/postbird/notices.json" }]
apis:
  - { name: payments, provider: acme-pay, criticality: critical, owner: t, endpoints: [{ name: c, url: "https://a.test" }] }
  - { name: email, provider: postbird, criticality: standard, owner: t, endpoints: [{ name: q, url: "https://p.test" }] }
`);
}

describe('AdvisoryMonitor', () => {
  const fixtures = new FixtureServer();
  const logs = captureLogs('warn');
  beforeAll(() => fixtures.start());
  afterAll(() => fixtures.stop());
  beforeEach(() => {
    fixtures.routes.set('/acme/security.rss', {
      body: fixture('rss-security.xml'),
      contentType: 'application/rss+xml',
    });
    fixtures.routes.set('/acme/changelog.atom', {
      body: fixture('atom-changelog.xml'),
      contentType: 'application/atom+xml',
    });
    fixtures.routes.set('/postbird/notices.json', {
      body: fixture('jsonfeed.json'),
      contentType: 'application/feed+json',
    });
  });

  const monitorFor = (catalog: Catalog) => {
    const registry = new Registry();
    const monitor = new AdvisoryMonitor({ registry, logger: logs.logger, now: () => NOW });
    monitor.updateCatalog(catalog);
    return { monitor, samples: async () => parseExposition(await registry.metrics()) };
  };

  it('counts recent, unacknowledged items per provider across its feeds, newest first', async () => {
    const { monitor, samples } = monitorFor(catalogFor(fixtures.origin, ['acme-pay-sec-2025-06']));
    await monitor.pollOnce();
    const fresh = monitor.newItems();
    // acme-pay: the key rotation is acknowledged; the PCI item is from 2024; the undated item
    // counts from now; the Atom changelog adds two.
    expect(fresh.get('acme-pay')!.map((i) => i.title)).toEqual([
      'Scheduled review of webhook signing',
      'Deprecation: v1 geocode endpoint sunsets 2025-12-31',
      'TLS 1.0 and 1.1 are switched off on 1 September',
      'Faster autocomplete',
    ]);
    expect(fresh.get('postbird')!.map((i) => i.id)).toEqual(['2025-06-11-dkim', '1041']);
    const s = await samples();
    expect(valueOf(s, METRICS.providerAdvisoriesUnacknowledged, { provider: 'acme-pay', location: 'lab' })).toBe(4);
    expect(
      find(s, METRICS.providerAdvisory, { provider: 'acme-pay' }).map((x) => [x.labels.item, x.value])
    ).toContainEqual(['tag:geoloc.example,2025:changelog/42', Date.UTC(2025, 5, 12, 6) / 1000]);
    expect(
      valueOf(s, METRICS.providerAdvisoryFetchSuccess, {
        provider: 'acme-pay',
        feed: `${fixtures.origin}/acme/security.rss`,
      })
    ).toBe(1);
  });

  it('takes an acknowledgement from a reloaded catalog at once, by id or by link', async () => {
    const { monitor, samples } = monitorFor(catalogFor(fixtures.origin));
    await monitor.pollOnce();
    expect(monitor.newItems().get('acme-pay')).toHaveLength(5);
    monitor.updateCatalog(
      catalogFor(fixtures.origin, ['acme-pay-sec-2025-06', 'https://acme-pay.example/security/tls-deprecation/'])
    );
    expect(monitor.newItems().get('acme-pay')).toHaveLength(3);
    expect(valueOf(await samples(), METRICS.providerAdvisoriesUnacknowledged, { provider: 'acme-pay' })).toBe(3);
  });

  it('asks again with validators, and keeps the last good items when a feed breaks', async () => {
    const { monitor, samples } = monitorFor(catalogFor(fixtures.origin));
    await monitor.pollOnce();
    await monitor.pollOnce();
    expect(fixtures.notModified.get('/postbird/notices.json')).toBeGreaterThanOrEqual(1);
    fixtures.routes.set('/postbird/notices.json', {
      body: '<!DOCTYPE html><html><head><title>Maintenance</title></head></html>',
      contentType: 'text/html',
    });
    await monitor.pollOnce();
    expect(monitor.newItems().get('postbird')).toHaveLength(2);
    const feed = monitor.body().providers.find((p) => p.provider === 'postbird')!.feeds[0];
    expect(feed).toMatchObject({
      stale: true,
      items: 2,
      error: expect.stringMatching(
        /notices\.json: expected an RSS, Atom or JSON feed but got an HTML page titled "Maintenance"$/
      ),
    });
    expect(valueOf(await samples(), METRICS.providerAdvisoryFetchSuccess, { provider: 'postbird' })).toBe(0);
    expect(logs.text()).toContain('advisory feed fetch failed; keeping the last good items');
  });

  it('drops every series of a provider whose feeds leave the catalog', async () => {
    const { monitor, samples } = monitorFor(catalogFor(fixtures.origin));
    await monitor.pollOnce();
    monitor.updateCatalog(
      catalogFrom(`
providers: [{ name: acme-pay }, { name: postbird, advisories: [{ url: "${fixtures.origin}/postbird/notices.json" }] }]
apis: [{ name: payments, provider: acme-pay, criticality: critical, owner: t, endpoints: [{ name: c, url: "https://a.test" }] }]
`)
    );
    const s = await samples();
    for (const name of [
      METRICS.providerAdvisory,
      METRICS.providerAdvisoriesUnacknowledged,
      METRICS.providerAdvisoryFetchSuccess,
    ]) {
      expect(find(s, name, { provider: 'acme-pay' })).toHaveLength(0);
    }
    expect(find(s, METRICS.providerAdvisoriesUnacknowledged, { provider: 'postbird' })).toHaveLength(1);
  });

  it('serves /api/v1/advisories through the prober server', async () => {
    const { monitor } = monitorFor(catalogFor(fixtures.origin));
    await monitor.pollOnce();
    const server = createServer({ routes: [], modules: () => [monitor], logger: logs.logger });
    const { port } = await listen(server, '127.0.0.1', 0);
    try {
      const body = (await (await fetch(`http://127.0.0.1:${port}${PROBER_API.advisories}`)).json()) as AdvisoriesBody;
      expect(body.windowMs).toBe(30 * 86_400_000);
      expect(body.providers.map((p) => [p.provider, p.feeds.length, p.new.length])).toEqual([
        ['acme-pay', 2, 5],
        ['postbird', 1, 2],
      ]);
      expect((await fetch(`http://127.0.0.1:${port}${PROBER_API.advisories}`, { method: 'POST' })).status).toBe(405);
    } finally {
      await close(server);
    }
  });
});
