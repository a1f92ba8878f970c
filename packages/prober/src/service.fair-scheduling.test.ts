// The scenario of issue 9: one critical API of provider B probed every second next to 500
// background endpoints of provider A that never answer (timeout 5 s, interval 10 s), default
// prober settings. The service runs with its real scheduler, metrics and catalog parser on a
// fake clock; the probe is injected and behaves as the real one does against a hanging target
// (it gives up at its timeout) or a healthy one (answers in 50 ms).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Api, Endpoint } from '@apimon/core';
import { ProberMetrics } from './metrics';
import { ProbeAbortedError } from './probe/errors';
import type { ProbeOptions } from './probe/options';
import type { ProbeResult } from './probe/types';
import { ProberService } from './service';
import { FakeClock, seededRandom } from './test-support/fake-clock';
import { find, parseExposition } from './test-support/exposition';
import { captureLogs } from './test-support/logs';
import { probeResult } from './test-support/probe-result';

const HANGING = 500;

/** Provider B's critical API (every second) and 500 hanging background endpoints of `hangingProvider`. */
function scenarioYaml(hangingProvider: 'provider-a' | 'provider-b', prober = ''): string {
  const lines = [
    'defaults: { location: test }',
    ...(prober ? [`prober: { ${prober} }`] : []),
    'providers:',
    '  - name: provider-a',
    '  - name: provider-b',
    'apis:',
    '  - name: checkout',
    '    provider: provider-b',
    '    criticality: critical',
    '    owner: payments-team',
    '    interval: 1s',
    '    timeout: 1s',
    '    endpoints:',
    '      - { name: pay, url: "http://127.0.0.1:9/pay" }',
  ];
  // 50 APIs of 10 endpoints each: a large partner feed, every endpoint hanging.
  for (let a = 0; a < HANGING / 10; a++) {
    lines.push(
      `  - name: feed-${a}`,
      `    provider: ${hangingProvider}`,
      '    criticality: background',
      '    owner: data-team',
      '    interval: 10s',
      '    timeout: 5s',
      '    endpoints:',
      ...Array.from({ length: 10 }, (_, e) => `      - { name: part-${e}, url: "http://127.0.0.1:9/feed/${a}/${e}" }`)
    );
  }
  return lines.join('\n') + '\n';
}

describe('fair scheduling: a hanging provider does not starve the others', () => {
  let dir: string;
  let service: ProberService | undefined;
  let clock: FakeClock;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-fair-'));
  });
  afterEach(async () => {
    // The scheduler's shutdown grace runs on the fake clock: move it along.
    const stopping = service?.stop(0);
    await clock.advance(1);
    await stopping;
    service = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(
    yaml: string,
    seconds: number,
    options: Partial<ConstructorParameters<typeof ProberService>[0]> = {}
  ) {
    clock = new FakeClock();
    const logs = captureLogs('info');
    const starts = new Map<string, number[]>();
    const file = join(dir, 'catalog.yaml');
    writeFileSync(file, yaml);
    const probe = (api: Api, endpoint: Endpoint, options: ProbeOptions): Promise<ProbeResult> => {
      const key = `${api.name}/${endpoint.name}`;
      starts.set(key, [...(starts.get(key) ?? []), clock.now()]);
      const hangs = api.name.startsWith('feed-');
      return new Promise((resolve, reject) => {
        const timer = clock.setTimeout(
          () =>
            resolve(
              hangs
                ? probeResult({
                    api: api.name,
                    endpoint: endpoint.name,
                    outcome: 'timeout',
                    code: 0,
                    durationMs: endpoint.timeoutMs,
                    error: 'timed out waiting for the response',
                  })
                : probeResult({ api: api.name, endpoint: endpoint.name, durationMs: 50 })
            ),
          hangs ? endpoint.timeoutMs : 50
        );
        options.signal?.addEventListener('abort', () => {
          clock.clearTimeout(timer);
          reject(new ProbeAbortedError(api.name, endpoint.name));
        });
      });
    };
    service = new ProberService({
      configFile: file,
      logger: logs.logger,
      metrics: new ProberMetrics({ processMetrics: false }),
      probe,
      clock,
      random: seededRandom(9),
      watch: false,
      ...options,
    });
    await service.start('127.0.0.1', 0);
    await clock.advance(seconds * 1000);
    // Only the series the tests read: parsing all 100,000 lines would take most of the test.
    const wanted =
      /^apimon_(probe_skipped_total|probe_due_total|probe_requests_total|probe_start_delay_seconds_(count|bucket)|scheduler_)/;
    const text = (await service.metrics.exposition())
      .split('\n')
      .filter((line) => wanted.test(line))
      .join('\n');
    return { starts, samples: parseExposition(text), logs };
  }

  /** Probes of checkout/pay per skip reason. */
  const skipsOf = (samples: ReturnType<typeof parseExposition>, api: string) =>
    Object.fromEntries(find(samples, 'apimon_probe_skipped_total', { api }).map((s) => [s.labels.reason, s.value]));

  it('with default settings the critical API of another provider gets every probe on time', async () => {
    const { starts, samples } = await run(scenarioYaml('provider-a'), 60);
    const runs = starts.get('checkout/pay') ?? [];
    // Its first run lands within the first second, then one per second: 59 or 60 in 60 s.
    expect(runs.length).toBeGreaterThanOrEqual(59);
    for (let n = 1; n < runs.length; n++) {
      // On the 1 s grid, moved by at most the ±5 % jitter of each run.
      expect(Math.abs(runs[n] - runs[n - 1] - 1_000)).toBeLessThanOrEqual(100);
    }
    expect(skipsOf(samples, 'checkout')).toEqual({});
    // Each one started on time (the fake clock fires timers exactly) and was counted as due.
    expect(
      find(samples, 'apimon_probe_start_delay_seconds_bucket', {
        provider: 'provider-b',
        criticality: 'critical',
        le: '0.005',
      })[0].value
    ).toBe(runs.length);
    expect(find(samples, 'apimon_probe_due_total', { api: 'checkout' })[0].value).toBe(runs.length);
    expect(find(samples, 'apimon_scheduler_saturated')[0].value).toBe(0);
    // The hanging endpoints are probed too, every 10 s each, not queued away.
    const feedRuns = [...starts].filter(([k]) => k.startsWith('feed-')).map(([, r]) => r.length);
    expect(feedRuns).toHaveLength(HANGING);
    expect(Math.min(...feedRuns)).toBeGreaterThanOrEqual(5);
  });

  it('with default settings the critical API keeps its schedule when the hanging endpoints are its own provider’s', async () => {
    const { starts, samples } = await run(scenarioYaml('provider-b'), 60);
    const runs = starts.get('checkout/pay') ?? [];
    expect(runs.length).toBeGreaterThanOrEqual(59);
    for (let n = 1; n < runs.length; n++) {
      expect(Math.abs(runs[n] - runs[n - 1] - 1_000)).toBeLessThanOrEqual(100);
    }
    expect(skipsOf(samples, 'checkout')).toEqual({});
  });

  it('with a low concurrency the critical API still gets the next free slot, and the saturation shows', async () => {
    // 32 slots for 500 probes that each hold one for 5 s: provider A keeps every slot busy and
    // its probes queue. The old FIFO queue gave checkout 3 probes in this minute.
    const { starts, samples, logs } = await run(scenarioYaml('provider-a', 'concurrency: 32'), 60);
    const runs = starts.get('checkout/pay') ?? [];
    // The hanging probes started in clusters, so slots free in clusters every 5 s: checkout
    // gets the first slot of each, and at least one probe per cycle.
    expect(runs.length).toBeGreaterThanOrEqual(12);
    // Every due probe is accounted for: sent, or skipped with the reason.
    const skips = skipsOf(samples, 'checkout');
    expect(Object.keys(skips).every((reason) => reason === 'saturated' || reason === 'overlap')).toBe(true);
    const due = find(samples, 'apimon_probe_due_total', { api: 'checkout' })[0].value;
    const sent = find(samples, 'apimon_probe_requests_total', { api: 'checkout' }).reduce((n, s) => n + s.value, 0);
    const skipped = Object.values(skips).reduce((n, v) => n + v, 0);
    expect(due - sent - skipped).toBeGreaterThanOrEqual(0);
    expect(due - sent - skipped).toBeLessThanOrEqual(1); // one may be waiting or running at the end
    expect(skips.saturated).toBeGreaterThan(0);
    // The start delay histogram has its waits: some above a second.
    const delayCount = (le: string) =>
      find(samples, 'apimon_probe_start_delay_seconds_bucket', {
        provider: 'provider-b',
        criticality: 'critical',
        le,
      })[0].value;
    expect(delayCount('+Inf')).toBe(runs.length);
    expect(delayCount('1')).toBeLessThan(runs.length);
    // The scheduler's own series say what is going on, and who holds the slots.
    const gauge = (name: string, labels: Record<string, string> = {}) => find(samples, name, labels)[0]?.value;
    expect(gauge('apimon_scheduler_slots')).toBe(32);
    expect(gauge('apimon_scheduler_saturated')).toBe(1);
    expect(gauge('apimon_scheduler_queue_length')).toBeGreaterThan(400);
    expect(gauge('apimon_scheduler_probes_in_flight', { provider: 'provider-a' })).toBe(32);
    expect(gauge('apimon_scheduler_probes_in_flight', { provider: 'provider-b' })).toBe(0);
    // One warning when it started (the queue never emptied, so no end yet).
    const lines = logs.entries().filter((e) => String(e.msg).startsWith('probe scheduler'));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'probe scheduler saturated: due probes wait for a free slot',
        slots: 32,
        inFlight: 32,
        queued: 1,
        busiest: [{ provider: 'provider-a', inFlight: 32 }],
      }),
    ]);
  });

  it('lowers the slots to fit the open-file limit, and says so once', async () => {
    const { samples, logs } = await run(scenarioYaml('provider-a'), 1, { openFileLimit: 400 });
    expect(find(samples, 'apimon_scheduler_slots')[0].value).toBe(400 - 128);
    const warnings = logs.entries().filter((e) => String(e.msg).startsWith('prober.concurrency lowered'));
    expect(warnings).toEqual([
      expect.objectContaining({ level: 'warn', concurrency: 1024, openFileLimit: 400, slots: 272 }),
    ]);
    await service!.reload('request');
    expect(logs.entries().filter((e) => String(e.msg).startsWith('prober.concurrency lowered'))).toHaveLength(1);
  });
});
