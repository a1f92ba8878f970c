// `apimon run` writes last month's report when the catalog opts in: on a real Prometheus holding
// the end of last month, with the prober's (fake) incidents API: not before two hours into the
// month, once, not again when the directory holds it, and a failure is logged and retried.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastFullMonth, parseCatalog, type Catalog } from '@apimon/core';
import { ScheduledMonthlyReport, WRITE_AFTER_MS } from '../../packages/prober/src/report/scheduled';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { startFakeProber, type FakeProber } from '../helpers/report-month';
import { startBackfilledStore, toolsAvailable, type BackfilledStore } from '../helpers/store';
import { syntheticOpenMetrics } from '../helpers/synthetic';

const month = lastFullMonth(Date.now());
const describeStore = toolsAvailable() ? describe : describe.skip;

function catalogFor(prometheus: string): Catalog {
  const parsed = parseCatalog(`prober:
  monthlyReport: { prometheus: "${prometheus}", dir: reports, formats: [html, json] }
providers:
  - name: acme-pay
apis:
  - name: payments
    provider: acme-pay
    criticality: critical
    owner: payments-team
    endpoints:
      - { name: charges, url: "https://api.acme.example/v1/charges" }
`);
  if (!parsed.ok) {
    throw new Error(JSON.stringify(parsed.issues));
  }
  return parsed.catalog;
}

describeStore('the monthly report written by the running prober', () => {
  let store: BackfilledStore;
  let prober: FakeProber;
  let dir: string;

  beforeAll(async () => {
    store = await startBackfilledStore({
      openMetrics: syntheticOpenMetrics({
        apis: [
          {
            api: 'payments',
            provider: 'acme-pay',
            criticality: 'critical',
            owner: 'payments-team',
            endpoint: 'charges',
            thresholds: { latency: 0.2, errorRatio: 0.01, headroom: 0.2 },
            latencySeconds: 0.1,
            errorRatio: 0.1,
          },
        ],
        startMs: month.toMs - 2 * 3_600_000,
        endMs: month.toMs,
        stepMs: 15_000,
      }),
      ruleFiles: [],
    });
    prober = await startFakeProber();
  }, 120_000);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-scheduled-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  afterAll(async () => {
    await prober?.stop();
    await store?.stop();
  });

  const writer = (nowMs: number, catalog: Catalog, proberUrl: string | null = prober.url) => {
    const logs = captureLogs('info');
    const w = new ScheduledMonthlyReport({
      logger: logs.logger,
      configFile: join(dir, 'catalog.yaml'),
      proberUrl: () => proberUrl ?? undefined,
      now: () => nowMs,
    });
    w.updateCatalog(catalog);
    return { w, logs };
  };

  it('writes last month once the month is two hours old, and not again', async () => {
    const early = writer(month.toMs + WRITE_AFTER_MS - 60_000, catalogFor(store.url));
    await early.w.check();
    expect(existsSync(join(dir, 'reports'))).toBe(false);

    const due = writer(month.toMs + WRITE_AFTER_MS + 60_000, catalogFor(store.url));
    await due.w.check();
    const base = `apimon-report-${month.month}`;
    expect(readdirSync(join(dir, 'reports')).sort()).toEqual([`${base}.html`, `${base}.json`]);
    const written = due.logs.entries().find((e) => e.msg === 'monthly report written')!;
    expect(written).toMatchObject({ month: month.month });
    const before = statSync(join(dir, 'reports', `${base}.json`)).mtimeMs;
    await due.w.check();
    expect(statSync(join(dir, 'reports', `${base}.json`)).mtimeMs).toBe(before);
    expect(due.logs.entries().filter((e) => e.msg === 'monthly report written')).toHaveLength(1);
  });

  it('without the catalog section, or before the prober listens, it writes nothing', async () => {
    const off = parseCatalog(
      'providers: [{ name: a }]\napis:\n  - { name: x, provider: a, criticality: background, owner: o, endpoints: [{ name: e, url: "https://x.example" }] }\n'
    );
    const none = writer(month.toMs + 3 * 3_600_000, off.ok ? off.catalog : catalogFor(store.url));
    await none.w.check();
    const notListening = writer(month.toMs + 3 * 3_600_000, catalogFor(store.url), null);
    await notListening.w.check();
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });

  it('a store that does not answer: logged, nothing written, and the next check writes it', async () => {
    const down = writer(month.toMs + 3 * 3_600_000, catalogFor('http://127.0.0.1:1'));
    await down.w.check();
    expect(down.logs.entries().map((e) => e.msg)).toEqual(['monthly report not written; retrying in an hour']);
    expect(String(down.logs.entries()[0].error)).toContain('unreachable');
    expect(existsSync(join(dir, 'reports', `apimon-report-${month.month}.json`))).toBe(false);
    down.w.updateCatalog(catalogFor(store.url));
    await down.w.check();
    expect(existsSync(join(dir, 'reports', `apimon-report-${month.month}.json`))).toBe(true);
  });
});
