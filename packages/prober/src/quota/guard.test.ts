import { parseCatalog, placeCatalog, type Catalog } from '@apimon/core';
import { checkQuotaFit, QuotaGuard, type QuotaDecision, type QuotaObservation } from './guard';

interface ApiSpec {
  name: string;
  rateLimit?: string;
  interval?: string;
  endpoints?: number;
}

function catalog(apis: ApiSpec[], probeShare = '5%'): Catalog {
  const yaml = [
    `prober: { probeShare: "${probeShare}" }`,
    'providers: [{ name: p }]',
    'apis:',
    ...apis.flatMap((a) => [
      `  - name: ${a.name}`,
      '    provider: p',
      '    criticality: standard',
      '    owner: team',
      '    timeout: 1s',
      a.rateLimit ? `    rateLimit: ${a.rateLimit}` : '',
      `    interval: ${a.interval ?? '1m'}`,
      '    endpoints:',
      ...Array.from({ length: a.endpoints ?? 1 }, (_, i) => `      - { name: e${i}, url: "http://127.0.0.1:1/e${i}" }`),
    ]),
  ].join('\n');
  const result = parseCatalog(yaml, 'test.yaml');
  if (!result.ok) {
    throw new Error(JSON.stringify(result.issues));
  }
  return result.catalog;
}

const ok = (code = 200, extra: Partial<QuotaObservation> = {}): QuotaObservation => ({
  code,
  retryAfterSeconds: null,
  rateLimits: [],
  ...extra,
});

/** Tries a probe every `stepMs` from `fromMs` for `durationMs`; returns the allowed times. */
function drive(guard: QuotaGuard, api: string, fromMs: number, durationMs: number, stepMs: number): number[] {
  const allowed: number[] = [];
  for (let t = fromMs; t < fromMs + durationMs; t += stepMs) {
    if (guard.decide(api, t).allow) {
      allowed.push(t);
      guard.record(api, t, ok());
    }
  }
  return allowed;
}

const T0 = 1_700_000_000_000;

describe('QuotaGuard: budget from the documented limit', () => {
  it('allows at most share × limit probes per window, then skips as quota_guard', () => {
    // 5% of 100 per minute = 5 probes per minute.
    const guard = new QuotaGuard(catalog([{ name: 'pay', rateLimit: '{ limit: 100, window: 1m }' }]));
    const allowed = drive(guard, 'pay', T0, 60_000, 1000);
    expect(allowed).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000]);
    // room again exactly when the first probe leaves the window
    expect(guard.decide('pay', T0 + 59_999)).toEqual({ allow: false, reason: 'quota_guard', untilMs: T0 + 60_000 });
    expect(guard.decide('pay', T0 + 60_000).allow).toBe(true);
  });

  it('holds the share over a long run, however often the scheduler asks', () => {
    const guard = new QuotaGuard(catalog([{ name: 'pay', rateLimit: '{ limit: 100, window: 1m }' }]));
    const allowed = drive(guard, 'pay', T0, 60 * 60_000, 500);
    expect(allowed).toHaveLength(300); // 5 per minute for an hour
    // and no stretch of one minute holds more than 5
    for (let i = 5; i < allowed.length; i++) {
      expect(allowed[i] - allowed[i - 5]).toBeGreaterThanOrEqual(60_000);
    }
  });

  it('counts all endpoints of an API against one budget, and APIs separately', () => {
    const guard = new QuotaGuard(
      catalog([
        { name: 'pay', rateLimit: '{ limit: 40, window: 1m }', endpoints: 3 },
        { name: 'geo', rateLimit: '{ limit: 40, window: 1m }' },
      ])
    );
    // budget 2 per minute: two endpoints take it, the third is skipped
    expect(guard.decide('pay', T0).allow).toBe(true);
    expect(guard.decide('pay', T0 + 1).allow).toBe(true);
    expect(guard.decide('pay', T0 + 2)).toMatchObject({ allow: false, reason: 'quota_guard' });
    expect(guard.decide('geo', T0 + 3).allow).toBe(true);
  });

  it('says when the budget has room again, and allows then', () => {
    const guard = new QuotaGuard(catalog([{ name: 'pay', rateLimit: '{ limit: 20, window: 1m }' }]));
    expect(guard.decide('pay', T0).allow).toBe(true); // budget: one probe per minute
    const denied = guard.decide('pay', T0 + 1000) as Extract<QuotaDecision, { allow: false }>;
    expect(denied.allow).toBe(false);
    expect(denied.untilMs).toBe(T0 + 60_000);
    expect(guard.decide('pay', denied.untilMs).allow).toBe(true);
  });

  it('never skips a plan that leaves the jitter margin, whatever the jitter', () => {
    // 5% of 40 per minute = 2 per minute; one endpoint every 33 s, each run up to 1 s early or late.
    const guard = new QuotaGuard(catalog([{ name: 'pay', rateLimit: '{ limit: 40, window: 1m }', interval: '33s' }]));
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 2 - 1;
    let allowed = 0;
    for (let n = 0; n < 500; n++) {
      if (guard.decide('pay', T0 + n * 33_000 + Math.round(random() * 1000)).allow) {
        allowed++;
      }
    }
    expect(allowed).toBe(500);
  });

  it('spaces probes when the share is less than one probe per window', () => {
    // 5% of 10 per minute = 0.5 per minute: one probe every two minutes.
    const guard = new QuotaGuard(catalog([{ name: 'sms', rateLimit: '{ limit: 10, window: 1m }' }]));
    const allowed = drive(guard, 'sms', T0, 20 * 60_000, 10_000);
    expect(allowed).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * 120_000));
  });

  it('uses the API-level probeShare over the prober default', () => {
    const guard = new QuotaGuard(catalog([{ name: 'pay', rateLimit: '{ limit: 100, window: 1m, probeShare: 20% }' }]));
    expect(guard.budget('pay')).toMatchObject({ perWindow: 20, capacity: 20, source: 'catalog' });
  });

  it('does not limit an API without a documented limit or rate-limit headers', () => {
    const guard = new QuotaGuard(catalog([{ name: 'free' }]));
    expect(drive(guard, 'free', T0, 60_000, 100)).toHaveLength(600);
    expect(guard.budget('free')).toBeNull();
  });

  it('keeps counts across a catalog reload, so a reload cannot reset a budget', () => {
    const spec = { name: 'pay', rateLimit: '{ limit: 40, window: 1m }' };
    const guard = new QuotaGuard(catalog([spec]));
    guard.decide('pay', T0);
    guard.decide('pay', T0 + 1);
    guard.configure(catalog([spec, { name: 'other' }]));
    expect(guard.decide('pay', T0 + 2).allow).toBe(false);
    expect(guard.probesInWindow('pay', T0 + 2)).toBe(2);
  });
});

describe('QuotaGuard: budget from the headers', () => {
  it('enforces every request policy the headers announce when the catalog documents none', () => {
    const guard = new QuotaGuard(catalog([{ name: 'gh' }]));
    expect(guard.decide('gh', T0).allow).toBe(true);
    guard.record(
      'gh',
      T0,
      ok(200, {
        rateLimits: [
          { policy: 'daily', limit: 10_000, remaining: 9000, resetSeconds: 3600, windowSeconds: 86_400 },
          { policy: 'burst', limit: 60, remaining: 59, resetSeconds: 30, windowSeconds: 60 },
        ],
      })
    );
    // The scarcest is the daily quota (5% of 10,000 a day: 500 a day)...
    expect(guard.budget('gh')).toMatchObject({
      limit: 10_000,
      windowMs: 86_400_000,
      perWindow: 500,
      source: 'headers',
    });
    // ...and the burst policy still holds: 5% of 60 a minute is 3 a minute.
    expect(drive(guard, 'gh', T0 + 1, 60_000, 1000)).toEqual([T0 + 1, T0 + 1001, T0 + 2001]);
    expect(drive(guard, 'gh', T0 + 60_001, 3600_000, 1000)).toHaveLength(180);
  });

  it('prefers the documented limit over the headers', () => {
    const guard = new QuotaGuard(catalog([{ name: 'gh', rateLimit: '{ limit: 1000, window: 1h }' }]));
    guard.record(
      'gh',
      T0,
      ok(200, { rateLimits: [{ policy: 'x', limit: 60, remaining: 59, resetSeconds: 30, windowSeconds: 60 }] })
    );
    expect(guard.budget('gh')).toMatchObject({ limit: 1000, windowMs: 3_600_000, source: 'catalog' });
  });

  it('skips until the reset when a policy has nothing left', () => {
    const guard = new QuotaGuard(catalog([{ name: 'gh' }]));
    guard.record('gh', T0, ok(200, { rateLimits: [{ policy: 'core', limit: 5000, remaining: 0, resetSeconds: 120 }] }));
    expect(guard.decide('gh', T0 + 1000)).toEqual({
      allow: false,
      reason: 'quota_guard',
      untilMs: T0 + 120_000,
      policy: 'core',
    });
    expect(guard.decide('gh', T0 + 120_000).allow).toBe(true);
  });

  it("skips when what is left is only the share apimon would use: that part is the real traffic's", () => {
    const guard = new QuotaGuard(catalog([{ name: 'gh' }]));
    // 5% of 5000 = 250: with 250 left apimon stops, with 251 it goes on.
    guard.record(
      'gh',
      T0,
      ok(200, { rateLimits: [{ policy: 'core', limit: 5000, remaining: 251, resetSeconds: 600 }] })
    );
    expect(guard.decide('gh', T0 + 1).allow).toBe(true);
    guard.record(
      'gh',
      T0 + 1,
      ok(200, { rateLimits: [{ policy: 'core', limit: 5000, remaining: 250, resetSeconds: 600 }] })
    );
    expect(guard.decide('gh', T0 + 2)).toMatchObject({
      allow: false,
      reason: 'quota_guard',
      untilMs: T0 + 1 + 600_000,
    });
  });

  it('waits at least a second on an exhausted policy whose reset is already due', () => {
    const guard = new QuotaGuard(catalog([{ name: 'gh' }]));
    guard.record('gh', T0, ok(200, { rateLimits: [{ policy: 'core', limit: 10, remaining: 0, resetSeconds: 0 }] }));
    expect(guard.decide('gh', T0 + 500).allow).toBe(false);
    expect(guard.decide('gh', T0 + 1000).allow).toBe(true);
  });
});

describe('QuotaGuard: back-off on 429 and Retry-After', () => {
  it('honours Retry-After on a 429', () => {
    const guard = new QuotaGuard(catalog([{ name: 'pay' }]));
    guard.record('pay', T0, ok(429, { retryAfterSeconds: 90 }));
    expect(guard.decide('pay', T0 + 89_999)).toEqual({ allow: false, reason: 'retry_after', untilMs: T0 + 90_000 });
    expect(guard.decide('pay', T0 + 90_000).allow).toBe(true);
  });

  it('honours Retry-After on a 503, but not on other responses', () => {
    const guard = new QuotaGuard(catalog([{ name: 'pay' }, { name: 'geo' }]));
    guard.record('pay', T0, ok(503, { retryAfterSeconds: 10 }));
    expect(guard.decide('pay', T0 + 5000)).toMatchObject({ allow: false, reason: 'retry_after' });
    guard.record('geo', T0, ok(301, { retryAfterSeconds: 10 }));
    expect(guard.decide('geo', T0 + 5000).allow).toBe(true);
  });

  it('backs off exponentially on 429s without Retry-After, bounded, and resets on success', () => {
    const guard = new QuotaGuard(catalog([{ name: 'pay' }]), { baseBackoffMs: 1000, maxBackoffMs: 8000 });
    let now = T0;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      guard.record('pay', now, ok(429));
      const d = guard.decide('pay', now) as Extract<QuotaDecision, { allow: false }>;
      expect(d.reason).toBe('retry_after');
      waits.push(d.untilMs - now);
      now = d.untilMs;
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    guard.record('pay', now, ok(200));
    guard.record('pay', now, ok(429));
    expect((guard.decide('pay', now) as Extract<QuotaDecision, { allow: false }>).untilMs - now).toBe(1000);
  });

  it('on a 429 without Retry-After, waits for the reset of the exhausted policy', () => {
    const guard = new QuotaGuard(catalog([{ name: 'pay' }]));
    guard.record(
      'pay',
      T0,
      ok(429, { rateLimits: [{ policy: 'default', limit: 100, remaining: 0, resetSeconds: 42 }] })
    );
    expect(guard.decide('pay', T0)).toEqual({
      allow: false,
      reason: 'retry_after',
      untilMs: T0 + 42_000,
      policy: 'default',
    });
  });

  it('honours a provider wait of at most a day, then asks again', () => {
    const guard = new QuotaGuard(catalog([{ name: 'pay' }, { name: 'geo' }]));
    guard.record('pay', T0, ok(429, { retryAfterSeconds: 30 * 86_400 }));
    expect(guard.decide('pay', T0 + 86_400_000 - 1).allow).toBe(false);
    expect(guard.decide('pay', T0 + 86_400_000).allow).toBe(true);
    guard.record(
      'geo',
      T0,
      ok(200, { rateLimits: [{ policy: 'monthly', limit: 10, remaining: 0, resetSeconds: 2e9 }] })
    );
    expect(guard.decide('geo', T0 + 86_400_000)).toEqual({ allow: true });
  });

  it('a later, shorter block does not shorten an earlier, longer one', () => {
    const guard = new QuotaGuard(catalog([{ name: 'pay' }]));
    guard.record('pay', T0, ok(429, { retryAfterSeconds: 300 }));
    guard.record('pay', T0 + 1000, ok(503, { retryAfterSeconds: 5 }));
    expect(guard.decide('pay', T0 + 10_000)).toMatchObject({ allow: false, untilMs: T0 + 300_000 });
  });
});

describe('checkQuotaFit', () => {
  it('names every API whose endpoints at their intervals exceed the budget', () => {
    const issues = checkQuotaFit(
      catalog([
        { name: 'fits', rateLimit: '{ limit: 40, window: 1m }', interval: '45s' },
        { name: 'too-often', rateLimit: '{ limit: 40, window: 1m }', interval: '15s', endpoints: 2 },
        { name: 'no-limit', interval: '1s' },
      ])
    );
    expect(issues.map((i) => i.api)).toEqual(['too-often']);
    expect(issues[0]).toMatchObject({ probesPerWindow: 8, budgetPerWindow: 2, minIntervalMs: 66_000 });
    expect(issues[0].message).toContain('API "too-often"');
    expect(issues[0].message).toContain('excess probes will be skipped');
    expect(issues[0].message).toContain('probe every 66s or less often');
  });

  it('accepts a plan that leaves the jitter margin, and warns about one exactly at budget', () => {
    // 5% of 60 per minute = 3 per minute
    expect(
      checkQuotaFit(catalog([{ name: 'roomy', rateLimit: '{ limit: 60, window: 1m }', interval: '22s' }]))
    ).toEqual([]);
    const [edge] = checkQuotaFit(catalog([{ name: 'edge', rateLimit: '{ limit: 60, window: 1m }', interval: '20s' }]));
    expect(edge.api).toBe('edge');
    expect(edge.message).toContain('margin');
  });

  it('judges a share below one probe per window by its average', () => {
    // 5% of 10 per minute = one probe per 2 minutes
    expect(checkQuotaFit(catalog([{ name: 'sms', rateLimit: '{ limit: 10, window: 1m }', interval: '3m' }]))).toEqual(
      []
    );
    const [sms] = checkQuotaFit(catalog([{ name: 'sms', rateLimit: '{ limit: 10, window: 1m }', interval: '1m' }]));
    expect(sms.minIntervalMs).toBe(132_000);
  });
});

describe('QuotaGuard: several policies in one response', () => {
  const hubspot = [
    { policy: 'secondly', limit: 10, remaining: 9, resetSeconds: null, windowSeconds: 1 },
    { policy: 'default', limit: 100, remaining: 97, resetSeconds: null, windowSeconds: 10 },
    { policy: 'daily', limit: 250_000, remaining: 249_900, resetSeconds: null, windowSeconds: 86_400 },
  ];

  it('reports the scarcest as the budget and enforces the others too', () => {
    const guard = new QuotaGuard(catalog([{ name: 'hubspot' }]));
    guard.record('hubspot', T0, ok(200, { rateLimits: hubspot }));
    // 5% of 250,000 a day (12,500) allows fewer probes per second than 5% of 10 a second.
    expect(guard.budget('hubspot')).toMatchObject({ limit: 250_000, windowMs: 86_400_000, capacity: 12_500 });
    // 5% of 10 a second is one probe every 2 s; 5% of 100 per 10 s is 5 per 10 s.
    expect(drive(guard, 'hubspot', T0 + 1, 10_000, 100)).toEqual([T0 + 1, T0 + 2001, T0 + 4001, T0 + 6001, T0 + 8001]);
  });

  it('gives no probe budget from token or point quotas, but waits for them when spent', () => {
    const guard = new QuotaGuard(catalog([{ name: 'llm' }]));
    guard.record(
      'llm',
      T0,
      ok(200, {
        rateLimits: [
          { policy: 'tokens', limit: 150_000, remaining: 0, resetSeconds: 7.66, windowSeconds: 60, unit: 'tokens' },
          { policy: 'requests', limit: 60, remaining: 59, resetSeconds: 1, unit: 'requests' },
        ],
      })
    );
    expect(guard.budget('llm')).toBeNull();
    expect(guard.decide('llm', T0 + 1)).toEqual({
      allow: false,
      reason: 'quota_guard',
      untilMs: T0 + 7660,
      policy: 'tokens',
    });
  });

  it('waits for a spent quota even while another policy has plenty of room (Jira)', () => {
    const guard = new QuotaGuard(catalog([{ name: 'jira' }]));
    guard.record(
      'jira',
      T0,
      ok(200, {
        rateLimits: [
          { policy: 'tenant-app-quota', limit: null, remaining: 0, resetSeconds: 2788 },
          { policy: 'default', limit: 400, remaining: 399, resetSeconds: null },
        ],
      })
    );
    expect(guard.decide('jira', T0 + 1)).toEqual({
      allow: false,
      reason: 'quota_guard',
      untilMs: T0 + 2_788_000,
      policy: 'tenant-app-quota',
    });
  });

  it("takes the API's own probeShare for a header budget when it documents no limit", () => {
    const guard = new QuotaGuard(
      catalog([{ name: 'gh', rateLimit: '{ headers: { reset: X-Reset }, probeShare: 20% }' }])
    );
    guard.record(
      'gh',
      T0,
      ok(200, { rateLimits: [{ policy: 'minute', limit: 60, remaining: 59, resetSeconds: null, windowSeconds: 60 }] })
    );
    expect(guard.budget('gh')).toMatchObject({ share: 0.2, capacity: 12, source: 'headers' });
  });
});

describe('QuotaGuard: several probers, one catalog', () => {
  /** Every prober of a topology, each with its own guard over its placed catalog. */
  function probers(locations: string, endpoints: number) {
    const yaml = [
      `prober: { locations: ${locations} }`,
      'providers: [{ name: p }]',
      'apis:',
      '  - { name: pay, provider: p, criticality: standard, owner: team, timeout: 1s, interval: 1m,',
      '      rateLimit: { limit: 100, window: 1m }, endpoints: [',
      Array.from({ length: endpoints }, (_, i) => `        { name: e${i}, url: "http://127.0.0.1:1/e${i}" }`).join(
        ',\n'
      ),
      '      ] }',
    ].join('\n');
    const parsed = parseCatalog(yaml, 'test.yaml');
    if (!parsed.ok) {
      throw new Error(JSON.stringify(parsed.issues));
    }
    const full = parsed.catalog;
    return full.prober.locations.flatMap((l) =>
      Array.from({ length: l.shards }, (_, i) =>
        placeCatalog(full, { location: l.name, shard: { index: i + 1, count: l.shards } })
      )
    );
  }

  it('divides the share among the probers that probe the API, so more probers never use more quota', () => {
    // 5% of 100 per minute: 5 probes a minute for one prober, however hard it is driven. A
    // prober whose part is below one probe a minute spaces its probes, so the sum holds on
    // average: measured over an hour.
    for (const topology of [
      '[{ name: a }]',
      '[{ name: a }, { name: b }]',
      '[{ name: a, shards: 2 }, { name: b }]',
      '[{ name: a, shards: 3 }, { name: b, shards: 2 }, { name: c }]',
    ]) {
      const placed = probers(topology, 8).filter((c) => c.apis.length > 0);
      let total = 0;
      for (const c of placed) {
        total += drive(new QuotaGuard(c), 'pay', T0, 3_600_000, 1000).length;
      }
      expect(total).toBeLessThanOrEqual(5 * 60);
      expect(total).toBeGreaterThan(5 * 60 * 0.5);
    }
  });

  it('says in the fit warning that the share is split', () => {
    const [first] = probers('[{ name: a }, { name: b }]', 4);
    const issues = checkQuotaFit(first);
    // Whole probes: 2.5 a minute lets 2 through.
    expect(issues[0].budgetPerWindow).toBe(2);
    expect(issues[0].message).toContain("this prober's 2.5% (5% split among the 2 probers that probe it)");
  });
});
