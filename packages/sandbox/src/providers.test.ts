import { AUTH, startSandbox } from './test-support';

type Started = Awaited<ReturnType<typeof startSandbox>>;

describe('sandbox providers', () => {
  let sb: Started;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.admin.reset());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${sb.url}${path}`, { headers });

  it('acme-pay: JSON list of charges with GitHub-style headers counting down in the 1 s window', async () => {
    const epochReset = Math.ceil((Math.floor(sb.clock.now / 1000) * 1000 + 1000) / 1000);
    for (let i = 1; i <= 3; i++) {
      const r = await get('/acme-pay/v1/charges', AUTH['acme-pay']);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-limit')).toBe('100');
      expect(r.headers.get('x-ratelimit-remaining')).toBe(String(100 - i));
      expect(r.headers.get('x-ratelimit-used')).toBe(String(i));
      expect(r.headers.get('x-ratelimit-reset')).toBe(String(epochReset));
      const body = await r.json();
      expect(body.object).toBe('list');
      expect(body.data).toHaveLength(10);
      expect(body.data[0]).toEqual(
        expect.objectContaining({ object: 'charge', currency: expect.any(String), amount: expect.any(Number) })
      );
    }
    // The next second is a new window.
    sb.clock.now += 1000;
    const next = await get('/acme-pay/v1/charges', AUTH['acme-pay']);
    expect(next.headers.get('x-ratelimit-remaining')).toBe('99');
    expect(next.headers.get('x-ratelimit-reset')).toBe(String(epochReset + 1));
  });

  it('acme-pay: 429 with Retry-After once the 100 requests of a window are used', async () => {
    sb.admin.configure('acme-pay', { rateLimit: { limit: 3 } });
    const codes: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await get('/acme-pay/v1/charges', AUTH['acme-pay']);
      codes.push(last.status);
    }
    expect(codes).toEqual([200, 200, 200, 429]);
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(last!.headers.get('retry-after')).toBe('1');
    expect((await last!.json()).error.type).toBe('rate_limit_error');
  });

  it('acme-pay: 401 with a Bearer challenge without a usable token', async () => {
    for (const headers of [{}, { Authorization: 'Bearer ' }, { Authorization: 'Basic abc' }] as Array<
      Record<string, string>
    >) {
      const r = await get('/acme-pay/v1/charges', headers);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="acme-pay"');
      expect(r.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });

  it('geoloc: results for q, draft-10 RateLimit-Policy and RateLimit fields, 50 per minute', async () => {
    const secondsLeft = 60 - ((sb.clock.now / 1000) % 60);
    for (let i = 1; i <= 2; i++) {
      const r = await get('/geoloc/v1/geocode?q=Berlin', AUTH.geoloc);
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit-policy')).toBe('"default";q=50;w=60');
      expect(r.headers.get('ratelimit')).toBe(`"default";r=${50 - i};t=${Math.ceil(secondsLeft)}`);
      const body = await r.json();
      expect(body.results[0].formatted_address).toBe('Berlin, Germany');
      expect(body.results[0].geometry.location).toEqual({ lat: 52.520008, lng: 13.404954 });
    }
    const missing = await get('/geoloc/v1/geocode', AUTH.geoloc);
    expect(missing.status).toBe(400);
    const noKey = await get('/geoloc/v1/geocode?q=Paris');
    expect(noKey.status).toBe(401);
    expect((await noKey.json()).status).toBe('REQUEST_DENIED');
  });

  it('adstream: no auth, a streamed JSON body of the configured size, older draft headers', async () => {
    sb.admin.configure('adstream', { payloadBytes: 200_000 });
    const r = await get('/adstream/v1/feed');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBeNull();
    expect(r.headers.get('transfer-encoding')).toBe('chunked');
    expect(r.headers.get('ratelimit-limit')).toBe('30');
    expect(r.headers.get('ratelimit-remaining')).toBe('29');
    expect(r.headers.get('ratelimit-policy')).toBe('30;w=60');
    const text = await r.text();
    expect(text.length).toBeLessThanOrEqual(200_000);
    expect(text.length).toBeGreaterThan(199_000);
    const body = JSON.parse(text);
    expect(body.ads).toHaveLength(body.count);
  });

  it('adstream: a few MB by default, slow with realistic latency', async () => {
    const real = await startSandbox({ realisticLatency: true, clock: Date.now });
    try {
      const started = performance.now();
      const r = await fetch(`${real.url}/adstream/v1/feed`);
      const text = await r.text();
      const elapsed = performance.now() - started;
      expect(text.length).toBeGreaterThan(3_000_000);
      expect(JSON.parse(text).count).toBeGreaterThan(10_000);
      expect(elapsed).toBeGreaterThan(200);
    } finally {
      await real.close();
    }
  });

  it('textly: basic auth, X-Rate-Limit-* headers, bursts of 429 alternating Retry-After forms', async () => {
    sb.admin.configure('textly', { bursts: { every: 2, length: 2, retryAfterSeconds: 7 } });
    const seen: Array<{ status: number; retryAfter: string | null; remaining: string | null }> = [];
    for (let i = 0; i < 6; i++) {
      const r = await get('/textly/v1/messages', AUTH.textly);
      seen.push({
        status: r.status,
        retryAfter: r.headers.get('retry-after'),
        remaining: r.headers.get('x-rate-limit-remaining'),
      });
      expect(r.headers.get('x-rate-limit-limit')).toBe('120');
      expect(r.headers.get('x-rate-limit-reset')).toBe(
        String(Math.ceil((Math.floor(sb.clock.now / 60000) * 60000 + 60000) / 1000))
      );
    }
    expect(seen.map((s) => s.status)).toEqual([200, 200, 429, 429, 200, 200]);
    expect(seen.map((s) => s.remaining)).toEqual(['119', '118', '117', '116', '115', '114']);
    expect(seen[2].retryAfter).toBe('7');
    // The second 429 of the burst says the same as an HTTP-date.
    expect(seen[3].retryAfter).toBe(new Date((Math.ceil(sb.clock.now / 1000) + 7) * 1000).toUTCString());
    const noAuth = await get('/textly/v1/messages', {
      Authorization: `Basic ${Buffer.from('AC123:').toString('base64')}`,
    });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toBe('Basic realm="textly"');
  });

  it('textly: the default bursts start after 20 requests and last 3', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 24; i++) {
      codes.push((await get('/textly/v1/messages', AUTH.textly)).status);
    }
    expect(codes.slice(0, 20).every((c) => c === 200)).toBe(true);
    expect(codes.slice(20, 23)).toEqual([429, 429, 429]);
    expect(codes[23]).toBe(200);
  });

  it('postbird: bearer auth, no rate-limit headers at all, the hourly quota still enforced', async () => {
    const r = await get('/postbird/v1/quota', AUTH.postbird);
    expect(r.status).toBe(200);
    const names = [...r.headers.keys()];
    expect(names.filter((n) => /rate|retry/i.test(n))).toEqual([]);
    const body = await r.json();
    expect(body.quota).toEqual(expect.objectContaining({ period: 'hour', limit: 600, used: 1, remaining: 599 }));
    sb.admin.configure('postbird', { rateLimit: { limit: 2 } });
    expect((await get('/postbird/v1/quota', AUTH.postbird)).status).toBe(200);
    const limited = await get('/postbird/v1/quota', AUTH.postbird);
    expect(limited.status).toBe(200);
    const over = await get('/postbird/v1/quota', AUTH.postbird);
    expect(over.status).toBe(429);
    expect([...over.headers.keys()].filter((n) => /rate|retry/i.test(n))).toEqual([]);
    expect((await get('/postbird/v1/quota')).status).toBe(401);
  });

  it('answers unknown paths and methods with JSON errors', async () => {
    expect((await get('/acme-pay/v2/nothing')).status).toBe(404);
    expect((await fetch(`${sb.url}/acme-pay/v1/charges`, { method: 'DELETE' })).status).toBe(405);
    const index = await (await get('/')).json();
    expect(index.providers.map((p: { name: string }) => p.name)).toEqual([
      'acme-pay',
      'geoloc',
      'adstream',
      'textly',
      'postbird',
    ]);
  });
});
