import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAdvisoryFeed } from './parse';
import { MAX_ADVISORY_ITEMS } from './types';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const doc = (name: string, url = 'https://feeds.example/feed') => ({ url, body: fixture(name) });

describe('advisory feeds', () => {
  it('reads RSS 2.0: guid or link as id, HTML out of titles, odd dates, relative links', () => {
    const r = parseAdvisoryFeed(doc('rss-security.xml', 'https://acme-pay.example/security.rss'), 'auto');
    if (!r.ok) {
      throw new Error(r.error);
    }
    expect(r.format).toBe('rss');
    expect(
      r.items.map((i) => [i.id, i.title, i.publishedAt === null ? null : new Date(i.publishedAt).toISOString()])
    ).toEqual([
      ['acme-pay-sec-2025-06', 'Rotate API keys created before June 2025', '2025-06-10T14:03:00.000Z'],
      [
        'https://acme-pay.example/security/tls-deprecation',
        'TLS 1.0 and 1.1 are switched off on 1 September',
        '2025-06-02T07:00:00.000Z',
      ],
      ['https://acme-pay.example/security/pci-2024', '2024 PCI DSS attestation available', '2024-11-20T10:00:00.000Z'],
      [expect.stringMatching(/^sha:[0-9a-f]{8}$/), 'Scheduled review of webhook signing', null],
    ]);
    expect(r.items[0].summary).toBe(
      'A logging defect may have recorded API keys in request logs. Rotate keys created before 2025-06-01.'
    );
    expect(r.items[2].link).toBe('https://acme-pay.example/security/pci-2024');
    expect(r.warnings).toEqual(['1 item(s) without a readable date: they count from when apimon first saw them']);
    // The generated id is stable across fetches.
    const again = parseAdvisoryFeed(doc('rss-security.xml', 'https://acme-pay.example/security.rss'), 'rss');
    expect(again.ok && again.items[3].id).toBe(r.items[3].id);
  });

  it('reads Atom: alternate links, html titles, published else updated', () => {
    const r = parseAdvisoryFeed(doc('atom-changelog.xml'), 'auto');
    expect(r).toMatchObject({
      ok: true,
      format: 'atom',
      items: [
        {
          id: 'tag:geoloc.example,2025:changelog/42',
          title: 'Deprecation: v1 geocode endpoint sunsets 2025-12-31',
          link: 'https://geoloc.example/changelog/42',
          publishedAt: Date.UTC(2025, 5, 12, 6),
        },
        {
          id: 'tag:geoloc.example,2025:changelog/41',
          title: 'Faster autocomplete',
          summary: 'p95 down by 30%.',
          publishedAt: Date.UTC(2025, 4, 30, 12),
        },
      ],
    });
  });

  it('reads JSON Feed: numeric 1.0 ids, text-only items, repeated ids once (the newest), junk items skipped', () => {
    const r = parseAdvisoryFeed(doc('jsonfeed.json'), 'auto');
    expect(r).toMatchObject({ ok: true, format: 'json' });
    if (r.ok) {
      expect(r.items.map((i) => [i.id, i.title])).toEqual([
        ['2025-06-11-dkim', 'DKIM keys longer than 1024 bits required from July (updated)'],
        ['1041', 'Maintenance of the EU relay on Saturday night; no action needed.'],
      ]);
    }
  });

  it('keeps the newest items of a huge feed, with a warning', () => {
    const items = Array.from({ length: MAX_ADVISORY_ITEMS + 100 }, (_, i) => ({
      id: `n${i}`,
      title: `Note ${i}`,
      date_published: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(),
    }));
    const r = parseAdvisoryFeed(
      { url: 'https://x.example/f.json', body: JSON.stringify({ version: 'https://jsonfeed.org/version/1', items }) },
      'json'
    );
    expect(r.ok && r.items.length).toBe(MAX_ADVISORY_ITEMS);
    expect(r.ok && r.items[0].id).toBe(`n${MAX_ADVISORY_ITEMS + 99}`);
    expect(r.ok && r.warnings[0]).toMatch(/^feed has 600 items; the newest 500 are kept$/);
  });

  it('says what is wrong with a document that is not a feed, naming the URL', () => {
    const html = parseAdvisoryFeed(
      { url: 'https://x.example/blog', body: '<!DOCTYPE html><html><head><title>Blog</title></head></html>' },
      'auto'
    );
    expect(html).toEqual({
      ok: false,
      error: 'https://x.example/blog: expected an RSS, Atom or JSON feed but got an HTML page titled "Blog"',
    });
    expect(parseAdvisoryFeed({ url: 'https://x.example/blog', body: '<html><body>x</body></html>' }, 'rss')).toEqual({
      ok: false,
      error: 'https://x.example/blog: expected an RSS feed but got an HTML page',
    });
    expect(parseAdvisoryFeed({ url: 'https://x.example/f', body: '{"items": []}' }, 'auto')).toEqual({
      ok: false,
      error:
        'https://x.example/f: not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1" with an "items" list)',
    });
    expect(parseAdvisoryFeed({ url: 'https://x.example/f', body: 'plain text' }, 'auto')).toEqual({
      ok: false,
      error: 'https://x.example/f: expected an RSS, Atom or JSON feed but got neither XML nor JSON',
    });
    expect(parseAdvisoryFeed({ url: 'https://x.example/f', body: fixture('rss-security.xml') }, 'atom')).toEqual({
      ok: false,
      error: 'https://x.example/f: not an Atom feed (no <feed> root element)',
    });
    const truncated = parseAdvisoryFeed(
      { url: 'https://x.example/f', body: fixture('atom-changelog.xml').slice(0, 400) },
      'auto'
    );
    expect(truncated.ok).toBe(false);
  });
});
