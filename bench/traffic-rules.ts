// Evaluation time of the recording rules on a real Prometheus for 1,000 APIs on 3 hosts each
// with the platform's real-traffic series: the real-traffic groups against the probe groups of
// the same prometheus/recording.yml, in the same run (a ratio, so the shared machine's load
// weighs on both).
//
//   npx tsx bench/traffic-rules.ts [--apis 1000] [--hosts 3] [--minutes 4] [--runs 5]
//
// One HTTP target serves what a prober and a platform would expose for that many APIs, with
// counters growing at fixed rates: per API the probe series (duration, phases, requests by
// outcome, rate-limit headers, catalog facts and thresholds) and the catalog's traffic mapping
// (apimon_traffic_match per host, the documented limit); per host the OTel HTTP-client duration
// histogram per status code (200, 503, 429) and the response-size histogram of the 200s, two
// thirds of the APIs in the stable conventions and one third in the old ones (milliseconds),
// plus 50 hosts no API claims. Prometheus scrapes it every 15 s for six minutes, evaluating the
// committed rules each minute (so the rules that read other rules have their inputs); then it
// stops scraping and evaluating, and every rule's expression runs as an instant query at the
// last minute of data: the engine's evaluation time (stats.timings.evalTotalTime), median of
// --runs, on a store no longer busy ingesting (on a shared 2-core machine, ingesting 370k series
// every 15 s starved the rule evaluations themselves).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DURATION_BUCKETS, METRICS, PHASES, SIZE_BUCKETS, TRAFFIC_METRICS } from '@apimon/core';
import { prometheusAvailable, startPrometheus } from '../test/helpers/prometheus';
import { writeSection } from './support/results';

const ROOT = join(__dirname, '..');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) {
    return fallback;
  }
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`bench/traffic-rules: --${name} must be a positive whole number\n`);
    process.exit(2);
  }
  return v;
}

const API_COUNT = flag('apis', 1000);
const HOSTS = flag('hosts', 3);
const MINUTES = flag('minutes', 4);
const RUNS = flag('runs', 5);
const WARMUP_MS = 120_000;
const UNMAPPED_HOSTS = 50;
/** The stable conventions' default buckets (seconds) and the old ones' (milliseconds). */
const STABLE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const OLD_BUCKETS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

const labelText = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

/** The exposition at `elapsed` seconds: counters are rate x elapsed, so rates stay fixed. */
function exposition(elapsed: number): string {
  const lines: string[] = [];
  const put = (name: string, labels: Record<string, string>, value: number) => lines.push(`${name}${labelText(labels)} ${value}`);
  const histogram = (name: string, labels: Record<string, string>, bounds: number[], at: number, perSecond: number, scale = 1) => {
    const n = perSecond * elapsed;
    for (const le of bounds) {
      put(`${name}_bucket`, { ...labels, le: String(le) }, at <= le / scale ? n : 0);
    }
    put(`${name}_bucket`, { ...labels, le: '+Inf' }, n);
    put(`${name}_count`, labels, n);
    put(`${name}_sum`, labels, n * at * scale);
  };
  for (let i = 0; i < API_COUNT; i++) {
    const api = `api-${i}`;
    const provider = `provider-${i % 50}`;
    const base = { api, provider, location: 'bench' };
    const probe = { ...base, endpoint: 'main' };
    const latency = 0.05 + (i % 10) * 0.04;
    // The prober: one endpoint probed every 15 s.
    put(METRICS.apiInfo, { ...base, criticality: ['critical', 'standard', 'background'][i % 3], owner: `team-${i % 20}`, auth: 'bearer' }, 1);
    for (const [metric, value] of [
      [METRICS.thresholdLatency, 0.5],
      [METRICS.thresholdErrorRatio, 0.02],
      [METRICS.thresholdHeadroom, 0.15],
    ] as const) {
      put(metric, base, value);
      put(metric, probe, value);
    }
    histogram(METRICS.probeDuration, probe, DURATION_BUCKETS, latency, 1 / 15);
    for (const phase of PHASES) {
      histogram(METRICS.probePhaseDuration, { ...probe, phase }, DURATION_BUCKETS, latency / 5, 1 / 15);
    }
    put(METRICS.probeRequests, { ...probe, code: '200', outcome: 'ok' }, (elapsed / 15) * 0.99);
    put(METRICS.probeRequests, { ...probe, code: '503', outcome: 'http_5xx' }, (elapsed / 15) * 0.01);
    put(METRICS.rateLimitLimit, { ...probe, policy: 'default' }, 1000);
    put(METRICS.rateLimitRemaining, { ...probe, policy: 'default' }, 1000 - (i % 900));
    // The catalog's traffic mapping and documented limit.
    put(TRAFFIC_METRICS.documentedLimit, base, 100);
    put(TRAFFIC_METRICS.documentedWindow, base, 1);
    put(TRAFFIC_METRICS.usageThreshold, base, 0.85);
    const old = i % 3 === 2;
    for (let h = 0; h < HOSTS; h++) {
      const host = `h${h}.${api}.example`;
      put(TRAFFIC_METRICS.match, { ...base, server_address: host, server_port: '', http_request_method: '', url_template: '' }, 1);
      // The platform: 2 calls/s per host, 1 % 503, 0.5 % 429.
      const emitter = { job: 'platform', instance: `web-${i % 8}:8490`, otel_scope_name: old ? '@opentelemetry/instrumentation-http' : '@opentelemetry/instrumentation-undici' };
      for (const [status, share] of [
        ['200', 0.985],
        ['503', 0.01],
        ['429', 0.005],
      ] as const) {
        if (old) {
          const labels = { ...emitter, net_peer_name: host, http_method: 'GET', http_status_code: status };
          histogram('http_client_duration', labels, OLD_BUCKETS, latency, 2 * share, 1000);
          if (status === '200') {
            histogram('http_client_response_size', labels, SIZE_BUCKETS, 3000, 2 * share);
          }
        } else {
          const labels = {
            ...emitter,
            server_address: host,
            server_port: '443',
            http_request_method: 'GET',
            http_response_status_code: status,
            ...(status === '200' ? {} : { error_type: status }),
          };
          histogram('http_client_request_duration', labels, STABLE_BUCKETS, latency, 2 * share);
          if (status === '200') {
            histogram('http_client_response_body_size', labels, SIZE_BUCKETS, 3000, 2 * share);
          }
        }
      }
    }
  }
  for (let u = 0; u < UNMAPPED_HOSTS; u++) {
    const labels = { job: 'platform', instance: 'web-0:8490', otel_scope_name: '@opentelemetry/instrumentation-undici', server_address: `unlisted-${u}.example`, server_port: '443', http_request_method: 'GET', http_response_status_code: '200' };
    histogram('http_client_request_duration', labels, STABLE_BUCKETS, 0.1, 1);
  }
  return `${lines.join('\n')}\n`;
}

/** The generated rule file with every group evaluated each minute (the 1h forecast group too). */
function benchRules(): string {
  return readFileSync(join(ROOT, 'prometheus', 'recording.yml'), 'utf8').replace(/^(\s+)interval: \w+$/gm, '$1interval: 1m');
}

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ record: string; expr: string }> }>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The engine's own evaluation time of an instant query (no HTTP, no JSON), in ms. */
async function evalMs(url: string, expr: string, timeSec: number): Promise<{ ms: number; series: number }> {
  const res = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr, time: String(timeSec), stats: 'all' }).toString(),
  });
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[]; stats?: { timings?: { evalTotalTime?: number } } } };
  if (body.status !== 'success' || body.data?.stats?.timings?.evalTotalTime === undefined) {
    throw new Error(`query failed: ${body.error ?? res.status}: ${expr.slice(0, 120)}`);
  }
  return { ms: body.data.stats.timings.evalTotalTime * 1000, series: body.data.result.length };
}

interface LiveGroup {
  name: string;
  lastEvaluation: string;
  evaluationTime: number;
  rules: Array<{ name: string; health: string; lastError?: string }>;
}

/** The rule groups once each has evaluated without errors within 4 minutes of the newest evaluation. */
async function liveGroups(url: string, timeoutMs: number): Promise<LiveGroup[]> {
  const deadline = Date.now() + timeoutMs;
  let why = '';
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${url}/api/v1/rules?type=record`)).json()) as { data: { groups: LiveGroup[] } };
    const groups = body.data.groups;
    const times = groups.map((g) => Date.parse(g.lastEvaluation));
    const newest = Math.max(...times);
    const failing = groups.flatMap((g) => g.rules.filter((r) => r.health === 'err').map((r) => `${r.name}: ${r.lastError}`));
    const stale = groups.filter((g, i) => !(times[i] > newest - 240_000)).map((g) => g.name);
    if (failing.length > 0) {
      throw new Error(`rules failing: ${failing.join('; ')}`);
    }
    if (stale.length === 0) {
      return groups;
    }
    why = `not evaluated yet: ${stale.join(', ')}`;
    await new Promise((r) => setTimeout(r, 10_000));
  }
  throw new Error(`the rule groups did not all evaluate in time (${why})`);
}

async function main(): Promise<void> {
  if (!prometheusAvailable()) {
    process.stderr.write('bench/traffic-rules: needs prometheus on the PATH\n');
    process.exit(2);
  }
  const t0 = Date.now();
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(exposition((Date.now() - t0) / 1000));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const sampleLines = exposition(1).split('\n').length - 1;
  process.stdout.write(`${sampleLines} series per scrape\n`);
  const rules = benchRules();
  const scraping = `global: { scrape_interval: 15s, evaluation_interval: 1m }
rule_files: [recording.yml]
scrape_configs:
  - job_name: bench
    scrape_interval: 15s
    scrape_timeout: 14s
    static_configs: [{ targets: ['127.0.0.1:${(server.address() as AddressInfo).port}'] }]
`;
  const prometheus = await startPrometheus(scraping, { files: { 'recording.yml': rules }, readyTimeoutMs: 60_000 });
  const before = loadavg();
  try {
    // Ingest long enough to fill every 5-minute window, with the rules running (their inputs
    // for the rules that read other rules), then stop scraping and evaluating (a config reload
    // without them) and time every rule on the quiet store at the last minute of data.
    await new Promise((r) => setTimeout(r, WARMUP_MS + MINUTES * 60_000));
    // Measure at the last evaluation, once every group has been evaluated (without errors) in
    // the minutes before it: the rules that read recorded series find them there.
    const live = await liveGroups(prometheus.url, 10 * 60_000);
    const atSec = Math.max(...live.map((g) => Date.parse(g.lastEvaluation) / 1000)) + 1;
    const series = (await prometheus.query('count({__name__=~".+"})'))[0]?.value ?? 0;
    writeFileSync(join(prometheus.dir, 'prometheus.yml'), 'global: { scrape_interval: 15s }\n');
    const reload = await fetch(`${prometheus.url}/-/reload`, { method: 'POST' });
    if (!reload.ok) {
      throw new Error(`reload failed: ${reload.status}`);
    }
    await new Promise((r) => setTimeout(r, 5_000));
    const file = parse(rules) as RuleFile;
    const measured: Array<{ group: string; record: string; ms: number; series: number }> = [];
    for (const group of file.groups) {
      for (const rule of group.rules) {
        const runs: number[] = [];
        let out = 0;
        for (let i = 0; i < RUNS; i++) {
          const r = await evalMs(prometheus.url, rule.expr, atSec);
          runs.push(r.ms);
          out = r.series;
        }
        measured.push({ group: group.name, record: rule.record, ms: median(runs), series: out });
        process.stdout.write(`${rule.record}: ${median(runs).toFixed(1)} ms, ${out} series\n`);
      }
    }
    const after = loadavg();
    const groups = file.groups.map((g) => g.name);
    const groupMs = (name: string) => measured.filter((m) => m.group === name).reduce((s, m) => s + m.ms, 0);
    const sum = (names: string[]) => names.reduce((s, n) => s + groupMs(n), 0);
    const probeGroups = groups.filter((g) => !g.startsWith('apimon-traffic-'));
    const trafficGroups = groups.filter((g) => g.startsWith('apimon-traffic-'));
    const probe5m = groupMs('apimon-recording-5m');
    const traffic5m = groupMs('apimon-traffic-5m');
    const lines = [
      `## Recording rules: real traffic for ${API_COUNT.toLocaleString('en')} APIs on ${HOSTS} hosts each`,
      '',
      `Reproduce: \`npx tsx bench/traffic-rules.ts\` (about ${Math.round(WARMUP_MS / 60_000) + MINUTES + 3} minutes; needs prometheus). Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Prometheus from the PATH, load average (1 / 5 / 15 min) before ${before.map((x) => x.toFixed(2)).join(' / ')}, after ${after.map((x) => x.toFixed(2)).join(' / ')} (the machine is shared: compare the ratio, not the times).`,
      '',
      `One scrape target exposes ${sampleLines.toLocaleString('en')} series: per API the probe series of one endpoint and the traffic mapping of ${HOSTS} hosts, per host the OTel HTTP-client duration histogram for 200, 503 and 429 answers and the response-size histogram of the 200s (two thirds of the APIs in the stable conventions, one third in the old ones), and ${UNMAPPED_HOSTS} hosts no API claims. Prometheus scraped it every 15 s for ${Math.round(WARMUP_MS / 60_000) + MINUTES} minutes while evaluating the committed prometheus/recording.yml (every group each minute, so the rules that read other rules have their inputs); the store then held ${Number(series).toLocaleString('en')} series. Then scraping and rule evaluation stopped (a reload without them) and every rule's expression ran as an instant query at the last minute of data, ${RUNS} times: the table sums each group's median engine evaluation times (\`stats.timings.evalTotalTime\`: the work of a rule evaluation, without HTTP and JSON).`,
      '',
      '| group | of | rules | evaluation (ms) | last live evaluation while ingesting (ms) |',
      '|---|---|---|---|---|',
      ...groups.map(
        (g) =>
          `| ${g} | ${g.startsWith('apimon-traffic-') ? 'real traffic' : 'probes'} | ${measured.filter((m) => m.group === g).length} | ${groupMs(g).toFixed(1)} | ${((live.find((l) => l.name === g)?.evaluationTime ?? Number.NaN) * 1000).toFixed(0)} |`
      ),
      '',
      `Ratio real-traffic / probe rules, the per-minute groups (apimon-traffic-5m / apimon-recording-5m): **${(traffic5m / probe5m).toFixed(2)}×** (${traffic5m.toFixed(0)} ms / ${probe5m.toFixed(0)} ms per evaluation); all groups: ${(sum(trafficGroups) / sum(probeGroups)).toFixed(2)}× (${sum(trafficGroups).toFixed(0)} ms / ${sum(probeGroups).toFixed(0)} ms). At the committed intervals (both 5-minute groups each minute) the real-traffic rules of ${API_COUNT.toLocaleString('en')} APIs take ${((traffic5m / 60_000) * 100).toFixed(1)} % of one core of this machine.`,
      '',
      '<details><summary>per rule (median ms, output series)</summary>',
      '',
      ...measured.map((m) => `- ${m.record}: ${m.ms.toFixed(1)} ms, ${m.series} series`),
      '',
      '</details>',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    writeSection('## Recording rules: real traffic for', lines.join('\n'));
  } finally {
    await prometheus.stop();
    server.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/traffic-rules: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
