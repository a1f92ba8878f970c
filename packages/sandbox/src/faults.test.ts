import http from 'node:http';
import { AUTH, startSandbox } from './test-support';

type Started = Awaited<ReturnType<typeof startSandbox>>;

describe('injected faults', () => {
  let sb: Started;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.admin.reset());

  const charges = () => fetch(`${sb.url}/acme-pay/v1/charges`, { headers: AUTH['acme-pay'] });

  async function timed(): Promise<{ ms: number; status: number }> {
    const started = performance.now();
    const r = await charges();
    await r.arrayBuffer();
    return { ms: performance.now() - started, status: r.status };
  }

  it('adds the injected latency (and jitter) to every request', async () => {
    sb.admin.configure('acme-pay', { latencyMs: 250 });
    const slow = [await timed(), await timed()];
    for (const s of slow) {
      expect(s.status).toBe(200);
      expect(s.ms).toBeGreaterThanOrEqual(245);
    }
    sb.admin.configure('acme-pay', { latencyMs: 300, jitterMs: 100 });
    const jittered = await timed();
    expect(jittered.ms).toBeGreaterThanOrEqual(195);
  });

  it('is slow only for callers from the locations regionalLatencyMs names, and counts callers by location', async () => {
    sb.admin.configure('acme-pay', { regionalLatencyMs: { 'eu-west': 300 } });
    const from = async (userAgent: string) => {
      const started = performance.now();
      const r = await fetch(`${sb.url}/acme-pay/v1/charges`, { headers: { ...AUTH['acme-pay'], 'User-Agent': userAgent } });
      await r.arrayBuffer();
      return performance.now() - started;
    };
    expect(await from('apimon/1.0.0 (location=eu-west)')).toBeGreaterThanOrEqual(295);
    expect(await from('apimon/1.0.0 (location=us-east)')).toBeLessThan(250);
    expect(await from('curl/8')).toBeLessThan(250);
    expect(sb.admin.provider('acme-pay').counters.locations).toEqual({ 'eu-west': 1, 'us-east': 1, '': 1 });
    expect(() => sb.admin.configure('acme-pay', { regionalLatencyMs: { 'EU West': 1 } })).toThrow(
      /regionalLatencyMs\["EU West"\]: Invalid key/
    );
  });

  it('applies the faults a request asks for with Envoy fault-injection headers, and ignores bad values', async () => {
    const ask = async (headers: Record<string, string>) => {
      const started = performance.now();
      const r = await fetch(`${sb.url}/acme-pay/v1/charges`, { headers: { ...AUTH['acme-pay'], ...headers } });
      const body = (await r.json()) as { error?: string };
      return { status: r.status, ms: performance.now() - started, error: body.error };
    };
    const aborted = await ask({ 'x-envoy-fault-abort-request': '503', 'x-envoy-fault-delay-request': '120' });
    expect(aborted).toMatchObject({ status: 503, error: 'fault_injected' });
    expect(aborted.ms).toBeGreaterThanOrEqual(115);
    // The edge aborts before authentication, as a mesh in front of the provider would.
    expect((await fetch(`${sb.url}/acme-pay/v1/charges`, { headers: { 'x-envoy-fault-abort-request': '429' } })).status).toBe(429);
    expect(await ask({ 'x-envoy-fault-abort-request': 'soon', 'x-envoy-fault-delay-request': '-5' })).toMatchObject({ status: 200 });
    expect(await ask({ 'x-envoy-fault-abort-request': '99' })).toMatchObject({ status: 200 });
    expect(sb.admin.provider('acme-pay').counters.responses).toEqual({ 200: 2, 429: 1, 503: 1 });
  });

  it('degraded outage adds latency but no errors', async () => {
    sb.admin.configure('acme-pay', { outage: 'degraded' });
    const r = await timed();
    expect(r.status).toBe(200);
    expect(r.ms).toBeGreaterThanOrEqual(390);
  });

  it('serves exactly errorRate of the requests as 500 in sequence mode', async () => {
    sb.admin.configure('acme-pay', { errorRate: 0.25, errorMode: 'sequence' });
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push((await charges()).status);
    }
    expect(codes).toEqual([200, 200, 200, 500, 200, 200, 200, 500, 200, 200, 200, 500]);
    sb.admin.configure('acme-pay', { errorRate: 0.4 });
    const more: number[] = [];
    for (let i = 0; i < 10; i++) {
      more.push((await charges()).status);
    }
    expect(more.filter((c) => c === 500)).toHaveLength(4);
    expect(sb.admin.provider('acme-pay').counters.responses).toEqual({ 200: 15, 500: 7 });
  });

  it('draws random errors from the seed: the same seed gives the same sequence', async () => {
    const run = async () => {
      const s = await startSandbox({ seed: 42 });
      try {
        s.admin.configure('geoloc', { errorRate: 0.5 });
        const codes: number[] = [];
        for (let i = 0; i < 16; i++) {
          codes.push((await fetch(`${s.url}/geoloc/v1/geocode?q=x`, { headers: AUTH.geoloc })).status);
        }
        return codes;
      } finally {
        await s.close();
      }
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(a.filter((c) => c === 500).length).toBeGreaterThan(2);
    expect(a.filter((c) => c === 200).length).toBeGreaterThan(2);
  });

  it('major outage answers every request 503; partial every second one; none restores', async () => {
    sb.admin.configure('textly', { outage: 'major', bursts: null });
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${sb.url}/textly/v1/messages`, { headers: AUTH.textly });
      expect(r.status).toBe(503);
    }
    // Even without credentials: the outage is in front of authentication.
    expect((await fetch(`${sb.url}/textly/v1/messages`)).status).toBe(503);
    sb.admin.configure('textly', { outage: 'partial' });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      codes.push((await fetch(`${sb.url}/textly/v1/messages`, { headers: AUTH.textly })).status);
    }
    expect(codes).toEqual([200, 503, 200, 503]);
    sb.admin.configure('textly', { outage: 'none' });
    expect((await fetch(`${sb.url}/textly/v1/messages`, { headers: AUTH.textly })).status).toBe(200);
  });

  it('serves pinned rate-limit values verbatim in each convention', async () => {
    sb.admin.configure('acme-pay', { rateLimit: { remaining: 7, reset: 1900000000 } });
    const a = await charges();
    expect(a.headers.get('x-ratelimit-remaining')).toBe('7');
    expect(a.headers.get('x-ratelimit-reset')).toBe('1900000000');
    expect(a.headers.get('x-ratelimit-used')).toBe('93');
    sb.admin.configure('geoloc', { rateLimit: { limit: 500, windowSeconds: 3600, remaining: 12, reset: 42 } });
    const g = await fetch(`${sb.url}/geoloc/v1/geocode?q=a`, { headers: AUTH.geoloc });
    expect(g.headers.get('ratelimit-policy')).toBe('"default";q=500;w=3600');
    expect(g.headers.get('ratelimit')).toBe('"default";r=12;t=42');
    // The limit is real: a new window size takes effect at once.
    expect(sb.admin.provider('geoloc').rateLimit).toEqual(
      expect.objectContaining({ limit: 500, windowSeconds: 3600, remaining: 499 })
    );
  });

  it('announces the window in another convention on request: remaining-only Azure Resource Manager headers', async () => {
    sb.admin.configure('acme-pay', { rateLimit: { convention: 'azure-arm', limit: 2 } });
    const first = await charges();
    expect(first.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('1');
    expect(first.headers.get('x-ratelimit-limit')).toBeNull();
    expect(sb.admin.provider('acme-pay').rateLimit).toEqual(expect.objectContaining({ convention: 'azure-arm', remaining: 1 }));
    await charges();
    const over = await charges();
    expect(over.status).toBe(429);
    expect(over.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('0');
    expect(over.headers.get('retry-after')).toBe('1');
    // A pinned remaining is served verbatim in it too (a new limit starts a new window).
    sb.admin.configure('acme-pay', { rateLimit: { limit: 5, remaining: 0 } });
    const pinned = await charges();
    expect(pinned.status).toBe(200);
    expect(pinned.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('0');
  });

  it('enforces a second, longer window (a quota) and announces both as IETF policies', async () => {
    // 03:00:00.250 UTC: the daily quota window ends in 75600 s.
    sb.admin.configure('geoloc', { rateLimit: { limit: 10, windowSeconds: 1, quota: { limit: 3, windowSeconds: 86_400 } } });
    const q = () => fetch(`${sb.url}/geoloc/v1/geocode?q=a`, { headers: AUTH.geoloc });
    const first = await q();
    expect(first.headers.get('ratelimit-policy')).toBe('"default";q=10;w=1, "quota";q=3;w=86400');
    expect(first.headers.get('ratelimit')).toBe('"default";r=9;t=1, "quota";r=2;t=75600');
    await q();
    await q();
    // The second has room; the quota is spent: 429 until the quota's window ends.
    const over = await q();
    expect(over.status).toBe(429);
    expect(over.headers.get('ratelimit')).toBe('"default";r=6;t=1, "quota";r=0;t=75600');
    expect(over.headers.get('retry-after')).toBe('75600');
    expect(sb.admin.provider('geoloc').rateLimit.quota).toEqual({ limit: 3, windowSeconds: 86_400, remaining: 0, resetAt: '2026-11-25T00:00:00.000Z' });
    // Conventions with one limit per response announce the first window only.
    sb.admin.configure('geoloc', { rateLimit: { convention: 'github' } });
    const github = await q();
    expect(github.headers.get('x-ratelimit-limit')).toBe('10');
    sb.admin.configure('geoloc', { rateLimit: { quota: null } });
    expect(sb.admin.provider('geoloc').rateLimit.quota).toBeNull();
    expect((await q()).status).toBe(200);
  });

  it('refills the window when it turns over', async () => {
    sb.admin.configure('geoloc', { rateLimit: { limit: 2 } });
    const q = () => fetch(`${sb.url}/geoloc/v1/geocode?q=a`, { headers: AUTH.geoloc });
    expect((await q()).status).toBe(200);
    expect((await q()).status).toBe(200);
    const over = await q();
    expect(over.status).toBe(429);
    expect(over.headers.get('ratelimit')).toBe('"default";r=0;t=60');
    expect(over.headers.get('retry-after')).toBe('60');
    sb.clock.now += 60_000;
    const again = await q();
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit')).toBe('"default";r=1;t=60');
  });

  describe('connection faults', () => {
    /** Node's http client, so the test sees the socket itself (fetch hides resets behind "fetch failed"). */
    const raw = (timeoutMs: number) =>
      new Promise<{ outcome: string; status?: number; pieces: number[]; body: string }>((resolve) => {
        const pieces: number[] = [];
        let body = '';
        const req = http.get(`${sb.url}/acme-pay/v1/charges`, { headers: AUTH['acme-pay'] }, (res) => {
          res.on('data', (chunk: Buffer) => {
            pieces.push(performance.now());
            body += chunk.toString();
          });
          res.on('end', () => resolve({ outcome: 'complete', status: res.statusCode, pieces, body }));
        });
        // A deadline for the whole exchange, as a probe has (not an idle timeout).
        const deadline = setTimeout(() => {
          req.destroy();
          resolve({ outcome: 'timeout', pieces, body });
        }, timeoutMs);
        req.on('close', () => clearTimeout(deadline));
        req.on('error', (err: NodeJS.ErrnoException) => resolve({ outcome: err.code ?? err.message, pieces, body }));
      });

    it('hangs: accepts the request and never answers, until the client gives up', async () => {
      sb.admin.configure('acme-pay', { connectionFault: { kind: 'hang' } });
      const started = performance.now();
      expect((await raw(300)).outcome).toBe('timeout');
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(sb.admin.provider('acme-pay').counters).toMatchObject({
        requests: 1,
        responses: {},
        connectionFaults: { hang: 1 },
      });
    });

    it('resets the connection of every other request when the rate is 0.5', async () => {
      sb.admin.configure('acme-pay', { connectionFault: { kind: 'reset', rate: 0.5 } });
      const outcomes = [];
      for (let i = 0; i < 4; i++) {
        const r = await raw(2_000);
        outcomes.push(r.outcome === 'complete' ? r.status : r.outcome);
      }
      expect(outcomes).toEqual([200, 'ECONNRESET', 200, 'ECONNRESET']);
      expect(sb.admin.provider('acme-pay').counters.connectionFaults).toEqual({ reset: 2 });
    });

    it('drips: the answer starts at once, the body comes 16 bytes per interval', async () => {
      sb.admin.configure('acme-pay', { connectionFault: { kind: 'drip', dripIntervalMs: 40 } });
      const r = await raw(400);
      // Cut off by the client's timeout in the middle of the body, as a probe would be.
      expect(r.outcome).toBe('timeout');
      expect(r.pieces.length).toBeGreaterThanOrEqual(3);
      expect(r.pieces.length).toBeLessThanOrEqual(11);
      // Paced: on average one piece per 40 ms (a late piece makes the next gap short).
      const span = r.pieces[r.pieces.length - 1] - r.pieces[0];
      expect(span / (r.pieces.length - 1)).toBeGreaterThanOrEqual(30);
      expect(r.body).toMatch(/^\{"data":"x+$/);
      expect(sb.admin.provider('acme-pay').counters).toMatchObject({
        responses: { 200: 1 },
        connectionFaults: { drip: 1 },
      });
    });

    it('drips a complete, valid body when the client waits for it', async () => {
      sb.admin.configure('acme-pay', { connectionFault: { kind: 'drip', dripIntervalMs: 10 } });
      const r = await raw(5_000);
      expect(r).toMatchObject({ outcome: 'complete', status: 200 });
      expect(r.pieces).toHaveLength(64);
      expect(JSON.parse(r.body).data).toMatch(/^x+$/);
    });

    it('rejects a bad fault naming the field', () => {
      expect(() => sb.admin.configure('acme-pay', { connectionFault: { kind: 'stall' as 'hang', rate: 2 } })).toThrow(
        /connectionFault\.kind: .*\(got "stall"\); connectionFault\.rate: .*\(got 2\)/
      );
    });
  });
});
