// The backfilled store itself, on each store: recording rules must be backfilled over the whole
// history whatever minute it starts at. promtool 2.x evaluates a group at the times its hash offset
// gives and stops importing a rule at the first 2-hour block that holds no such time; a history
// starting late in a block's last hour lost every hourly rule (seen in CI as missing *:rate1h).
import { join } from 'node:path';
import { SCENARIO_APIS } from './scenario';
import { startBackfilledStore, toolsAvailable, type BackfilledStore } from './store';
import { describeStores } from './stores';
import { syntheticOpenMetrics } from './synthetic';

const RECORDING = join(__dirname, '..', '..', 'prometheus', 'recording.yml');
const MINUTE = 60_000;
const TWO_HOURS = 120 * MINUTE;

describeStores(
  'backfilled store',
  (kind) => {
    let store: BackfilledStore;
    // 23:59 of some day before yesterday (a 2-hour block's last minute): every hourly group whose
    // offset is below 59 minutes has no evaluation time left in the first block.
    const start = Math.floor(Date.now() / TWO_HOURS) * TWO_HOURS - 24 * TWO_HOURS - MINUTE;
    const end = start + 3 * 60 * MINUTE;

    beforeAll(async () => {
      store = await startBackfilledStore({
        store: kind,
        openMetrics: syntheticOpenMetrics({
          apis: SCENARIO_APIS.slice(0, 1),
          startMs: start,
          endMs: end,
          stepMs: 60_000,
        }),
        ruleFiles: [RECORDING],
        backfillRules: { files: [RECORDING], startMs: start, endMs: end },
      });
    }, 120_000);

    afterAll(async () => {
      await store?.stop();
    });

    it('backfills the hourly recording rules of a history starting in the last minute of a block', async () => {
      const { result } = await store.range('count(api:apimon_probe_requests:rate1h)', start / 1000, end / 1000, 60);
      const times = (result[0]?.values ?? []).map(([t]) => t);
      // Evaluated once an hour from an hour into the history: 2 or 3 times, each visible 5 minutes.
      expect(times.length).toBeGreaterThanOrEqual(2 * 5);
      expect(Math.max(...times)).toBeGreaterThan(end / 1000 - 3600);
    });

    it('backfills the minutely rules from the first minute with data', async () => {
      const { result } = await store.range('count(api:apimon_probe_requests:rate5m)', start / 1000, end / 1000, 60);
      const times = (result[0]?.values ?? []).map(([t]) => t);
      expect(Math.min(...times)).toBeLessThanOrEqual(start / 1000 + 5 * 60);
      expect(Math.max(...times)).toBe(end / 1000);
    });
  },
  toolsAvailable
);
