// Runs every prober benchmark, each in its own process, and writes bench/RESULTS.md.
//
// Run: npm run bench   (or: npx tsx bench/all.ts)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fairnessSection, type FairnessResult } from './fairness';
import type { ProbeCpuResult } from './probe-cpu';
import type { RssResult } from './rss';
import { slotCostSection, type SlotCostResult } from './slot-cost';
import type { ShapeResult, TimingResult } from './timing-accuracy';

const TSX = join(__dirname, '..', 'node_modules', '.bin', 'tsx');

function runBench<T>(file: string, nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [...nodeArgs, join(__dirname, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
const OWN_SECTIONS = [
  '## CPU per 1,000 HTTP probes',
  '## Timing error against an injected delay',
  '## Memory with ',
  '## Start delay of a critical endpoint',
  '## What a hanging probe costs',
];

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
  const fairness = await runBench<FairnessResult>('fairness.ts');
  const slots = await runBench<SlotCostResult>('slot-cost.ts', ['--expose-gc']);
  const loadAfter = load();

  const wireCells = (t: ShapeResult) => (t.ttfbMinusWire ? `${t.ttfbMinusWire.p50} | ${t.ttfbMinusWire.p99}` : '– | –');
  const timingRow = (prober: string, shape: string, t: ShapeResult) =>
    `| ${prober} | ${shape} | ${t.ttfbMinusD.p50} | ${t.ttfbMinusD.p99} | ${t.totalMinusD.p50} | ${t.totalMinusD.p99} | ${t.ttfbMinusApplied.p50} | ${t.ttfbMinusApplied.p99} | ${wireCells(t)} |`;
  const apimonWire = timing.apimon.spread.ttfbMinusWire;
  const blackboxWire = timing.blackbox.spread.ttfbMinusWire;
  const timingRatio = +(timing.apimon.spread.ttfbMinusD.p99 / timing.blackbox.spread.ttfbMinusD.p99).toFixed(2);
  const md = `# Benchmarks

Benchmarks are not part of \`npm test\`. Each section names the command that reproduces it.
The prober's five (the next sections) run with \`npm run bench\` (about 10 minutes; each alone
under 7: \`npx tsx bench/probe-cpu.ts\`, \`npx tsx bench/timing-accuracy.ts\`,
\`npx tsx bench/rss.ts\`, \`npx tsx bench/fairness.ts\`, \`npx tsx --expose-gc bench/slot-cost.ts\`),
which rewrites only those sections of this file.

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
apimon's ttfb (TCP connect to response head) against blackbox_exporter's \`processing\` phase
(request written to first response byte), same target, same run, rounds alternating between the
two. *spread*: ${timing.inFlight} probes always in flight, their starts spread over D as the scheduler's
jitter spreads real runs, ${timing.apimon.spread.samples} probes per round. *single*: ${timing.apimon.single.samples} probes one at a time,
D = ${timing.apimon.single.delayMs} ms: the floor the machine allows at the moment. *burst* (apimon only): ${timing.inFlight} probes
started in the same tick, the target's own queue included. Of ${timing.rounds} rounds per prober and shape,
the one with the median p99(ttfb − D) is shown. Milliseconds:

| prober | shape | ttfb − D p50 | ttfb − D p99 | total − D p50 | total − D p99 | ttfb − applied p50 | ttfb − applied p99 | ttfb − wire p50 | ttfb − wire p99 |
|---|---|---|---|---|---|---|---|---|---|
${timingRow('apimon', 'spread', timing.apimon.spread)}
${timingRow('blackbox_exporter', 'spread', timing.blackbox.spread)}
${timingRow('apimon', 'single', timing.apimon.single)}
${timingRow('blackbox_exporter', 'single', timing.blackbox.single)}
${timingRow('apimon', 'burst', timing.apimon.burst)}

p99(ttfb − D) of each spread round: apimon ${timing.spreadP99Rounds.apimon.join(', ')}; blackbox_exporter ${timing.spreadP99Rounds.blackbox.join(', ')}.
The target's own lateness (applied − D, spread) is p50 ${timing.targetLateness.p50}, p99 ${timing.targetLateness.p99} ms; it is part of ttfb − D
for both probers, and ttfb − applied leaves it out. apimon's garbage collector paused it ${timing.apimonGcPauses.count} times (${Object.entries(
    timing.apimonGcPauses.byKind
  )
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ')})
during its ${timing.rounds} spread rounds (median ${timing.apimonGcPauses.p50Ms} ms, longest ${timing.apimonGcPauses.maxMs} ms, ${timing.apimonGcPauses.totalMs} ms in all): a response
landing during a pause is read when it ends.

*ttfb − wire* is each prober's own error: its ttfb against the kernel's time from the request's
first data segment to the response's on the loopback interface, from packet timestamps
(\`bench/support/wire-ttfb.py\`, a packet socket, so it needs root; "–" without). It leaves out
everything the target does${
    apimonWire && blackboxWire
      ? `: apimon p50 ${apimonWire.p50} ms, p99 ${apimonWire.p99} ms; blackbox_exporter p50 ${blackboxWire.p50} ms, p99 ${blackboxWire.p99} ms (spread)`
      : ''
  }.

Ratio apimon / blackbox_exporter, p99(ttfb − D) spread: **${timingRatio}** (≤ 1: ${verdict(timingRatio <= 1)}).
Target p99(ttfb − D) ≤ 1 ms with ${timing.inFlight} concurrent probes (spread): ${verdict(timing.apimon.spread.ttfbMinusD.p99 <= 1)}${
    timing.blackbox.spread.ttfbMinusD.p99 > 1 && timing.blackbox.single.ttfbMinusD.p99 > 1
      ? `; blackbox_exporter does not meet it either on this machine (spread ${timing.blackbox.spread.ttfbMinusD.p99} ms, single ${timing.blackbox.single.ttfbMinusD.p99} ms)`
      : ''
  }.
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
apimon keeps V8's defaults all the same: with that flag the timing benchmark's apimon spread
rounds paused for 89 collections (221.9 ms in all) instead of 8 (47.8 ms), and the p99 timing
error rose from 3.6 to 6.1 ms (2026-11-24, load ~0.7; reproduce with
\`NODE_OPTIONS=--max-semi-space-size=2 npx tsx bench/timing-accuracy.ts\`).

${fairnessSection(fairness)}
${slotCostSection(slots)}`;
  const file = join(__dirname, 'RESULTS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, mergeResults(md, previous));
  console.log('wrote bench/RESULTS.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
