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
    expect(payments.thresholds).toEqual({ latencyP95Ms: 200, errorRatio: 0.02, headroomRatio: 0.2 });
    expect(payments.rateLimit).toEqual({ limit: 100, windowMs: 1000, probeShare: 0.05 });
    expect(payments.endpoints[0].expect).toEqual({ status: [200], maxBytes: 1_000_000, bodyContains: undefined, jsonKeys: undefined });
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
      expect(lines).toContainEqual(expect.stringMatching(/^cat\.yaml:7:18: apis\[0\]\.criticality: must be one of .*did you mean "critical"\? \(got "critcal"\)$/));
      expect(lines).toContainEqual(expect.stringMatching(/^cat\.yaml:9:5: apis\[0\]\.timout: unknown field "timout"; did you mean "timeout"\?$/));
      expect(lines).toContainEqual(expect.stringMatching(/apis\[0\]\.endpoints\[0\]\.timeout: must be a duration .*\(got "2 secs"\)$/));
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
      expect(text).toContain('apis[0].provider: unknown provider; declare it under "providers" or did you mean "acme"? (got "acmee")');
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

  it('reports YAML syntax errors with a line', () => {
    const result = parseCatalog('apis:\n  - name: [unclosed\n', 'broken.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues[0].file).toBe('broken.yaml');
      expect(result.issues[0].line).toBeGreaterThan(0);
      expect(result.issues[0].message).toMatch(/^invalid YAML/);
    }
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
