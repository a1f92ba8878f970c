// /metrics cost with many endpoints: the prober's probe histograms (TextHistogram) against
// prom-client's Histogram holding the same series, rendered in the same process and run.
//
// Run: npx tsx bench/exposition.ts [endpoints]   (default 1000; prints a RESULT line as JSON)
import { DURATION_BUCKETS, PHASES, SIZE_BUCKETS } from '@apimon/core';
import { Histogram, Registry } from 'prom-client';
import { TextHistogram } from '../packages/prober/src/histogram';

const ENDPOINTS = Number(process.argv[2] ?? 1000);
const ROUNDS = 7;
const LABELS = ['api', 'endpoint', 'provider', 'location'];

export interface ExpositionResult {
  endpoints: number;
  lines: number;
  megabytes: number;
  promClientMs: number;
  apimonMs: number;
  promClientRoundsMs: number[];
  apimonRoundsMs: number[];
  ratio: number;
}

function build() {
  const registry = new Registry();
  const theirs = [
    new Histogram({
      name: 'apimon_probe_duration_seconds',
      help: 'd',
      buckets: DURATION_BUCKETS,
      labelNames: LABELS,
      registers: [registry],
    }),
    new Histogram({
      name: 'apimon_probe_phase_duration_seconds',
      help: 'p',
      buckets: DURATION_BUCKETS,
      labelNames: [...LABELS, 'phase'],
      registers: [registry],
    }),
    new Histogram({
      name: 'apimon_probe_response_bytes',
      help: 'b',
      buckets: SIZE_BUCKETS,
      labelNames: LABELS,
      registers: [registry],
    }),
  ];
  const ours = [
    new TextHistogram('apimon_probe_duration_seconds', 'd', DURATION_BUCKETS, LABELS),
    new TextHistogram('apimon_probe_phase_duration_seconds', 'p', DURATION_BUCKETS, [...LABELS, 'phase']),
    new TextHistogram('apimon_probe_response_bytes', 'b', SIZE_BUCKETS, LABELS),
  ];
  for (let i = 0; i < ENDPOINTS; i++) {
    const labels = {
      api: `api-${i % 200}`,
      endpoint: `endpoint-${i}`,
      provider: `provider-${i % 40}`,
      location: 'eu-west',
    };
    for (let n = 0; n < 3; n++) {
      const seconds = 0.05 + ((i * 7 + n * 13) % 100) / 200;
      theirs[0].observe(labels, seconds);
      ours[0].observe(labels, seconds);
      for (const phase of PHASES) {
        theirs[1].observe({ ...labels, phase }, seconds / 5);
        ours[1].observe({ ...labels, phase }, seconds / 5);
      }
      theirs[2].observe(labels, 2048 + i);
      ours[2].observe(labels, 2048 + i);
    }
  }
  return { registry, ours };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { registry, ours } = build();
  const renderOurs = () => ours.map((h) => h.render()).join('');
  // Warm-up, and a check that both describe the same series.
  const reference = await registry.metrics();
  const mine = renderOurs();
  const count = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  if (count(reference) !== count(mine)) {
    throw new Error(`line counts differ: prom-client ${count(reference)}, apimon ${count(mine)}`);
  }
  const theirsMs: number[] = [];
  const oursMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    Buffer.byteLength(await registry.metrics());
    theirsMs.push(Math.round(performance.now() - t));
    t = performance.now();
    Buffer.byteLength(renderOurs());
    oursMs.push(Math.round(performance.now() - t));
  }
  const result: ExpositionResult = {
    endpoints: ENDPOINTS,
    lines: count(mine),
    megabytes: +(Buffer.byteLength(mine) / 1e6).toFixed(1),
    promClientMs: median(theirsMs),
    apimonMs: median(oursMs),
    promClientRoundsMs: theirsMs,
    apimonRoundsMs: oursMs,
    ratio: +(median(oursMs) / median(theirsMs)).toFixed(2),
  };
  process.stdout.write(
    `probe histograms of ${ENDPOINTS} endpoints (${result.lines} lines, ${result.megabytes} MB): ` +
      `prom-client ${result.promClientMs} ms, apimon ${result.apimonMs} ms per render (median of ${ROUNDS}); ratio ${result.ratio}\n`
  );
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

void main();
