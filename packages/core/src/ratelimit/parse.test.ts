import { headerLookup, parseRateLimit, parseRetryAfter, resetSecondsOf } from './parse';
import type { RateLimitReading } from './types';

// 2023-10-16T09:25:04Z, the epoch a GitHub docs example resets at, minus 30 minutes.
const NOW_MS = 1_697_446_504_000;

function read(headers: Record<string, string | string[]>): RateLimitReading[] {
  return parseRateLimit(headerLookup(headers), NOW_MS);
}

const reading = (fields: Partial<RateLimitReading>): RateLimitReading => ({
  policy: 'default',
  limit: null,
  remaining: null,
  resetSeconds: null,
  windowSeconds: null,
  unit: 'requests',
  convention: 'ietf',
  ...fields,
});

describe('parseRateLimit: IETF RateLimit-Policy + RateLimit (draft-08 and later)', () => {
  it.each<[string, Record<string, string>, RateLimitReading[]]>([
    [
      'one policy with its service limit',
      { 'RateLimit-Policy': '"default";q=100;w=10', RateLimit: '"default";r=50;t=30' },
      [reading({ limit: 100, remaining: 50, resetSeconds: 30, windowSeconds: 10 })],
    ],
    [
      'two policies, the burst one nearly spent: most restrictive first',
      {
        'RateLimit-Policy': '"daily";q=1000;w=86400, "burst";q=100;w=60',
        RateLimit: '"burst";r=5;t=30, "daily";r=900;t=3600',
      },
      [
        reading({ policy: 'burst', limit: 100, remaining: 5, resetSeconds: 30, windowSeconds: 60 }),
        reading({ policy: 'daily', limit: 1000, remaining: 900, resetSeconds: 3600, windowSeconds: 86400 }),
      ],
    ],
    [
      'a service limit without a declared policy has no limit',
      { RateLimit: '"default";r=999;pk=:dHJpYWwxMjEzMjM=:' },
      [reading({ remaining: 999 })],
    ],
    [
      'a policy without a service limit has no remaining',
      { 'RateLimit-Policy': '"permin";q=50;w=60,"perhr";q=1000;w=3600' },
      [
        reading({ policy: 'permin', limit: 50, windowSeconds: 60 }),
        reading({ policy: 'perhr', limit: 1000, windowSeconds: 3600 }),
      ],
    ],
    [
      'quota unit other than requests',
      {
        'RateLimit-Policy': '"peruser";q=65535;qu="content-bytes";w=10;pk=:sdfjLJUOUH==:',
        RateLimit: '"peruser";r=300;t=5',
      },
      [
        reading({
          policy: 'peruser',
          limit: 65535,
          remaining: 300,
          resetSeconds: 5,
          windowSeconds: 10,
          unit: 'content-bytes',
        }),
      ],
    ],
    [
      'token policy names (as some servers send them) are accepted too',
      { 'RateLimit-Policy': 'burst;q=100;w=60', RateLimit: 'burst;r=0;t=12' },
      [reading({ policy: 'burst', limit: 100, remaining: 0, resetSeconds: 12, windowSeconds: 60 })],
    ],
    [
      'a malformed policy is dropped, the others kept',
      { 'RateLimit-Policy': '"a";q=-1;w=60, "b";q=10;w=1, "c";q=, "d";w=60', RateLimit: '"b";r=3, "x";t=5' },
      [reading({ policy: 'b', limit: 10, remaining: 3, windowSeconds: 1 })],
    ],
  ])('%s', (_name, headers, expected) => {
    expect(read(headers)).toEqual(expected);
  });

  it('reads policies split over repeated fields', () => {
    const got = read({
      'ratelimit-policy': ['"burst";q=100;w=60', '"daily";q=1000;w=86400'],
      ratelimit: ['"burst";r=50;t=30', '"daily";r=10;t=600'],
    });
    expect(got.map((r) => [r.policy, r.remaining])).toEqual([
      ['daily', 10],
      ['burst', 50],
    ]);
  });
});

describe('parseRateLimit: older IETF drafts', () => {
  it('reads the draft-07 dictionary with its window from RateLimit-Policy', () => {
    expect(read({ 'RateLimit-Policy': '100;w=10', RateLimit: 'limit=100, remaining=50, reset=5' })).toEqual([
      reading({ limit: 100, remaining: 50, resetSeconds: 5, windowSeconds: 10, convention: 'ietf-draft-dictionary' }),
    ]);
  });

  it('reads the draft-07 dictionary with several policies, matching the window by quota', () => {
    expect(
      read({ 'RateLimit-Policy': '10;w=1, 50;w=60, 1000;w=3600', RateLimit: 'limit=50, remaining=0, reset=42' })
    ).toEqual([
      reading({ limit: 50, remaining: 0, resetSeconds: 42, windowSeconds: 60, convention: 'ietf-draft-dictionary' }),
    ]);
  });

  it('reads RateLimit-Limit/-Remaining/-Reset (drafts 00–06, express-rate-limit, Kong)', () => {
    expect(read({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': '99', 'RateLimit-Reset': '60' })).toEqual([
      reading({ limit: 100, remaining: 99, resetSeconds: 60, convention: 'ietf-draft-fields' }),
    ]);
  });

  it('takes the window of RateLimit-Limit from its own parameters (early drafts) or RateLimit-Policy', () => {
    expect(
      read({
        'RateLimit-Limit': '10, 10;window=1, 50;window=60',
        'RateLimit-Remaining': '9',
        'RateLimit-Reset': '1',
      })[0]
    ).toMatchObject({
      limit: 10,
      windowSeconds: 1,
    });
    expect(
      read({ 'RateLimit-Limit': '50', 'RateLimit-Policy': '10;w=1, 50;w=60', 'RateLimit-Reset': '7' })[0]
    ).toMatchObject({
      limit: 50,
      windowSeconds: 60,
      resetSeconds: 7,
    });
  });
});

describe('parseRateLimit: X-RateLimit-* and X-Rate-Limit-*', () => {
  it('reads GitHub headers: reset in epoch seconds, resource as the policy name', () => {
    expect(
      read({
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-used': '1',
        'x-ratelimit-reset': '1697448304',
        'x-ratelimit-resource': 'core',
      })
    ).toEqual([
      reading({ policy: 'core', limit: 5000, remaining: 4999, resetSeconds: 1800, convention: 'x-ratelimit' }),
    ]);
  });

  it('tolerates a delay in seconds where an epoch is expected, told apart by magnitude', () => {
    expect(
      read({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '37' })[0].resetSeconds
    ).toBe(37);
    // epoch milliseconds
    expect(read({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Reset': String(NOW_MS + 10_000) })[0].resetSeconds).toBe(10);
    // an epoch already past is "now", never negative
    expect(read({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Reset': '1600000000' })[0].resetSeconds).toBe(0);
  });

  it('derives remaining from used when only limit and used are sent', () => {
    expect(read({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Used': '75' })[0]).toMatchObject({ limit: 60, remaining: 0 });
  });

  it('reads Discord-style reset-after seconds', () => {
    expect(
      read({ 'X-RateLimit-Limit': '5', 'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset-After': '64.57' })[0]
    ).toMatchObject({
      resetSeconds: 64.57,
    });
  });

  it("reads Kong's per-window headers as one policy per window", () => {
    expect(
      read({
        'X-RateLimit-Limit-Minute': '10',
        'X-RateLimit-Remaining-Minute': '2',
        'X-RateLimit-Limit-Hour': '100',
        'X-RateLimit-Remaining-Hour': '90',
      })
    ).toEqual([
      reading({ policy: 'minute', limit: 10, remaining: 2, windowSeconds: 60, convention: 'x-ratelimit' }),
      reading({ policy: 'hour', limit: 100, remaining: 90, windowSeconds: 3600, convention: 'x-ratelimit' }),
    ]);
  });

  it('reads Twitter-style X-Rate-Limit-*', () => {
    expect(
      read({ 'x-rate-limit-limit': '900', 'x-rate-limit-remaining': '847', 'x-rate-limit-reset': '1697447404' })
    ).toEqual([reading({ limit: 900, remaining: 847, resetSeconds: 900, convention: 'x-rate-limit' })]);
  });

  it('reads a period in the limit header and an ISO 8601 reset (AspNetCoreRateLimit)', () => {
    expect(
      read({ 'X-Rate-Limit-Limit': '1m', 'X-Rate-Limit-Remaining': '59', 'X-Rate-Limit-Reset': '2023-10-16T09:00:04Z' })
    ).toEqual([reading({ remaining: 59, resetSeconds: 300, windowSeconds: 60, convention: 'x-rate-limit' })]);
  });

  it('uses the most cautious of repeated values', () => {
    expect(read({ 'X-RateLimit-Limit': ['5000', '5000'], 'X-RateLimit-Remaining': ['12', '10'] })[0]).toMatchObject({
      limit: 5000,
      remaining: 10,
    });
  });
});

describe('parseRateLimit: Shopify', () => {
  it('reads used/limit of the leaky bucket', () => {
    expect(read({ 'X-Shopify-Shop-Api-Call-Limit': '32/40' })).toEqual([
      reading({ limit: 40, remaining: 8, convention: 'shopify' }),
    ]);
  });

  it('never reports negative remaining when the bucket overflows', () => {
    expect(read({ 'X-Shopify-Shop-Api-Call-Limit': '41/40' })[0].remaining).toBe(0);
  });
});

describe('parseRateLimit: several conventions and bad input', () => {
  it('keeps one reading per policy name, the preferred convention winning', () => {
    const got = read({
      'RateLimit-Limit': '100',
      'RateLimit-Remaining': '40',
      'RateLimit-Reset': '20',
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '41',
      'X-RateLimit-Reset': '1697446524',
    });
    expect(got).toEqual([reading({ limit: 100, remaining: 40, resetSeconds: 20, convention: 'ietf-draft-fields' })]);
  });

  it.each([
    ['no headers at all', {}],
    ['empty values', { 'X-RateLimit-Limit': '', RateLimit: '', 'RateLimit-Policy': ' ' }],
    ['words instead of numbers', { 'X-RateLimit-Limit': 'lots', 'X-RateLimit-Remaining': 'some' }],
    ['negative numbers', { 'X-RateLimit-Limit': '-5', 'X-RateLimit-Remaining': '-1' }],
    ['broken structured fields', { 'RateLimit-Policy': '"unterminated;q=1', RateLimit: ';;;' }],
    ['Shopify without a slash', { 'X-Shopify-Shop-Api-Call-Limit': '40' }],
  ])('reads nothing from %s', (_name, headers) => {
    expect(read(headers)).toEqual([]);
  });

  it('treats a lookup that throws as a missing header', () => {
    expect(
      parseRateLimit(() => {
        throw new Error('boom');
      }, NOW_MS)
    ).toEqual([]);
  });

  it('accepts the null a fetch Headers object returns for a missing header', () => {
    const headers = new Headers({ 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '3' });
    expect(parseRateLimit((n) => headers.get(n), NOW_MS)[0]).toMatchObject({ limit: 10, remaining: 3 });
  });
});

describe('parseRetryAfter', () => {
  it.each<[string | undefined, number | null]>([
    ['120', 120],
    ['0', 0],
    [' 5 ', 5],
    // IMF-fixdate, RFC 850 and asctime forms of 30 s after NOW_MS
    ['Mon, 16 Oct 2023 08:55:34 GMT', 30],
    ['Monday, 16-Oct-23 08:55:34 GMT', 30],
    ['Mon Oct 16 08:55:34 2023', 30],
    // a date in the past means "now"
    ['Sun, 06 Nov 1994 08:49:37 GMT', 0],
    // repeated fields joined by a comma
    ['120, 120', 120],
    ['Mon, 16 Oct 2023 08:55:34 GMT, Mon, 16 Oct 2023 08:55:34 GMT', 30],
    [undefined, null],
    ['', null],
    ['-5', null],
    ['soon', null],
    ['1', 1],
    ['Mon, 31 Feb 2023 08:55:34 GMT', null],
  ])('%j -> %j', (value, expected) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(expected);
  });
});

describe('resetSecondsOf', () => {
  it('reads an HTTP-date reset', () => {
    expect(resetSecondsOf('Mon, 16 Oct 2023 08:56:04 GMT', NOW_MS)).toBe(60);
  });
  it('returns null for nonsense', () => {
    expect(resetSecondsOf('tomorrow', NOW_MS)).toBeNull();
  });
});
