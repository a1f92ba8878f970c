// Ctrl-C and the store: SIGINT to the real bin stops the run at once and still prints the
// results so far (exit 130); results written by remote write land in a real Prometheus
// (started with --web.enable-remote-write-receiver) under the contract's names and labels.
import { spawn } from 'node:child_process';
import { LOADTEST_METRICS } from '@apimon/core';
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus';
import { BIN, catalogYaml, jsonLines, runMain, TempDir } from '../../packages/prober/src/test-support/loadtest';

jest.setTimeout(60_000);

let sandbox: Sandbox;
let dir: TempDir;

beforeAll(async () => {
  sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
  process.env.APIMON_LOADTEST_KEY = 'sk_test_loadtest';
});
afterAll(async () => {
  await sandbox.close();
  delete process.env.APIMON_LOADTEST_KEY;
});
beforeEach(() => {
  dir = new TempDir();
  sandbox.admin.reset();
});
afterEach(() => dir.remove());

const config = () =>
  dir.file('catalog.yaml', catalogYaml({ url: `${sandbox.url}/acme-pay/v1/charges`, loadTest: '{ allowed: true, maxRate: 100 }' }));

describe('apimon loadtest, interrupted', () => {
  it('stops at once on SIGINT and writes the stages so far and a summary (exit 130)', async () => {
    sandbox.admin.configure('acme-pay', { rateLimit: { limit: 10_000, windowSeconds: 1 } });
    const child = spawn(
      process.execPath,
      [BIN, 'loadtest', '-c', config(), '--api', 'payments', '--profile', 'step', '--rates', '20,30,40', '--stage-duration', '2s', '--json'],
      { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    let stdout = '';
    let stderr = '';
    let signalledAt = 0;
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      // Stage 1 is final: interrupt stage 2 half way.
      if (!signalledAt && stdout.includes('"type":"stage"')) {
        signalledAt = Date.now();
        setTimeout(() => child.kill('SIGINT'), 1_000);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect({ code, stderr: stderr.includes('Error') ? stderr : '' }).toEqual({ code: 130, stderr: '' });
    const lines = jsonLines(stdout);
    expect(lines.map((l) => [l.type, l.stage ?? null, l.partial ?? null])).toEqual([
      ['stage', 1, false],
      ['stage', 2, true],
      ['summary', null, null],
    ]);
    const second = lines[1];
    // About a second of stage 2 at 30 req/s, not its 2 s (nor stage 3).
    expect(second.durationSeconds as number).toBeGreaterThan(0.5);
    expect(second.durationSeconds as number).toBeLessThan(1.9);
    expect(second.scheduled as number).toBeLessThan(60);
    expect(lines[2]).toMatchObject({ abortReason: 'interrupted', stages: 2 });
    // "At once": it exited well before stage 2 would have ended, let alone stage 3.
    expect(Date.now() - signalledAt).toBeLessThan(4_000);
  });
});

describe('apimon loadtest --remote-write', () => {
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus('global: { scrape_interval: 15s }\n', { args: ['--web.enable-remote-write-receiver'] });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  it('lands every stage and the run thresholds in the store with the run, api, endpoint, stage and location labels', async () => {
    const res = await runMain([
      'loadtest', '-c', config(), '--api', 'payments', '--profile', 'step', '--rates', '10,20', '--stage-duration', '1s',
      '--json', '--run', 'rw-test-1', '--remote-write', `${prometheus.url}/api/v1/write`,
    ]);
    expect(res.code).toBe(0);
    const lines = jsonLines(res.stdout);
    expect(lines[lines.length - 1]).toMatchObject({ remoteWrite: `${prometheus.url}/api/v1/write` });

    const offered = await prometheus.query(`${LOADTEST_METRICS.offeredRate}{run="rw-test-1"}`);
    expect(offered.map((s) => s.metric).sort((a, b) => a.stage.localeCompare(b.stage))).toEqual([
      { __name__: LOADTEST_METRICS.offeredRate, run: 'rw-test-1', api: 'payments', endpoint: 'charges', provider: 'acme-pay', location: 'local', profile: 'step', stage: '1' },
      { __name__: LOADTEST_METRICS.offeredRate, run: 'rw-test-1', api: 'payments', endpoint: 'charges', provider: 'acme-pay', location: 'local', profile: 'step', stage: '2' },
    ]);
    // The final value of each stage is the one printed.
    const byStage = Object.fromEntries(offered.map((s) => [s.metric.stage, s.value]));
    expect(byStage).toEqual({ '1': lines[0].offeredRate, '2': lines[1].offeredRate });
    const ok = await prometheus.query(`sum by (stage) (${LOADTEST_METRICS.requests}{run="rw-test-1", outcome="ok"})`);
    expect(Object.fromEntries(ok.map((s) => [s.metric.stage, s.value]))).toEqual({ '1': lines[0].completed, '2': lines[1].completed });
    const p95 = await prometheus.query(`${LOADTEST_METRICS.latency}{run="rw-test-1", quantile="0.95", stage="2"}`);
    expect(p95).toHaveLength(1);
    expect(p95[0].value).toBeCloseTo(lines[1].latencyP95Seconds as number, 6);
    const threshold = await prometheus.query(`${LOADTEST_METRICS.thresholdLatency}{run="rw-test-1"}`);
    expect(threshold.map((s) => [s.metric.stage ?? null, s.value])).toEqual([[null, 0.15]]);
  });

  it('sends no load when the store does not take remote writes (exit 1, what to enable)', async () => {
    const plain = await startPrometheus('global: { scrape_interval: 15s }\n');
    try {
      const res = await runMain(['loadtest', '-c', config(), '--api', 'payments', '--profile', 'step', '--rates', '10', '--remote-write', `${plain.url}/api/v1/write`]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('HTTP 404');
      expect(res.stderr).toContain('Prometheus needs --web.enable-remote-write-receiver');
      expect(res.stderr).toContain('no load was sent');
      expect(sandbox.admin.provider('acme-pay').counters.requests).toBe(0);
    } finally {
      await plain.stop();
    }
  });
});
