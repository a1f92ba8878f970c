// CPU time per 1,000 HTTP probes: apimon's probe function vs prometheus-blackbox-exporter, both
// against the same loopback target in one run.
//
// apimon:   probeEndpoint + recording the result into its Prometheus registry, in this process;
//           CPU from process.cpuUsage() around the batch.
// blackbox: GET /probe?target=...&module=http_2xx on a running blackbox_exporter (its
//           multi-target pattern); CPU of the exporter process from /proc/<pid>/stat.
// The target runs in its own process and is counted for neither. Both make a fresh connection
// per probe and read the whole body; both run 10 probes at a time. Rounds alternate between the
// two so that background load on the machine hits both alike; the median round is reported.
//
// Run: npx tsx bench/probe-cpu.ts   (prints a JSON line "RESULT {...}" at the end)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProberMetrics } from '../packages/prober/src/metrics';
import { probeEndpoint } from '../packages/prober/src/probe';
import { probeTargets } from './support/catalog';
import { freePort, median, ownCpuMs, cpuMsOf, pool, startChild, startTarget } from './support/proc';

const PROBES = 1000;
const WARMUP = 500;
const ROUNDS = 5;
const CONCURRENCY = 10;
const BLACKBOX = '/usr/bin/prometheus-blackbox-exporter';

export interface ProbeCpuResult {
  probes: number;
  rounds: number;
  concurrency: number;
  apimonCpuMsPer1000: number;
  blackboxCpuMsPer1000: number;
  /** apimon / blackbox: below 1 means apimon uses less CPU per probe. */
  ratio: number;
  apimonRoundsMs: number[];
  blackboxRoundsMs: number[];
}

export async function runProbeCpu(): Promise<ProbeCpuResult> {
  const target = await startTarget();
  const dir = mkdtempSync(join(tmpdir(), 'apimon-bench-'));
  const config = join(dir, 'blackbox.yml');
  writeFileSync(
    config,
    [
      'modules:',
      '  http_2xx:',
      '    prober: http',
      '    timeout: 5s',
      '    http:',
      '      preferred_ip_protocol: ip4',
      '',
    ].join('\n')
  );
  const bbPort = await freePort();
  const blackbox = await startChild(
    BLACKBOX,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${bbPort}`],
    /Listening on/i
  );
  try {
    const targetUrl = `http://127.0.0.1:${target.port}/ok`;
    const [{ api, endpoint }] = probeTargets([targetUrl]);
    const metrics = new ProberMetrics({ processMetrics: false });
    const id = { api: api.name, endpoint: endpoint.name, provider: api.provider, location: 'bench' };
    const probeUrl = `http://127.0.0.1:${bbPort}/probe?target=${encodeURIComponent(targetUrl)}&module=http_2xx`;

    const apimonBatch = async (n: number): Promise<number> => {
      const before = ownCpuMs();
      const results = await pool(n, CONCURRENCY, async () => {
        const result = await probeEndpoint(api, endpoint);
        metrics.recordProbe(id, result);
        return result.outcome;
      });
      const used = ownCpuMs() - before;
      const failed = results.filter((o) => o !== 'ok').length;
      if (failed > 0) {
        throw new Error(`apimon: ${failed} of ${n} probes did not succeed`);
      }
      return used;
    };
    const blackboxBatch = async (n: number): Promise<number> => {
      const before = cpuMsOf(blackbox.pid);
      const bodies = await pool(n, CONCURRENCY, async () => (await fetch(probeUrl)).text());
      const used = cpuMsOf(blackbox.pid) - before;
      const failed = bodies.filter((b) => !/^probe_success 1$/m.test(b)).length;
      if (failed > 0) {
        throw new Error(`blackbox_exporter: ${failed} of ${n} probes did not succeed`);
      }
      return used;
    };

    await apimonBatch(WARMUP);
    await blackboxBatch(WARMUP);
    const apimonRounds: number[] = [];
    const blackboxRounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      apimonRounds.push(await apimonBatch(PROBES));
      blackboxRounds.push(await blackboxBatch(PROBES));
      console.error(
        `round ${r + 1}: apimon ${apimonRounds[r].toFixed(0)} ms, blackbox_exporter ${blackboxRounds[r].toFixed(0)} ms CPU per ${PROBES} probes`
      );
    }
    const apimonCpu = median(apimonRounds);
    const blackboxCpu = median(blackboxRounds);
    return {
      probes: PROBES,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      apimonCpuMsPer1000: Math.round((apimonCpu * 1000) / PROBES),
      blackboxCpuMsPer1000: Math.round((blackboxCpu * 1000) / PROBES),
      ratio: +(apimonCpu / blackboxCpu).toFixed(2),
      apimonRoundsMs: apimonRounds.map(Math.round),
      blackboxRoundsMs: blackboxRounds.map(Math.round),
    };
  } finally {
    await blackbox.stop();
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runProbeCpu().then(
    (result) => {
      console.log(`apimon: ${result.apimonCpuMsPer1000} ms CPU per 1,000 probes`);
      console.log(`blackbox_exporter: ${result.blackboxCpuMsPer1000} ms CPU per 1,000 probes`);
      console.log(`ratio apimon / blackbox_exporter: ${result.ratio}`);
      console.log(`RESULT ${JSON.stringify(result)}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    }
  );
}
