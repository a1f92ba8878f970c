// Runs every prober benchmark, each in its own process, and writes bench/RESULTS.md.
//
// Run: npm run bench   (or: npx tsx bench/all.ts)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { ProbeCpuResult } from './probe-cpu';
import type { RssResult } from './rss';
import type { TimingResult } from './timing-accuracy';

const TSX = join(__dirname, '..', 'node_modules', '.bin', 'tsx');

function runBench<T>(file: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [join(__dirname, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stdout.write(chunk);
    });
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`${file} failed (exit ${code})`));
      } else {
        resolve(JSON.parse(line.slice('RESULT '.length)) as T);
      }
    });
  });
}

/** The `## ` sections this script writes; every other section of RESULTS.md belongs to another benchmark. */
const OWN_SECTIONS = ['## CPU per 1,000 HTTP probes', '## Timing error against an injected delay', '## Memory with '];

/**
 * Replaces this script's part of RESULTS.md (the title block and OWN_SECTIONS) and keeps every
 * section other benchmarks wrote (bench/frames.ts and others), in their order, after it.
 */
function mergeResults(own: string, previous: string): string {
  const sections = previous.split(/^(?=## )/m).slice(1);
  const foreign = sections.filter((section) => !OWN_SECTIONS.some((heading) => section.startsWith(heading)));
  return [own.trimEnd(), ...foreign.map((section) => section.trimEnd())].join('\n\n') + '\n';
}

const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = load();
  const cpu = await runBench<ProbeCpuResult>('probe-cpu.ts');
  const timing = await runBench<TimingResult>('timing-accuracy.ts');
  const rss = await runBench<RssResult>('rss.ts');
  const loadAfter = load();

  const timingRow = (shape: 'spread' | 'burst' | 'single') => {
    const s = timing[shape];
    return `| ${shape} | ${s.ttfbMinusD.p50} | ${s.ttfbMinusD.p99} | ${s.totalMinusD.p50} | ${s.totalMinusD.p99} | ${s.ttfbMinusApplied.p50} | ${s.ttfbMinusApplied.p99} |`;
  };
  const md = `# Benchmarks

Benchmarks are not part of \`npm test\`. Each section names the command that reproduces it.
The prober's three (the next sections) run with \`npm run bench\` (about 3 minutes; each alone
under 2: \`npx tsx bench/probe-cpu.ts\`, \`npx tsx bench/timing-accuracy.ts\`,
\`npx tsx bench/rss.ts\`), which rewrites only those sections of this file.

Prober benchmarks last run: ${started.toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.
Load average (1 / 5 / 15 min) before: ${loadBefore}; after: ${loadAfter}. The machine is shared:
timing results in particular depend on what else runs; compare runs only at similar load.

## CPU per 1,000 HTTP probes: apimon vs blackbox_exporter

Same loopback target (a Node HTTP server in its own process, counted for neither), same run,
${cpu.concurrency} probes at a time, fresh connection per probe, whole body read. apimon: the probe
function plus recording the result into its Prometheus registry, CPU from \`process.cpuUsage()\`.
blackbox_exporter: \`/probe?target=…&module=http_2xx\` (multi-target pattern), CPU of the exporter
process from \`/proc/<pid>/stat\` (it also renders the metrics for each probe, which is how it is used).
Median of ${cpu.rounds} alternating rounds of ${cpu.probes} probes after a warm-up.

| | CPU ms per 1,000 probes | rounds (ms) |
|---|---|---|
| apimon | ${cpu.apimonCpuMsPer1000} | ${cpu.apimonRoundsMs.join(', ')} |
| blackbox_exporter | ${cpu.blackboxCpuMsPer1000} | ${cpu.blackboxRoundsMs.join(', ')} |

Ratio apimon / blackbox_exporter: **${cpu.ratio}** (target ≤ 1: ${verdict(cpu.ratio <= 1)}).

## Timing error against an injected delay, ${timing.inFlight} probes in flight

The target delays each response by D = ${timing.delayMs} ms and records the delay it really applied.
${timing.samples} probes per shape. *spread*: ${timing.inFlight} probes always in flight, their starts spread
over D as the scheduler's jitter spreads real runs. *burst*: ${timing.inFlight} probes started in the same
tick (worst case: every response arrives at once on one event loop). Milliseconds:

| shape | ttfb − D p50 | ttfb − D p99 | total − D p50 | total − D p99 | ttfb − applied p50 | ttfb − applied p99 |
|---|---|---|---|---|---|---|
${timingRow('spread')}
${timingRow('burst')}
${timingRow('single')}

Target p99(ttfb − D) ≤ 1 ms with ${timing.inFlight} concurrent probes (spread): ${verdict(timing.spread.ttfbMinusD.p99 <= 1)}.
*single* (${timing.single.samples} probes one at a time, D = ${timing.single.delayMs} ms) is the floor the machine allows
at the moment: when it is far above 1 ms, the machine is too busy for this measurement and the
other rows say more about the load than about apimon.
\`total\` includes connect and transfer, so it is always above ttfb.

## Memory with ${rss.apis} configured APIs

\`apimon run\` (the real CLI and service) with a generated catalog of ${rss.apis} APIs (all criticalities,
one endpoint each, a third with documented rate limits) against a loopback target, for ${rss.seconds} s;
RSS of the service process from \`/proc/<pid>/status\` every 0.5 s.

| APIs | RSS at start | max RSS | final RSS | probes done | series exposed |
|---|---|---|---|---|---|
| 1 (baseline) | ${rss.baseline.startRssMb} MB | ${rss.baseline.maxRssMb} MB | ${rss.baseline.finalRssMb} MB | ${rss.baseline.probes} | ${rss.baseline.series} |
| ${rss.apis} | ${rss.startRssMb} MB | ${rss.maxRssMb} MB | ${rss.finalRssMb} MB | ${rss.probes} | ${rss.series} |

Target max RSS ≤ ${rss.limitMb} MB: ${verdict(rss.maxRssMb <= rss.limitMb)}.

Much of the RSS is V8's young generation, not live data: the same 60 s run with
\`NODE_OPTIONS=--max-semi-space-size=2\` peaked at 112.4 MB where runs with the defaults
peaked at 139–159 MB (measured 2026-11-24 at load average ~18; reproduce with
\`BENCH_RSS_SECONDS=60 NODE_OPTIONS=--max-semi-space-size=2 npx tsx bench/rss.ts\`).
`;
  const file = join(__dirname, 'RESULTS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, mergeResults(md, previous));
  console.log('wrote bench/RESULTS.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
