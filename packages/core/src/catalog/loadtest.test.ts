import { formatIssue, parseCatalog } from './parse';
import type { Catalog } from './types';

const catalog = (apiExtra: string, endpoints: string) => `
providers:
  - name: acme
apis:
  - name: pay
    provider: acme
    criticality: critical
    owner: team
${apiExtra}
    endpoints:
${endpoints}`;

function ok(text: string): Catalog {
  const result = parseCatalog(text, 'cat.yaml');
  if (!result.ok) {
    throw new Error(result.issues.map(formatIssue).join('\n'));
  }
  return result.catalog;
}

function problems(text: string): string[] {
  const result = parseCatalog(text, 'cat.yaml');
  if (result.ok) {
    throw new Error('expected the catalog to be refused');
  }
  return result.issues.map(formatIssue);
}

describe('catalog loadTest', () => {
  it('leaves endpoints without any loadTest unresolved (not allowed)', () => {
    const c = ok(catalog('', `      - { name: a, url: "https://api.acme.test/a" }`));
    expect(c.apis[0].endpoints[0].loadTest).toBeUndefined();
  });

  it('inherits the API block, overrides it field by field per endpoint and fills defaults', () => {
    const c = ok(
      catalog(
        `    loadTest: { allowed: true, maxRate: 100, abort: { errorRate: 10% } }`,
        `      - { name: a, url: "https://api.acme.test/a" }
      - name: b
        url: https://api.acme.test/b
        loadTest: { url: "https://staging.acme.test/b", maxRate: 20, rates: [5, 10, 20], stageDuration: 10s, abort: { rateLimited: 1% } }
      - { name: c, url: "https://api.acme.test/c", loadTest: { allowed: false } }`
      )
    );
    const [a, b, c2] = c.apis[0].endpoints;
    expect(a.loadTest).toEqual({
      allowed: true,
      url: undefined,
      maxRate: 100,
      maxConcurrency: 256,
      rates: undefined,
      stageDurationMs: 30_000,
      abort: { errorRatio: 0.1, rateLimitedRatio: 0.05 },
      sourcePath: ['apis', 0, 'loadTest'],
    });
    expect(b.loadTest).toMatchObject({
      allowed: true,
      url: 'https://staging.acme.test/b',
      maxRate: 20,
      rates: [5, 10, 20],
      stageDurationMs: 10_000,
      abort: { errorRatio: 0.1, rateLimitedRatio: 0.01 },
      sourcePath: ['apis', 0, 'endpoints', 1, 'loadTest'],
    });
    expect(c2.loadTest).toMatchObject({ allowed: false, sourcePath: ['apis', 0, 'endpoints', 2, 'loadTest'] });
  });

  it('requires maxRate where load is allowed, naming the block once', () => {
    expect(
      problems(catalog(`    loadTest: { allowed: true }`, `      - { name: a, url: "https://api.acme.test/a" }\n      - { name: b, url: "https://api.acme.test/b" }`))
    ).toEqual([
      'cat.yaml:9:15: apis[0].loadTest.maxRate: is required where loadTest.allowed is true: the most requests per second apimon may ever send',
    ]);
  });

  it('refuses default rates above maxRate, a staging URL on the API and out-of-range stages', () => {
    const issues = problems(
      catalog(
        `    loadTest: { allowed: true, maxRate: 50, rates: [10, 80], url: "https://staging.acme.test" }`,
        `      - { name: a, url: "https://api.acme.test/a", loadTest: { stageDuration: 100ms } }`
      )
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringContaining('apis[0].loadTest.rates[1]: is above maxRate 50 requests per second (got 80)'),
        expect.stringContaining('apis[0].loadTest.url: a staging URL belongs to one endpoint: set it under endpoints[].loadTest.url'),
        expect.stringContaining('apis[0].endpoints[0].loadTest.stageDuration: must be between 1s and 1h (got "100ms")'),
      ])
    );
  });

  it('reports misspelt and mistyped fields with the catalog error quality', () => {
    const issues = problems(
      catalog(`    loadTest: { allowd: true, maxRate: -5, abort: { rateLimted: 5% } }`, `      - { name: a, url: "https://api.acme.test/a" }`)
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/apis\[0\]\.loadTest\.allowd: unknown field "allowd"; did you mean "allowed"\?/),
        expect.stringMatching(/apis\[0\]\.loadTest\.maxRate: .*\(got -5\)/),
        expect.stringMatching(/apis\[0\]\.loadTest\.abort\.rateLimted: unknown field "rateLimted"; did you mean "rateLimited"\?/),
      ])
    );
  });
});
