import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseCatalog } from './parse';
import { parseDuration, formatDuration } from '../units';

const nameArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);

describe('parseCatalog properties', () => {
  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = parseCatalog(text, 'x.yaml');
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 }
    );
  });

  it('never throws on arbitrary YAML structures, and every issue names a path', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseCatalog(stringify(value), 'x.yaml');
        if (!result.ok) {
          for (const issue of result.issues) {
            expect(issue.file).toBe('x.yaml');
            expect(issue.path.length).toBeGreaterThan(0);
            expect(issue.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 }
    );
  });

  it('accepts every well-formed catalog and keeps its names and explicit values', () => {
    const apiArb = fc.record({
      name: nameArb,
      criticality: fc.constantFrom('critical', 'standard', 'background'),
      timeoutMs: fc.integer({ min: 1, max: 2000 }),
      latencyMs: fc.integer({ min: 1, max: 10_000 }),
      errorPct: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(apiArb, { selector: (a) => a.name, minLength: 1, maxLength: 5 }), (apis) => {
        const doc = {
          providers: [{ name: 'p' }],
          apis: apis.map((a) => ({
            name: a.name,
            provider: 'p',
            criticality: a.criticality,
            owner: 'team',
            timeout: `${a.timeoutMs}ms`,
            interval: '1h',
            thresholds: { latencyP95: `${a.latencyMs}ms`, errorRate: `${a.errorPct}%` },
            endpoints: [{ name: "e", url: `https://api.example.test/${a.name}/health` }],
          })),
        };
        const result = parseCatalog(stringify(doc));
        expect(result.ok).toBe(true);
        if (result.ok) {
          result.catalog.apis.forEach((api, i) => {
            expect(api.name).toBe(apis[i].name);
            expect(api.timeoutMs).toBe(apis[i].timeoutMs);
            expect(api.thresholds.latencyP95Ms).toBe(apis[i].latencyMs);
            expect(api.thresholds.errorRatio).toBeCloseTo(apis[i].errorPct / 100, 10);
          });
        }
      }),
      { numRuns: 200 }
    );
  });

  it('formats and parses durations back to the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 86_400 }), (seconds) => {
        expect(parseDuration(formatDuration(seconds * 1000))).toBe(seconds * 1000);
      })
    );
  });
});
