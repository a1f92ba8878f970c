// Records the harness's fixture: the query engine's summary result against a real Prometheus
// holding the provisioning fault scenario (3 hours, one API per fault, faults in the last 20
// minutes). The prober's provider API is the one part answered from PROBER_VIEW below: it
// would need live status pages; its answers use the prober API's own shapes.
//   npx tsx scripts/harness/record.ts      -> scripts/harness/fixtures/scenario.json
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createQueryEngine, TransportError, type Transport } from '@apimon/core';
import { SCENARIO_APIS } from '../../test/helpers/scenario';
import { startBackfilledStore } from '../../test/helpers/store';
import { syntheticOpenMetrics } from '../../test/helpers/synthetic';
import { FIXTURE_DIR, type RecordedResult } from './fixtures';

const ROOT = join(__dirname, '..', '..');
const MINUTE = 60_000;

/** What the prober's /api/v1/providers/<name> would say while the scenario's faults are on. */
const PROBER_VIEW = (endMs: number): Record<string, unknown> => ({
  adstream: {
    provider: 'adstream',
    apis: [{ api: 'ad-feed', status: 'major_outage' }],
    incidents: [
      {
        id: 'ads-1',
        title: 'Inventory API unavailable in all regions',
        status: 'investigating',
        impact: 'critical',
        startedAt: endMs - 18 * MINUTE,
      },
    ],
  },
  geoloc: {
    provider: 'geoloc',
    apis: [
      { api: 'geo-errors', status: 'partial_outage' },
      { api: 'maps', status: 'partial_outage' },
    ],
    incidents: [
      {
        id: 'geo-7',
        title: 'Elevated 5xx on forward geocoding',
        status: 'identified',
        impact: 'major',
        startedAt: endMs - 15 * MINUTE,
      },
    ],
  },
});

function engineRules(dir: string): string {
  const doc = parse(readFileSync(join(ROOT, 'prometheus', 'recording.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ record?: string }> }>;
  };
  const groups = doc.groups
    .map((g) => ({ ...g, rules: g.rules.filter((r) => r.record?.startsWith('apimon:')) }))
    .filter((g) => g.rules.length > 0);
  const file = join(dir, 'engine-recording.yml');
  writeFileSync(file, stringify({ groups }));
  return file;
}

async function main() {
  const end = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
  const start = end - 180 * MINUTE;
  const dir = mkdtempSync(join(tmpdir(), 'apimon-harness-record-'));
  const rules = engineRules(dir);
  const store = await startBackfilledStore({
    openMetrics: syntheticOpenMetrics({
      apis: SCENARIO_APIS,
      startMs: start,
      endMs: end,
      stepMs: 15_000,
      faultFromMs: end - 20 * MINUTE,
    }),
    ruleFiles: [rules],
    backfillRules: { files: [rules], startMs: end - 15 * MINUTE, endMs: end },
  });
  try {
    const view = PROBER_VIEW(end);
    const transport: Transport = {
      async get(target, path, params) {
        if (target === 'prober') {
          const name = decodeURIComponent(path.replace('/api/v1/providers/', ''));
          if (view[name]) {
            return view[name];
          }
          throw new TransportError('not found', 'prober', 404, { error: 'unknown provider' });
        }
        const res = await fetch(`${store.url}${path}?${new URLSearchParams(params).toString()}`);
        const body = (await res.json()) as unknown;
        if (!res.ok) {
          throw new TransportError(`HTTP ${res.status}`, 'prometheus', res.status, body);
        }
        return body;
      },
    };
    const engine = createQueryEngine({ transport, proberConfigured: true, now: () => end });
    const range = { fromMs: end - 60 * MINUTE, toMs: end, stepMs: 60_000 };
    const result = await engine.run({ kind: 'summary' }, range);
    const recorded: RecordedResult = { recordedAtMs: end, range, query: { kind: 'summary' }, result };
    writeFileSync(join(FIXTURE_DIR, 'scenario.json'), JSON.stringify(recorded));
    process.stdout.write(
      `recorded ${result.tables[0]?.columns[0]?.values.length ?? 0} APIs, ${result.series.length} sparklines\n`
    );
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`harness record: ${(err as Error).message}\n`);
  process.exit(1);
});
