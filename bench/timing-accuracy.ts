// Timing error of apimon's probe against an injected delay, with 200 probes in flight at once,
// and of blackbox_exporter's probe in the same run as the peer.
//
// The loopback target (its own process) answers /delay?ms=D after D ms and records the delay it
// really applied (its timers may fire late when busy). For every probe we report
//   ttfb - D      the error against the injected delay, what a user would compare against;
//   total - D     the whole probe (connect + ttfb + transfer) against the injected delay;
//   ttfb - applied  against what the server's handler did (its queue before the handler stays in);
//   ttfb - wire   against the kernel's packet timestamps of the request going out and the
//                 response coming back (bench/support/wire-ttfb.py, needs root): the prober's
//                 own error alone.
// apimon's ttfb runs from TCP connect to the response head; blackbox_exporter's counterpart is
// its `processing` phase (request written to first response byte), read from the /probe output.
// Three load shapes:
//   spread: 200 probes always in flight, their starts spread over D (as the scheduler's jitter
//           spreads real runs), new probes starting as others finish, 1,000 probes in all;
//   burst:  200 probes started in the same tick, five times: the worst case, every response
//           arriving at once (apimon only: the target's own queue dominates it);
//   single: 50 probes in sequence, D = 100 ms: the floor this (shared) machine allows now.
// apimon and blackbox_exporter alternate shape by shape, so background load hits both alike.
//
// Run: npx tsx bench/timing-accuracy.ts
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { probeEndpoint } from '../packages/prober/src/probe';
import { probeTargets } from './support/catalog';
import { freePort, percentile, startChild, startTarget } from './support/proc';

const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 1000);
const IN_FLIGHT = 200;
const TOTAL = 1000;
const SINGLE_DELAY_MS = 100;
const SINGLE_SAMPLES = 50;
const ROUNDS = 3;
const BLACKBOX = '/usr/bin/prometheus-blackbox-exporter';

interface Sample {
  id: string;
  ttfb: number;
  total: number;
}

export interface ErrorStats {
  p50: number;
  p99: number;
  max: number;
}

export interface ShapeResult {
  delayMs: number;
  samples: number;
  ttfbMinusD: ErrorStats;
  totalMinusD: ErrorStats;
  ttfbMinusApplied: ErrorStats;
  /**
   * Against the wire: the prober's ttfb minus the kernel's time from the request's first data
   * segment to the response's (bench/support/wire-ttfb.py), i.e. the prober's own timing error
   * alone; null where no packet socket could be opened (it needs root).
   */
  ttfbMinusWire: (ErrorStats & { samples: number }) | null;
}

export interface TimingResult {
  delayMs: number;
  inFlight: number;
  rounds: number;
  /** spread and single: the round with the median p99(ttfb - D). */
  apimon: { spread: ShapeResult; burst: ShapeResult; single: ShapeResult };
  blackbox: { spread: ShapeResult; single: ShapeResult };
  /** p99(ttfb - D) of every spread round, in order. */
  spreadP99Rounds: { apimon: number[]; blackbox: number[] };
  /** apimon's garbage-collection pauses during its spread rounds (this process is the prober). */
  apimonGcPauses: { count: number; p50Ms: number; maxMs: number; totalMs: number; byKind: Record<string, number> };
  /** The target's own lateness (applied - D) in the spread rounds (median round): part of every ttfb - D. */
  targetLateness: ErrorStats;
}

const stats = (values: number[]): ErrorStats => ({
  p50: +percentile(values, 50).toFixed(3),
  p99: +percentile(values, 99).toFixed(3),
  max: +Math.max(...values).toFixed(3),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// perf_hooks' constants.NODE_PERFORMANCE_GC_* values.
const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };

/** GC pauses of this process while started, from perf_hooks' gc entries. */
function pauseRecorder() {
  const pauses: number[] = [];
  const byKind: Record<string, number> = {};
  let on = false;
  new PerformanceObserver((list) => {
    if (on) {
      for (const entry of list.getEntries()) {
        pauses.push(entry.duration);
        const kind = GC_KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    start: () => (on = true),
    stop: () => (on = false),
    summary: () => ({
      count: pauses.length,
      p50Ms: pauses.length ? +percentile(pauses, 50).toFixed(2) : 0,
      maxMs: pauses.length ? +Math.max(...pauses).toFixed(2) : 0,
      totalMs: +pauses.reduce((a, b) => a + b, 0).toFixed(1),
      byKind,
    }),
  };
}

type ProbeOne = (id: string, delayMs: number) => Promise<Sample>;

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) {
    throw new Error(`blackbox_exporter output has no ${name}`);
  }
  return Number(line.slice(name.length + 1));
}

async function startBlackbox(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'apimon-bench-'));
  const config = join(dir, 'blackbox.yml');
  writeFileSync(config, ['modules:', '  http_2xx:', '    prober: http', '    timeout: 10s', '    http:', '      preferred_ip_protocol: ip4', ''].join('\n'));
  const port = await freePort();
  const child = await startChild(BLACKBOX, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`], /Listening on/i);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Wire ttfb per probe id from kernel packet timestamps (bench/support/wire-ttfb.py), or null
 * where a packet socket cannot be opened (it needs root). The sniffer writes to a file, read
 * between rounds, so that this process (the prober being measured) does no work for it.
 */
async function startWireClock(port: number): Promise<{ read(): Map<string, number>; stop(): Promise<void> } | null> {
  const dir = mkdtempSync(join(tmpdir(), 'apimon-wire-'));
  const file = join(dir, 'wire.jsonl');
  const out = openSync(file, 'w');
  const child = spawn('python3', [join(__dirname, 'support', 'wire-ttfb.py'), String(port)], { stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  let stderr = '';
  let running = true;
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'error' (no python3) or 'close' (it exited): either way there is nothing left to stop.
  const ended = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      stderr += err.message;
      running = false;
      resolve();
    });
    child.once('close', () => {
      running = false;
      resolve();
    });
  });
  const stop = async () => {
    if (running) {
      child.kill('SIGINT');
      await ended;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (readFileSync(file, 'utf8').startsWith('READY')) {
      return {
        read: () =>
          new Map(
            readFileSync(file, 'utf8')
              .split('\n')
              .filter((line) => line.startsWith('{'))
              .map((line) => JSON.parse(line) as { id: string; ms: number })
              .map(({ id, ms }) => [id, ms])
          ),
        stop,
      };
    }
    if (!running) {
      break;
    }
    await sleep(50);
  }
  await stop();
  process.stderr.write(`no wire timestamps: ${stderr.trim() || 'the sniffer did not start'}\n`);
  return null;
}

export async function runTimingAccuracy(): Promise<TimingResult> {
  const target = await startTarget();
  const wire = await startWireClock(target.port);
  const blackbox = await startBlackbox();
  try {
    const base = `http://127.0.0.1:${target.port}`;
    const delayUrl = (id: string, delayMs: number) => `${base}/delay?ms=${delayMs}&id=${id}`;
    let targetLateness: number[] = [];
    const applied = async (): Promise<Record<string, number>> => {
      const byId = (await (await fetch(`${base}/applied`)).json()) as Record<string, number>;
      targetLateness = Object.values(byId).map((ms) => ms - DELAY_MS);
      return byId;
    };

    // apimon: every endpoint is built before any timing starts (parsing a catalog is not part
    // of a probe), one per probe id so that each URL carries its id.
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const apimonTargets = new Map<string, ReturnType<typeof probeTargets>[number]>();
    const build = (idList: string[], delayMs: number) => {
      for (const [i, t] of probeTargets(idList.map((id) => delayUrl(id, delayMs))).entries()) {
        apimonTargets.set(idList[i], t);
      }
    };
    build(ids('aw', 50), DELAY_MS);
    build(ids('ab', TOTAL), DELAY_MS);
    for (let round = 0; round < ROUNDS; round++) {
      build(ids(`as${round}-`, TOTAL), DELAY_MS);
      build(ids(`aq${round}-`, SINGLE_SAMPLES), SINGLE_DELAY_MS);
    }
    const apimonProbe: ProbeOne = async (id) => {
      const { api, endpoint } = apimonTargets.get(id)!;
      const result = await probeEndpoint(api, endpoint);
      if (result.outcome !== 'ok') {
        throw new Error(`apimon probe ${id} failed: ${result.outcome} ${result.error ?? ''}`);
      }
      return { id, ttfb: result.phases.ttfb, total: result.durationMs };
    };
    const blackboxProbe: ProbeOne = async (id, delayMs) => {
      const url = `${blackbox.url}/probe?module=http_2xx&target=${encodeURIComponent(delayUrl(id, delayMs))}`;
      const text = await (await fetch(url)).text();
      if (metricValue(text, 'probe_success') !== 1) {
        throw new Error(`blackbox_exporter probe ${id} failed:\n${text}`);
      }
      return {
        id,
        ttfb: metricValue(text, 'probe_http_duration_seconds{phase="processing"}') * 1000,
        total: metricValue(text, 'probe_duration_seconds') * 1000,
      };
    };

    const summarise = async (samples: Sample[], delayMs: number): Promise<ShapeResult> => {
      const appliedMs = await applied();
      // The sniffer writes a response as it sees it; the prober may have been quicker.
      await sleep(200);
      const wireMs = wire?.read() ?? new Map<string, number>();
      const onWire = samples.filter((s) => wireMs.has(s.id));
      return {
        delayMs,
        samples: samples.length,
        ttfbMinusD: stats(samples.map((s) => s.ttfb - delayMs)),
        totalMinusD: stats(samples.map((s) => s.total - delayMs)),
        ttfbMinusApplied: stats(samples.map((s) => s.ttfb - appliedMs[s.id])),
        ttfbMinusWire: onWire.length ? { ...stats(onWire.map((s) => s.ttfb - wireMs.get(s.id)!)), samples: onWire.length } : null,
      };
    };
    // IN_FLIGHT probes always going, their starts spaced D / IN_FLIGHT apart at first.
    const spread = async (probe: ProbeOne, prefix: string): Promise<ShapeResult> => {
      const samples: Sample[] = [];
      let next = 0;
      const worker = async (slot: number) => {
        await sleep((slot * DELAY_MS) / IN_FLIGHT);
        while (next < TOTAL) {
          samples.push(await probe(`${prefix}${next++}`, DELAY_MS));
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, (_, slot) => worker(slot)));
      return summarise(samples, DELAY_MS);
    };
    const burst = async (probe: ProbeOne, prefix: string): Promise<ShapeResult> => {
      const samples: Sample[] = [];
      for (let round = 0; round < TOTAL / IN_FLIGHT; round++) {
        samples.push(...(await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => probe(`${prefix}${round * IN_FLIGHT + i}`, DELAY_MS)))));
      }
      return summarise(samples, DELAY_MS);
    };
    const single = async (probe: ProbeOne, prefix: string): Promise<ShapeResult> => {
      const samples: Sample[] = [];
      for (let i = 0; i < SINGLE_SAMPLES; i++) {
        samples.push(await probe(`${prefix}${i}`, SINGLE_DELAY_MS));
      }
      return summarise(samples, SINGLE_DELAY_MS);
    };

    // Warm-up: JIT and connection code paths, both probers.
    await Promise.all(ids('aw', 50).map((id) => apimonProbe(id, DELAY_MS)));
    await Promise.all(ids('bw', 50).map((id) => blackboxProbe(id, DELAY_MS)));
    await applied();

    // Rounds alternate between the probers; the round with the median p99 is reported.
    const rounds: Record<'apimonSpread' | 'blackboxSpread' | 'apimonSingle' | 'blackboxSingle', ShapeResult[]> = {
      apimonSpread: [],
      blackboxSpread: [],
      apimonSingle: [],
      blackboxSingle: [],
    };
    const lateness: ErrorStats[] = [];
    const gcPauses = pauseRecorder();
    for (let round = 0; round < ROUNDS; round++) {
      gcPauses.start();
      rounds.apimonSpread.push(await spread(apimonProbe, `as${round}-`));
      gcPauses.stop();
      lateness.push(stats(targetLateness));
      rounds.blackboxSpread.push(await spread(blackboxProbe, `bs${round}-`));
      lateness.push(stats(targetLateness));
      rounds.apimonSingle.push(await single(apimonProbe, `aq${round}-`));
      rounds.blackboxSingle.push(await single(blackboxProbe, `bq${round}-`));
    }
    const medianRound = (results: ShapeResult[]) => [...results].sort((a, b) => a.ttfbMinusD.p99 - b.ttfbMinusD.p99)[Math.floor(results.length / 2)];
    const apimonBurst = await burst(apimonProbe, 'ab');
    return {
      delayMs: DELAY_MS,
      inFlight: IN_FLIGHT,
      rounds: ROUNDS,
      apimon: { spread: medianRound(rounds.apimonSpread), burst: apimonBurst, single: medianRound(rounds.apimonSingle) },
      blackbox: { spread: medianRound(rounds.blackboxSpread), single: medianRound(rounds.blackboxSingle) },
      spreadP99Rounds: {
        apimon: rounds.apimonSpread.map((r) => r.ttfbMinusD.p99),
        blackbox: rounds.blackboxSpread.map((r) => r.ttfbMinusD.p99),
      },
      apimonGcPauses: gcPauses.summary(),
      targetLateness: [...lateness].sort((a, b) => a.p99 - b.p99)[Math.floor(lateness.length / 2)],
    };
  } finally {
    await wire?.stop();
    await blackbox.stop();
    await target.stop();
  }
}

if (require.main === module) {
  runTimingAccuracy().then(
    (r) => {
      const rows: Array<[string, string, ShapeResult]> = [
        ...Object.entries(r.apimon).map(([shape, s]) => ['apimon', shape, s] as [string, string, ShapeResult]),
        ...Object.entries(r.blackbox).map(([shape, s]) => ['blackbox', shape, s] as [string, string, ShapeResult]),
      ];
      for (const [prober, shape, s] of rows) {
        console.log(
          `${prober} ${shape}: ttfb-D p50 ${s.ttfbMinusD.p50} p99 ${s.ttfbMinusD.p99} ms; total-D p50 ${s.totalMinusD.p50} p99 ${s.totalMinusD.p99} ms; ` +
            `ttfb-applied p50 ${s.ttfbMinusApplied.p50} p99 ${s.ttfbMinusApplied.p99} ms; ` +
            `ttfb-wire ${s.ttfbMinusWire ? `p50 ${s.ttfbMinusWire.p50} p99 ${s.ttfbMinusWire.p99} max ${s.ttfbMinusWire.max} ms (${s.ttfbMinusWire.samples})` : 'n/a'}`
        );
      }
      console.log(`spread p99 by round: apimon ${r.spreadP99Rounds.apimon.join(', ')}; blackbox ${r.spreadP99Rounds.blackbox.join(', ')}`);
      console.log(`apimon GC pauses (spread rounds): ${JSON.stringify(r.apimonGcPauses)}`);
      console.log(`target lateness (spread): p50 ${r.targetLateness.p50} p99 ${r.targetLateness.p99} ms`);
      console.log(`RESULT ${JSON.stringify(r)}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    }
  );
}
