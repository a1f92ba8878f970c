// Whatever a provider serves, the normaliser answers with a result, never a throw, and a
// successful result is always in the normal form.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statusPageFormats } from '../catalog/schema';
import { INCIDENT_IMPACTS } from '../contract';
import { normalizeStatusPage } from './normalize';
import type { NormalizeResult, StatusPageDocument } from './types';
import { INCIDENT_STATES, isStatusLevel } from './vocabulary';

const FIXTURES = [
  'statuspage-summary.json',
  'statuspage-incidents.json',
  'incidentio-summary.json',
  'instatus-summary.json',
  'instatus-components.json',
  'statusio-status.json',
  'gcp-incidents.json',
  'rss-feed.xml',
  'atom-feed.xml',
  'statuspage-platforms-summary.json',
  'rss-statuspage.xml',
  'atom-statuspage.xml',
].map((f) => readFileSync(join(__dirname, 'fixtures', f), 'utf8'));

function checkShape(result: NormalizeResult): void {
  if (!result.ok) {
    expect(typeof result.error).toBe('string');
    expect(result.error.length).toBeGreaterThan(0);
    // Only PayloadErrors are expected: the safety net in normalize must not be what catches.
    expect(result.error).not.toMatch(/^cannot read the status page/);
    return;
  }
  const p = result.page;
  expect(isStatusLevel(p.indicator)).toBe(true);
  for (const c of p.components) {
    expect(typeof c.name).toBe('string');
    expect(isStatusLevel(c.status)).toBe(true);
  }
  for (const i of [...p.incidents, ...p.maintenances]) {
    expect(typeof i.id).toBe('string');
    expect(typeof i.title).toBe('string');
    expect(INCIDENT_STATES).toContain(i.status);
    expect(INCIDENT_IMPACTS).toContain(i.impact);
    // Epoch ms a Date can hold, never before 1970.
    const isTime = (t: number | null | undefined) => t === null || t === undefined || (Number.isFinite(t) && t >= 0 && t <= 8.64e15);
    expect(isTime(i.startedAt)).toBe(true);
    expect(isTime(i.resolvedAt)).toBe(true);
    expect(isTime(i.scheduledUntil)).toBe(true);
    for (const u of i.updates) {
      expect(isTime(u.at)).toBe(true);
      expect(typeof u.text).toBe('string');
    }
  }
}

const formats = fc.constantFrom(...statusPageFormats);
const roles = fc.constantFrom('main' as const, 'incidents' as const, 'components' as const);

function run(format: (typeof statusPageFormats)[number], docs: StatusPageDocument[]): void {
  let result: NormalizeResult | undefined;
  expect(() => {
    result = normalizeStatusPage(format, docs, { now: Date.parse('2026-11-24T09:00:00Z') });
  }).not.toThrow();
  checkShape(result!);
}

jest.setTimeout(60_000);

describe('normalizeStatusPage never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(formats, fc.string({ maxLength: 300 }), (format, body) => {
        run(format, [{ role: 'main', url: 'https://s.example/x.json', body }]);
      }),
      { numRuns: 400 }
    );
  });

  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(formats, fc.jsonValue({ maxDepth: 5 }), roles, (format, value, role) => {
        const body = JSON.stringify(value) ?? 'null';
        run(format, [
          { role: 'main', url: 'https://s.example/x.json', body },
          { role, url: 'https://s.example/y.json', body },
        ]);
      }),
      { numRuns: 400 }
    );
  });

  it('on real payloads with fields replaced by arbitrary values', () => {
    const mutate = (value: unknown, path: number[], replacement: unknown): unknown => {
      if (path.length === 0 || value === null || typeof value !== 'object') {
        return replacement;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) {
        return replacement;
      }
      const [k, v] = entries[path[0] % entries.length];
      const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
      (copy as Record<string, unknown>)[k] = mutate(v, path.slice(1), replacement);
      return copy;
    };
    const jsonFixtures = FIXTURES.filter((f) => f.trimStart()[0] !== '<').map((f) => JSON.parse(f) as unknown);
    fc.assert(
      fc.property(
        formats,
        fc.constantFrom(...jsonFixtures),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)),
        (format, fixture, path, replacement) => {
          const body = JSON.stringify(mutate(fixture, path, replacement)) ?? '';
          run(format, [{ role: 'main', url: 'https://s.example/api/v2/summary.json', body }]);
        }
      ),
      { numRuns: 400 }
    );
  });

  it('on truncated and spliced real payloads, XML included', () => {
    fc.assert(
      fc.property(formats, fc.constantFrom(...FIXTURES), fc.nat(), fc.string({ maxLength: 20 }), (format, text, cut, junk) => {
        const at = cut % (text.length + 1);
        run(format, [{ role: 'main', url: 'https://s.example/feed', body: text.slice(0, at) + junk + text.slice(at + junk.length) }]);
      }),
      { numRuns: 400 }
    );
  });
});

describe('feed item bodies never break the feed', () => {
  // Bodies built from the pieces Statuspage-style feeds are made of, in any order and with any
  // values: stamps with odd dates, times and zones, headings, scheduled-event windows, text.
  const month = fc.constantFrom('Jan', 'Feb', 'Dec', 'December', 'Sept', 'Smarch', 'may', '');
  const zone = fc.constantFrom('UTC', 'PST', 'PDT', 'CET', 'GMT', 'EST', 'IST', 'WITA', '+03', '+0530', 'UTC+1', 'GMT-13:45', 'XX', '');
  const clock = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('', ' AM', ' pm'));
  const stampText = fc
    .tuple(month, fc.integer({ min: 0, max: 45 }), fc.option(fc.integer({ min: 1900, max: 2300 })), clock, zone)
    .map(([m, d, y, [h, mi, ap], z]) => `${m} ${d}${y === null ? '' : `, ${y}`}, ${h}:${String(mi).padStart(2, '0')}${ap} ${z}`);
  const heading = fc.constantFrom('Investigating', 'Identified', 'Monitoring', 'Resolved', 'Postmortem', 'Update', 'Scheduled', 'In progress', 'Verifying', 'Completed', 'Bogus');
  const piece = fc.oneof(
    fc.tuple(stampText, heading, fc.string({ maxLength: 40 })).map(([st, h, t]) => `<p><small>${st}</small><br><strong>${h}</strong> - ${t}</p>`),
    fc.tuple(stampText, stampText).map(([a, b]) => `<p><strong>THIS IS A SCHEDULED EVENT ${a} - ${b}</strong></p>`),
    fc.tuple(heading, fc.string({ maxLength: 40 })).map(([h, t]) => `<p><strong>${h}</strong> - ${t}</p>`),
    stampText.map((st) => `<p>Posted ${st}</p>`),
    fc.string({ maxLength: 60 }).map((t) => `<p>${t}</p>`)
  );
  const xmlEscape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const itemDate = fc.option(fc.date({ min: new Date('1999-12-01T00:00:00Z'), max: new Date('2100-01-31T00:00:00Z'), noInvalidDate: true }));

  it('in RSS and Atom', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.string({ maxLength: 30 }), itemDate, itemDate, (pieces, title, published, updated) => {
        const body = xmlEscape(pieces.join(''));
        const rss = `<rss version="2.0"><channel><item><title>${xmlEscape(title)}</title><guid>g1</guid><description>${body}</description>${
          updated ? `<pubDate>${updated.toUTCString()}</pubDate>` : ''
        }</item></channel></rss>`;
        run('rss', [{ role: 'main', url: 'https://s.example/history.rss', body: rss }]);
        const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e1</id><title>${xmlEscape(title)}</title>${
          published ? `<published>${published.toISOString()}</published>` : ''
        }${updated ? `<updated>${updated.toISOString()}</updated>` : ''}<content type="html">${body}</content></entry></feed>`;
        run('atom', [{ role: 'main', url: 'https://s.example/history.atom', body: atom }]);
      }),
      { numRuns: 400 }
    );
  });
});
