// Memory of the prober service with 1,000 configured APIs: a generated catalog (1,000 APIs of all
// criticalities, one endpoint each, a third with documented rate limits) against a loopback
// target, run by the real CLI (`apimon run`) for a while; its RSS is sampled from /proc.
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
const LIMIT_MB = 150;

export interface RssResult {
  apis: number;
  seconds: number;
  /** Once /metrics first answers: the catalog loaded, no probe done yet. */
  startRssMb: number;
  maxRssMb: number;
  finalRssMb: number;
  /** Probes the service completed while measured (sum of apimon_probe_requests_total). */
  probes: number;
  /** Series in its /metrics exposition at the end. */
  series: number;
  limitMb: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1);

export async function runRss(): Promise<RssResult> {
  const target = await startTarget();
  const dir = mkdtempSync(join(tmpdir(), 'apimon-bench-'));
  const config = join(dir, 'catalog.yaml');
  // Status-page data (none here) would go to ./data next to the catalog: the temporary directory.
  writeFileSync(config, largeCatalogYaml(APIS, target.port));
  const port = await freePort();
  const bin = join(__dirname, '..', 'packages', 'prober', 'bin', 'apimon.js');
  const child = spawn(
    process.execPath,
    [bin, 'run', '--config', config, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: dir,
    }
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const metricsUrl = `http://127.0.0.1:${port}/metrics`;
    for (let waited = 0; ; waited += 250) {
      if (waited > 30_000) {
        throw new Error('the prober did not serve /metrics within 30 s');
      }
      try {
        if ((await fetch(metricsUrl)).ok) {
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    const startRss = rssBytesOf(child.pid!);
    let maxRss = startRss;
    let lastRss = startRss;
    const end = Date.now() + SECONDS * 1000;
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
    return {
      apis: APIS,
      seconds: SECONDS,
      startRssMb: mb(startRss),
      maxRssMb: mb(maxRss),
      finalRssMb: mb(lastRss),
      probes,
      series: lines.length,
      limitMb: LIMIT_MB,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
    }
    await exited;
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runRss().then(
    (r) => {
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
