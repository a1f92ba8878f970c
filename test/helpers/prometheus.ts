// Starts a real Prometheus for integration tests: a free loopback port, a temporary TSDB and
// config directory (removed on stop), and waits for /-/ready. Reused by every suite that needs
// a store (prober, query engine, provisioning).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../../packages/prober/src/test-support/wait';

export { freePort, waitFor };

export interface RunningPrometheus {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Its config directory (prometheus.yml and the extra files; /-/reload rereads them). */
  dir: string;
  /** Instant query; resolves to the result vector (throws on an API error). */
  query(promql: string): Promise<VectorSample[]>;
  /** Stops the process and removes its temporary directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

export interface StartOptions {
  /** Extra files written next to the config (e.g. rule files referenced by relative path). */
  files?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Extra command-line flags, e.g. --web.enable-remote-write-receiver. */
  args?: string[];
}

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';

export function prometheusAvailable(): boolean {
  return spawnSync(PROMETHEUS_BIN, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Resolves when the child process has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
}

/** Stops a child: SIGTERM, SIGKILL after `graceMs`, resolved once it has exited. */
export async function terminate(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited(child);
    clearTimeout(killer);
  }
}

export async function startPrometheus(configYaml: string, options: StartOptions = {}): Promise<RunningPrometheus> {
  if (!prometheusAvailable()) {
    throw new Error(
      `"${PROMETHEUS_BIN}" is not on the PATH; integration tests need a real Prometheus (Debian: apt-get install -y prometheus, or set PROMETHEUS_BIN)`
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'apimon-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configYaml);
  for (const [name, text] of Object.entries(options.files ?? {})) {
    writeFileSync(join(dir, name), text);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(
    PROMETHEUS_BIN,
    // Each flag once: Prometheus refuses a repeated flag, and callers may pass a whole set
    // (e.g. the demo's, which has --web.enable-lifecycle too).
    [
      ...new Set([
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-lifecycle',
        '--log.level=warn',
        ...(options.args ?? []),
      ]),
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] }
  );
  child.stderr!.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) {
      return;
    }
    stopped = true;
    await terminate(child);
    rmSync(dir, { recursive: true, force: true });
  };

  // A bad config or a taken port ends the process at once: report that, not a timeout.
  const died = new Promise<never>((_resolve, reject) => {
    child.once('close', (code) => reject(new Error(`prometheus exited with code ${code}: ${log.trim()}`)));
  });
  died.catch(() => undefined);
  try {
    await Promise.race([
      died,
      waitFor(
        // Once stopped (it died), end the polling loop too.
        async () => stopped || (await fetch(`${url}/-/ready`)).ok,
        options.readyTimeoutMs ?? 20_000,
        `Prometheus at ${url} to become ready`
      ),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }

  const query = (promql: string): Promise<VectorSample[]> => instantQuery(url, promql);

  return { url, dir, query, stop };
}

/** A minimal config scraping one target every second. */
export function scrapeConfig(target: string, job = 'apimon', extra = ''): string {
  return `global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: ${job}
    scrape_interval: 1s
    scrape_timeout: 900ms
    static_configs:
      - targets: ['${target}']
${extra}`;
}

/** An instant query that must answer a vector: its samples with numeric values, or an error naming the query. */
export async function instantQuery(url: string, promql: string): Promise<VectorSample[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (body.status !== 'success' || !body.data) {
    throw new Error(`query ${promql} failed: ${body.error ?? res.status}`);
  }
  if (body.data.resultType !== 'vector') {
    throw new Error(`query ${promql} returned a ${body.data.resultType}, not a vector`);
  }
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
