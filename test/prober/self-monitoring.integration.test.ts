// Watch the watcher, end to end with real parts: two real prober services (locations "honest"
// and "control") probe a local target whose handler answers and then holds the event loop for
// 250 ms (a GC pause or a CPU spike in the prober's process, on purpose), a real Prometheus
// scrapes both every second and evaluates the generated alert rules (every rule's `for` and
// each group's interval shortened to seconds: the expressions are the shipped ones).
// - the exposition carries the process and Node.js metrics and passes promtool check metrics;
// - the honest prober (prober.timingTolerance 50ms) counts those probes as degraded and keeps
//   their latency out, so the latency alert stays quiet for its API, while the control prober
//   (tolerance 1m, i.e. the old behaviour) pages about the very same provider, and the busy
//   prober's own alert fires instead;
// - every query of the prober-health dashboard runs on the live probers;
// - stopping one prober fires ApimonProberDown and ApimonProberLocationMissing, while
//   ApimonNoData (absent(apimon_api_info)) stays quiet because the other prober still reports.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createQueryEngine, METRICS, RUNTIME_METRICS } from '@apimon/core';
import { clock } from '../../packages/prober/src/probe/timing';
import { createFetchTransport } from '../../packages/prober/src/query/transport';
import { ProberService } from '../../packages/prober/src/service';
import { StatusPageMonitor } from '../../packages/prober/src/statuspage';
import { find, parseExposition } from '../../packages/prober/src/test-support/exposition';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { TestServers } from '../../packages/prober/src/test-support/servers';
import { ALERT_SIGNALS } from '../../scripts/provisioning/alerts';
import { proberHealth } from '../../scripts/provisioning/dashboard-prober';
import { prometheusAvailable, startPrometheus, waitFor, type RunningPrometheus } from '../helpers/prometheus';
import { dashboardPromTargets, substituteVariables } from '../provisioning/promql-targets';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..', '..');
const BLOCK_MS = 250;
const LATENCY = ALERT_SIGNALS.find((s) => s.alert === 'ApimonLatencyHigh')!;

/** The shipped alert rules, evaluated every second and firing at once. */
function fastAlertRules(): string {
  const file = parse(readFileSync(join(ROOT, 'prometheus', 'alerts.yml'), 'utf8')) as {
    groups: Array<{ interval: string; rules: Array<{ for: string }> }>;
  };
  for (const group of file.groups) {
    group.interval = '1s';
    for (const rule of group.rules) {
      rule.for = '0s';
    }
  }
  return stringify(file);
}

const catalog = (location: string, tolerance: string, target: string, extra = '') => `
defaults: { location: ${location} }
prober: { timingTolerance: ${tolerance} }
providers:
  - { name: acme, statusPage: { url: "${target}/acme/summary.json", format: statuspage, interval: 1s } }
  - { name: geoloc, statusPage: { url: "${target}/geoloc/summary.json", format: statuspage, interval: 1s } }
apis:
  - name: ${location}-pay
    provider: acme
    criticality: critical
    owner: payments-team
    interval: 2s
    timeout: 1500ms
    thresholds: { latencyP95: 200ms }
    endpoints: [{ name: charges, url: "${target}/block" }]
${extra}`;

const describeLive = prometheusAvailable() ? describe : describe.skip;

describeLive('the prober watched: self-metrics, honest timings and self alerts on a real Prometheus', () => {
  const servers = new TestServers();
  const logs = captureLogs('error');
  let dir: string;
  let honest: ProberService;
  let control: ProberService;
  let honestTarget: string;
  let controlTarget: string;
  let prometheus: RunningPrometheus;

  const start = async (name: string, yaml: string) => {
    writeFileSync(join(dir, `${name}.yaml`), yaml);
    const service = new ProberService({
      configFile: join(dir, `${name}.yaml`),
      logger: logs.logger,
      watch: false,
      modules: (_catalog, metrics) => [new StatusPageMonitor({ registry: metrics.registry, logger: logs.logger, dataDir: null })],
    });
    const address = await service.start('127.0.0.1', 0);
    return { service, target: `127.0.0.1:${address.port}` };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-self-'));
    const statusPage = readFileSync(join(ROOT, 'packages/core/src/statuspage/fixtures/statuspage-summary.json'), 'utf8');
    const target = await servers.http((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/block') {
        // The answer is in the socket at once; then the prober's own process is stuck.
        res.end('{"ok":true}');
        const until = clock() + BLOCK_MS;
        while (clock() < until) {
          // busy
        }
      } else if (req.url === '/fast') {
        res.end('{"ok":true}');
      } else if (req.url === '/geoloc/summary.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(statusPage);
      } else {
        res.writeHead(404).end();
      }
    });
    const honestGeo = `
  - name: honest-geo
    provider: geoloc
    criticality: standard
    owner: search-team
    interval: 1s
    timeout: 900ms
    endpoints: [{ name: forward, url: "${target.url('/fast')}" }]
`;
    ({ service: honest, target: honestTarget } = await start('honest', catalog('honest', '50ms', target.url(''), honestGeo)));
    ({ service: control, target: controlTarget } = await start('control', catalog('control', '1m', target.url(''))));
    prometheus = await startPrometheus(
      `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [alerts.yml]
scrape_configs:
  - job_name: apimon
    scrape_interval: 1s
    scrape_timeout: 900ms
    static_configs: [{ targets: ['${honestTarget}', '${controlTarget}'] }]
`,
      { files: { 'alerts.yml': fastAlertRules() } }
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all([honest?.stop(2_000), control?.stop(2_000)]);
    await servers.closeAll();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const apisOf = async (expr: string) => (await prometheus.query(expr)).map((r) => r.metric.api).sort();
  const firing = async (alertname: string) =>
    (await prometheus.query(`ALERTS{alertname="${alertname}", alertstate="firing"}`)).map((r) => r.metric);

  it('exposes the process and Node.js metrics, build info and the self-metrics, and promtool accepts them', async () => {
    const text = await waitFor(
      async () => {
        const t = await (await fetch(`http://${honestTarget}/metrics`)).text();
        return t.includes(`${RUNTIME_METRICS.gcDuration}_count`) && t.includes(METRICS.providerFetchSuccess) ? t : undefined;
      },
      20_000,
      'a GC pause and a status-page fetch in the exposition'
    );
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
    const samples = parseExposition(text);
    const names = new Set(samples.map((s) => s.name));
    for (const name of Object.values(RUNTIME_METRICS)) {
      expect({ name, present: names.has(name === RUNTIME_METRICS.gcDuration ? `${name}_count` : name) }).toEqual({ name, present: true });
    }
    expect(find(samples, METRICS.buildInfo)).toEqual([
      expect.objectContaining({ labels: expect.objectContaining({ location: 'honest', node_version: process.version }), value: 1 }),
    ]);
    for (const name of [METRICS.catalogReloads, METRICS.processMemoryLimit, `${METRICS.probeLoopDelay}_count`, `${METRICS.metricsRenderDuration}_count`]) {
      expect({ name, present: names.has(name) }).toEqual({ name, present: true });
    }
  });

  it('counts the probes the blocked loop spoiled as degraded and keeps them out of the latency the alerts read', async () => {
    // The control prober (tolerance 1m) shows what the stall does to a latency: its alert fires.
    await waitFor(async () => (await apisOf(LATENCY.expr)).includes('control-pay'), 45_000, 'the latency alert expression to return control-pay');
    await waitFor(async () => (await firing('ApimonLatencyHigh')).some((m) => m.api === 'control-pay'), 15_000, 'ApimonLatencyHigh to fire for control-pay');
    // The same stalls on the honest prober: every honest-pay probe counted as degraded ...
    const degraded = await prometheus.query(`${METRICS.probeTimingDegraded}{api="honest-pay"}`);
    expect(degraded).toHaveLength(1);
    expect(degraded[0].value).toBeGreaterThanOrEqual(2);
    const sent = await prometheus.query(`sum(${METRICS.probeRequests}{api="honest-pay"})`);
    expect(sent[0].value).toBeGreaterThanOrEqual(degraded[0].value);
    // ... none of them in its latency, so neither the expression nor the rule ever named it.
    expect(await prometheus.query(`${METRICS.probeDuration}_count{api="honest-pay"}`)).toEqual([]);
    expect(await apisOf(LATENCY.expr)).not.toContain('honest-pay');
    expect(await prometheus.query('max_over_time(ALERTS{alertname="ApimonLatencyHigh", api="honest-pay"}[5m])')).toEqual([]);
    // Their loop delay is recorded: at least the stall, never above the duration.
    const loopDelay = await prometheus.query(
      `max by (instance) (${METRICS.probeLoopDelay}_sum) / max by (instance) (${METRICS.probeLoopDelay}_count) and on (instance) apimon_build_info{location="honest"}`
    );
    expect(loopDelay[0].value).toBeGreaterThan(0.02);
    // The busy prober pages about itself instead.
    await waitFor(
      async () => (await firing('ApimonProberTimingDegraded')).some((m) => m.location === 'honest'),
      15_000,
      'ApimonProberTimingDegraded to fire for the honest prober'
    );
    expect((await firing('ApimonProberTimingDegraded')).map((m) => m.location)).toEqual(['honest']);
  });

  it('the summary does not judge the provider by those probes, and says why its p95 is missing', async () => {
    const engine = createQueryEngine({
      transport: createFetchTransport({ prometheusUrl: prometheus.url }),
      scrapeIntervalMs: 1000,
      proberConfigured: false,
    });
    const now = Date.now();
    const { rows } = await engine.summary({ kind: 'summary', window: '5m' }, { fromMs: now - 60_000, toMs: now, maxDataPoints: 60 }, { sparklines: false });
    const row = (api: string) => rows.find((r) => r.api === api)!;
    expect(row('honest-pay')).toMatchObject({ latencyP95Seconds: null, state: 'ok', reasons: ['p95 not judged: the prober was too busy to time the probes'] });
    expect(row('honest-pay').timingDegradedRatio).toBeGreaterThan(0.9);
    expect(row('control-pay').state).toBe('critical');
    expect(row('control-pay').reasons[0]).toMatch(/^p95 \d+ms > 200ms$/);
  });

  it('every query of the prober-health dashboard runs on the live probers, every panel with data', async () => {
    const targets = dashboardPromTargets([proberHealth()]);
    const withData = new Set<number>();
    for (const t of targets) {
      const expr = substituteVariables(t.expr, { api: '', rangeSeconds: 300 });
      const result = await prometheus.query(expr);
      if (result.length > 0) {
        withData.add(t.panelId);
      }
    }
    const panels = proberHealth().panels.map((p) => p.id);
    expect(panels.filter((id) => !withData.has(id))).toEqual([]);
  });

  it('a stopped prober fires ApimonProberDown and ApimonProberLocationMissing; ApimonNoData stays quiet', async () => {
    expect(await firing('ApimonProberDown')).toEqual([]);
    expect(await firing('ApimonProberLocationMissing')).toEqual([]);
    await control.stop(2_000);
    await waitFor(async () => (await firing('ApimonProberDown')).length > 0, 20_000, 'ApimonProberDown to fire');
    expect(await firing('ApimonProberDown')).toEqual([
      expect.objectContaining({ job: 'apimon', instance: controlTarget, severity: 'critical', signal: 'prober_down' }),
    ]);
    await waitFor(async () => (await firing('ApimonProberLocationMissing')).length > 0, 20_000, 'ApimonProberLocationMissing to fire');
    expect(await firing('ApimonProberLocationMissing')).toEqual([
      expect.objectContaining({ location: 'control', severity: 'critical', signal: 'prober_missing' }),
    ]);
    // The one absence rule there was says nothing: the honest prober still reports.
    expect(await firing('ApimonNoData')).toEqual([]);
  });
});
