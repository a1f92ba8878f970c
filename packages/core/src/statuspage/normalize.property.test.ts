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
    expect(i.startedAt === null || Number.isFinite(i.startedAt)).toBe(true);
    expect(i.resolvedAt === null || Number.isFinite(i.resolvedAt)).toBe(true);
    for (const u of i.updates) {
      expect(Number.isFinite(u.at)).toBe(true);
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
