import { judgeCacheable, type CacheEvidence } from './caching';

const base = (over: Partial<CacheEvidence>): CacheEvidence => ({
  api: 'geocoding',
  endpoint: 'forward',
  method: 'GET',
  probeIntervalSeconds: 30,
  noStore: false,
  noCache: false,
  private: false,
  etag: false,
  lastModified: false,
  freshnessSeconds: 0,
  vary: '',
  bodiesSame: 0,
  bodiesChanged: 0,
  callsPerDay: null,
  limitPerDay: null,
  windowText: '30d',
  ...over,
});

describe('cacheable', () => {
  it('a lifetime the provider grants, with the calls and the share of the limit a cache saves per day', () => {
    const f = judgeCacheable(
      base({ freshnessSeconds: 300, etag: true, vary: 'accept-encoding', callsPerDay: 86_400, limitPerDay: 100_000 })
    );
    expect(f).toMatchObject({
      kind: 'cacheable',
      severity: 'medium',
      evidence: { freshnessSeconds: 300, etag: true, callsPerDay: 86_400 },
    });
    expect(f!.summary).toBe(
      'GET responses are cacheable: the provider lets responses be reused for 5 min (max-age/Expires).'
    );
    // One call per 300 s still goes out: 86,400 - 288.
    expect(f!.estimatedGain!.values).toEqual({ callsPerDaySaved: 86_112, limitShareSaved: 0.8611 });
    expect(f!.recommendation).toMatch(/^Cache the responses for 5 min .* and accept-encoding\), then revalidate/);
  });

  it('identical bodies probe after probe, without cache headers, suggest the probe interval as TTL', () => {
    const f = judgeCacheable(base({ bodiesSame: 95, bodiesChanged: 5, callsPerDay: 10_000, limitPerDay: 1_000_000 }));
    expect(f).toMatchObject({ severity: 'low', evidence: { bodyComparisons: 100, bodyRepeatShare: 0.95 } });
    expect(f!.summary).toContain(
      '95% of 100 probe bodies over 30d were identical to the one before (30 s apart), with no cache headers'
    );
    // A 30 s cache still lets 2,880 calls a day through.
    expect(f!.estimatedGain!.values).toEqual({ callsPerDaySaved: 7_120, limitShareSaved: 0.0071 });
  });

  it('says how to get the estimate without real traffic', () => {
    expect(judgeCacheable(base({ freshnessSeconds: 60 }))!.estimatedGain!.text).toMatch(/real traffic/);
  });

  it('is silent for no-store, non-GET, changing bodies or too few comparisons', () => {
    expect(judgeCacheable(base({ freshnessSeconds: 60, noStore: true }))).toBeNull();
    expect(judgeCacheable(base({ freshnessSeconds: 60, method: 'POST' }))).toBeNull();
    expect(judgeCacheable(base({ bodiesSame: 40, bodiesChanged: 60 }))).toBeNull();
    expect(judgeCacheable(base({ bodiesSame: 5, bodiesChanged: 0 }))).toBeNull();
  });

  it('no-cache with a validator still saves bodies by revalidating', () => {
    const f = judgeCacheable(base({ noCache: true, etag: true }));
    expect(f!.recommendation).toMatch(/If-None-Match/);
  });
});
