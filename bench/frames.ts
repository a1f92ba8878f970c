// Bench: turning a query_range response of 50 series x 8,640 points (30 days at 5 min) into
// frame-ready series, against JSON.parse of the same response, in one run on one machine.
// Target (issue 4): conversion <= 1.5x JSON.parse. Run: npx tsx bench/frames.ts
import { createQueryEngine, type EngineResult, type Transport } from '@apimon/core';

const SERIES = 50;
const POINTS = 8_640;
const STEP_S = 300;
const RUNS = 15;
const START_S = 1_700_000_000;

function responseText(): string {
  const result = [];
  for (let s = 0; s < SERIES; s++) {
    const values: Array<[number, string]> = new Array(POINTS);
    for (let i = 0; i < POINTS; i++) {
      // Realistic sample strings: varying digits, as Prometheus formats floats.
      values[i] = [START_S + i * STEP_S, String(0.05 + ((s * 7919 + i * 104729) % 100000) / 1e6)];
    }
    result.push({ metric: { api: `api-${s}`, endpoint: 'main', provider: `p${s % 7}`, location: 'eu' }, values });
  }
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const text = responseText();
  let parsedForEngine: unknown;
  const transport: Transport = {
    async get(_target, path) {
      if (path === '/api/v1/query_range') {
        return parsedForEngine;
      }
      return { status: 'success', data: { resultType: 'vector', result: [] } };
    },
  };
  const engine = createQueryEngine({
    transport,
    useRecordingRules: false,
    now: () => (START_S + POINTS * STEP_S) * 1000,
  });
  const range = { fromMs: START_S * 1000, toMs: (START_S + POINTS * STEP_S) * 1000, maxDataPoints: POINTS };

  // The data source's frame builder, when it is present in this checkout.
  const framesPath = '../src/datasource/frames';
  let toFrames: ((r: EngineResult) => unknown) | undefined;
  try {
    const mod = (await import(framesPath)) as { resultToFrames?: (r: EngineResult, o: { refId: string }) => unknown };
    if (mod.resultToFrames) {
      toFrames = (r) => mod.resultToFrames!(r, { refId: 'A' });
    }
  } catch {
    toFrames = undefined;
  }

  const parseMs: number[] = [];
  const convertMs: number[] = [];
  const framesMs: number[] = [];
  let points = 0;
  for (let run = 0; run < RUNS + 2; run++) {
    let t = performance.now();
    parsedForEngine = JSON.parse(text);
    const parse = performance.now() - t;

    t = performance.now();
    const result = await engine.run({ kind: 'latency', groupBy: 'endpoint' }, range);
    const convert = performance.now() - t;

    let frames = 0;
    if (toFrames) {
      t = performance.now();
      toFrames(result);
      frames = performance.now() - t;
    }
    points = result.series.reduce((n, s) => n + s.values.length, 0);
    if (run >= 2) {
      // the first two runs warm up the JIT
      parseMs.push(parse);
      convertMs.push(convert);
      framesMs.push(frames);
    }
  }
  const p = median(parseMs);
  const c = median(convertMs);
  const lines = [
    `response: ${SERIES} series x ${POINTS} points = ${points} points, ${(text.length / 1e6).toFixed(1)} MB of JSON; median of ${RUNS} runs (node ${process.version})`,
    `JSON.parse                         ${p.toFixed(1)} ms`,
    `engine conversion (run -> series)  ${c.toFixed(1)} ms   ratio ${(c / p).toFixed(2)}x JSON.parse (target <= 1.5x)`,
  ];
  if (toFrames) {
    const f = median(framesMs);
    lines.push(
      `+ data source DataFrames           ${f.toFixed(1)} ms   ratio (conversion + frames) ${((c + f) / p).toFixed(2)}x JSON.parse`
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = c / p <= 1.5 ? 0 : 1;
}

void main();
