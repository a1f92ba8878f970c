// The retry_storm finding on a real Prometheus, from the platform's raw HTTP-client metrics, with
// and without apimon's recording rules in the store: the audit reads the raw series either way
// (the rules' recorded rates must neither be needed nor get in the way). The history: payments
// called at 5/s for an hour, then the provider answers 80 % of calls 429 and the platform's
// client retries at once, sending 16/s; search, called at 5/s all along, throttled 80 % too but
// without retrying (no storm).
import { recordingPasses, type Catalog } from '@apimon/core';
import { join } from 'node:path';
import { runAudit } from '../../packages/prober/src/audit';
import { createFetchTransport } from '../../packages/prober/src/query/transport';
import { catalogFrom } from '../../packages/prober/src/test-support/catalogs';
import { startBackfilledStore, toolsAvailable, type BackfilledStore } from '../helpers/store';
import { syntheticOpenMetrics, type SyntheticApi } from '../helpers/synthetic';

const ROOT = join(__dirname, '..', '..');
const MINUTE = 60_000;
// Clear of the range the running Prometheus's head covers, as in the provisioning test.
const end = Math.floor(Date.now() / MINUTE) * MINUTE - 180 * MINUTE;
const start = end - 80 * MINUTE;
const faultFrom = end - 20 * MINUTE;

const api = (name: string, retries: boolean): SyntheticApi => ({
  api: name,
  provider: `${name}-co`,
  criticality: 'standard',
  owner: 'team',
  endpoint: 'list',
  thresholds: { latency: 0.5, errorRatio: 0.05, headroom: 0.1 },
  latencySeconds: 0.1,
  errorRatio: 0,
  // The fault is the traffic's only: the probes stay fine.
  fault: {},
  traffic: { rps: 5, latencySeconds: 0.1, fault: { rps: retries ? 16 : 5, throttledRatio: 0.8 } },
});
const APIS = [api('payments', true), api('search', false)];

const CATALOG: Catalog = catalogFrom(`providers: [{ name: payments-co }, { name: search-co }]
apis:
${APIS.map((a) => `  - { name: ${a.api}, provider: ${a.provider}, criticality: standard, owner: team, endpoints: [{ name: list, url: "https://api.${a.api}.test/list" }] }`).join('\n')}
`);

const describeStore = toolsAvailable() ? describe : describe.skip;

describeStore('retry_storm on a real Prometheus, from raw series, with and without the recording rules', () => {
  const stores: Partial<Record<'raw' | 'rules', BackfilledStore>> = {};

  beforeAll(async () => {
    const history = syntheticOpenMetrics({ apis: APIS, startMs: start, endMs: end, stepMs: 15_000, faultFromMs: faultFrom });
    [stores.raw, stores.rules] = await Promise.all([
      startBackfilledStore({ openMetrics: history, ruleFiles: [] }),
      startBackfilledStore({
        openMetrics: history,
        ruleFiles: [join(ROOT, 'prometheus', 'recording.yml')],
        backfillPasses: { passes: recordingPasses(), startMs: start, endMs: end },
      }),
    ]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([stores.raw?.stop(), stores.rules?.stop()]);
  });

  it.each(['raw', 'rules'] as const)('store %s: a storm where the client retried, none where it did not', async (which) => {
    const store = stores[which]!;
    if (which === 'rules') {
      // The recorded real-traffic series are there (the attribution and the per-API rates).
      const recorded = await store.instant('count(api:apimon_traffic_requests:rate5m)', end / 1000);
      expect(Number(recorded.result[0]?.value?.[1])).toBe(2);
    }
    const transport = createFetchTransport({ prometheusUrl: store.url, timeoutMs: 60_000 });
    // A window reaching back over the whole history from now.
    const { findings } = await runAudit(CATALOG, transport, { windowMs: 6 * 60 * MINUTE, scrapeIntervalMs: 15_000 });
    const storms = findings.filter((f) => f.kind === 'retry_storm');
    expect(storms.map((f) => [f.api, f.severity])).toEqual([['payments', 'high']]);
    const evidence = storms[0].evidence;
    // 16/s against 5/s (3.2x), less a little for the step where the fault began (its 1-minute
    // rate mixes both); the steps with 429s are the fault's 20 minutes, a step either side at most.
    expect(evidence.amplification as number).toBeGreaterThan(2.9);
    expect(evidence.amplification as number).toBeLessThanOrEqual(3.2);
    expect(evidence.requestsPerSecondOtherwise as number).toBeCloseTo(5, 1);
    expect(evidence.errorSteps as number).toBeGreaterThanOrEqual(19);
    expect(evidence.errorSteps as number).toBeLessThanOrEqual(22);
    expect(evidence.errorShareDuringErrors as number).toBeCloseTo(0.8, 1);
  });
});
