// The guardrails end to end, against the sandbox's acme-pay on 127.0.0.1: refusals before any
// request (exit 2, and the provider saw nothing), the first request must succeed, a 429 surge
// stops the run at once (exit 3), and the knee of a provider with a known capacity.
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import { catalogYaml, jsonLines, runMain, TempDir } from '../../packages/prober/src/test-support/loadtest';

jest.setTimeout(60_000);

let sandbox: Sandbox;
let dir: TempDir;
const KEY = 'sk_test_loadtest';

beforeAll(async () => {
  sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
  process.env.APIMON_LOADTEST_KEY = KEY;
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

const chargesUrl = () => `${sandbox.url}/acme-pay/v1/charges`;
const requestsSeen = () => sandbox.admin.provider('acme-pay').counters.requests;

describe('apimon loadtest guardrails', () => {
  it('refuses an endpoint the catalog does not allow, with exit 2 and what to set; no request is sent', async () => {
    const config = dir.file('catalog.yaml', catalogYaml({ url: chargesUrl() }));
    const res = await runMain(['loadtest', '--config', config, '--api', 'payments', '--profile', 'step', '--rates', '10']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'apimon loadtest: refused: payments/charges may not be load-tested: neither the endpoint nor its API has a loadTest block. ' +
        "Load on someone else's API can use up your quota, cost money or get your key banned: load-test only with the provider's " +
        'agreement or against a staging URL, then set loadTest: { allowed: true, maxRate: <requests per second> } on the endpoint ' +
        'or its API (docs/load-testing.md)\n'
    );
    // An endpoint's allowed: false beats its API's allowed: true.
    const overridden = dir.file(
      'override.yaml',
      catalogYaml({ url: chargesUrl(), apiExtra: '    loadTest: { allowed: true, maxRate: 50 }', loadTest: '{ allowed: false }' })
    );
    const res2 = await runMain(['loadtest', '--config', overridden, '--api', 'payments', '--profile', 'step']);
    expect(res2.code).toBe(2);
    expect(res2.stderr).toContain('payments/charges may not be load-tested: apis[0].endpoints[0].loadTest.allowed is not true');
    expect(requestsSeen()).toBe(0);
  });

  it('refuses rates above maxRate and plans above the documented rate limit in its window', async () => {
    const config = dir.file(
      'catalog.yaml',
      catalogYaml({ url: chargesUrl(), loadTest: '{ allowed: true, maxRate: 50 }', apiExtra: '    rateLimit: { limit: 100, window: 1m }' })
    );
    const over = await runMain(['loadtest', '-c', config, '--api', 'payments', '--profile', 'ramp', '--rates', '20,60']);
    expect(over.code).toBe(2);
    expect(over.stderr).toBe(
      'apimon loadtest: refused: --rates 20,60 asks for 60 requests per second; payments/charges allows at most 50 ' +
        "(apis[0].endpoints[0].loadTest.maxRate). The guardrail is the catalog's: raise maxRate there only with the provider's agreement\n"
    );
    const documented = await runMain(['loadtest', '-c', config, '--api', 'payments', '--profile', 'step', '--rates', '2,4', '--stage-duration', '20s']);
    expect(documented.code).toBe(2);
    expect(documented.stderr).toBe(
      'apimon loadtest: refused: --rates 2,4 with 20s stages would send up to 120 requests within 1m; the documented rate limit of ' +
        'payments is 100 requests per 1m (its rateLimit in the catalog). Lower the rates or the stage duration\n'
    );
    expect(requestsSeen()).toBe(0);
  });

  it('does not load an endpoint whose first request fails, nor one whose secret is missing', async () => {
    const config = dir.file('catalog.yaml', catalogYaml({ url: `${sandbox.url}/acme-pay/v1/nothing-here`, loadTest: '{ allowed: true, maxRate: 50 }' }));
    const res = await runMain(['loadtest', '-c', config, '--api', 'payments', '--profile', 'step', '--rates', '10']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('apimon loadtest: payments/charges: the first request failed (http_4xx, status 404)');
    expect(requestsSeen()).toBe(0); // a 404 outside the API path is not an API request

    const noSecret = dir.file(
      'nosecret.yaml',
      catalogYaml({ url: chargesUrl(), loadTest: '{ allowed: true, maxRate: 50 }', auth: '{ type: bearer, secretEnv: APIMON_LOADTEST_UNSET }' })
    );
    const res2 = await runMain(['loadtest', '-c', noSecret, '--api', 'payments', '--profile', 'step', '--rates', '10']);
    expect(res2.code).toBe(1);
    expect(res2.stderr).toBe('apimon loadtest: API "payments": environment variable APIMON_LOADTEST_UNSET (auth.secretEnv) is not set or empty\n');
    expect(res2.stderr).not.toContain(KEY);
  });

  it('stops at once on a 429 surge (exit 3), with the results so far', async () => {
    // The provider's real limit is far below what the catalog documents (none here).
    sandbox.admin.configure('acme-pay', { rateLimit: { limit: 10, windowSeconds: 1 } });
    const config = dir.file('catalog.yaml', catalogYaml({ url: chargesUrl(), loadTest: '{ allowed: true, maxRate: 100 }' }));
    const started = Date.now();
    const res = await runMain(['loadtest', '-c', config, '--api', 'payments', '--profile', 'step', '--rates', '40,80', '--stage-duration', '5s', '--json']);
    const elapsed = Date.now() - started;
    expect(res.code).toBe(3);
    const lines = jsonLines(res.stdout);
    const summary = lines[lines.length - 1];
    expect(summary).toMatchObject({ type: 'summary', abortReason: 'rate_limited' });
    expect(summary.abortDetail).toMatch(/^\d+\.\d% of the last \d+ requests answered 429 \(rate limited\), above the abort threshold of 5\.0%$/);
    const stages = lines.filter((l) => l.type === 'stage');
    expect(stages).toHaveLength(1);
    expect(stages[0]).toMatchObject({ stage: 1, partial: true });
    expect(stages[0].rateLimited as number).toBeGreaterThan(0);
    // Far less than the 600 requests planned, and well before the first stage's 5 s.
    expect(requestsSeen()).toBeLessThan(120);
    expect(elapsed).toBeLessThan(5_000);
    expect(res.stderr).toContain('apimon loadtest: stopped:');
  });

  it('finds the knee of a provider with a known capacity within 10 %', async () => {
    // 16 requests at a time, 100 ms each: it serves 160 requests per second and queues the rest.
    sandbox.admin.configure('acme-pay', { capacity: { concurrency: 16, serviceMs: 100 }, rateLimit: { limit: 100_000, windowSeconds: 1 } });
    const truth = (16 * 1000) / 100;
    const config = dir.file(
      'catalog.yaml',
      catalogYaml({ url: chargesUrl(), loadTest: '{ allowed: true, maxRate: 300 }', thresholds: '{ latencyP95: 150ms, errorRate: 1% }' })
    );
    const res = await runMain(['loadtest', '-c', config, '--api', 'payments', '--profile', 'step', '--rates', '150,160,170,180,200', '--stage-duration', '1.5s', '--json']);
    expect(res.code).toBe(0);
    const lines = jsonLines(res.stdout);
    const summary = lines[lines.length - 1];
    expect(summary.knee).not.toBeNull();
    expect(Math.abs((summary.knee as number) - truth) / truth).toBeLessThanOrEqual(0.1);
    expect(summary).toMatchObject({ type: 'summary', kneeReason: 'latency', stoppedAtKnee: true, abortReason: null });
    // Below the capacity the service time is the provider's 100 ms; every request is answered.
    const first = lines[0];
    expect(first).toMatchObject({ type: 'stage', stage: 1, offeredRate: 150, errors: 0, dropped: 0 });
    expect(first.latencyP50Seconds as number).toBeGreaterThanOrEqual(0.1);
    // The generator stopped after the knee's stage instead of running up to 200 req/s.
    expect(lines.filter((l) => l.type === 'stage').every((l) => (l.targetRate as number) < 200)).toBe(true);
  });
});
