// `npm start`: the apimon demo without Docker. Starts the sandbox providers, the demo platform
// calling them (real traffic, OpenTelemetry metrics), the prober on catalog.example.yaml and a
// Prometheus from the PATH scraping both with the recording and alert rules, waits for the
// first scrape, prints `apimon status` and the URLs, and stops everything on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCRAPE_INTERVAL, METRICS } from '@apimon/core';
import { DEMO_PROMETHEUS_FLAGS } from './demo-prometheus';
import { demoSecrets } from './demo-secrets';

const ROOT = join(__dirname, '..');
const APIMON = join(ROOT, 'packages', 'prober', 'bin', 'apimon.js');
const DATA = join(ROOT, 'data');
const LOGS = join(DATA, 'logs');
const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
/** The demo catalog's providers live on this address (catalog.example.yaml). */
const SANDBOX = '127.0.0.1:8480';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
    process.stderr.write(`apimon start: ${name} must be a port number between 1 and 65535 (got "${raw}")\n`);
    process.exit(2);
  }
  return value;
}

const PROBER = `127.0.0.1:${port('APIMON_START_PROBER_PORT', 9464)}`;
const PROMETHEUS = `127.0.0.1:${port('APIMON_START_PROMETHEUS_PORT', 9090)}`;
const PLATFORM = `127.0.0.1:${port('APIMON_START_PLATFORM_PORT', 8490)}`;

const INSTALL_HINT = `apimon start: "${PROMETHEUS_BIN}" was not found on the PATH.
npm start runs a local Prometheus for the prober's metrics. Install it, then run npm start again:
  Debian/Ubuntu:  sudo apt-get install prometheus
  Fedora:         sudo dnf install golang-github-prometheus
  macOS:          brew install prometheus
  any system:     download a release from https://prometheus.io/download/ and put
                  "prometheus" on the PATH (or set PROMETHEUS_BIN=/path/to/prometheus)
Or run the whole stack with Docker: docker compose up -d (see docs/provisioning.md).
`;

interface Child {
  name: string;
  process: ChildProcess;
  log: string;
}

const children: Child[] = [];
let stopping = false;

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const log = join(LOGS, `${name}.log`);
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const entry = { name, process: child, log };
  children.push(entry);
  child.once('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`apimon start: ${name} exited unexpectedly (${signal ?? `code ${code}`}); see ${log}\n`);
      void stopAll(1);
    }
  });
  return entry;
}

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.stdout.write('\napimon start: stopping...\n');
  }
  // Reverse order: Prometheus, then the prober and the platform, then the sandbox they call.
  for (const child of [...children].reverse()) {
    const p = child.process;
    if (p.exitCode !== null || p.signalCode !== null) {
      continue;
    }
    p.kill('SIGTERM');
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      p.kill('SIGKILL');
      await exited;
    }
    process.stdout.write(`  ${child.name} stopped\n`);
  }
  process.exit(code);
}

async function waitFor(what: string, child: Child, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) {
      return;
    }
    try {
      if (await check()) {
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  process.stderr.write(`apimon start: ${what} did not come up within ${timeoutMs / 1000} s; see ${child.log}\n`);
  await stopAll(1);
}

const ok = async (url: string) => (await fetch(url)).ok;

async function hasSeries(metric: string): Promise<boolean> {
  const res = await fetch(`http://${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(`count(${metric})`)}`);
  const body = (await res.json()) as { data?: { result?: unknown[] } };
  return (body.data?.result?.length ?? 0) > 0;
}

function prometheusConfig(): string {
  const rules = ['recording.yml', 'alerts.yml']
    .map((f) => `  - ${JSON.stringify(join(ROOT, 'prometheus', f))}`)
    .join('\n');
  return `# Written by npm start (scripts/start.ts) from prometheus/prometheus.yml, with local addresses.
global:
  scrape_interval: ${DEFAULT_SCRAPE_INTERVAL}
  evaluation_interval: ${DEFAULT_SCRAPE_INTERVAL}
rule_files:
${rules}
scrape_configs:
  - job_name: apimon
    static_configs:
      - targets: ['${PROBER}']
        labels:
          service: apimon-prober
  - job_name: platform
    static_configs:
      - targets: ['${PLATFORM}']
        labels:
          service: demo-platform
`;
}

async function main(): Promise<void> {
  if (spawnSync(PROMETHEUS_BIN, ['--version'], { stdio: 'ignore' }).error) {
    process.stderr.write(INSTALL_HINT);
    process.exit(2);
  }
  mkdirSync(LOGS, { recursive: true });
  const promDir = join(DATA, 'prometheus');
  mkdirSync(promDir, { recursive: true });
  writeFileSync(join(promDir, 'prometheus.yml'), prometheusConfig());

  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  process.stdout.write(`apimon start: logs in ${LOGS}\n`);
  const sandbox = start('sandbox', process.execPath, [APIMON, 'sandbox', '--listen', SANDBOX]);
  await waitFor('the sandbox', sandbox, () => ok(`http://${SANDBOX}/_admin/state`));
  process.stdout.write(`  sandbox     http://${SANDBOX}  (admin API: /_admin/state)\n`);

  // About one call a second at the daily mean: the evening sale takes geocoding past its
  // documented limit (the demo's usage alert and 429s). Both conventions (the migration mode):
  // the stable ones carry the url.template that tells the sandbox APIs on one host apart, the
  // old ones show that each call still counts once.
  const platform = start('platform', process.execPath, [APIMON, 'platform', '--sandbox', `http://${SANDBOX}`, '--listen', PLATFORM, '--rps', '1', '--semconv', 'both']);
  await waitFor('the demo platform', platform, () => ok(`http://${PLATFORM}/_admin/state`));
  process.stdout.write(`  platform    http://${PLATFORM}/metrics  (admin API: /_admin/state)\n`);

  const catalog = join(ROOT, 'catalog.example.yaml');
  const prober = start(
    'prober',
    process.execPath,
    [APIMON, 'run', '--config', catalog, '--listen', PROBER],
    demoSecrets(readFileSync(catalog, 'utf8'), process.env)
  );
  await waitFor('the prober', prober, () => ok(`http://${PROBER}/healthz`));
  process.stdout.write(`  prober      http://${PROBER}/metrics  http://${PROBER}/api/v1/catalog\n`);

  const prometheus = start('prometheus', PROMETHEUS_BIN, [
    `--config.file=${join(promDir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(promDir, 'tsdb')}`,
    `--web.listen-address=${PROMETHEUS}`,
    ...DEMO_PROMETHEUS_FLAGS,
  ]);
  await waitFor('Prometheus', prometheus, () => ok(`http://${PROMETHEUS}/-/ready`));
  process.stdout.write(`  prometheus  http://${PROMETHEUS}  (rules: /rules, alerts: /alerts, remote write: /api/v1/write)\n`);

  process.stdout.write('apimon start: waiting for the first scrape and probes...\n');
  await waitFor('the first scrape of the prober', prometheus, () => hasSeries(METRICS.apiInfo), 90_000);
  // A rate needs a counter seen to grow, i.e. a second probe of the API after the first scrape:
  // about 80 s for the demo's background API (60 s interval). Until then `apimon status` says
  // "no probe results"; after 150 s it is printed whatever it says.
  const deadline = Date.now() + 150_000;
  const everyApiHasRates = async () =>
    (await hasSeries(
      `count(${METRICS.apiInfo}) <= count(sum by (api) (increase(${METRICS.probeRequests}[5m])) > 0)`
    )) || Date.now() > deadline;
  await waitFor('the first probe rates', prometheus, everyApiHasRates, 170_000);

  const status = spawnSync(
    process.execPath,
    [APIMON, 'status', '--prometheus', `http://${PROMETHEUS}`, '--prober', `http://${PROBER}`],
    {
      cwd: ROOT,
      encoding: 'utf8',
    }
  );
  if (status.status === 0) {
    process.stdout.write(`\n${status.stdout}\n`);
  } else {
    process.stdout.write(`\n(apimon status is not available: ${(status.stderr || '').trim().split('\n')[0]})\n`);
  }
  process.stdout.write(
    `apimon is running. Prometheus: http://${PROMETHEUS}  prober: http://${PROBER}\n` +
      `  npx apimon status --prometheus http://${PROMETHEUS} --prober http://${PROBER}\n` +
      '  Dashboards and Grafana alerting need Grafana: docker compose up -d (docs/provisioning.md).\n' +
      'Press Ctrl-C to stop.\n'
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`apimon start: ${err instanceof Error ? err.message : String(err)}\n`);
  void stopAll(1);
});
