// A real VictoriaMetrics single-node for integration tests, the second Prometheus-compatible
// store: it scrapes like Prometheus (-promscrape.config reads the same scrape_configs), vmalert
// evaluates the rule files (recording results written back with remote write), history is
// loaded by VictoriaMetrics' own import path (/api/v1/import/prometheus takes the OpenMetrics
// text promtool backfills from) and recording rules are backfilled by vmalert's replay mode.
// A free loopback port and a temporary directory per store, removed on stop.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse, stringify } from 'yaml';
import { freePort, waitFor } from '../../packages/prober/src/test-support/wait';
import { terminate } from './prometheus';

export const VICTORIA_METRICS_BIN = process.env.VICTORIA_METRICS_BIN ?? 'victoria-metrics';
export const VMALERT_BIN = process.env.VMALERT_BIN ?? 'vmalert';

export function victoriaMetricsAvailable(): boolean {
  return [VICTORIA_METRICS_BIN, VMALERT_BIN].every(
    (bin) => spawnSync(bin, ['-version'], { stdio: 'ignore' }).status === 0
  );
}

function missing(): Error {
  return new Error(
    `"${VICTORIA_METRICS_BIN}" or "${VMALERT_BIN}" is not on the PATH; the VictoriaMetrics integration tests need them (Debian: apt-get install -y victoria-metrics, or set VICTORIA_METRICS_BIN and VMALERT_BIN)`
  );
}

interface Server {
  url: string;
  stop(): Promise<void>;
}

/** Starts one of the VictoriaMetrics binaries on a loopback port; resolves once /health answers. */
async function startServer(bin: string, args: string[], cwd: string, what: string, port?: number): Promise<Server> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(bin, [...args, `-httpListenAddr=127.0.0.1:${port}`, '-loggerLevel=ERROR'], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  let stopped = false;
  const stop = async () => {
    stopped = true;
    await terminate(child);
  };
  const died = new Promise<never>((_resolve, reject) => {
    child.once('close', (code) => reject(new Error(`${what} exited with code ${code}: ${log.trim()}`)));
  });
  died.catch(() => undefined);
  try {
    await Promise.race([
      died,
      waitFor(async () => stopped || (await fetch(`${url}/health`)).ok, 20_000, `${what} at ${url} to become ready`),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

function run(bin: string, args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-3000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} failed (${bin} ${args.join(' ')}): ${output}`))
    );
  });
}

/**
 * Flags of the single-node store in the tests. -search.latencyOffset=0: samples are queryable at
 * once (VictoriaMetrics hides the last 30 s by default, for samples still in flight); the response
 * cache is off because history is written into the past while queries run; -search.maxQueryLen
 * as docs/stores.md recommends: the inline real-traffic attribution (a store without the
 * real-traffic recording rules) is longer than the default 16 KiB.
 */
function storeArgs(dataDir: string): string[] {
  return [
    `-storageDataPath=${dataDir}`,
    '-retentionPeriod=100y',
    '-search.latencyOffset=0s',
    '-search.disableCache',
    '-search.maxQueryLen=1MB',
  ];
}

export interface RunningVictoriaMetrics {
  /** The query (and import) URL: single-node serves /api/v1/query and /api/v1/import alike. */
  url: string;
  dir: string;
  /** vmalert's URL when rule files run. */
  vmalertUrl?: string;
  /** Makes every sample received so far searchable (recent samples are buffered for about a second). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An Alertmanager stand-in for vmalert, which refuses to run alerting rules without a notifier:
 * accepts every notification and drops it (the tests read the alert expressions from the store).
 */
async function startAlertSink(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface VictoriaMetricsOptions {
  /** A Prometheus configuration: its scrape_configs are scraped, its rule_files run in vmalert. */
  configYaml?: string;
  /** Files written next to the config (rule files named by rule_files). */
  files?: Record<string, string>;
  /** More rule files (absolute paths) for vmalert. */
  ruleFiles?: string[];
  /** Extra flags for victoria-metrics. */
  args?: string[];
}

/** Validates rule files as vmalert parses them (MetricsQL), without running them. */
export async function checkRules(files: string[]): Promise<void> {
  if (files.length === 0) {
    return;
  }
  await run(VMALERT_BIN, [...files.map((f) => `-rule=${f}`), '-dryRun', '-loggerLevel=ERROR'], 'vmalert -dryRun');
}

export async function startVictoriaMetrics(options: VictoriaMetricsOptions = {}): Promise<RunningVictoriaMetrics> {
  if (!victoriaMetricsAvailable()) {
    throw missing();
  }
  const dir = mkdtempSync(join(tmpdir(), 'apimon-victoria-metrics-'));
  for (const [name, text] of Object.entries(options.files ?? {})) {
    writeFileSync(join(dir, name), text);
  }
  const config = (parse(options.configYaml ?? '') ?? {}) as {
    global?: { evaluation_interval?: string };
    rule_files?: string[];
    scrape_configs?: unknown[];
  };
  const ruleFiles = [...(config.rule_files ?? []).map((f) => join(dir, f)), ...(options.ruleFiles ?? [])];
  // vmalert's port is known before the store starts: the store proxies /api/v1/rules (what
  // Grafana and the apimon engine ask for the recording rules) to it.
  const vmalertPort = ruleFiles.length > 0 ? await freePort() : undefined;
  const args = [...storeArgs(join(dir, 'data')), ...(options.args ?? [])];
  if (vmalertPort !== undefined) {
    args.push(`-vmalert.proxyURL=http://127.0.0.1:${vmalertPort}`);
  }
  if (config.scrape_configs?.length) {
    // The same scrape_configs; rule_files and evaluation_interval are vmalert's business.
    writeFileSync(
      join(dir, 'scrape.yml'),
      stringify({ global: { ...config.global, evaluation_interval: undefined }, scrape_configs: config.scrape_configs })
    );
    args.push(`-promscrape.config=${join(dir, 'scrape.yml')}`);
  }
  const servers: Server[] = [];
  const stopAll = async () => {
    for (const server of servers.reverse()) {
      await server.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const store = await startServer(VICTORIA_METRICS_BIN, args, dir, 'victoria-metrics');
    servers.push(store);
    let vmalertUrl: string | undefined;
    if (vmalertPort !== undefined) {
      const sink = await startAlertSink();
      servers.push(sink);
      const vmalert = await startServer(
        VMALERT_BIN,
        [
          ...ruleFiles.map((f) => `-rule=${f}`),
          `-datasource.url=${store.url}`,
          `-remoteWrite.url=${store.url}`,
          '-remoteWrite.flushInterval=1s',
          `-notifier.url=${sink.url}`,
          `-evaluationInterval=${config.global?.evaluation_interval ?? '1m'}`,
        ],
        dir,
        'vmalert',
        vmalertPort
      );
      servers.push(vmalert);
      vmalertUrl = vmalert.url;
    }
    const flush = async () => {
      const res = await fetch(`${store.url}/internal/force_flush`);
      if (!res.ok) {
        throw new Error(`victoria-metrics force_flush: HTTP ${res.status}`);
      }
    };
    let stopped = false;
    return {
      url: store.url,
      dir,
      vmalertUrl,
      flush,
      async stop() {
        if (!stopped) {
          stopped = true;
          await stopAll();
        }
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Loads OpenMetrics text (samples with timestamps) through /api/v1/import/prometheus. */
export async function importOpenMetrics(
  store: RunningVictoriaMetrics,
  openMetrics: string | { file: string }
): Promise<void> {
  const body =
    typeof openMetrics === 'string'
      ? openMetrics
      : (Readable.toWeb(createReadStream(openMetrics.file)) as ReadableStream);
  const res = await fetch(`${store.url}/api/v1/import/prometheus`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/plain' },
    ...(typeof openMetrics === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
  if (!res.ok) {
    throw new Error(
      `importing the history into VictoriaMetrics: HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`
    );
  }
  await store.flush();
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Backfills recording rules over [startMs, endMs] with vmalert's replay mode: each group
 * evaluated as range queries at its own interval, the results remote-written to the store.
 * Rules reading other rules' results need them replayed (and flushed) first: one call per pass.
 */
export async function replayRules(
  store: RunningVictoriaMetrics,
  files: string[],
  startMs: number,
  endMs: number
): Promise<void> {
  await run(
    VMALERT_BIN,
    [
      ...files.map((f) => `-rule=${f}`),
      `-datasource.url=${store.url}`,
      `-remoteWrite.url=${store.url}`,
      `-replay.timeFrom=${rfc3339(startMs)}`,
      `-replay.timeTo=${rfc3339(endMs)}`,
      // Each group at its own interval: by default every query is sent with step=5m, and the
      // replay writes a sample per step (an hourly group would get twelve an hour).
      '-datasource.queryStep=0s',
      '-replay.disableProgressBar',
      '-replay.rulesDelay=0s',
      '-loggerLevel=ERROR',
    ],
    'vmalert replay'
  );
  await store.flush();
}
