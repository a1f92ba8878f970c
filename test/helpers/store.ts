// A real store holding backfilled apimon history, Prometheus by default:
// - Prometheus: OpenMetrics text -> `promtool tsdb create-blocks-from openmetrics`, then
//   Prometheus started on those blocks with the given rule files, and optionally the recording
//   rules backfilled over the whole history with `promtool tsdb create-blocks-from rules`
//   (Prometheus only evaluates rules from the moment it starts), in passes where rules read other
//   rules (recordingPasses of the contract: each pass's blocks are loaded before the next runs);
// - VictoriaMetrics (store: 'victoriametrics'): the same text through its own import path
//   (/api/v1/import/prometheus), the rule files checked by `vmalert -dryRun` (MetricsQL), and the
//   recording rules backfilled by `vmalert` in replay mode, pass after pass.
// Used by the provisioning tests and bench/dashboards.ts.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import type { RecordingGroup } from '@apimon/core';
import { freePort, terminate, waitFor } from './prometheus';
import type { StoreKind } from './stores';
import {
  checkRules,
  importOpenMetrics,
  replayRules,
  startVictoriaMetrics,
  victoriaMetricsAvailable,
} from './victoria-metrics';

export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? 'promtool';
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
/** promtool's default block size for the rules backfill. */
const RULE_BLOCK_MS = 2 * 3600_000;

export interface StoreOptions {
  /** Which store (default prometheus). */
  store?: StoreKind;
  /** The history as OpenMetrics text, or the path of a file holding it. */
  openMetrics: string | { file: string };
  /** Rule files (absolute paths) loaded by Prometheus. */
  ruleFiles: string[];
  /** Backfill these recording-rule files, each over its own [startMs, endMs] (absolute paths). */
  backfillRules?:
    { files: string[]; startMs: number; endMs: number } | Array<{ files: string[]; startMs: number; endMs: number }>;
  /**
   * Backfill recording groups in dependency passes over [startMs, endMs], after backfillRules:
   * pass n reads what passes before it recorded, so each pass's blocks are loaded (Prometheus
   * restarted on them) before the next one runs. Several sets run in order, each over its own
   * range (later passes over a shorter range, to keep a month-long history quick).
   */
  backfillPasses?: PassSet | PassSet[];
  /** Block size for the backfill (a multiple of 2h). */
  maxBlockDuration?: string;
  /**
   * Wait (at most this long) until Prometheus has compacted the backfilled blocks, as a running
   * store would have: the rules backfill writes one block per 2 hours.
   */
  compactionWaitMs?: number;
}

export interface PassSet {
  passes: RecordingGroup[][];
  startMs: number;
  endMs: number;
}

export interface QueryResult {
  resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>;
}

export interface BackfilledStore {
  url: string;
  dir: string;
  instant(expr: string, timeSec: number): Promise<QueryResult>;
  range(expr: string, startSec: number, endSec: number, stepSec: number): Promise<QueryResult>;
  stop(): Promise<void>;
}

export function toolsAvailable(store: StoreKind = 'prometheus'): boolean {
  if (store === 'victoriametrics') {
    return victoriaMetricsAvailable();
  }
  return [PROMTOOL_BIN, PROMETHEUS_BIN].every((bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0);
}

function run(bin: string, args: string[], what: string): void {
  const res = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) {
    throw new Error(
      `${what} failed (${bin} ${args.join(' ')}): ${(res.stderr || res.stdout || String(res.error)).slice(-2000)}`
    );
  }
}

function runAsync(bin: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} failed (${bin} ${args.join(' ')}): ${output}`))
    );
  });
}

interface Process {
  url: string;
  stop(): Promise<void>;
}

async function startPrometheus(dir: string, dataDir: string): Promise<Process> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=400d',
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] }
  );
  child.stderr!.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const stop = () => terminate(child, 10_000);
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`prometheus exited with code ${child.exitCode}: ${log.trim()}`);
        }
        return (await fetch(`${url}/-/ready`)).ok;
      },
      60_000,
      `Prometheus at ${url} to become ready`
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

async function api(url: string, path: string, params: Record<string, string>): Promise<QueryResult> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  const body = (await res.json()) as { status: string; error?: string; data?: QueryResult };
  if (body.status !== 'success' || !body.data) {
    throw new Error(`${params.query}: ${body.error ?? `HTTP ${res.status}`}`);
  }
  return body.data;
}

async function tsdbMetric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

/** Until the number of loaded blocks stops falling (Prometheus compacts once a minute). */
async function waitForCompaction(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await tsdbMetric(url, 'prometheus_tsdb_blocks_loaded');
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5_000));
    const now = await tsdbMetric(url, 'prometheus_tsdb_blocks_loaded');
    const compactions = await tsdbMetric(url, 'prometheus_tsdb_compactions_total');
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (compactions > 0 && Date.now() - stableSince > 75_000) {
      return;
    }
  }
}

function backfilledStore(url: string, dir: string, stop: () => Promise<void>): BackfilledStore {
  return {
    url,
    dir,
    instant: (expr, timeSec) => api(url, '/api/v1/query', { query: expr, time: String(timeSec) }),
    range: (expr, startSec, endSec, stepSec) =>
      api(url, '/api/v1/query_range', {
        query: expr,
        start: String(startSec),
        end: String(endSec),
        step: String(stepSec),
      }),
    stop,
  };
}

const backfillsOf = (options: StoreOptions) =>
  options.backfillRules === undefined
    ? []
    : Array.isArray(options.backfillRules)
      ? options.backfillRules
      : [options.backfillRules];

/** Every recording pass, in order, each with the range its set backfills. */
const passesOf = (options: StoreOptions) =>
  (options.backfillPasses === undefined
    ? []
    : Array.isArray(options.backfillPasses)
      ? options.backfillPasses
      : [options.backfillPasses]
  ).flatMap((set) => set.passes.map((groups) => ({ groups, startMs: set.startMs, endMs: set.endMs })));

const passFile = (dir: string, n: number, groups: RecordingGroup[]) => {
  const file = join(dir, `rules-pass-${n}.yml`);
  writeFileSync(
    file,
    stringify({
      groups: groups.map((g) => ({
        name: g.name,
        interval: g.interval,
        rules: g.rules.map((r) => ({ record: r.record, expr: r.expr })),
      })),
    })
  );
  return file;
};

async function startBackfilledVictoriaMetrics(options: StoreOptions): Promise<BackfilledStore> {
  // vmalert parses the rule files with the MetricsQL parser: every expression must be valid there.
  await checkRules(options.ruleFiles);
  // vmalert runs the rule files as a live deployment would, and answers /api/v1/rules through the store.
  const vm = await startVictoriaMetrics({ ruleFiles: options.ruleFiles });
  try {
    await importOpenMetrics(vm, options.openMetrics);
    await Promise.all(backfillsOf(options).map(({ files, startMs, endMs }) => replayRules(vm, files, startMs, endMs)));
    for (const [n, { groups, startMs, endMs }] of passesOf(options).entries()) {
      await replayRules(vm, [passFile(vm.dir, n, groups)], startMs, endMs);
    }
  } catch (err) {
    await vm.stop();
    throw err;
  }
  return backfilledStore(vm.url, vm.dir, vm.stop);
}

export async function startBackfilledStore(options: StoreOptions): Promise<BackfilledStore> {
  if (options.store === 'victoriametrics') {
    return startBackfilledVictoriaMetrics(options);
  }
  const dir = mkdtempSync(join(tmpdir(), 'apimon-store-'));
  const dataDir = join(dir, 'data');
  let proc: Process | undefined;
  try {
    const input = typeof options.openMetrics === 'string' ? join(dir, 'history.om') : options.openMetrics.file;
    if (typeof options.openMetrics === 'string') {
      writeFileSync(input, options.openMetrics);
    }
    run(
      PROMTOOL_BIN,
      [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        '--quiet',
        `--max-block-duration=${options.maxBlockDuration ?? '2h'}`,
        input,
        dataDir,
      ],
      'backfilling the synthetic history'
    );
    if (typeof options.openMetrics === 'string') {
      rmSync(input);
    }
    const ruleNames = options.ruleFiles.map((file) => {
      copyFileSync(file, join(dir, basename(file)));
      return basename(file);
    });
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nrule_files:\n${ruleNames.map((n) => `  - ${n}\n`).join('')}`
    );
    proc = await startPrometheus(dir, dataDir);

    const backfill = async (n: number, files: string[], startMs: number, endMs: number) => {
      const out = join(dir, `rules-backfill-${n}`);
      // promtool evaluates each group at its own hash-offset times and stops a rule at the first
      // 2-hour block that holds none of them: a start late in a block lost every hourly rule.
      // From the block's beginning every block holds one (the queries before the data are empty).
      const blockStartMs = Math.floor(startMs / RULE_BLOCK_MS) * RULE_BLOCK_MS;
      await runAsync(
        PROMTOOL_BIN,
        [
          'tsdb',
          'create-blocks-from',
          'rules',
          `--start=${blockStartMs / 1000}`,
          `--end=${Math.floor(endMs / 1000)}`,
          `--url=${proc!.url}`,
          `--output-dir=${out}`,
          '--eval-interval=60s',
          ...files,
        ],
        'backfilling the recording rules'
      );
      return out;
    };
    const load = async (outs: string[]) => {
      await proc!.stop();
      for (const out of outs) {
        for (const block of readdirSync(out)) {
          renameSync(join(out, block), join(dataDir, block));
        }
      }
      proc = await startPrometheus(dir, dataDir);
    };
    const backfills = backfillsOf(options);
    // The backfills run side by side (each is a promtool process querying this Prometheus).
    const outs = await Promise.all(backfills.map(({ files, startMs, endMs }, n) => backfill(n, files, startMs, endMs)));
    if (outs.length > 0) {
      await load(outs);
    }
    for (const [n, { groups, startMs, endMs }] of passesOf(options).entries()) {
      const file = passFile(dir, n, groups);
      await load([await backfill(backfills.length + n, [file], startMs, endMs)]);
    }
    if (options.compactionWaitMs) {
      await waitForCompaction(proc.url, options.compactionWaitMs);
    }
  } catch (err) {
    await proc?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const running = proc;
  return backfilledStore(running.url, dir, async () => {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  });
}
