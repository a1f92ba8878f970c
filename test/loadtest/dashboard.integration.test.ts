// The "Load tests" dashboard on what apimon loadtest really writes: two runs against the
// sandbox's acme-pay with a known capacity (one finds the knee, one is stopped by a 429 surge)
// go by remote write into a real Prometheus started with the demo's flags (npm start's), then
// every query of the dashboard runs there and returns data, the variables list the runs, and
// each panel's transformations (Grafana's own, from @grafana/data) turn the query tables into
// the fields the panel draws.
import { LOADTEST_METRICS, DASHBOARD_UIDS } from '@apimon/core';
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import type { DataTransformerConfig } from '@grafana/data';
import { DEMO_PROMETHEUS_FLAGS } from '../../scripts/demo-prometheus';
import type { Panel, PromTarget, Variable } from '../../scripts/provisioning/dashboard-kit';
import { DASHBOARD_BUILDERS } from '../../scripts/provisioning/dashboards';
import { LOADTEST_FIELDS as F } from '../../scripts/provisioning/loadtest-dashboard';
import { catalogYaml, jsonLines, runMain, TempDir } from '../../packages/prober/src/test-support/loadtest';
import { applyTransformations, columns, tableFrames } from '../helpers/grafana-table-frames';
import { startPrometheus, type RunningPrometheus, type VectorSample } from '../helpers/prometheus';

jest.setTimeout(90_000);

const KNEE_RUN = 'dash-knee';
const SURGE_RUN = 'dash-surge';
const RANGE_SECONDS = 3600;

let sandbox: Sandbox;
let prometheus: RunningPrometheus;
let dir: TempDir;
const summaries: Record<string, Record<string, unknown>> = {};

const board = DASHBOARD_BUILDERS[DASHBOARD_UIDS.loadTests]();
const panel = (id: number) => board.panels.find((p) => p.id === id)!;

/** A query as Grafana sends it: one run, every API and endpoint ("All"), the range in seconds. */
const substitute = (expr: string, run: string) =>
  expr
    .replace(/\$__range/g, `${RANGE_SECONDS}s`)
    .replace(/\$run/g, run)
    .replace(/\$api/g, '.*')
    .replace(/\$endpoint/g, '.*');

async function panelFrames(p: Panel, run: string) {
  const targets = (p.targets ?? []) as PromTarget[];
  const results = await Promise.all(targets.map(async (t) => ({ refId: t.refId, samples: await prometheus.query(substitute(t.expr, run)) })));
  return applyTransformations((p.transformations ?? []) as DataTransformerConfig[], tableFrames(results, Date.now()));
}

async function loadTest(run: string, rates: string, extra: string[] = []) {
  const res = await runMain([
    'loadtest', '-c', dir.file(`${run}.yaml`, catalogYaml({ url: `${sandbox.url}/acme-pay/v1/charges`, loadTest: '{ allowed: true, maxRate: 400 }' })),
    '--api', 'payments', '--profile', 'step', '--rates', rates, '--stage-duration', '1s', '--json', '--run', run,
    '--remote-write', `${prometheus.url}/api/v1/write`, ...extra,
  ]);
  const lines = jsonLines(res.stdout);
  summaries[run] = lines[lines.length - 1];
  return res.code;
}

beforeAll(async () => {
  process.env.APIMON_LOADTEST_KEY = 'sk_test_loadtest';
  dir = new TempDir();
  sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
  prometheus = await startPrometheus('global: { scrape_interval: 15s }\n', { args: [...DEMO_PROMETHEUS_FLAGS] });
  // 8 at a time, 50 ms each: 160 requests per second, queued above that.
  sandbox.admin.configure('acme-pay', { capacity: { concurrency: 8, serviceMs: 50 }, rateLimit: { limit: 100_000, windowSeconds: 1 } });
  // Every stage runs (--past-knee), so the panels have several stages whatever the knee.
  expect(await loadTest(KNEE_RUN, '60,120,240,320', ['--past-knee'])).toBe(0);
  sandbox.admin.reset();
  sandbox.admin.configure('acme-pay', { rateLimit: { limit: 10, windowSeconds: 1 } });
  expect(await loadTest(SURGE_RUN, '60,80')).toBe(3);
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await sandbox?.close();
  dir?.remove();
  delete process.env.APIMON_LOADTEST_KEY;
});

describe('the Load tests dashboard on a real apimon loadtest --remote-write', () => {
  it('ran as planned: the first run found a knee, the second was stopped by 429s', () => {
    expect(summaries[KNEE_RUN]).toMatchObject({ type: 'summary', abortReason: null, remoteWrite: `${prometheus.url}/api/v1/write` });
    expect(summaries[KNEE_RUN].knee).toEqual(expect.any(Number));
    expect(summaries[SURGE_RUN]).toMatchObject({ type: 'summary', abortReason: 'rate_limited' });
  });

  it('every Prometheus query of every panel returns data for one of the runs', async () => {
    const targets = board.panels.flatMap((p) => ((p.targets ?? []) as PromTarget[]).map((t) => ({ panel: `#${p.id} ${p.title} ${t.refId}`, expr: t.expr })));
    expect(targets.length).toBeGreaterThan(25);
    for (const t of targets) {
      const counts = await Promise.all([KNEE_RUN, SURGE_RUN].map(async (run) => (await prometheus.query(substitute(t.expr, run))).length));
      expect({ panel: t.panel, hasData: counts.some((n) => n > 0) }).toEqual({ panel: t.panel, hasData: true });
    }
  });

  it('the variables list the APIs, endpoints and runs written', async () => {
    const values = async (v: Variable) => {
      const definition = v.definition!;
      const [, selector, label] = /^label_values\((.*), (\w+)\)$/.exec(definition)!;
      const url = `${prometheus.url}/api/v1/label/${label}/values?match[]=${encodeURIComponent(substitute(selector, ''))}`;
      return ((await (await fetch(url)).json()) as { data: string[] }).data;
    };
    const byName = Object.fromEntries(board.templating.list.map((v) => [v.name, v]));
    expect(await values(byName.api)).toEqual(['payments']);
    expect(await values(byName.endpoint)).toEqual(['charges']);
    expect(await values(byName.run)).toEqual([KNEE_RUN, SURGE_RUN]);
    expect(byName.run).toMatchObject({ multi: false, includeAll: false, sort: 2 });
  });

  it('latency by offered rate: x = offered rate, y = p50, p95, p99 and the threshold, one point per stage in rate order', async () => {
    const [frame, ...more] = await panelFrames(panel(5), KNEE_RUN);
    expect(more).toEqual([]);
    const c = columns(frame);
    expect(Object.keys(c)).toEqual([F.offered, F.p50, F.p95, F.p99, F.latencyThreshold]);
    expect(Object.values(c).every((col) => col.type === 'number')).toBe(true);
    const offered = c[F.offered].values as number[];
    const stages = (await prometheus.query(`${LOADTEST_METRICS.offeredRate}{run="${KNEE_RUN}"}`)).length;
    expect(offered).toHaveLength(stages);
    expect([...offered].sort((a, b) => a - b)).toEqual(offered);
    expect(new Set(c[F.latencyThreshold].values)).toEqual(new Set([0.15]));
    // The knee is the lowest offered rate whose p95 is over the threshold.
    const p95 = c[F.p95].values as number[];
    const knee = offered.find((_, i) => p95[i] > 0.15);
    expect(panel(5).options).toMatchObject({ mapping: 'auto', series: [{ x: { matcher: { id: 'byName', options: F.offered } } }] });
    if (summaries[KNEE_RUN].kneeReason === 'latency') {
      expect(knee).toBeCloseTo(summaries[KNEE_RUN].knee as number, 6);
    }
  });

  it('the bar charts get one row per stage, keyed by the stage in numeric order', async () => {
    for (const [id, fields] of [
      [6, [F.offered, F.achieved]],
      [7, [F.failed, F.rateLimited]],
    ] as const) {
      const [frame] = await panelFrames(panel(id), SURGE_RUN);
      const c = columns(frame);
      expect(panel(id).options).toMatchObject({ xField: 'stage' });
      expect(Object.keys(c)).toEqual(['stage', ...fields]);
      expect(c.stage).toEqual({ type: 'string', values: ['1'] });
    }
    const [errors] = await panelFrames(panel(7), SURGE_RUN);
    expect((columns(errors)[F.rateLimited].values as number[])[0]).toBeGreaterThan(0);
    const [rates] = await panelFrames(panel(6), KNEE_RUN);
    const stages = columns(rates).stage.values;
    expect(stages).toEqual(stages.map((_, i) => String(i + 1)));
  });

  it('outcomes by class: one column per outcome seen, stacked per stage', async () => {
    const [frame] = await panelFrames(panel(8), SURGE_RUN);
    const c = columns(frame);
    expect(panel(8).options).toMatchObject({ xField: 'stage', stacking: 'normal' });
    expect(c.stage.values).toEqual(['1']);
    expect(Object.keys(c)).toEqual(expect.arrayContaining(['stage', 'ok', 'rate_limited']));
    const written = await prometheus.query(`${LOADTEST_METRICS.requests}{run="${SURGE_RUN}", outcome="rate_limited"}`);
    expect(c.rate_limited.values).toEqual([written[0].value]);
  });

  it('the stages table shows every stage with its rates, percentiles and failures', async () => {
    const [frame] = await panelFrames(panel(9), KNEE_RUN);
    const c = columns(frame);
    expect(Object.keys(c)).toEqual(['stage', F.offered, F.achieved, F.p50, F.p95, F.p99, F.errorRatio, F.failed, F.rateLimited, F.dropped]);
    expect(c.stage.values).toEqual(['1', '2', '3', '4']);
  });

  it('the runs table has one row per run: start, knee, threshold, highest rate, and what stopped it', async () => {
    const [frame] = await panelFrames(panel(10), KNEE_RUN);
    const c = columns(frame);
    expect(Object.keys(c)).toEqual(['run', 'api', 'endpoint', 'profile', F.start, F.knee, F.latencyThreshold, F.highest, F.stoppedBy]);
    const row = (run: string) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.values[c.run.values.indexOf(run)]]));
    expect(row(KNEE_RUN)).toMatchObject({ api: 'payments', endpoint: 'charges', profile: 'step', [F.knee]: summaries[KNEE_RUN].knee, [F.latencyThreshold]: 0.15 });
    expect(row(KNEE_RUN)[F.stoppedBy] ?? null).toBeNull();
    expect(row(SURGE_RUN)).toMatchObject({ [F.stoppedBy]: 'rate_limited' });
    expect(row(SURGE_RUN)[F.highest]).toBeGreaterThan(0);
    // The start is the run's own start time, in milliseconds for the dateTimeAsIso unit.
    expect(Math.round(row(KNEE_RUN)[F.start] as number)).toBe(Date.parse(summaries[KNEE_RUN].startedAt as string));
    expect(c.run.values).toHaveLength(2);
  });

  it('knee by run: a bar per run, the threshold on its own axis', async () => {
    const [frame] = await panelFrames(panel(11), KNEE_RUN);
    const c = columns(frame);
    expect(Object.keys(c)).toEqual(['run', F.knee, F.latencyThreshold]);
    expect(c.run.values).toEqual([KNEE_RUN, SURGE_RUN]);
    expect(c[F.knee].values[0]).toBe(summaries[KNEE_RUN].knee);
  });

  it('the stats show the run\'s knee and thresholds', async () => {
    const value = async (id: number, run: string) => {
      const samples: VectorSample[] = await prometheus.query(substitute((panel(id).targets![0] as PromTarget).expr, run));
      return samples.map((s) => s.value);
    };
    expect(await value(1, KNEE_RUN)).toEqual([summaries[KNEE_RUN].knee]);
    expect(await value(2, KNEE_RUN)).toEqual([0.15]);
    expect(await value(3, KNEE_RUN)).toEqual([0.01]);
  });
});
