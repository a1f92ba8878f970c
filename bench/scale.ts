// One prober with 10,000 APIs (issue 16), against its peer with 1,000 in the same run: the real
// CLI (`apimon run`) as the npm package and the container image run it (the bundle, built here
// first) with a generated catalog (bench/support/catalog.ts: all criticalities, one
// endpoint each, a third with documented limits) against a loopback target. Per run:
// - RSS from /proc (target for 10,000 APIs: <= 300 MB);
// - CPU per probe: the process's user + system CPU over a measured window / probes completed in
//   it, and the 10,000-API cost as a ratio of the 1,000-API one;
// - /metrics: exposition size (plain and gzip) and scrape time (the median and worst of a few
//   scrapes, as Prometheus asks with Accept-Encoding: gzip);
// - the scheduler's start delay (start minus due time) p99, from apimon_probe_start_delay_seconds
//   summed over every API (histogram_quantile's interpolation);
// - the load average before and after, since this machine is shared.
//
// - the 10,000-API prober twice: with the V8 heap limit docs/topologies.md gives for that size
//   (`--max-old-space-size=192`), as deployed, and without one, where V8 lets garbage pile up
//   as long as the machine has memory (24 GB here) and RSS says little about what it needs;
// - 10,000 https endpoints (https://localhost: DNS, connect, TLS, ttfb and transfer, five phase
//   histograms each, as a real provider has) with the heap limit given for https catalogs;
// - the same 10,000-API catalog as one of four shards (`--shard 1/4`), what docs/topologies.md
//   recommends when one prober is not enough.
//
// Run: npx tsx bench/scale.ts   (BENCH_SCALE_WARMUP_SECONDS=20, BENCH_SCALE_SECONDS=60)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { issueCertificate } from '@apimon/sandbox';
import { largeCatalogYaml } from './support/catalog';
import { cpuMsOf, freePort, median, rssBytesOf, startTarget } from './support/proc';

const WARMUP_SECONDS = Number(process.env.BENCH_SCALE_WARMUP_SECONDS ?? 20);
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 60);
const RSS_TARGET_MB = 300;
const SCRAPES = 5;
const PROBER_DIR = join(__dirname, '..', 'packages', 'prober');
/** Runs the bundle (dist/cli.js) as bin/apimon.js does in the npm package. */
const RUNNER = join(__dirname, 'support', 'run-bundle.cjs');
/** The heap limits docs/topologies.md gives for one prober of 10,000 endpoints, plain http and https. */
const LARGE_HEAP_LIMIT_MB = 192;
const LARGE_HTTPS_HEAP_LIMIT_MB = Number(process.env.BENCH_SCALE_HTTPS_HEAP_MB ?? 256);

export interface ScaleRun {
  apis: number;
  /** `--shard`, when the run is one shard of the catalog. */
  shard?: string;
  /** `--max-old-space-size`, when the run had one. */
  heapLimitMb?: number;
  /** https endpoints (five phases) rather than plain http (two). */
  https?: boolean;
  startRssMb: number;
  maxRssMb: number;
  finalRssMb: number;
  probesInWindow: number;
  probesPerSecond: number;
  cpuMsPerProbe: number;
  /** The metric families with the most series, per API. */
  seriesPerApiTop: string[];
  /** CPU of the whole process over the window, as a share of one core. */
  cpuCores: number;
  metricsBytes: number;
  metricsGzipBytes: number;
  series: number;
  scrapeMedianMs: number;
  scrapeMaxMs: number;
  startDelayP99Ms: number;
  startDelayP50Ms: number;
}

export interface ScaleResult {
  warmupSeconds: number;
  seconds: number;
  rssTargetMb: number;
  loadBefore: string;
  loadAfter: string;
  /** Each run is null when BENCH_SCALE_RUNS leaves it out. */
  small: ScaleRun | null;
  /** 10,000 APIs with the heap limit (as deployed). */
  large: ScaleRun | null;
  /** 10,000 APIs without a heap limit. */
  largeUnlimited: ScaleRun | null;
  /** 10,000 https APIs with the heap limit for https catalogs. */
  largeHttps: ScaleRun | null;
  /** The 10,000-API catalog as one of four shards (docs/topologies.md). */
  shard: ScaleRun | null;
  cpuPerProbeRatio: number | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function samples(exposition: string, name: string): Array<{ labels: string; value: number }> {
  const out: Array<{ labels: string; value: number }> = [];
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      out.push({
        labels: line.slice(name.length, line.lastIndexOf(' ')),
        value: Number(line.slice(line.lastIndexOf(' ') + 1)),
      });
    }
  }
  return out;
}

const sumOf = (exposition: string, name: string) => samples(exposition, name).reduce((s, x) => s + x.value, 0);

/** A quantile of the sum of every series of a histogram, interpolated within a bucket as histogram_quantile does. */
function histogramQuantile(exposition: string, name: string, q: number): number {
  const buckets = new Map<number, number>();
  for (const s of samples(exposition, `${name}_bucket`)) {
    const le = /le="([^"]+)"/.exec(s.labels)?.[1];
    if (le !== undefined) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + s.value);
    }
  }
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted[sorted.length - 1]?.[1] ?? 0;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Infinity) {
        return lower;
      }
      return lower + ((bound - lower) * (rank - below)) / Math.max(1e-9, count - below);
    }
    lower = bound;
    below = count;
  }
  return lower;
}

async function scrape(url: string): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { 'Accept-Encoding': 'gzip' } });
  const text = await res.text();
  return { ms: performance.now() - started, text };
}

interface RunOptions {
  shard?: string;
  heapLimitMb?: number;
  /** https://localhost endpoints: all five phases, as real providers have. */
  https?: boolean;
}

async function measure(
  apis: number,
  targetPort: number,
  { shard, heapLimitMb, https }: RunOptions = {}
): Promise<ScaleRun> {
  const dir = mkdtempSync(join(tmpdir(), 'apimon-scale-'));
  const config = join(dir, 'catalog.yaml');
  writeFileSync(config, largeCatalogYaml(apis, targetPort, https));
  const port = await freePort();
  const placement = shard ? ['--shard', shard] : [];
  const heap = heapLimitMb ? [`--max-old-space-size=${heapLimitMb}`] : [];
  const child = spawn(
    process.execPath,
    [...heap, RUNNER, 'run', '--config', config, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn', ...placement],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: dir,
    }
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}/metrics`;
  try {
    for (let waited = 0; ; waited += 250) {
      try {
        if ((await fetch(url)).ok) {
          break;
        }
      } catch {
        // not listening yet
      }
      if (waited > 60_000) {
        throw new Error(`the prober with ${apis} APIs did not serve /metrics within 60 s`);
      }
      await sleep(250);
    }
    const pid = child.pid!;
    const startRss = rssBytesOf(pid);
    let maxRss = startRss;
    const watch = setInterval(() => (maxRss = Math.max(maxRss, rssBytesOf(pid))), 500);
    try {
      await sleep(WARMUP_SECONDS * 1000);
      // A scrape reads the counters when its render starts, and at 10,000 APIs a render takes
      // seconds: probes are counted between the starts of two scrapes, CPU between the end of the
      // first and the start of the second (no render in it), each as a rate.
      const t0 = performance.now();
      const before = await scrape(url);
      const cpuA = cpuMsOf(pid);
      const tA = performance.now();
      await sleep(SECONDS * 1000);
      const cpuB = cpuMsOf(pid);
      const tB = performance.now();
      const scrapes: Array<{ ms: number; text: string }> = [];
      for (let i = 0; i < SCRAPES; i++) {
        scrapes.push(await scrape(url));
      }
      const first = scrapes[0].text;
      const last = scrapes[scrapes.length - 1].text;
      const probes = sumOf(first, 'apimon_probe_requests_total') - sumOf(before.text, 'apimon_probe_requests_total');
      const probesPerSecond = probes / ((tB - t0) / 1000);
      const cpuMsPerSecond = (cpuB - cpuA) / ((tB - tA) / 1000);
      const lines = last.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
      const families = new Map<string, number>();
      for (const l of lines) {
        const name = l.slice(0, l.search(/[{ ]/)).replace(/_(bucket|sum|count)$/, '');
        families.set(name, (families.get(name) ?? 0) + 1);
      }
      const top = [...families].sort((a, b) => b[1] - a[1]).slice(0, 6);
      return {
        apis,
        ...(shard ? { shard } : {}),
        ...(heapLimitMb ? { heapLimitMb } : {}),
        ...(https ? { https } : {}),
        startRssMb: mb(startRss),
        maxRssMb: mb(maxRss),
        finalRssMb: mb(rssBytesOf(pid)),
        probesInWindow: probes,
        probesPerSecond: +probesPerSecond.toFixed(1),
        cpuMsPerProbe: +(cpuMsPerSecond / Math.max(1e-9, probesPerSecond)).toFixed(3),
        cpuCores: +(cpuMsPerSecond / 1000).toFixed(3),
        seriesPerApiTop: top.map(([name, n]) => `${name} ${+(n / apis).toFixed(1)}`),
        metricsBytes: Buffer.byteLength(last),
        metricsGzipBytes: gzipSync(last).length,
        series: lines.length,
        scrapeMedianMs: +median(scrapes.map((s) => s.ms)).toFixed(1),
        scrapeMaxMs: +Math.max(...scrapes.map((s) => s.ms)).toFixed(1),
        startDelayP99Ms: +(histogramQuantile(last, 'apimon_probe_start_delay_seconds', 0.99) * 1000).toFixed(1),
        startDelayP50Ms: +(histogramQuantile(last, 'apimon_probe_start_delay_seconds', 0.5) * 1000).toFixed(1),
      };
    } finally {
      clearInterval(watch);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
    }
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runScale(): Promise<ScaleResult> {
  execFileSync(process.execPath, [join(PROBER_DIR, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(PROBER_DIR, 'scripts', 'bundle.mjs'), '--clean'], { stdio: 'inherit' });
  const target = await startTarget();
  const loadBefore = loadavg();
  try {
    // BENCH_SCALE_RUNS=shard,https measures only those (to add them to a recorded run).
    const runs = new Set((process.env.BENCH_SCALE_RUNS ?? 'small,large,unlimited,shard,https').split(','));
    const small = runs.has('small') ? await measure(1_000, target.port) : null;
    const large = runs.has('large') ? await measure(10_000, target.port, { heapLimitMb: LARGE_HEAP_LIMIT_MB }) : null;
    const largeUnlimited = runs.has('unlimited') ? await measure(10_000, target.port) : null;
    const shard = runs.has('shard') ? await measure(10_000, target.port, { shard: '1/4' }) : null;
    let largeHttps: ScaleRun | null = null;
    if (runs.has('https')) {
      const tlsTarget = await startTarget(
        issueCertificate({ commonName: 'localhost', altNames: ['localhost', '127.0.0.1'] })
      );
      try {
        largeHttps = await measure(10_000, tlsTarget.port, { heapLimitMb: LARGE_HTTPS_HEAP_LIMIT_MB, https: true });
      } finally {
        await tlsTarget.stop();
      }
    }
    return {
      warmupSeconds: WARMUP_SECONDS,
      seconds: SECONDS,
      rssTargetMb: RSS_TARGET_MB,
      loadBefore,
      loadAfter: loadavg(),
      small,
      large,
      largeUnlimited,
      largeHttps,
      shard,
      cpuPerProbeRatio: small && large ? +(large.cpuMsPerProbe / small.cpuMsPerProbe).toFixed(2) : null,
    };
  } finally {
    await target.stop();
  }
}

if (require.main === module) {
  runScale().then(
    (r) => {
      for (const run of [r.small, r.large, r.largeUnlimited, r.shard, r.largeHttps].filter(
        (x): x is ScaleRun => x !== null
      )) {
        console.log(
          `${run.apis} APIs${run.shard ? ` as shard ${run.shard}` : ''}${run.https ? ' over https' : ''}${run.heapLimitMb ? ` (heap limit ${run.heapLimitMb} MB)` : ''}: RSS start ${run.startRssMb} MB, max ${run.maxRssMb} MB; ${run.probesPerSecond} probes/s at ` +
            `${run.cpuMsPerProbe} ms CPU per probe (${run.cpuCores} cores); /metrics ${run.series} series, ` +
            `${(run.metricsBytes / 1e6).toFixed(2)} MB (${(run.metricsGzipBytes / 1e6).toFixed(2)} MB gzip), scrape median ` +
            `${run.scrapeMedianMs} ms, max ${run.scrapeMaxMs} ms; start delay p50 ${run.startDelayP50Ms} ms, p99 ${run.startDelayP99Ms} ms`
        );
      }
      for (const run of [r.large, r.largeHttps].filter((x): x is ScaleRun => x !== null)) {
        console.log(
          `series per API${run.https ? ' (https)' : ''}, largest families: ${run.seriesPerApiTop.join(', ')}`
        );
      }
      console.log(
        `CPU per probe, 10,000 against 1,000 APIs: x${r.cpuPerProbeRatio ?? '-'}; load average ${r.loadBefore} -> ${r.loadAfter}`
      );
      console.log(`RESULT ${JSON.stringify(r)}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    }
  );
}
