// Memory of the prober service with 1,000 configured APIs: a generated catalog (1,000 APIs of all
// criticalities, one endpoint each, a third with documented rate limits) against a loopback
// target, run by the real CLI (`apimon run`) for a while; its RSS is sampled from /proc. The same
// service with a single API gives the baseline, so the cost per API can be read off.
//
// Run: npx tsx bench/rss.ts   (BENCH_RSS_SECONDS=60 by default)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeCatalogYaml } from './support/catalog';
import { freePort, rssBytesOf, startTarget } from './support/proc';

const APIS = 1000;
const SECONDS = Number(process.env.BENCH_RSS_SECONDS ?? 60);
const BASELINE_SECONDS = 16; // its one API is critical (15 s interval): probed at least once
const LIMIT_MB = 150;
const BIN = join(__dirname, '..', 'packages', 'prober', 'bin', 'apimon.js');

interface ServiceMemory {
  /** Once /metrics first answers: the catalog loaded, no probe done yet. */
  startRssMb: number;
  maxRssMb: number;
  finalRssMb: number;
  /** Probes the service completed while measured (sum of apimon_probe_requests_total). */
  probes: number;
  /** Series in its /metrics exposition at the end. */
  series: number;
}

export interface RssResult extends ServiceMemory {
  apis: number;
  seconds: number;
  limitMb: number;
  /** The same service with one API, for BASELINE_SECONDS. */
  baseline: ServiceMemory;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1);

async function waitForMetrics(url: string): Promise<void> {
  for (let waited = 0; waited <= 30_000; waited += 250) {
    try {
      if ((await fetch(url)).ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error('the prober did not serve /metrics within 30 s');
}

async function measureService(apis: number, seconds: number, targetPort: number): Promise<ServiceMemory> {
  const dir = mkdtempSync(join(tmpdir(), 'apimon-bench-'));
  const config = join(dir, 'catalog.yaml');
  // Status-page data (none here) would go to ./data next to the catalog: the temporary directory.
  writeFileSync(config, largeCatalogYaml(apis, targetPort));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [BIN, 'run', '--config', config, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: dir,
    }
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const metricsUrl = `http://127.0.0.1:${port}/metrics`;
    await waitForMetrics(metricsUrl);
    const startRss = rssBytesOf(child.pid!);
    let maxRss = startRss;
    let lastRss = startRss;
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      lastRss = rssBytesOf(child.pid!);
      maxRss = Math.max(maxRss, lastRss);
      await sleep(500);
    }
    const exposition = await (await fetch(metricsUrl)).text();
    const lines = exposition.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const probes = lines
      .filter((l) => l.startsWith('apimon_probe_requests_total{'))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    return { startRssMb: mb(startRss), maxRssMb: mb(maxRss), finalRssMb: mb(lastRss), probes, series: lines.length };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
    }
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRss(): Promise<RssResult> {
  const target = await startTarget();
  try {
    const baseline = await measureService(1, BASELINE_SECONDS, target.port);
    const large = await measureService(APIS, SECONDS, target.port);
    return { apis: APIS, seconds: SECONDS, limitMb: LIMIT_MB, ...large, baseline };
  } finally {
    await target.stop();
  }
}

if (require.main === module) {
  runRss().then(
    (r) => {
      console.log(`1 API for ${BASELINE_SECONDS} s: max RSS ${r.baseline.maxRssMb} MB`);
      console.log(
        `${r.apis} APIs for ${r.seconds} s: RSS at start ${r.startRssMb} MB, max ${r.maxRssMb} MB, final ${r.finalRssMb} MB (target <= ${r.limitMb} MB)`
      );
      console.log(`${r.probes} probes done, ${r.series} series exposed`);
      console.log(`RESULT ${JSON.stringify(r)}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    }
  );
}
