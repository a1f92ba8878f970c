// The sandbox's advisory feeds read with apimon's own parser, in every format.
import { parseAdvisoryFeed } from '@apimon/core';
import { ADVISORY_FORMATS, ADVISORY_SEEDS, renderAdvisories } from './advisories';
import { createSandbox, type Sandbox } from './server';

let sb: Sandbox;
beforeAll(async () => {
  sb = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
});
afterAll(() => sb.close());

describe('sandbox advisory feeds', () => {
  it.each(ADVISORY_FORMATS)('serves %s that apimon reads back with ids, titles, links and dates', async (format) => {
    const res = await fetch(`${sb.url}/acme-pay/advisories.${format}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^".+"$/);
    const parsed = parseAdvisoryFeed(
      { url: res.url, body: await res.text(), contentType: res.headers.get('content-type') ?? undefined },
      'auto'
    );
    expect(parsed).toMatchObject({ ok: true, format, warnings: [] });
    if (parsed.ok) {
      expect(parsed.items.map((i) => i.id)).toEqual(ADVISORY_SEEDS['acme-pay'].map((s) => s.id));
      expect(parsed.items[0].link).toBe(`${sb.url}/acme-pay/advisories/acme-pay-sec-key-rotation`);
      expect(Date.now() - parsed.items[0].publishedAt!).toBeGreaterThan(2 * 86_400_000 - 60_000);
    }
  });

  it('escapes what XML needs escaped', () => {
    const { body } = renderAdvisories('acme-pay', 'Acme <Pay> & Co', 'rss', 'http://x', 0);
    expect(body).toContain('<title>Acme &lt;Pay&gt; &amp; Co advisories</title>');
  });
});
