import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiProviderStatus } from './apistatus';
import { componentLabel } from './component';
import { normalizeStatusPage } from './normalize';
import type { NormalizeResult, ParsedStatusPage, StatusPageDocument, StatusPageRole } from './types';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const doc = (role: StatusPageRole, url: string, name: string): StatusPageDocument => ({ role, url, body: fixture(name) });
const NOW = Date.parse('2026-11-24T09:00:00Z');

function page(result: NormalizeResult): ParsedStatusPage {
  if (!result.ok) {
    throw new Error(result.error);
  }
  return result.page;
}

/** Components by label (`Group / Name` for grouped ones), as metrics and statusComponents see them. */
const byLabel = (p: ParsedStatusPage) => Object.fromEntries(p.components.map((c) => [componentLabel(c), c.status]));

describe('Atlassian Statuspage v2', () => {
  const result = normalizeStatusPage(
    'statuspage',
    [
      doc('main', 'https://status.acme-pay.example/api/v2/summary.json', 'statuspage-summary.json'),
      doc('incidents', 'https://status.acme-pay.example/api/v2/incidents.json', 'statuspage-incidents.json'),
    ],
    { now: NOW }
  );
  const p = page(result);

  it('takes the page indicator and maps every component word', () => {
    expect(p.format).toBe('statuspage');
    expect(p.indicator).toBe('partial_outage'); // "major" = Partial System Outage
    expect(byLabel(p)).toEqual({
      'Payments / API': 'partial_outage',
      'Payments / Card payments': 'degraded',
      Dashboard: 'operational',
      Webhooks: 'maintenance',
      Payouts: 'unknown', // "wobbly_but_fine"
      Reports: 'unknown', // null
    });
    // The group row is replaced by its members, which carry the group's name.
    expect(p.components.find((c) => c.name === 'API')?.group).toBe('Payments');
    expect(p.components.some((c) => c.name === 'Payments')).toBe(false);
  });

  it('reads incidents with time zones, HTML stripped and updates newest first', () => {
    const inc = p.incidents.find((i) => i.id === 'inc-42')!;
    expect(inc.title).toBe('Elevated error rates on card charges');
    expect(inc.status).toBe('identified');
    expect(inc.impact).toBe('major');
    expect(inc.startedAt).toBe(Date.parse('2026-11-24T07:45:00Z')); // -06:00
    expect(inc.resolvedAt).toBeNull();
    expect(inc.url).toBe('https://stspg.example/abc42');
    expect(inc.components).toEqual(['Payments / API', 'Payments / Card payments']);
    expect(inc.updates.map((u) => u.text)).toEqual([
      'The cause is a bad deploy.',
      'We are investigating reports & errors.\nMore soon.',
    ]);
    expect(inc.updates[0].at).toBe(Date.parse('2026-11-24T08:20:00Z'));
  });

  it('adds resolved incidents from incidents.json and maps postmortem to resolved', () => {
    const payouts = p.incidents.find((i) => i.id === 'inc-41')!;
    expect(payouts).toMatchObject({ status: 'resolved', impact: 'minor', resolvedAt: Date.parse('2026-11-20T11:30:00Z') });
    expect(payouts.url).toBe('https://status.acme-pay.example/incidents/inc-41');
    const postmortem = p.incidents.find((i) => i.id === 'inc-40')!;
    expect(postmortem.status).toBe('resolved');
    expect(postmortem.resolvedAt).toBe(Date.parse('2026-11-02T12:00:00Z'));
  });

  it('keeps odd incidents with unknown words instead of failing', () => {
    const odd = p.incidents.find((i) => i.id === 'inc-odd')!;
    expect(odd).toMatchObject({ status: 'unknown', impact: 'unknown', startedAt: null, updates: [], components: [] });
  });

  it('reads scheduled maintenances with their window', () => {
    const mnt = p.maintenances.find((m) => m.id === 'mnt-7')!;
    expect(mnt).toMatchObject({
      status: 'in_progress',
      impact: 'maintenance',
      startedAt: Date.parse('2026-11-24T08:00:00Z'),
      scheduledUntil: Date.parse('2026-11-24T10:00:00Z'),
      components: ['Webhooks'],
    });
    const later = p.maintenances.find((m) => m.id === 'mnt-8')!;
    expect(later.startedAt).toBe(Date.parse('2026-12-01T01:00:00Z'));
    expect(later.status).toBe('scheduled');
  });

  it('derives the indicator when the page gives none', () => {
    const body = JSON.stringify({ page: { id: 'x' }, components: [{ name: 'A', status: 'major_outage' }] });
    const r = normalizeStatusPage('statuspage', [{ role: 'main', url: 'https://x.example/s.json', body }], { now: NOW });
    expect(page(r).indicator).toBe('major_outage');
  });

  it('survives a broken incidents.json with a warning', () => {
    const r = normalizeStatusPage(
      'statuspage',
      [
        doc('main', 'https://s.example/api/v2/summary.json', 'statuspage-summary.json'),
        { role: 'incidents', url: 'https://s.example/api/v2/incidents.json', body: '{"incidents": [' },
      ],
      { now: NOW }
    );
    expect(r.ok && r.warnings[0]).toMatch(/incidents\.json: invalid JSON \(truncated\?\)/);
    expect(page(r).incidents.map((i) => i.id)).toEqual(['inc-42', 'inc-odd']);
  });
});

describe('incident.io widget API', () => {
  const p = page(normalizeStatusPage('incidentio', [doc('main', 'https://status.geoloc.example/api/v1/summary', 'incidentio-summary.json')], { now: NOW }));

  it('derives components from affected components and the indicator from the worst impact', () => {
    expect(p.indicator).toBe('major_outage');
    expect(byLabel(p)).toEqual({ 'APIs / Geocoding API': 'major_outage', 'Maps tiles': 'degraded', Search: 'maintenance' });
    expect(p.components[0].group).toBe('APIs');
  });

  it('reads incidents, resolving relative links and unknown words', () => {
    const [first, second] = p.incidents;
    expect(first).toMatchObject({ id: '01JGEO1', status: 'investigating', impact: 'critical', startedAt: Date.parse('2026-11-24T02:10:00Z') });
    expect(first.updates[0].text).toBe("We're looking into elevated errors.");
    expect(second).toMatchObject({ id: '01JGEO2', status: 'unknown', impact: 'unknown', url: 'https://status.geoloc.example/incidents/01JGEO2' });
  });

  it('separates in-progress and scheduled maintenances', () => {
    expect(p.maintenances.map((m) => [m.id, m.status, m.scheduledUntil])).toEqual([
      ['01JMNT1', 'in_progress', Date.parse('2026-11-24T05:00:00Z')],
      ['01JMNT2', 'scheduled', Date.parse('2026-11-30T03:00:00Z')],
    ]);
  });
});

describe('Instatus', () => {
  const p = page(
    normalizeStatusPage(
      'instatus',
      [doc('main', 'https://status.textly.example/summary.json', 'instatus-summary.json'), doc('components', 'https://status.textly.example/v2/components.json', 'instatus-components.json')],
      { now: NOW }
    )
  );

  it('maps the upper-case vocabulary and flattens groups', () => {
    expect(byLabel(p)).toEqual({
      'SMS API': 'operational',
      'Messaging / Delivery': 'partial_outage',
      Voice: 'partial_outage',
      'Regions / EU': 'maintenance',
      'Regions / US': 'unknown',
    });
    expect(p.components.find((c) => c.name === 'EU')?.group).toBe('Regions');
    expect(p.components.find((c) => c.name === 'Delivery')?.group).toBe('Messaging');
    // HASISSUES is refined by what the components and incidents say.
    expect(p.indicator).toBe('partial_outage');
  });

  it('reads JavaScript date strings with their offset', () => {
    const inc = p.incidents[0];
    expect(inc).toMatchObject({ id: 'cl4a8n3070721', status: 'identified', impact: 'major', startedAt: Date.parse('2026-11-24T01:05:50Z') });
    expect(p.incidents[1]).toMatchObject({ id: 'Unnamed thing', status: 'unknown', impact: 'unknown' });
  });

  it('turns a maintenance duration in minutes into its end', () => {
    expect(p.maintenances[0]).toMatchObject({
      status: 'scheduled',
      startedAt: Date.parse('2026-11-25T01:00:00Z'),
      scheduledUntil: Date.parse('2026-11-25T02:30:00Z'),
    });
  });

  it('works without the components document', () => {
    const r = page(normalizeStatusPage('instatus', [doc('main', 'https://t.example/summary.json', 'instatus-summary.json')], { now: NOW }));
    expect(r.components).toEqual([]);
    expect(r.indicator).toBe('partial_outage');
  });
});

describe('status.io', () => {
  const p = page(normalizeStatusPage('statusio', [doc('main', 'https://api.status.io/1.0/status/abc', 'statusio-status.json')], { now: NOW }));

  it('maps status codes, containers included', () => {
    expect(p.indicator).toBe('partial_outage');
    expect(byLabel(p)).toEqual({
      Website: 'operational',
      'Website / Virginia': 'operational',
      'Delivery API': 'partial_outage',
      'Delivery API / Virginia': 'major_outage',
      'Delivery API / Ireland': 'degraded',
      Legacy: 'unknown',
    });
  });

  it('takes lifecycle and impact from the latest message', () => {
    expect(p.incidents[0]).toMatchObject({ id: 'inc-s1', status: 'identified', impact: 'critical', components: ['Delivery API'] });
    expect(p.incidents[0].updates[0].text).toBe('Root cause identified.');
    expect(p.maintenances[0]).toMatchObject({ id: 'mnt-s1', status: 'scheduled', scheduledUntil: Date.parse('2026-11-28T04:00:00Z') });
  });
});

describe('Google Cloud incidents.json', () => {
  const p = page(normalizeStatusPage('gcp', [doc('main', 'https://status.cloud.google.com/incidents.json', 'gcp-incidents.json')], { now: NOW }));

  it('turns affected products into components at the impact of their open incidents', () => {
    // SERVICE_DISRUPTION is the middle of Google's scale: a partial outage.
    expect(byLabel(p)).toEqual({ 'Cloud Widgets': 'degraded', 'Google Cloud Pub/Sub': 'partial_outage', 'Google Cloud Storage': 'operational' });
    expect(p.indicator).toBe('partial_outage');
  });

  it('reads open and closed incidents', () => {
    const open = p.incidents.find((i) => i.id === 'gcpOPEN1')!;
    expect(open).toMatchObject({ status: 'unknown', impact: 'major', resolvedAt: null, url: 'https://status.cloud.google.com/incidents/gcpOPEN1' });
    expect(open.updates).toHaveLength(2);
    const old = p.incidents.find((i) => i.id === 'gcpOLD1')!;
    expect(old).toMatchObject({ status: 'resolved', impact: 'critical', resolvedAt: Date.parse('2026-11-10T09:30:00Z') });
    expect(p.incidents.find((i) => i.id === 'gcpWEIRD')?.impact).toBe('unknown');
  });

  it('accepts an empty history', () => {
    const r = page(normalizeStatusPage('gcp', [{ role: 'main', url: 'https://status.cloud.google.com/incidents.json', body: '[]' }], { now: NOW }));
    expect(r).toMatchObject({ indicator: 'operational', incidents: [], components: [] });
  });
});

describe('RSS', () => {
  const p = page(normalizeStatusPage('rss', [doc('main', 'https://status.adstream.example/history.rss', 'rss-feed.xml')], { now: NOW }));

  it('reads lifecycle and impact from the newest words of each item', () => {
    const open = p.incidents.find((i) => i.id === 'https://status.adstream.example/incidents/feed1')!;
    expect(open).toMatchObject({ status: 'identified', impact: 'major', resolvedAt: null, components: ['Inventory feed'] });
    expect(open.updates[0]).toEqual({
      at: Date.parse('2026-11-24T02:10:00Z'),
      status: 'identified',
      text: 'The feed backend is failing; partial outage for EU partners.',
    });
    expect(open.startedAt).toBe(Date.parse('2026-11-24T01:55:00Z')); // the Investigating stamp, not pubDate
    const resolved = p.incidents.find((i) => i.id === '12345')!;
    expect(resolved.status).toBe('resolved');
    expect(resolved.startedAt).toBe(Date.parse('2026-11-24T03:00:00Z')); // 22:00 EST
    expect(resolved.resolvedAt).toBe(resolved.startedAt);
    expect(p.indicator).toBe('partial_outage');
    expect(byLabel(p)).toEqual({ 'Inventory feed': 'partial_outage', Reporting: 'operational' });
  });

  it('considers an old item without a resolution over at its last update', () => {
    const old = p.incidents.find((i) => i.id === 'old-1')!;
    expect(old.resolvedAt).toBe(Date.parse('2026-11-04T10:00:00Z'));
  });

  it('drops items nobody could recognise and keeps ones with bad dates', () => {
    expect(p.incidents.map((i) => i.id)).not.toContain(undefined);
    expect(p.incidents.find((i) => i.id === 'Bad date')?.startedAt).toBeNull();
    expect(p.maintenances.map((m) => m.id)).toEqual(['mnt-1']);
  });

  it('reads a feed with no items as an operational page', () => {
    const empty = page(normalizeStatusPage('rss', [doc('main', 'https://q.example/feed', 'rss-empty.xml')], { now: NOW }));
    expect(empty).toEqual({ format: 'rss', indicator: 'operational', components: [], incidents: [], maintenances: [] });
  });
});

describe('Atom', () => {
  const p = page(normalizeStatusPage('atom', [doc('main', 'https://status.postbird.example/history.atom', 'atom-feed.xml')], { now: NOW }));

  it('reads entries, alternate links, categories and offsets', () => {
    const open = p.incidents[0];
    expect(open).toMatchObject({
      id: 'tag:status.postbird.example,2026:Incident/9001',
      status: 'monitoring',
      impact: 'critical',
      startedAt: Date.parse('2026-11-24T01:00:00Z'),
      url: 'https://status.postbird.example/incidents/9001',
      components: ['SMTP relay'],
    });
    expect(p.incidents[1]).toMatchObject({ status: 'resolved', resolvedAt: Date.parse('2026-11-20T12:00:00Z') });
    expect(p.maintenances[0].status).toBe('in_progress');
    expect(p.indicator).toBe('major_outage');
  });
});

describe('bad payloads', () => {
  it('names an HTML error page served with 200', () => {
    const r = normalizeStatusPage('statuspage', [doc('main', 'https://s.example/api/v2/summary.json', 'html-error.html')], { now: NOW });
    expect(r).toEqual({
      ok: false,
      html: true,
      error: 'https://s.example/api/v2/summary.json: expected JSON but got an HTML page titled "502 Bad Gateway – Cloud Edge"',
    });
    const feed = normalizeStatusPage('rss', [doc('main', 'https://s.example/feed', 'html-error.html')], { now: NOW });
    expect(feed.ok === false && feed.error).toMatch(/expected an RSS feed but got an HTML page/);
  });

  it('reports truncated JSON', () => {
    const r = normalizeStatusPage('statuspage', [doc('main', 'https://s.example/api/v2/summary.json', 'statuspage-truncated.json')], { now: NOW });
    expect(r.ok === false && r.error).toMatch(/^https:\/\/s\.example\/api\/v2\/summary\.json: invalid JSON \(truncated\?\)/);
  });

  it('reports a payload of the wrong format by name', () => {
    const r = normalizeStatusPage('instatus', [doc('main', 'https://s.example/summary.json', 'statuspage-summary.json')], { now: NOW });
    expect(r.ok === false && r.error).toMatch(/not an Instatus summary/);
    const xml = normalizeStatusPage('atom', [doc('main', 'https://s.example/feed', 'rss-feed.xml')], { now: NOW });
    expect(xml.ok === false && xml.error).toMatch(/not an Atom feed/);
    const broken = normalizeStatusPage('rss', [{ role: 'main', url: 'https://s.example/feed', body: '<rss><channel><item>' }], { now: NOW });
    expect(broken.ok === false && broken.error).toMatch(/invalid XML at line 1/);
    const empty = normalizeStatusPage('gcp', [{ role: 'main', url: 'https://s.example/i.json', body: '' }], { now: NOW });
    expect(empty.ok === false && empty.error).toMatch(/empty body/);
  });

  it('does not expand nested XML entities (billion laughs)', () => {
    const defs = ['<!ENTITY l0 "lol">', ...Array.from({ length: 9 }, (_, n) => `<!ENTITY l${n + 1} "${`&l${n};`.repeat(10)}">`)].join('');
    const body = `<?xml version="1.0"?><!DOCTYPE x [${defs}]><rss><channel><item><title>&l9;</title><guid>x</guid></item></channel></rss>`;
    const r = normalizeStatusPage('rss', [{ role: 'main', url: 'https://s.example/feed', body }], { now: NOW });
    const title = r.ok ? (r.page.incidents[0]?.title ?? '') : '';
    expect(title.length).toBeLessThan(1000);
  });

  it('handles 10,000 incidents', () => {
    const incidents = Array.from({ length: 10_000 }, (_, n) => ({
      id: `i${n}`,
      name: `Incident ${n}`,
      status: n % 2 ? 'resolved' : 'investigating',
      impact: ['none', 'minor', 'major', 'critical'][n % 4],
      created_at: new Date(Date.parse('2026-01-01T00:00:00Z') + n * 60_000).toISOString(),
      incident_updates: [{ status: 'investigating', body: `<p>update ${n}</p>`, created_at: '2026-01-01T00:00:00Z' }],
    }));
    const body = JSON.stringify({ page: { id: 'x', url: 'https://s.example' }, status: { indicator: 'critical' }, components: [], incidents });
    const r = page(normalizeStatusPage('statuspage', [{ role: 'main', url: 'https://s.example/api/v2/summary.json', body }], { now: NOW }));
    expect(r.incidents).toHaveLength(10_000);
    expect(r.incidents[0].id).toBe('i9999'); // newest first
    expect(r.incidents.filter((i) => i.status === 'investigating')).toHaveLength(5_000);
    expect(r.indicator).toBe('major_outage');
  });
});

describe('auto', () => {
  const cases: Array<[string, string, string]> = [
    ['statuspage-summary.json', 'https://s.example/api/v2/summary.json', 'statuspage'],
    ['incidentio-summary.json', 'https://s.example/api/v1/summary', 'incidentio'],
    ['instatus-summary.json', 'https://s.example/summary.json', 'instatus'],
    ['statusio-status.json', 'https://api.status.io/1.0/status/x', 'statusio'],
    ['gcp-incidents.json', 'https://status.cloud.google.com/incidents.json', 'gcp'],
    ['rss-feed.xml', 'https://s.example/history.rss', 'rss'],
    ['rss-empty.xml', 'https://s.example/feed', 'rss'],
    ['atom-feed.xml', 'https://s.example/history.atom', 'atom'],
  ];
  it.each(cases)('detects %s (%s) as %s', (file, url, format) => {
    expect(page(normalizeStatusPage('auto', [doc('main', url, file)], { now: NOW })).format).toBe(format);
  });

  it('explains an HTML page it cannot detect', () => {
    const r = normalizeStatusPage('auto', [doc('main', 'https://status.example', 'html-error.html')], { now: NOW });
    expect(r).toMatchObject({ ok: false, html: true });
    expect(r.ok === false && r.error).toMatch(/got an HTML page; cannot detect a status format/);
  });

  it('asks for a format when the JSON is unknown', () => {
    const r = normalizeStatusPage('auto', [{ role: 'main', url: 'https://s.example/x.json', body: '{"hello":"world"}' }], { now: NOW });
    expect(r.ok === false && r.error).toMatch(/set "format" in the catalog/);
  });
});

describe('Statuspage with platform groups that share child names', () => {
  // 12 marketplaces x 22 components of the same names, plus 7 ungrouped: 271 components.
  const p = page(
    normalizeStatusPage('statuspage', [doc('main', 'https://status.marketplaces.example/api/v2/summary.json', 'statuspage-platforms-summary.json')], {
      now: NOW,
    })
  );

  it('keeps every component, keyed by id, labelled Group / Name', () => {
    expect(p.components).toHaveLength(271);
    expect(new Set(p.components.map((c) => c.id)).size).toBe(271);
    expect(new Set(p.components.map(componentLabel)).size).toBe(271);
    expect(p.components.filter((c) => c.name === 'Payments')).toHaveLength(12);
    const labels = byLabel(p);
    expect(labels['Marketplace Spain / Payments']).toBe('major_outage');
    expect(labels['Marketplace France / Payments']).toBe('operational');
    expect(labels['Marketplace Spain / Checkout']).toBe('partial_outage');
    expect(labels['Marketplace Italy / Search']).toBe('degraded');
    expect(labels['Marketplace Germany / Search']).toBe('operational');
    expect(labels['Marketplace France / Image upload']).toBe('maintenance');
    expect(labels['Developer portal']).toBe('operational');
    // The group rows repeat their members' worst status and are not components of their own.
    expect(labels['Marketplace Spain']).toBeUndefined();
  });

  it("names an incident's components by label, from the incident's group_id or the page's list", () => {
    expect(p.incidents.find((i) => i.id === 'spn4pay7x1')!.components).toEqual(['Marketplace Spain / Payments', 'Marketplace Spain / Checkout']);
    expect(p.incidents.find((i) => i.id === 'itl8srch2')!.components).toEqual(['Marketplace Italy / Search']);
    expect(p.maintenances[0].components).toEqual(['Marketplace France / Image upload']);
  });

  it('lets statusComponents name a grouped component, a unique name or a whole group, and refuses to guess', () => {
    expect(apiProviderStatus(['Marketplace France / Payments'], p)).toMatchObject({ status: 'operational', unmatched: [], ambiguous: [] });
    expect(apiProviderStatus(['marketplace spain/payments'], p).status).toBe('major_outage');
    expect(apiProviderStatus(['Developer portal'], p).status).toBe('operational');
    expect(apiProviderStatus(['Marketplace Spain'], p)).toMatchObject({ status: 'major_outage' });
    expect(apiProviderStatus(['Marketplace Spain'], p).components).toHaveLength(22);
    const plain = apiProviderStatus(['Payments'], p);
    expect(plain.status).toBe('unknown');
    expect(plain.components).toEqual([]);
    expect(plain.ambiguous).toEqual([{ name: 'Payments', candidates: expect.arrayContaining(['Marketplace Spain / Payments', 'Marketplace France / Payments']) }]);
    expect(plain.ambiguous[0].candidates).toHaveLength(12);
    // An ambiguous name next to a good one: the good one decides, the ambiguous one is reported.
    expect(apiProviderStatus(['Payments', 'Marketplace Germany / Payments'], p)).toMatchObject({ status: 'operational', ambiguous: [{ name: 'Payments' }] });
  });
});

describe("Statuspage's status.json and components.json as the only document", () => {
  it('reads status.json: the indicator, no components', () => {
    const body = JSON.stringify({
      page: { id: 'mkt7pg0x2k9q', name: 'Marketplaces', url: 'https://status.marketplaces.example', time_zone: 'Europe/Berlin', updated_at: '2026-11-24T08:41:05.902Z' },
      status: { indicator: 'minor', description: 'Minor Service Outage' },
    });
    for (const format of ['statuspage', 'auto'] as const) {
      const r = page(normalizeStatusPage(format, [{ role: 'main', url: 'https://status.marketplaces.example/api/v2/status.json', body }], { now: NOW }));
      expect(r).toEqual({ format: 'statuspage', indicator: 'degraded', components: [], incidents: [], maintenances: [] });
    }
  });

  it('reads components.json: components with groups, the indicator derived from them', () => {
    const summary = JSON.parse(fixture('statuspage-platforms-summary.json')) as Record<string, unknown>;
    const body = JSON.stringify({ page: summary.page, components: summary.components });
    for (const format of ['statuspage', 'auto'] as const) {
      const r = page(normalizeStatusPage(format, [{ role: 'main', url: 'https://status.marketplaces.example/api/v2/components.json', body }], { now: NOW }));
      expect(r.format).toBe('statuspage');
      expect(r.components).toHaveLength(271);
      expect(byLabel(r)['Marketplace Spain / Payments']).toBe('major_outage');
      expect(r.indicator).toBe('major_outage');
    }
  });
});

describe('Statuspage-style RSS: updates under headings', () => {
  const p = page(normalizeStatusPage('rss', [doc('main', 'https://status.chatwire.example/history.rss', 'rss-statuspage.xml')], { now: NOW }));
  const item = (id: string) => [...p.incidents, ...p.maintenances].find((i) => i.id === `https://status.chatwire.example/incidents/${id}`)!;

  it('takes the status from the newest heading: Postmortem then Resolved is resolved, whatever the text says', () => {
    const pm = item('pm1');
    expect(p.incidents).toContain(pm); // its postmortem mentions "maintenance": still an incident
    expect(pm.status).toBe('resolved');
    expect(pm.updates.map((u) => u.status)).toEqual(['postmortem', 'resolved', 'monitoring', 'identified', 'investigating']);
    expect(pm.updates[0].text).toMatch(/^On November 18 a broker node failed[\s\S]*drains nodes first\.$/);
  });

  it('dates the start from the earliest update stamp and the end from the Resolved stamp', () => {
    const pm = item('pm1');
    expect(pm.startedAt).toBe(Date.parse('2026-11-18T13:12:00Z')); // Nov 18, 05:12 PST
    expect(pm.resolvedAt).toBe(Date.parse('2026-11-18T15:05:00Z')); // not the postmortem's pubDate three days later
    expect(pm.updates[0].at).toBe(Date.parse('2026-11-21T18:30:00Z'));
  });

  it('infers the year of each stamp across a year boundary', () => {
    const ny = item('ny1');
    expect(ny).toMatchObject({ status: 'resolved', startedAt: Date.parse('2025-12-31T23:40:00Z'), resolvedAt: Date.parse('2026-01-01T00:25:00Z') });
    expect(ny.updates.map((u) => u.status)).toEqual(['resolved', 'update', 'investigating']);
  });

  it('files an item as incident or maintenance by its headings and window, not by words in the text', () => {
    expect(p.incidents.map((i) => i.id.split('/').pop())).toEqual(['pm1', 'ny1', 'wh1', 'ist1', 'wita1', 'odd1']);
    expect(p.maintenances.map((i) => i.id.split('/').pop())).toEqual(['mnt-db', 'mnt-fra']);
    const wh = item('wh1'); // "planned maintenance" in an Identified update
    expect(wh).toMatchObject({ status: 'resolved', impact: 'minor' });
  });

  it('reads a scheduled event: its window is the start and the announced end, open until it has passed', () => {
    const db = item('mnt-db');
    expect(db).toMatchObject({
      status: 'scheduled',
      impact: 'maintenance',
      startedAt: Date.parse('2026-11-29T06:00:00Z'), // Nov 28, 22:00 PST
      scheduledUntil: Date.parse('2026-11-29T10:00:00Z'), // Nov 29, 02:00 PST
      resolvedAt: null,
    });
    const fra = item('mnt-fra');
    expect(fra).toMatchObject({
      status: 'completed',
      startedAt: Date.parse('2026-11-20T01:00:00Z'), // 02:00 CET
      scheduledUntil: Date.parse('2026-11-20T03:00:00Z'),
      resolvedAt: Date.parse('2026-11-20T03:02:00Z'), // the Completed stamp
    });
    expect(fra.updates.map((u) => u.status)).toEqual(['completed', 'verifying', 'in_progress', 'scheduled']);
  });

  it('reads 12-hour times, numeric zones and calibrates a zone it does not know against the item date', () => {
    expect(item('wh1')).toMatchObject({ startedAt: Date.parse('2026-11-22T14:15:00Z'), resolvedAt: Date.parse('2026-11-22T15:10:00Z') }); // 9:15 AM EST
    expect(item('ist1')).toMatchObject({ startedAt: Date.parse('2026-11-19T11:10:00Z'), resolvedAt: Date.parse('2026-11-19T12:40:00Z') }); // +03
    expect(item('wita1')).toMatchObject({ startedAt: Date.parse('2026-11-16T01:30:00Z'), resolvedAt: Date.parse('2026-11-16T02:00:00Z') }); // WITA = +08
  });

  it('keeps updates whose stamps cannot be read, dated by the item', () => {
    const odd = item('odd1');
    expect(odd.status).toBe('identified');
    expect(odd.updates.map((u) => [u.status, u.at])).toEqual([
      ['identified', Date.parse('2026-11-24T08:00:00Z')],
      ['investigating', Date.parse('2026-11-24T08:00:00Z')],
    ]);
  });
});

describe('Statuspage-style Atom', () => {
  const p = page(normalizeStatusPage('atom', [doc('main', 'https://status.chatwire.example/history.atom', 'atom-statuspage.xml')], { now: NOW }));

  it('ends an incident at its Resolved update, not at <updated> moved by a later postmortem', () => {
    const pm = p.incidents.find((i) => i.id.endsWith('Incident/26001'))!;
    expect(pm).toMatchObject({
      status: 'resolved',
      startedAt: Date.parse('2026-11-18T13:12:00Z'),
      resolvedAt: Date.parse('2026-11-18T15:05:00Z'),
    });
  });

  it('skips "Update" headings for the state', () => {
    const open = p.incidents.find((i) => i.id.endsWith('Incident/26002'))!;
    expect(open).toMatchObject({ status: 'identified', resolvedAt: null, startedAt: Date.parse('2026-11-24T07:30:00Z') });
    expect(p.indicator).toBe('degraded'); // "latency": minor
  });

  it('files a scheduled event as a maintenance that does not colour the page before it starts', () => {
    expect(p.maintenances.map((m) => [m.title, m.status])).toEqual([['Database upgrade', 'scheduled']]);
  });
});
