// The scheduled audit's edges (its success path runs on a real Prometheus in
// test/audit/audit-sandbox.e2e.test.ts): not configured, and a store it cannot read.
import { Registry } from 'prom-client';
import { METRICS, PROBER_API, type AuditBody } from '@apimon/core';
import { AuditModule } from '.';
import { close, createServer, listen } from '../server';
import { catalogFrom } from '../test-support/catalogs';
import { parseExposition, valueOf } from '../test-support/exposition';
import { captureLogs } from '../test-support/logs';

const catalog = (audit: string) =>
  catalogFrom(`${audit}
providers: [{ name: acme }]
apis: [{ name: pay, provider: acme, criticality: critical, owner: t, endpoints: [{ name: c, url: "https://a.test" }] }]
`);

describe('AuditModule', () => {
  const logs = captureLogs('warn');

  async function serve(module: AuditModule) {
    const server = createServer({ routes: [], modules: () => [module], logger: logs.logger });
    const { port } = await listen(server, '127.0.0.1', 0);
    return { get: (path: string) => fetch(`http://127.0.0.1:${port}${path}`), close: () => close(server) };
  }

  it('answers 404 with what to set when the catalog schedules no audit', async () => {
    const module = new AuditModule({ registry: new Registry(), logger: logs.logger });
    module.updateCatalog(catalog(''));
    const s = await serve(module);
    try {
      const res = await s.get(PROBER_API.audit);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        code: 'not_found',
        error: 'no scheduled audit: set prober.audit in the catalog (docs/audit.md)',
      });
    } finally {
      await s.close();
    }
  });

  it('says why a run failed, once in the log, and exports the failure', async () => {
    const registry = new Registry();
    const module = new AuditModule({ registry, logger: logs.logger });
    module.updateCatalog(catalog('prober: { audit: { prometheus: "http://127.0.0.1:9/", interval: 1h } }'));
    await module.runNow();
    await module.runNow();
    const body: AuditBody = module.body();
    expect(body).toMatchObject({ ranAt: null, windowMs: 30 * 86_400_000, findings: [] });
    expect(body.error).toMatch(
      /^the Prometheus-compatible store is unreachable .* while running the audit's \w+ query$/
    );
    expect(logs.text().match(/audit failed; the last findings stay/g)).toHaveLength(1);
    const samples = parseExposition(await registry.metrics());
    expect(valueOf(samples, METRICS.auditRunSuccess, {})).toBe(0);
  });
});
