// Timing error of apimon's probe against an injected delay, with 200 probes in flight at once.
//
// The loopback target (its own process) answers /delay?ms=D after D ms and records the delay it
// really applied (its timers may fire late when busy). For every probe we report
//   ttfb - D      the error against the injected delay, what a user would compare against;
//   total - D     the whole probe (connect + ttfb + transfer) against the injected delay;
//   ttfb - applied  the error against what the server really did, i.e. apimon's own error.
// Two load shapes, each with 200 probes in flight:
//   spread: the 200 starts are spread over D (as the scheduler's jitter spreads real runs), and
//           new probes keep starting as others finish, for 1,000 probes in all;
//   burst:  200 probes started in the same tick, five times: the worst case, every response
//           arriving at once on one event loop.
// And, as the floor this machine allows at the moment (it is shared), one probe at a time:
//   single: 50 probes in sequence, D = 100 ms each.
//
// Run: npx tsx bench/timing-accuracy.ts
import { probeEndpoint } from '../packages/prober/src/probe';
import { probeTargets } from './support/catalog';
import { percentile, startTarget } from './support/proc';

const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 1000);
const IN_FLIGHT = 200;
const TOTAL = 1000;

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

export interface TimingResult {
  delayMs: number;
  inFlight: number;
  samples: number;
  spread: { ttfbMinusD: ErrorStats; totalMinusD: ErrorStats; ttfbMinusApplied: ErrorStats };
  burst: { ttfbMinusD: ErrorStats; totalMinusD: ErrorStats; ttfbMinusApplied: ErrorStats };
  single: {
    delayMs: number;
    samples: number;
    ttfbMinusD: ErrorStats;
    totalMinusD: ErrorStats;
    ttfbMinusApplied: ErrorStats;
  };
}

const SINGLE_DELAY_MS = 100;
const SINGLE_SAMPLES = 50;

const stats = (values: number[]): ErrorStats => ({
  p50: +percentile(values, 50).toFixed(3),
  p99: +percentile(values, 99).toFixed(3),
  max: +Math.max(...values).toFixed(3),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runTimingAccuracy(): Promise<TimingResult> {
  const target = await startTarget();
  try {
    const base = `http://127.0.0.1:${target.port}`;
    // Every endpoint is built before any timing starts: parsing a catalog is not part of a probe.
    const singleIds = Array.from({ length: SINGLE_SAMPLES }, (_, i) => `q${i}`);
    const ids = [
      ...Array.from({ length: 50 }, (_, i) => `w${i}`),
      ...Array.from({ length: TOTAL }, (_, i) => `s${i}`),
      ...Array.from({ length: TOTAL }, (_, i) => `b${i}`),
    ];
    const singleTargets = probeTargets(singleIds.map((id) => `${base}/delay?ms=${SINGLE_DELAY_MS}&id=${id}`));
    const targets = new Map(
      probeTargets(ids.map((id) => `${base}/delay?ms=${DELAY_MS}&id=${id}`)).map((t, i) => [ids[i], t])
    );
    const probeOne = async (id: string): Promise<Sample> => {
      const { api, endpoint } = targets.get(id)!;
      const result = await probeEndpoint(api, endpoint);
      if (result.outcome !== 'ok') {
        throw new Error(`probe ${id} failed: ${result.outcome} ${result.error ?? ''}`);
      }
      return { id, ttfb: result.phases.ttfb, total: result.durationMs };
    };
    const applied = async (): Promise<Record<string, number>> =>
      (await fetch(`${base}/applied`)).json() as Promise<Record<string, number>>;
    const summarise = (samples: Sample[], appliedMs: Record<string, number>, delayMs = DELAY_MS) => ({
      ttfbMinusD: stats(samples.map((s) => s.ttfb - delayMs)),
      totalMinusD: stats(samples.map((s) => s.total - delayMs)),
      ttfbMinusApplied: stats(samples.map((s) => s.ttfb - appliedMs[s.id])),
    });

    // Warm-up: JIT and connection code paths.
    await Promise.all(Array.from({ length: 50 }, (_, i) => probeOne(`w${i}`)));
    await applied();

    // spread: keep IN_FLIGHT probes going, starts spaced D / IN_FLIGHT apart at first.
    const spreadSamples: Sample[] = [];
    let next = 0;
    const worker = async (slot: number) => {
      await sleep((slot * DELAY_MS) / IN_FLIGHT);
      while (next < TOTAL) {
        const id = `s${next++}`;
        spreadSamples.push(await probeOne(id));
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, (_, slot) => worker(slot)));
    const spread = summarise(spreadSamples, await applied());

    const burstSamples: Sample[] = [];
    for (let round = 0; round < TOTAL / IN_FLIGHT; round++) {
      burstSamples.push(
        ...(await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => probeOne(`b${round * IN_FLIGHT + i}`))))
      );
    }
    const burst = summarise(burstSamples, await applied());

    const singleSamples: Sample[] = [];
    for (let i = 0; i < SINGLE_SAMPLES; i++) {
      const result = await probeEndpoint(singleTargets[i].api, singleTargets[i].endpoint);
      singleSamples.push({ id: singleIds[i], ttfb: result.phases.ttfb, total: result.durationMs });
    }
    const single = {
      delayMs: SINGLE_DELAY_MS,
      samples: SINGLE_SAMPLES,
      ...summarise(singleSamples, await applied(), SINGLE_DELAY_MS),
    };
    return { delayMs: DELAY_MS, inFlight: IN_FLIGHT, samples: TOTAL, spread, burst, single };
  } finally {
    await target.stop();
  }
}

if (require.main === module) {
  runTimingAccuracy().then(
    (r) => {
      for (const shape of ['spread', 'burst', 'single'] as const) {
        const s = r[shape];
        console.log(
          `${shape}: ttfb-D p50 ${s.ttfbMinusD.p50} p99 ${s.ttfbMinusD.p99} ms; total-D p50 ${s.totalMinusD.p50} p99 ${s.totalMinusD.p99} ms; ` +
            `ttfb-applied p50 ${s.ttfbMinusApplied.p50} p99 ${s.ttfbMinusApplied.p99} ms`
        );
      }
      console.log(`RESULT ${JSON.stringify(r)}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    }
  );
}
