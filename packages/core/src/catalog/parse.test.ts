import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue, parseCatalog } from './parse';

const minimal = (api: string) => `
providers:
  - name: acme
apis:
${api}`;

describe('parseCatalog', () => {
  it('accepts the example catalog and resolves defaults', () => {
    const text = readFileSync(join(__dirname, '../../../../catalog.example.yaml'), 'utf8');
    const result = parseCatalog(text, 'catalog.example.yaml');
    if (!result.ok) {
      throw new Error(result.issues.map(formatIssue).join('\n'));
    }
    const payments = result.catalog.apis.find((a) => a.name === 'payments')!;
    expect(payments.timeoutMs).toBe(2000);
    expect(payments.intervalMs).toBe(15000);
    expect(payments.thresholds).toEqual({ latencyP95Ms: 200, errorRatio: 0.02, headroomRatio: 0.2, usageRatio: 0.8 });
    expect(payments.rateLimit).toEqual({ limit: 100, windowMs: 1000, probeShare: 0.05 });
    expect(payments.endpoints[0].expect).toEqual({
      status: [200],
      maxBytes: 1_000_000,
      bodyContains: undefined,
      jsonKeys: undefined,
    });
    const adFeed = result.catalog.apis.find((a) => a.name === 'ad-feed')!;
    expect(adFeed.thresholds.latencyP95Ms).toBe(2000); // background default
    expect(result.catalog.location).toBe('local');
  });

  it('takes criticality defaults when the catalog is silent', () => {
    const result = parseCatalog(
      minimal(`  - name: pay
    provider: acme
    criticality: critical
    owner: team
    endpoints: [{ name: a, url: "https://api.acme.test/v1" }]`)
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      const api = result.catalog.apis[0];
      expect(api.timeoutMs).toBe(2000);
      expect(api.thresholds.latencyP95Ms).toBe(200);
      expect(api.endpoints[0].timeoutMs).toBe(2000);
      expect(api.auth).toEqual({ type: 'none' });
    }
  });

  it('names file, line, field path and bad value, and suggests misspelt keys', () => {
    const result = parseCatalog(
      minimal(`  - name: pay
    provider: acme
    criticality: critcal
    owner: team
    timout: 2s
    endpoints: [{ name: a, url: "https://api.acme.test/v1", timeout: "2 secs" }]`),
      'cat.yaml'
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const lines = result.issues.map(formatIssue);
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^cat\.yaml:7:18: apis\[0\]\.criticality: must be one of .*did you mean "critical"\? \(got "critcal"\)$/
        )
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/^cat\.yaml:9:5: apis\[0\]\.timout: unknown field "timout"; did you mean "timeout"\?$/)
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/apis\[0\]\.endpoints\[0\]\.timeout: must be a duration .*\(got "2 secs"\)$/)
      );
    }
  });

  it('refuses literal secrets without echoing them', () => {
    const result = parseCatalog(
      minimal(`  - name: pay
    provider: acme
    criticality: critical
    owner: team
    auth: { type: bearer, token: sk_live_supersecret }
    endpoints:
      - name: a
        url: "https://user:hunter2@api.acme.test/v1?api_key=abc"
        headers: { Authorization: "Bearer sk_live_supersecret" }`)
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const text = result.issues.map(formatIssue).join('\n');
      expect(text).toContain('apis[0].auth.token: literal secret');
      expect(text).toContain('headers.Authorization: header "Authorization" carries a credential');
      expect(text).toContain('URL contains credentials');
      expect(text).toContain('query parameter "api_key"');
      expect(text).not.toContain('supersecret');
      expect(text).not.toContain('hunter2');
    }
  });

  it('checks references and uniqueness', () => {
    const result = parseCatalog(`
providers: [{ name: acme }]
apis:
  - { name: pay, provider: acmee, criticality: standard, owner: t, endpoints: [{ name: a, url: "http://x.test" }, { name: a, url: "http://y.test" }] }
  - { name: pay, provider: acme, criticality: standard, owner: t, endpoints: [{ name: a, url: "http://x.test" }] }
`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const text = result.issues.map(formatIssue).join('\n');
      expect(text).toContain(
        'apis[0].provider: unknown provider; declare it under "providers" or did you mean "acme"? (got "acmee")'
      );
      expect(text).toContain('apis[0].endpoints[1].name: duplicate endpoint name');
      expect(text).toContain('apis[1].name: duplicate API name');
    }
  });

  it('takes statusComponents as names, "Group / Name" or groups, and names a half-written one', () => {
    const catalog = (components: string) =>
      parseCatalog(`
providers: [{ name: acme }]
apis:
  - { name: pay, provider: acme, criticality: standard, owner: t, statusComponents: ${components}, endpoints: [{ name: a, url: "http://x.test" }] }
`);
    const good = catalog('[API, "Marketplace Spain / Card payments", "TCP/IP gateway", Marketplace Spain]');
    expect(good.ok && good.catalog.apis[0].statusComponents).toEqual(['API', 'Marketplace Spain / Card payments', 'TCP/IP gateway', 'Marketplace Spain']);
    const bad = catalog('[API, "Marketplace Spain / ", ""]');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      const text = bad.issues.map(formatIssue).join('\n');
      expect(text).toContain('apis[0].statusComponents[1]: must name a status-page component: "Name", or "Group / Name" for a component in a group (got "Marketplace Spain / ")');
      expect(text).toContain('apis[0].statusComponents[2]: must name a status-page component');
    }
  });

  it('takes prober.timingTolerance as a duration between 10ms and 1m, 50ms by default', () => {
    const catalog = (prober: string) =>
      parseCatalog(
        `${prober}
providers: [{ name: acme }]
apis:
  - { name: pay, provider: acme, criticality: standard, owner: t, endpoints: [{ name: a, url: "http://x.test" }] }
`,
        'cat.yaml'
      );
    const byDefault = catalog('');
    expect(byDefault.ok && byDefault.catalog.prober.timingToleranceMs).toBe(50);
    const set = catalog('prober: { timingTolerance: 120ms }');
    expect(set.ok && set.catalog.prober.timingToleranceMs).toBe(120);
    for (const [value, message] of [
      ['5ms', 'prober.timingTolerance: must be between 10ms'],
      ['2m', 'prober.timingTolerance: must be between 10ms'],
      ['soon', 'prober.timingTolerance: must be a duration'],
    ]) {
      const bad = catalog(`prober: { timingTolerance: ${value} }`);
      expect(bad.ok).toBe(false);
      if (!bad.ok) {
        const text = bad.issues.map(formatIssue).join('\n');
        expect(text).toContain(message);
        expect(text).toMatch(/^cat\.yaml:1:28: /);
        expect(text).toContain(`(got "${value}")`);
      }
    }
  });

  it('reports YAML syntax errors with a line', () => {
    const result = parseCatalog('apis:\n  - name: [unclosed\n', 'broken.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues[0].file).toBe('broken.yaml');
      expect(result.issues[0].line).toBeGreaterThan(0);
      expect(result.issues[0].message).toMatch(/^invalid YAML/);
    }
  });

  it('names the type a field should have had, in the words of the docs', () => {
    const result = parseCatalog(
      minimal(`  - name: pay
    provider: acme
    criticality: critical
    owner: [team-a]
    statusComponents: API
    endpoints: [{ name: a, url: "https://api.acme.example/" }]`),
      'types.yaml'
    );
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([
      'types.yaml:8:12: apis[0].owner: must be text (got a list of 1)',
      'types.yaml:9:23: apis[0].statusComponents: must be a list (got "API")',
    ]);
  });

  it('rejects an empty document clearly', () => {
    const result = parseCatalog('', 'empty.yaml');
    expect(result).toEqual({
      ok: false,
      issues: [expect.objectContaining({ path: '(root)', message: 'must be a mapping with at least an "apis" list' })],
    });
  });
});

describe('parseCatalog YAML edge cases', () => {
  it('reports an unresolved alias instead of throwing (found by the property test)', () => {
    const result = parseCatalog('*!', 'alias.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues[0].message).toMatch(/^invalid YAML: Unresolved alias/);
    }
  });
});

describe('parseCatalog: rateLimit header mapping', () => {
  const api = (rateLimit: string) =>
    minimal(`  - name: prices
    provider: acme
    criticality: standard
    owner: team
    rateLimit: ${rateLimit}
    endpoints: [{ name: a, url: "https://api.acme.test/v1" }]`);

  it('accepts a mapping without a documented limit and resolves lowercase names', () => {
    const result = parseCatalog(
      api(
        '{ headers: { limit: X-Rate-Limit-Limit, remaining: X-Rate-Limit-Remaining, reset: X-Rate-Limit-Reset, retryAfter: X-Retry-In }, resetUnit: milliseconds, probeShare: 2% }'
      )
    );
    if (!result.ok) {
      throw new Error(result.issues.map(formatIssue).join('\n'));
    }
    const resolved = result.catalog.apis[0];
    expect(resolved.rateLimit).toBeUndefined();
    expect(resolved.probeShare).toBe(0.02);
    expect(resolved.rateLimitHeaders).toEqual({
      limit: 'x-rate-limit-limit',
      remaining: 'x-rate-limit-remaining',
      reset: 'x-rate-limit-reset',
      retryAfter: 'x-retry-in',
      resetUnit: 'milliseconds',
    });
  });

  it('keeps a documented limit next to the mapping', () => {
    const result = parseCatalog(api('{ limit: 10000, window: 1h, headers: { reset: X-Rate-Limit-Reset } }'));
    expect(result.ok && result.catalog.apis[0]).toMatchObject({
      rateLimit: { limit: 10000, windowMs: 3_600_000, probeShare: 0.05 },
      rateLimitHeaders: { reset: 'x-rate-limit-reset' },
      probeShare: undefined,
    });
  });

  it.each([
    [
      'a misspelt reset unit',
      '{ headers: { reset: X-Reset }, resetUnit: miliseconds }',
      /^cat\.yaml:9:58: apis\[0\]\.rateLimit\.resetUnit: must be one of "seconds", "milliseconds", .*; did you mean "milliseconds"\? \(got "miliseconds"\)$/,
    ],
    [
      'a misspelt header field',
      '{ headers: { remainig: X-Left } }',
      /^cat\.yaml:9:29: apis\[0\]\.rateLimit\.headers\.remainig: unknown field "remainig"; did you mean "remaining"\?$/,
    ],
    [
      'a header name with a space',
      '{ headers: { reset: "X Rate Reset" } }',
      /^cat\.yaml:9:36: apis\[0\]\.rateLimit\.headers\.reset: must be an HTTP header name .*\(got "X Rate Reset"\)$/,
    ],
    [
      'a reset unit without a reset header',
      '{ headers: { remaining: X-Left }, resetUnit: seconds }',
      /^cat\.yaml:9:61: apis\[0\]\.rateLimit\.resetUnit: says how to read headers\.reset: name that header too \(got "seconds"\)$/,
    ],
    [
      'an empty mapping',
      '{ headers: {} }',
      /^cat\.yaml:9:27: apis\[0\]\.rateLimit\.headers: must name at least one header/,
    ],
    [
      'one header for two fields',
      '{ headers: { limit: X-Quota, remaining: x-quota } }',
      /^cat\.yaml:9:56: apis\[0\]\.rateLimit\.headers\.remaining: names the same header as headers\.limit \(got "x-quota"\)$/,
    ],
    [
      'a limit without its window',
      '{ limit: 100 }',
      /^cat\.yaml:9:16: apis\[0\]\.rateLimit\.window: is required with limit/,
    ],
    [
      'neither a limit nor headers',
      '{ probeShare: 2% }',
      /^cat\.yaml:9:16: apis\[0\]\.rateLimit\.limit: is required: document the limit \(limit and window\) or name the headers \(headers\)$/,
    ],
  ])('reports %s with file, line, column, field path and value', (_name, rateLimit, expected) => {
    const result = parseCatalog(api(rateLimit), 'cat.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map(formatIssue)).toEqual([expect.stringMatching(expected)]);
    }
  });
});

describe('what the audit reads from the catalog', () => {
  const catalog = (extra: { provider?: string; api?: string; prober?: string; url?: string }) => `${extra.prober ?? ''}
providers:
  - name: acme
${extra.provider ?? ''}
apis:
  - name: maps
    provider: acme
    criticality: critical
    owner: t
${extra.api ?? ''}
    endpoints: [{ name: a, url: "${extra.url ?? 'https://maps.acme.test/geocode?address=x'}" }]
  - { name: maps-backup, provider: acme, criticality: standard, owner: t, endpoints: [{ name: a, url: "https://b.acme.test" }] }
`;
  const issues = (text: string) => {
    const r = parseCatalog(text, 'cat.yaml');
    return r.ok ? [] : r.issues.map(formatIssue);
  };

  it('resolves query auth, fallback, capabilities, advisories and the scheduled audit', () => {
    const r = parseCatalog(
      catalog({
        prober: 'prober: { advisoryWindow: 14d, audit: { prometheus: "http://prometheus:9090", interval: 6h } }',
        provider: '    advisories: [{ url: "https://acme.test/security.atom", acknowledged: [ "tag:acme.test,2025:1" ] }, { url: "https://acme.test/changelog.json", format: json, interval: 30m }]',
        api: '    auth: { type: query, param: key, secretEnv: MAPS_API_KEY }\n    fallback: { type: api, api: maps-backup }\n    capabilities: { batching: true }',
      }),
      'cat.yaml'
    );
    if (!r.ok) {
      throw new Error(r.issues.map(formatIssue).join('\n'));
    }
    const maps = r.catalog.apis[0];
    expect(maps.auth).toEqual({ type: 'query', param: 'key', secretEnv: 'MAPS_API_KEY' });
    expect(maps.fallback).toEqual({ type: 'api', api: 'maps-backup' });
    expect(maps.capabilities).toEqual({ batching: true, fieldSelection: false });
    expect(r.catalog.apis[1].capabilities).toEqual({ batching: false, fieldSelection: false });
    expect(r.catalog.providers[0].advisories).toEqual([
      { url: 'https://acme.test/security.atom', format: 'auto', intervalMs: 3_600_000, timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, acknowledged: ['tag:acme.test,2025:1'] },
      { url: 'https://acme.test/changelog.json', format: 'json', intervalMs: 1_800_000, timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, acknowledged: [] },
    ]);
    expect(r.catalog.prober.advisoryWindowMs).toBe(14 * 86_400_000);
    expect(r.catalog.prober.audit).toEqual({ prometheusUrl: 'http://prometheus:9090', intervalMs: 6 * 3_600_000, windowMs: 30 * 86_400_000 });
  });

  it('names the field path of every mistake', () => {
    expect(issues(catalog({ api: '    auth: { type: query, param: "a key", secretEnv: MAPS_API_KEY }' }))).toEqual([
      expect.stringMatching(/^cat\.yaml:\d+:\d+: apis\[0\]\.auth\.param: must be a query parameter name such as "key" or "api_key" \(got "a key"\)$/),
    ]);
    expect(issues(catalog({ api: '    auth: { type: query, param: address, secretEnv: MAPS_API_KEY }' }))).toEqual([
      expect.stringMatching(/apis\[0\]\.endpoints\[0\]\.url: has the query parameter "address" that auth\.param names; the prober adds it with the secret, leave it out of the URL$/),
    ]);
    expect(issues(catalog({ api: '    fallback: { type: api, api: maps-backpu }' }))).toEqual([
      expect.stringMatching(/apis\[0\]\.fallback\.api: unknown API; declare it under "apis" or did you mean "maps-backup"\? \(got "maps-backpu"\)$/),
    ]);
    expect(issues(catalog({ api: '    fallback: { type: api, api: maps }' }))).toEqual([expect.stringMatching(/apis\[0\]\.fallback\.api: names the API itself/)]);
    expect(issues(catalog({ api: '    fallback: { type: spare }' }))).toEqual([expect.stringMatching(/apis\[0\]\.fallback\.type: must be one of "api", "cache", "queue"/)]);
    expect(issues(catalog({ api: '    capabilities: { batchng: true }' }))).toEqual([
      expect.stringMatching(/apis\[0\]\.capabilities\.batchng: unknown field "batchng"; did you mean "batching"\?$/),
    ]);
    expect(issues(catalog({ provider: '    advisories: [{ url: "feed.xml", format: jsonfeed }]' }))).toEqual([
      expect.stringMatching(/providers\[0\]\.advisories\[0\]\.url: must be an absolute http/),
      expect.stringMatching(/providers\[0\]\.advisories\[0\]\.format: must be one of "auto", "rss", "atom", "json"/),
    ]);
    expect(issues(catalog({ provider: '    advisories: [{ url: "https://a.test/f", acknowledged: [" "] }]' }))).toEqual([
      expect.stringMatching(/providers\[0\]\.advisories\[0\]\.acknowledged\[0\]: must name an item by its id or link/),
    ]);
    expect(issues(catalog({ prober: 'prober: { audit: { interval: 1h } }' }))).toEqual([expect.stringMatching(/prober\.audit\.prometheus: is required$/)]);
  });

  it('still refuses a key written into the URL', () => {
    expect(issues(catalog({ url: 'https://maps.acme.test/geocode?key=AIzaSyD-literal' }))[0]).toMatch(
      /apis\[0\]\.endpoints\[0\]\.url: URL query parameter "key" looks like a credential/
    );
  });
});
