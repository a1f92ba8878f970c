// Where PromQL on VictoriaMetrics (MetricsQL) answers differently from Prometheus, measured on
// the same samples in both stores, and why apimon's expressions do not depend on it
// (docs/stores.md lists these). If a store changes its behaviour, this says where.
import { startBackfilledStore, toolsAvailable, type BackfilledStore } from '../helpers/store';
import { describeStores, type StoreKind } from '../helpers/stores';

const MINUTE = 60_000;
const end = Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE;
const start = end - 60 * MINUTE;
const endSec = end / 1000;

/** A counter scraped every 15 s, growing by 2 per scrape; histogram buckets with and without observations. */
function history(): string {
  let text = '';
  for (let t = start, v = 0; t <= end; t += 15_000, v += 2) {
    text += `probes_total{api="a"} ${v} ${(t / 1000).toFixed(3)}\n`;
  }
  const at = endSec.toFixed(3);
  for (const [le, busy, idle] of [['0.1', 5, 0], ['0.5', 10, 0], ['+Inf', 10, 0]] as const) {
    text += `latency_bucket{api="busy",le="${le}"} ${busy} ${at}\nlatency_bucket{api="idle",le="${le}"} ${idle} ${at}\n`;
  }
  return `${text}# EOF\n`;
}

describeStores(
  'PromQL differences between the stores',
  (kind: StoreKind) => {
    let store: BackfilledStore;
    const values = async (expr: string, timeSec = endSec - 7.5) =>
      (await store.instant(expr, timeSec)).result.map((r) => ({ metric: r.metric, value: r.value![1] }));

    beforeAll(async () => {
      store = await startBackfilledStore({ store: kind, openMetrics: history(), ruleFiles: [] });
    }, 60_000);

    afterAll(async () => {
      await store?.stop();
    });

    it('increase() extrapolates to the window edges on Prometheus, not on VictoriaMetrics', async () => {
      // 3 increments of 2 in a 50 s window: Prometheus scales the 45 s it saw to 50 s. apimon
      // rounds probe counts and reads ratios of two rates, where the scale cancels.
      expect(await values('increase(probes_total[50s])')).toEqual([{ metric: { api: 'a' }, value: kind === 'prometheus' ? '6.666666666666667' : '6' }]);
      // Over whole scrape intervals they agree.
      expect(await values('increase(probes_total[1m])')).toEqual([{ metric: { api: 'a' }, value: '8' }]);
    });

    it('a window shorter than the scrape interval is empty on Prometheus, the last step on VictoriaMetrics', async () => {
      // apimon's rate windows are at least four scrape intervals (packages/core/src/query/windows.ts).
      expect(await values('increase(probes_total[10s])')).toEqual(kind === 'prometheus' ? [] : [{ metric: { api: 'a' }, value: '2' }]);
    });

    it('histogram_quantile over buckets without observations: NaN on Prometheus, no series on VictoriaMetrics', async () => {
      // Either way no value: the engine reads NaN as null, and alert comparisons are false on both.
      const p95 = Object.fromEntries((await values('histogram_quantile(0.95, latency_bucket)', endSec)).map((r) => [r.metric.api, Number(r.value)]));
      expect(Object.keys(p95).sort()).toEqual(kind === 'prometheus' ? ['busy', 'idle'] : ['busy']);
      expect(p95.busy).toBeCloseTo(0.46, 9);
      if (kind === 'prometheus') {
        expect(p95.idle).toBeNaN();
      }
      expect(await values('histogram_quantile(0.95, latency_bucket) > 0.1', endSec)).toHaveLength(1);
    });

    it('some functions keep the metric name on VictoriaMetrics', async () => {
      // Harmless for apimon: recording rules rename their output, and the engine drops __name__.
      const [row] = await values('predict_linear(probes_total[5m], 60)');
      expect(row.metric).toEqual(kind === 'prometheus' ? { api: 'a' } : { __name__: 'probes_total', api: 'a' });
    });

    it('agree on staleness: a series stops 5 minutes after its last sample on both', async () => {
      expect(await values('probes_total', endSec + 4 * 60)).toHaveLength(1);
      expect(await values('probes_total', endSec + 6 * 60)).toEqual([]);
      expect(await values('absent(probes_total)', endSec + 6 * 60)).toEqual([{ metric: {}, value: '1' }]);
    });
  },
  toolsAvailable
);
