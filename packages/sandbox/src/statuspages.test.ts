// Every status page the sandbox serves is read the way the prober reads it: the URLs of
// @apimon/core's request plan, then its normaliser for the format.
import {
  componentLabel,
  normalizeStatusPage,
  statusPageRequests,
  type StatusPageDocument,
  type StatusPageFormatName,
} from '@apimon/core';
import { PROVIDERS, type ProviderName } from '.';
import { startSandbox } from './test-support';

type Started = Awaited<ReturnType<typeof startSandbox>>;

const NATIVE: Array<[ProviderName, StatusPageFormatName]> = [
  ['acme-pay', 'statuspage'],
  ['geoloc', 'incidentio'],
  ['adstream', 'rss'],
  ['textly', 'instatus'],
  ['postbird', 'atom'],
];

/** Every format for one provider, at its /_formats/ URL (as a catalog would name it). */
const FORMAT_URLS: Array<[StatusPageFormatName, string]> = [
  ['statuspage', '/_formats/statuspage/textly'],
  ['incidentio', '/_formats/incidentio/textly'],
  ['instatus', '/_formats/instatus/textly'],
  ['statusio', '/_formats/statusio/1.0/status/textly'],
  ['gcp', '/_formats/gcp/textly/incidents.json'],
  ['rss', '/_formats/rss/textly/history.rss'],
  ['atom', '/_formats/atom/textly/history.atom'],
];

/** How a page names a provider's component: `Group / Name` where the format has groups. */
function labelOf(provider: ProviderName, name: string, format?: StatusPageFormatName): string {
  const def = PROVIDERS[provider].status.components.find((c) => c.name === name);
  // status.io has no groups of components (its containers are regions).
  return def && format !== 'statusio' ? componentLabel(def) : name;
}

describe('sandbox status pages', () => {
  let sb: Started;
  beforeAll(async () => {
    sb = await startSandbox({ clock: Date.now });
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.admin.reset());

  async function fetchDocs(
    url: string,
    format: StatusPageFormatName
  ): Promise<{ docs: StatusPageDocument[]; statuses: number[] }> {
    const docs: StatusPageDocument[] = [];
    const statuses: number[] = [];
    for (const request of statusPageRequests(url, format)) {
      const r = await fetch(request.url);
      statuses.push(r.status);
      docs.push({
        role: request.role,
        url: request.url,
        body: await r.text(),
        contentType: r.headers.get('content-type') ?? undefined,
      });
    }
    return { docs, statuses };
  }

  async function read(url: string, format: StatusPageFormatName) {
    const { docs, statuses } = await fetchDocs(url, format);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const result = normalizeStatusPage(format, docs, { now: Date.now() });
    if (!result.ok) {
      throw new Error(`${url}: ${result.error}`);
    }
    expect(result.warnings).toEqual([]);
    return result.page;
  }

  it.each(NATIVE)(
    '%s serves a %s page that parses as such: operational, with components and history',
    async (provider, format) => {
      const page = await read(`${sb.url}/${provider}/status`, format);
      expect(page.format).toBe(format);
      expect(page.indicator).toBe('operational');
      expect(page.incidents.filter((i) => i.resolvedAt === null)).toEqual([]);
      if (format === 'statuspage' || format === 'instatus') {
        expect(page.components.map((c) => c.name)).toEqual(PROVIDERS[provider].status.components.map((c) => c.name));
        expect(page.components.every((c) => c.status === 'operational')).toBe(true);
      }
      if (format === 'statuspage' || format === 'rss' || format === 'atom') {
        // Resolved history is part of these formats (incident.io and Instatus list only what is open).
        expect(page.incidents.length).toBe(PROVIDERS[provider].status.history.length);
        expect(page.incidents.every((i) => i.status === 'resolved')).toBe(true);
      }
    }
  );

  it.each(NATIVE)(
    '%s (%s) opens an incident for an admitted major outage and resolves it afterwards',
    async (provider, format) => {
      const url = `${sb.url}/${provider}/status`;
      const affected = PROVIDERS[provider].status.outageComponents;
      sb.admin.configure(provider, { outage: 'major', statusPageAdmits: true });
      const down = await read(url, format);
      expect(down.indicator).toBe('major_outage');
      const open = down.incidents.filter((i) => i.resolvedAt === null);
      expect(open).toHaveLength(1);
      expect(open[0].impact).toBe('critical');
      expect(open[0].title).toMatch(/^Major outage: /);
      if (format !== 'instatus') {
        // Instatus lists no components on an incident; its component list says it instead.
        expect(open[0].components).toEqual(expect.arrayContaining(affected.map((name) => labelOf(provider, name))));
      }
      if (format !== 'rss' && format !== 'atom') {
        for (const name of affected) {
          expect(down.components.find((c) => c.name === name)?.status).toBe('major_outage');
        }
      }
      sb.admin.configure(provider, { outage: 'degraded' });
      const degraded = await read(url, format);
      const stillOpen = degraded.incidents.filter((i) => i.resolvedAt === null);
      expect(stillOpen.map((i) => i.title)).toEqual([expect.stringMatching(/^Degraded performance: /)]);
      if (format !== 'rss' && format !== 'atom') {
        // A feed keeps the earlier "unavailable" update in the item, so its words still read critical.
        expect(stillOpen.map((i) => i.impact)).toEqual(['minor']);
      }
      sb.admin.configure(provider, { outage: 'none' });
      const after = await read(url, format);
      expect(after.indicator).toBe('operational');
      expect(after.incidents.filter((i) => i.resolvedAt === null)).toEqual([]);
    }
  );

  it.each(NATIVE)('%s (%s) stays operational through an outage it does not admit', async (provider, format) => {
    sb.admin.configure(provider, { outage: 'major', statusPageAdmits: false });
    const api = await fetch(`${sb.url}${PROVIDERS[provider].apiPath}`);
    expect(api.status).toBe(503);
    const page = await read(`${sb.url}/${provider}/status`, format);
    expect(page.indicator).toBe('operational');
    expect(page.incidents.filter((i) => i.resolvedAt === null)).toEqual([]);
  });

  it('admits by default for acme-pay, adstream and textly; geoloc and postbird stay silent', () => {
    const state = sb.admin.state().providers;
    expect(Object.values(state).map((p) => [p.name, p.settings.statusPageAdmits])).toEqual([
      ['acme-pay', true],
      ['geoloc', false],
      ['adstream', true],
      ['textly', true],
      ['postbird', false],
    ]);
  });

  it.each(FORMAT_URLS)(
    'serves %s under /_formats/ and it reflects an admitted partial outage',
    async (format, path) => {
      const before = await read(`${sb.url}${path}`, format);
      expect(before.format).toBe(format);
      expect(before.indicator).toBe('operational');
      sb.admin.configure('textly', { outage: 'partial', statusPageAdmits: true });
      const page = await read(`${sb.url}${path}`, format);
      expect(page.indicator).toBe('partial_outage');
      const open = page.incidents.filter((i) => i.resolvedAt === null);
      expect(open.map((i) => i.impact)).toEqual(['major']);
      if (format === 'instatus') {
        expect(page.components.find((c) => c.name === 'SMS API')?.status).toBe('partial_outage');
      } else {
        expect(open[0].components).toEqual(expect.arrayContaining([labelOf('textly', 'SMS API', format)]));
      }
    }
  );

  it('serves groups that share component names, and postmortems, as Statuspage does', async () => {
    const now = Date.now();
    sb.admin.configure('acme-pay', {
      statusPage: {
        components: [
          { group: 'Marketplace Spain', name: 'Checkout', status: 'major_outage' },
          { group: 'Marketplace France', name: 'Checkout', status: 'operational' },
        ],
        incidents: [
          {
            id: 'pm',
            name: 'Checkout fails in Spain',
            status: 'resolved',
            impact: 'critical',
            startedAt: now - 3 * 3_600_000,
            resolvedAt: now - 2 * 3_600_000,
            components: ['Marketplace Spain / Checkout'],
            updates: [
              { status: 'postmortem', at: now - 60_000, body: 'A certificate expired.' },
              { status: 'resolved', at: now - 2 * 3_600_000, body: 'Resolved.' },
              { status: 'investigating', at: now - 3 * 3_600_000, body: 'Looking.' },
            ],
          },
        ],
      },
    });
    const summary = (await (await fetch(`${sb.url}/acme-pay/status/api/v2/summary.json`)).json()) as { components: Array<Record<string, unknown>> };
    const checkouts = summary.components.filter((c) => c.name === 'Checkout');
    expect(checkouts.map((c) => c.status)).toEqual(['major_outage', 'operational']);
    expect(new Set(checkouts.map((c) => c.id)).size).toBe(2);
    const history = (await (await fetch(`${sb.url}/acme-pay/status/api/v2/incidents.json`)).json()) as { incidents: Array<Record<string, any>> };
    const pm = history.incidents.find((i) => i.id === 'pm')!;
    expect(pm.status).toBe('postmortem');
    expect(pm.components.map((c: Record<string, unknown>) => c.group_id)).toEqual([checkouts[0].group_id]);
    const page = await read(`${sb.url}/acme-pay/status`, 'statuspage');
    expect(page.components.filter((c) => c.name === 'Checkout').map(componentLabel)).toEqual(['Marketplace Spain / Checkout', 'Marketplace France / Checkout']);
    for (const [path, format] of [['history.rss', 'rss'], ['history.atom', 'atom']] as const) {
      const feed = await read(`${sb.url}/acme-pay/status/${path}`, format);
      expect(feed.incidents[0]).toMatchObject({ id: expect.stringMatching(/pm$/), status: 'resolved', components: ['Marketplace Spain / Checkout'] });
      expect(feed.incidents[0].updates[0].status).toBe('postmortem');
    }
  });

  it('serves every provider in one Google Cloud incidents.json', async () => {
    sb.admin.configure('postbird', { outage: 'major', statusPageAdmits: true });
    const page = await read(`${sb.url}/_formats/gcp/incidents.json`, 'gcp');
    expect(page.indicator).toBe('major_outage');
    expect(page.components.find((c) => c.name === 'Postbird Mail Sending API')?.status).toBe('major_outage');
    expect(page.components.find((c) => c.name === 'Acme Pay Payments / Payouts')?.status).toBe('operational');
  });

  it('serves Statuspage history feeds and maintenances', async () => {
    const feeds: Array<[string, StatusPageFormatName]> = [
      ['/acme-pay/status/history.rss', 'rss'],
      ['/acme-pay/status/history.atom', 'atom'],
    ];
    for (const [path, format] of feeds) {
      const feed = await read(`${sb.url}${path}`, format);
      expect(feed.incidents.map((i) => i.title)).toEqual(PROVIDERS['acme-pay'].status.history.map((h) => h.name));
      expect(feed.maintenances.map((m) => m.status)).toEqual(['scheduled']);
    }
    const upcoming = await (
      await fetch(`${sb.url}/acme-pay/status/api/v2/scheduled-maintenances/upcoming.json`)
    ).json();
    expect(upcoming.scheduled_maintenances).toHaveLength(1);
    expect(upcoming.scheduled_maintenances[0]).toEqual(
      expect.objectContaining({ status: 'scheduled', impact: 'maintenance' })
    );
    const page = await read(`${sb.url}/acme-pay/status`, 'statuspage');
    expect(page.maintenances.map((m) => m.title)).toEqual(['Webhook delivery infrastructure upgrade']);
  });

  it('takes a status page set directly through the admin API', async () => {
    sb.admin.configure('acme-pay', {
      statusPage: {
        components: [{ name: 'Dashboard', status: 'degraded' }],
        incidents: [
          {
            id: 'inc-manual',
            name: 'Dashboard loads slowly',
            status: 'identified',
            impact: 'minor',
            startedAt: '2026-11-24T01:00:00Z',
            components: ['Dashboard'],
            updates: [
              { status: 'investigating', body: 'Looking into it.', at: '2026-11-24T01:00:00Z' },
              { status: 'identified', body: 'A slow database query.', at: '2026-11-24T01:20:00Z' },
            ],
          },
        ],
      },
    });
    const page = await read(`${sb.url}/acme-pay/status`, 'statuspage');
    expect(page.indicator).toBe('degraded');
    expect(page.components.find((c) => c.name === 'Dashboard')?.status).toBe('degraded');
    expect(page.incidents).toHaveLength(1);
    expect(page.incidents[0]).toEqual(
      expect.objectContaining({
        id: 'inc-manual',
        status: 'identified',
        impact: 'minor',
        startedAt: Date.parse('2026-11-24T01:00:00Z'),
      })
    );
    expect(page.incidents[0].updates.map((u) => u.text)).toEqual(['A slow database query.', 'Looking into it.']);
    sb.admin.configure('acme-pay', { statusPage: { indicator: 'maintenance' } });
    expect((await read(`${sb.url}/acme-pay/status`, 'statuspage')).indicator).toBe('maintenance');
  });

  it.each(NATIVE)('%s (%s) breaks on purpose: http500, html200, truncated', async (provider, format) => {
    const url = `${sb.url}/${provider}/status`;
    sb.admin.configure(provider, { statusPageBroken: 'http500' });
    const { statuses } = await fetchDocs(url, format);
    expect(statuses[0]).toBe(500);

    sb.admin.configure(provider, { statusPageBroken: 'html200' });
    const html = await fetchDocs(url, format);
    expect(html.statuses[0]).toBe(200);
    const asHtml = normalizeStatusPage(format, html.docs, { now: Date.now() });
    expect(asHtml).toEqual(expect.objectContaining({ ok: false, html: true }));

    sb.admin.configure(provider, { statusPageBroken: 'truncated' });
    const cut = await fetchDocs(url, format);
    expect(cut.statuses[0]).toBe(200);
    const truncated = normalizeStatusPage(format, cut.docs, { now: Date.now() });
    expect(truncated.ok).toBe(false);
    expect(truncated.ok === false && truncated.error).toMatch(/invalid (JSON|XML)/);

    sb.admin.configure(provider, { statusPageBroken: 'none' });
    await read(url, format);
  });

  it('answers a conditional GET with 304 until the page changes, as CDN-fronted status pages do', async () => {
    const url = `${sb.url}/acme-pay/status/api/v2/summary.json`;
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const body = await first.text();

    const again = await fetch(url, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    // A list of tags and the weak form match too; another tag does not.
    expect((await fetch(url, { headers: { 'If-None-Match': `"other", W/${etag}` } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);

    sb.admin.configure('acme-pay', { outage: 'major' });
    const changed = await fetch(url, { headers: { 'If-None-Match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).not.toBe(body);
  });

  it('sends no ETag with a broken page', async () => {
    sb.admin.configure('acme-pay', { statusPageBroken: 'http500' });
    const r = await fetch(`${sb.url}/acme-pay/status/api/v2/summary.json`);
    expect(r.status).toBe(500);
    expect(r.headers.get('etag')).toBeNull();
  });

  it('serves the human page and incident pages as HTML', async () => {
    const r = await fetch(`${sb.url}/acme-pay/status`);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(await r.text()).toContain('All Systems Operational');
    sb.admin.configure('acme-pay', { outage: 'major' });
    const id = sb.admin.provider('acme-pay').statusPage.outageIncidentId;
    const incident = await fetch(`${sb.url}/acme-pay/status/incidents/${id}`);
    expect(incident.status).toBe(200);
    expect(await incident.text()).toContain('Major outage: card charges unavailable');
    expect((await fetch(`${sb.url}/acme-pay/status/incidents/nope`)).status).toBe(404);
  });
});
