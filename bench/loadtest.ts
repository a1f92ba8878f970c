// The load generator against wrk on the same loopback target, in one run: can `apimon loadtest`
// hold 5,000 requests per second (achieved rate within 2 % of the target), do its latency
// percentiles agree with wrk's, and does it spend at most twice wrk's CPU per 1,000 requests?
//
// apimon: the real CLI (`apimon loadtest --profile step --rates R,R --json`) in its own
//   process; the first stage warms up (JIT, connections), the second is measured: CPU of the
//   process between the two stage lines (from /proc/<pid>/stat), that stage's achieved rate and
//   percentiles.
// wrk: closed-model (a connection sends its next request when the previous answer is in), so
//   it is run at the matched rate: C connections each pausing 10 ms after every answer (a Lua
//   delay()), C calibrated on the target first so that wrk's achieved rate is R. wrk's latency is measured from
//   each send, like apimon's service time; apimon's latency (from the intended start, open
//   model) also holds the generator's own lateness, and is shown beside it. CPU: the wrk
//   process (reaped by a shell, cutime + cstime).
// floor: undici's Pool driven by a bare open-model timer loop (bench/support/undici-floor.mjs),
//   nothing of apimon: what Node and undici cost per request, so apimon's CPU above it is its own.
// The target (bench/support/target-server.mjs) runs in its own process and is counted for
// none. Rounds alternate between the three; the median round of each is reported.
//
// Run: npx tsx bench/loadtest.ts   (prints a JSON line "RESULT {...}" at the end)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuTimesOf, median, startTarget } from './support/proc';

const RATE = Number(process.env.BENCH_LOADTEST_RATE ?? 5000);
const STAGE_SECONDS = Number(process.env.BENCH_LOADTEST_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_LOADTEST_ROUNDS ?? 2);
const WRK_DELAY_MS = 10;
const BIN = join(__dirname, '..', 'packages', 'prober', 'bin', 'apimon.js');
const FLOOR = join(__dirname, 'support', 'undici-floor.mjs');
const CLOCK_TICKS = 100;

export interface GeneratorRound {
  achievedRate: number;
  offeredRate: number;
  requests: number;
  cpuMsPer1000: number;
  userMsPer1000: number;
  systemMsPer1000: number;
  /** Milliseconds. */
  serviceP50: number;
  serviceP99: number;
  latencyP50: number;
  latencyP99: number;
  lagP99: number;
  dropped: number;
  errors: number;
}

export interface WrkRound {
  connections: number;
  achievedRate: number;
  requests: number;
  cpuMsPer1000: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface FloorRound {
  achievedRate: number;
  requests: number;
  dropped: number;
  cpuMsPer1000: number;
  userMsPer1000: number;
  systemMsPer1000: number;
}

export interface LoadtestBenchResult {
  rate: number;
  stageSeconds: number;
  rounds: number;
  apimon: GeneratorRound;
  wrk: WrkRound;
  floor: FloorRound;
  apimonRounds: GeneratorRound[];
  wrkRounds: WrkRound[];
  floorRounds: FloorRound[];
  /** apimon's median achieved rate over the rounds / target. */
  achievedRatio: number;
  /** apimon CPU per 1,000 requests / wrk's. */
  cpuRatio: number;
  /** The floor's CPU per 1,000 requests / wrk's: what Node and undici cost against C. */
  floorRatio: number;
  /** apimon's / the floor's: what apimon's own code adds. */
  overheadRatio: number;
  loadBefore: string;
  loadAfter: string;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

async function runApimon(url: string, dir: string): Promise<GeneratorRound> {
  const catalog = join(dir, 'catalog.yaml');
  writeFileSync(
    catalog,
    `providers: [{ name: bench }]
apis:
  - name: bench
    provider: bench
    criticality: background
    owner: bench
    endpoints:
      - name: ok
        url: ${url}
        # The brakes are off: the warm-up stage drops requests while the process starts (JIT,
        # connections), and this measures the generator, not the guardrails.
        loadTest: { allowed: true, maxRate: ${RATE}, maxConcurrency: 256, abort: { errorRate: 100%, rateLimited: 100% } }
`
  );
  const child = spawn(
    process.execPath,
    [BIN, 'loadtest', '--config', catalog, '--api', 'bench', '--profile', 'step', '--rates', `${RATE},${RATE}`, '--stage-duration', `${STAGE_SECONDS}s`, '--json', '--past-knee', '--run', 'bench'],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let out = '';
  let err = '';
  const cpuAtLine: Array<{ user: number; system: number }> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    const before = out.split('\n').length;
    out += chunk.toString();
    const lines = out.split('\n').length - before;
    for (let i = 0; i < lines; i++) {
      cpuAtLine.push(cpuTimesOf(child.pid!));
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, number & Record<string, number>>);
  const measured = lines.find((l) => (l as unknown as { stage: number }).stage === 2);
  if (code !== 0 || !measured || cpuAtLine.length < 2) {
    throw new Error(`apimon loadtest failed (exit ${code}):\n${err.slice(-2000)}\n${out.slice(-2000)}`);
  }
  const requests = measured.completed;
  const per1000 = (cpuMs: number) => +((cpuMs / requests) * 1000).toFixed(1);
  const ms = (s: number) => +(s * 1000).toFixed(3);
  return {
    achievedRate: +measured.achievedRate.toFixed(1),
    offeredRate: +measured.offeredRate.toFixed(1),
    requests,
    cpuMsPer1000: per1000(cpuAtLine[1].user + cpuAtLine[1].system - cpuAtLine[0].user - cpuAtLine[0].system),
    userMsPer1000: per1000(cpuAtLine[1].user - cpuAtLine[0].user),
    systemMsPer1000: per1000(cpuAtLine[1].system - cpuAtLine[0].system),
    serviceP50: ms(measured.serviceTimeP50Seconds),
    serviceP99: ms(measured.serviceTimeP99Seconds),
    latencyP50: ms(measured.latencyP50Seconds),
    latencyP99: ms(measured.latencyP99Seconds),
    lagP99: ms(measured.scheduleLagP99Seconds),
    dropped: measured.dropped,
    errors: measured.errors,
  };
}

async function runFloor(url: string): Promise<FloorRound> {
  const child = spawn(process.execPath, [FLOOR, url, String(RATE), String(STAGE_SECONDS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (code !== 0 || !line) {
    throw new Error(`the undici floor failed (exit ${code}):\n${out.slice(-2000)}`);
  }
  const { requests, achievedRate, dropped, cpuMsPer1000, userMsPer1000, systemMsPer1000 } = JSON.parse(line) as FloorRound;
  return { achievedRate, requests, dropped, cpuMsPer1000, userMsPer1000, systemMsPer1000 };
}

/** "2.29ms", "812.00us", "1.02s" -> milliseconds. */
function wrkMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!m) {
    return NaN;
  }
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

async function runWrk(url: string, dir: string, connections: number, seconds = STAGE_SECONDS): Promise<WrkRound> {
  const script = join(dir, 'pace.lua');
  writeFileSync(script, `function delay()\n  return ${WRK_DELAY_MS}\nend\n`);
  // The shell reaps wrk, then prints its own stat: cutime + cstime are wrk's CPU.
  const child = spawn('bash', ['-c', `wrk -t1 -c${connections} -d${seconds}s --latency -s ${script} ${url}; echo; echo STAT $(cat /proc/$$/stat)`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const distribution = out.slice(out.indexOf('Latency Distribution'));
  const p50 = wrkMs(/^\s+50%\s+(\S+)/m.exec(distribution)?.[1] ?? '');
  const p99 = wrkMs(/^\s+99%\s+(\S+)/m.exec(distribution)?.[1] ?? '');
  const stat = /STAT (.*)/.exec(out)?.[1] ?? '';
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors: .*?(\d+)/.exec(out)?.[1] ?? 0);
  if (!requests || !Number.isFinite(cpuMs)) {
    throw new Error(`wrk failed:\n${out.slice(-2000)}`);
  }
  return { connections, achievedRate: rate, requests, cpuMsPer1000: +((cpuMs / requests) * 1000).toFixed(1), p50, p99, errors };
}

export async function runLoadtestBench(): Promise<LoadtestBenchResult> {
  const loadBefore = load();
  const target = await startTarget();
  const dir = mkdtempSync(join(tmpdir(), 'apimon-bench-loadtest-'));
  const url = `http://127.0.0.1:${target.port}/ok`;
  // The target is a fresh Node process: warm it (JIT) before either tool is measured, and find
  // how many paced wrk connections make the rate (each sends one request per delay + latency).
  let connections = Math.round((RATE * (WRK_DELAY_MS + 1)) / 1000);
  for (let i = 0; i < 2; i++) {
    const calibration = await runWrk(url, dir, connections, 3);
    connections = Math.max(1, Math.round((connections * RATE) / calibration.achievedRate));
  }
  const apimonRounds: GeneratorRound[] = [];
  const wrkRounds: WrkRound[] = [];
  const floorRounds: FloorRound[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const a = await runApimon(url, dir);
      apimonRounds.push(a);
      console.log(`apimon round ${round + 1}: ${JSON.stringify(a)}  load ${load()}`);
      const f = await runFloor(url);
      floorRounds.push(f);
      console.log(`floor round ${round + 1}: ${JSON.stringify(f)}  load ${load()}`);
      const w = await runWrk(url, dir, connections);
      wrkRounds.push(w);
      console.log(`wrk round ${round + 1}: ${JSON.stringify(w)}  load ${load()}`);
    }
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const byMedian = <T>(rounds: T[], key: (r: T) => number): T => {
    const m = median(rounds.map(key));
    return rounds.reduce((best, r) => (Math.abs(key(r) - m) < Math.abs(key(best) - m) ? r : best));
  };
  const apimon = byMedian(apimonRounds, (r) => r.cpuMsPer1000);
  const wrk = byMedian(wrkRounds, (r) => r.cpuMsPer1000);
  const floor = byMedian(floorRounds, (r) => r.cpuMsPer1000);
  return {
    rate: RATE,
    stageSeconds: STAGE_SECONDS,
    rounds: ROUNDS,
    apimon,
    wrk,
    floor,
    apimonRounds,
    wrkRounds,
    floorRounds,
    achievedRatio: +(median(apimonRounds.map((r) => r.achievedRate)) / RATE).toFixed(4),
    cpuRatio: +(apimon.cpuMsPer1000 / wrk.cpuMsPer1000).toFixed(2),
    floorRatio: +(floor.cpuMsPer1000 / wrk.cpuMsPer1000).toFixed(2),
    overheadRatio: +(apimon.cpuMsPer1000 / floor.cpuMsPer1000).toFixed(2),
    loadBefore,
    loadAfter: load(),
  };
}

if (require.main === module) {
  runLoadtestBench().then(
    (result) => console.log(`RESULT ${JSON.stringify(result)}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    }
  );
}
