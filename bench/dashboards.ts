// Store time of the overview and monthly dashboards over 30 days for 50 APIs, with and without
// the recording rules of prometheus/recording.yml, on a real Prometheus holding backfilled
// synthetic history (test/helpers/synthetic.ts).
//
//   npx tsx bench/dashboards.ts [--apis 50] [--days 30] [--runs 3]
//
// Every query of both dashboards runs as Grafana would run it over a 30-day range: the
// Prometheus-data-source targets (instant for tables and stats, range with Grafana's step for
// time series), and the apimon-data-source targets through the query engine (which reads the
// apimon:*:rate5m recorded series when the store has them). "without" runs each recorded query's
// raw equivalent (RAW_EQUIVALENTS) and the engine with useRecordingRules: false.
//
// History: the last 6 hours at the 15 s scrape interval, the 30 days before at a 10-minute step
// (a full 30 days at 15 s would be ~220 million samples to generate). Recorded series have
// their real density (rules backfilled with promtool at their group intervals), while raw
// series before the last 6 hours have 1/40 of theirs: the "without" times are therefore a
// lower bound of what a real 30-day store costs.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createQueryEngine, TransportError, type ApimonQuery, type Transport } from '@apimon/core';
import { RAW_EQUIVALENTS, type Dashboard, type PromTarget } from '../scripts/provisioning/dashboard-kit';
import { monthly, overview } from '../scripts/provisioning/dashboards';
import { startBackfilledStore, toolsAvailable, type BackfilledStore } from '../test/helpers/store';
import { writeSyntheticOpenMetrics, type SyntheticApi } from '../test/helpers/synthetic';
import { substituteVariables } from '../test/provisioning/promql-targets';

const ROOT = join(__dirname, '..');
const WORK = join(__dirname, '.work', 'dashboards');
const MINUTE = 60_000;
const DAY = 86_400_000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) {
    return fallback;
  }
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`bench/dashboards: --${name} must be a positive whole number\n`);
    process.exit(2);
  }
  return v;
}

const API_COUNT = flag('apis', 50);
const DAYS = flag('days', 30);
const RUNS = flag('runs', 3);

function apis(): SyntheticApi[] {
  const criticalities = ['critical', 'standard', 'standard', 'background'] as const;
  const thresholds = {
    critical: { latency: 0.2, errorRatio: 0.01, headroom: 0.2 },
    standard: { latency: 0.5, errorRatio: 0.02, headroom: 0.15 },
    background: { latency: 2, errorRatio: 0.05, headroom: 0.1 },
  };
  return Array.from({ length: API_COUNT }, (_, i) => {
    const criticality = criticalities[i % criticalities.length];
    return {
      api: `api-${String(i).padStart(2, '0')}`,
      provider: `provider-${i % 12}`,
      criticality,
      owner: `team-${i % 5}`,
      endpoint: i % 3 === 0 ? 'read' : 'write',
      thresholds: thresholds[criticality],
      latencySeconds: [0.04, 0.09, 0.15, 0.22, 0.3, 0.45, 0.8][i % 7],
      errorRatio: [0, 0.001, 0.004, 0.01, 0.03][i % 5],
      rateLimit: i % 2 === 0 ? { limit: 1000, remaining: 200 + ((i * 37) % 800), resetSeconds: 600 } : undefined,
      tlsDaysLeft: 20 + ((i * 11) % 300),
      providerLevel: i % 12 === 5 ? 2 : 0,
    };
  });
}

interface Measured {
  label: string;
  dashboard: string;
  /** prometheus: the dashboard's PromQL; apimon: the query engine behind the apimon data source. */
  source: 'prometheus' | 'apimon';
  with: number;
  without: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}

function transport(url: string): Transport {
  return {
    async get(target, path, params) {
      if (target !== 'prometheus') {
        throw new TransportError('no prober in this benchmark', target);
      }
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
      return res.json();
    },
  };
}

async function measureDashboard(store: BackfilledStore, dashboard: Dashboard, endMs: number): Promise<Measured[]> {
  const rangeSeconds = DAYS * 86_400;
  const startMs = endMs - DAYS * DAY;
  // Grafana's step for a 30-day panel about 1000 px wide, at least the panel's interval.
  const autoStep = Math.max(60, Math.ceil(rangeSeconds / 1000 / 60) * 60);
  const results: Measured[] = [];
  const engines = {
    with: createQueryEngine({ transport: transport(store.url), proberConfigured: false, useRecordingRules: true }),
    without: createQueryEngine({ transport: transport(store.url), proberConfigured: false, useRecordingRules: false }),
  };
  for (const panel of dashboard.panels) {
    for (const target of panel.targets ?? []) {
      const label = `${dashboard.uid} #${panel.id} ${panel.title} (${target.refId})`;
      if (target.datasource.type === 'prometheus') {
        const t = target as PromTarget;
        const step = t.interval === '1d' || panel.interval === '1d' ? 86_400 : autoStep;
        const vars = { api: 'api-00', rangeSeconds, rateInterval: `${step + 15}s` };
        const run = (expr: string) =>
          t.instant
            ? store.instant(substituteVariables(expr, vars), endMs / 1000)
            : store.range(substituteVariables(expr, vars), startMs / 1000, endMs / 1000, step);
        const raw = RAW_EQUIVALENTS.get(t.expr) ?? t.expr;
        results.push({ label, dashboard: dashboard.uid, source: 'prometheus', with: await time(() => run(t.expr)), without: await time(() => run(raw)) });
      } else {
        const {
          refId: _refId,
          datasource: _ds,
          ...query
        } = target as ApimonQuery & { refId: string; datasource: unknown };
        if (query.kind === 'incidents') {
          continue; // served by the prober's JSON API, not the store
        }
        const q = JSON.parse(JSON.stringify(query).replace(/\$criticality|\$provider/g, '.*')) as ApimonQuery;
        const range = { fromMs: startMs, toMs: endMs, maxDataPoints: 1000, stepMs: autoStep * 1000 };
        const run = (engine: typeof engines.with) =>
          q.kind === 'summary' ? engine.summary(q, range) : engine.run(q, range);
        // The engine learns the store's recording rules on its first query.
        await run(engines.with);
        results.push({
          label: `${label} [apimon ${q.kind}]`,
          dashboard: dashboard.uid,
          source: 'apimon',
          with: await time(() => run(engines.with)),
          without: await time(() => run(engines.without)),
        });
      }
    }
  }
  return results;
}

async function main(): Promise<void> {
  if (!toolsAvailable()) {
    process.stderr.write(
      'bench/dashboards: needs prometheus and promtool on the PATH (Debian: apt-get install prometheus)\n'
    );
    process.exit(2);
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const endMs = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
  const startMs = endMs - DAYS * DAY;
  const denseFromMs = endMs - 6 * 60 * MINUTE;

  let t = Date.now();
  const file = join(WORK, 'history.om');
  const fd = openSync(file, 'w');
  let bytes = 0;
  let lines = 0;
  writeSyntheticOpenMetrics(
    { apis: apis(), startMs, endMs, stepMs: 15_000, denseFromMs, coarseStepMs: 10 * MINUTE },
    (chunk) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) {
        lines++;
      }
      writeSync(fd, chunk);
    }
  );
  closeSync(fd);
  const samples = lines - 1; // all but the closing "# EOF"
  process.stdout.write(
    `history: ${API_COUNT} APIs, ${DAYS} days, ${samples} samples (${(bytes / 1e6).toFixed(0)} MB) in ${Date.now() - t} ms\n`
  );

  // The 1-minute group only matters where raw data is dense; the 5-minute group spans 30 days.
  const groups = (
    parse(readFileSync(join(ROOT, 'prometheus', 'recording.yml'), 'utf8')) as { groups: Array<{ name: string }> }
  ).groups;
  const fast = join(WORK, 'recording-5m.yml');
  const long = join(WORK, 'recording-long.yml');
  writeFileSync(fast, stringify({ groups: groups.filter((g) => g.name === 'apimon-recording-5m') }));
  writeFileSync(long, stringify({ groups: groups.filter((g) => g.name !== 'apimon-recording-5m') }));

  t = Date.now();
  const store = await startBackfilledStore({
    openMetrics: { file },
    ruleFiles: [join(ROOT, 'prometheus', 'recording.yml')],
    backfillRules: [
      { files: [fast], startMs: denseFromMs, endMs },
      { files: [long], startMs, endMs },
    ],
    // One pass over the file per block: 30-day blocks keep the backfill to minutes.
    maxBlockDuration: '720h',
    compactionWaitMs: 8 * 60_000,
  });
  rmSync(file);
  process.stdout.write(`backfill (raw + recording rules), start and compaction: ${Date.now() - t} ms\n`);

  try {
    const before = loadavg();
    const results = [
      ...(await measureDashboard(store, overview(), endMs)),
      ...(await measureDashboard(store, monthly(), endMs)),
    ];
    const after = loadavg();
    const total = (k: 'with' | 'without', dashboard?: string, source?: Measured['source']) =>
      results.filter((r) => (!dashboard || r.dashboard === dashboard) && (!source || r.source === source)).reduce((sum, r) => sum + r[k], 0);
    const row = (name: string, dashboard?: string, source?: Measured['source']) =>
      `| ${name} | ${total('with', dashboard, source).toFixed(0)} | ${total('without', dashboard, source).toFixed(0)} | ${(total('without', dashboard, source) / total('with', dashboard, source)).toFixed(1)}× |`;
    const provisioned = total('with', undefined, 'prometheus');
    const lines = [
      `## Dashboards at ${DAYS} days for ${API_COUNT} APIs: store time with and without recording rules`,
      '',
      `Reproduce: \`npx tsx bench/dashboards.ts\` (10 to 30 minutes, mostly the backfill; needs prometheus and promtool). Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, load average before ${before.map((x) => x.toFixed(1)).join(' / ')}, after ${after.map((x) => x.toFixed(1)).join(' / ')} (the machine is shared).`,
      '',
      `Every query of apimon-overview and apimon-monthly over a ${DAYS}-day range as Grafana runs it: the dashboards' PromQL on the built-in Prometheus data source (instant for tables and stats, range with Grafana's step for time series), and the apimon data-source targets through the query engine (incidents excepted: they come from the prober API). Median of ${RUNS} runs per query, summed. History: ${samples} raw samples, the last 6 h at 15 s and the rest at 10 min; recording rules backfilled with promtool over the whole range at their own intervals (so recorded series have their real density). Raw series are 40 times sparser than a real 15-s scrape before the last 6 h: the "without" column is a lower bound of a real store's cost.`,
      '',
      '| queries | with recording rules (ms) | without (ms) | without / with |',
      '|---|---|---|---|',
      row('apimon-overview, PromQL panels', 'apimon-overview', 'prometheus'),
      row('apimon-monthly, PromQL panels', 'apimon-monthly', 'prometheus'),
      row('**provisioned PromQL, both dashboards**', undefined, 'prometheus'),
      row('apimon-overview, apimon data source (engine)', 'apimon-overview', 'apimon'),
      row('apimon-monthly, apimon data source (engine)', 'apimon-monthly', 'apimon'),
      row('all queries', undefined, undefined),
      '',
      `Target: the provisioned queries of both dashboards ≤ 1000 ms with the recording rules: ${provisioned <= 1000 ? 'met' : 'NOT met'} (${provisioned.toFixed(0)} ms).`,
      '',
      '<details><summary>per query (ms, with / without)</summary>',
      '',
      ...results.map((r) => `- ${r.label}: ${r.with.toFixed(1)} / ${r.without.toFixed(1)}`),
      '',
      '</details>',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    writeFileSync(join(__dirname, '.work', 'dashboards-result.md'), lines.join('\n'));
  } finally {
    await store.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/dashboards: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
