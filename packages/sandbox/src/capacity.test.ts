// A provider with a known capacity: at most `concurrency` requests served at once, `serviceMs`
// each, the rest queued in arrival order; set and validated through the admin API.
import { performance } from 'node:perf_hooks';
import { AUTH, startSandbox } from './test-support';

type Started = Awaited<ReturnType<typeof startSandbox>>;

describe('sandbox capacity', () => {
  let sb: Started;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.admin.reset());

  it('serves concurrency requests at a time for serviceMs each and queues the rest', async () => {
    const res = await fetch(`${sb.url}/_admin/providers/acme-pay`, {
      method: 'POST',
      body: JSON.stringify({ capacity: { concurrency: 2, serviceMs: 150 } }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).settings.capacity).toEqual({ concurrency: 2, serviceMs: 150 });
    const start = performance.now();
    const done = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const r = await fetch(`${sb.url}/acme-pay/v1/charges`, { headers: AUTH['acme-pay'] });
        await r.arrayBuffer();
        return { status: r.status, ms: performance.now() - start };
      })
    );
    expect(done.every((d) => d.status === 200)).toBe(true);
    // Three waves of two: about 150, 300 and 450 ms (never sooner; later only by timer lateness).
    const waves = done.map((d) => d.ms).sort((a, b) => a - b);
    expect(waves[1]).toBeGreaterThanOrEqual(148);
    expect(waves[2]).toBeGreaterThanOrEqual(298);
    expect(waves[4]).toBeGreaterThanOrEqual(448);
    expect(waves[5]).toBeLessThan(1_500);
  });

  it('rejects a capacity without slots, naming the field and value; null lifts it', async () => {
    const res = await fetch(`${sb.url}/_admin/providers/acme-pay`, { method: 'POST', body: JSON.stringify({ capacity: { concurrency: 0, serviceMs: 10 } }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid settings for provider "acme-pay": capacity.concurrency: must be >= 1 (got 0)');
    sb.admin.configure('acme-pay', { capacity: { concurrency: 1, serviceMs: 5 } });
    expect(sb.admin.configure('acme-pay', { capacity: null }).settings.capacity).toBeNull();
  });
});
