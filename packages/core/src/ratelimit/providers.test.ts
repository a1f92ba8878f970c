// Every provider fixture read through the one parser: the policies, their order (scarcest
// first) and the Retry-After the provider asked for.
import { PROVIDER_FIXTURES } from './fixtures/providers';
import { headroomRatio } from './headroom';
import { headerLookup, MAX_POLICIES, parseRateLimit, parseRetryAfterHeaders } from './parse';
import type { HeaderLookup } from './types';

// 2026-03-26T16:25:28.250Z: a clock with a fraction of a second, as the real one has.
const NOW_MS = Date.UTC(2026, 2, 26, 16, 25, 28, 250);

describe.each(PROVIDER_FIXTURES.map((f) => [f.id, f] as const))('provider fixture %s', (_id, fixture) => {
  const get = () => headerLookup(fixture.headers(NOW_MS));

  it('reads every policy, scarcest first', () => {
    expect(parseRateLimit(get(), NOW_MS, fixture.mapping)).toMatchObject(fixture.expected);
  });

  it('reads the wait the provider asks for', () => {
    expect(parseRetryAfterHeaders(get(), NOW_MS, fixture.mapping)).toBe(fixture.retryAfterSeconds);
  });
});

/** A lookup that cannot list its header names, like `(n) => fetchHeaders.get(n)`. */
function unlisted(headers: Record<string, string | string[]>): HeaderLookup {
  const all = headerLookup(headers);
  return (name) => all(name);
}

describe('conventions that put the policy into the header name', () => {
  it('reads the documented resources even when the lookup cannot list names', () => {
    for (const id of ['openai', 'anthropic', 'hubspot', 'linear', 'helpscout', 'gorgias']) {
      const fixture = PROVIDER_FIXTURES.find((f) => f.id === id)!;
      expect(parseRateLimit(unlisted(fixture.headers(NOW_MS)), NOW_MS)).toMatchObject(fixture.expected);
    }
  });

  it('finds resources it does not know in advance only from the listed names', () => {
    const headers = {
      'x-ratelimit-limit-images': '50',
      'x-ratelimit-remaining-images': '20',
      'zendesk-ratelimit-users-show': 'total=5; remaining=1; resets=3',
      'x-acme-partner-api-call-limit': '3/4',
    };
    expect(parseRateLimit(headerLookup(headers), NOW_MS).map((r) => [r.policy, r.remaining, r.limit])).toEqual([
      ['users-show', 1, 5],
      ['default', 1, 4],
      ['images', 20, 50],
    ]);
    expect(parseRateLimit(unlisted(headers), NOW_MS)).toEqual([]);
  });

  it("does not take Discord's X-RateLimit-Reset-After or Jira's NearLimit for a policy", () => {
    const got = parseRateLimit(
      headerLookup({
        'X-RateLimit-Limit': '5',
        'X-RateLimit-Remaining': '1',
        'X-RateLimit-Reset-After': '64.57',
        'X-RateLimit-NearLimit': 'true',
        'X-RateLimit-Bucket': 'abcd1234',
      }),
      NOW_MS
    );
    expect(got).toMatchObject([{ policy: 'default', limit: 5, remaining: 1, resetSeconds: 64.57 }]);
  });

  it(`keeps at most ${MAX_POLICIES} policies, the scarcest`, () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 50; i++) {
      headers[`zendesk-ratelimit-endpoint-${i}`] = `total=100; remaining=${i}; resets=60`;
    }
    const got = parseRateLimit(headerLookup(headers), NOW_MS);
    expect(got).toHaveLength(MAX_POLICIES);
    expect(got.map((r) => r.remaining)).toEqual([...Array(MAX_POLICIES).keys()]);
  });

  it('drops a name that cannot be a label value', () => {
    const long = 'x'.repeat(80);
    expect(
      parseRateLimit(headerLookup({ [`zendesk-ratelimit-${long}`]: 'total=1; remaining=1; resets=1' }), NOW_MS)
    ).toEqual([]);
  });
});

describe('Atlassian: a spent points quota next to a fresh burst limit', () => {
  const fixture = PROVIDER_FIXTURES.find((f) => f.id === 'atlassian-quota-spent')!;

  it('reads 0 remaining, not 99% headroom', () => {
    const readings = parseRateLimit(headerLookup(fixture.headers(NOW_MS)), NOW_MS);
    // The X-RateLimit-* burst budget alone would say 399 of 400.
    expect(headroomRatio(readings.find((r) => r.policy === 'default')!)).toBeCloseTo(0.9975);
    expect(readings[0]).toMatchObject({ policy: 'tenant-app-quota', remaining: 0, resetSeconds: 2788 });
  });
});

describe('the catalog mapping', () => {
  const prisjakt = PROVIDER_FIXTURES.find((f) => f.id === 'prisjakt')!;

  it('without it, a millisecond reset reads as a week of seconds', () => {
    expect(parseRateLimit(headerLookup(prisjakt.headers(NOW_MS)), NOW_MS)).toMatchObject([
      { policy: 'default', remaining: 0, resetSeconds: 600_000, convention: 'x-rate-limit' },
    ]);
  });

  it('hides the mapped headers from the built-in conventions', () => {
    const headers = { 'X-Rate-Limit-Reset': '600000', 'X-Rate-Limit-Remaining': '3', 'X-Rate-Limit-Limit': '10' };
    expect(
      parseRateLimit(headerLookup(headers), NOW_MS, { reset: 'x-rate-limit-reset', resetUnit: 'milliseconds' })
    ).toEqual([
      expect.objectContaining({
        policy: 'default',
        limit: null,
        remaining: null,
        resetSeconds: 600,
        convention: 'catalog-mapping',
      }),
    ]);
  });

  it.each<[string, Parameters<typeof parseRateLimit>[2], number | null]>([
    ['seconds', { reset: 'x-wait', resetUnit: 'seconds' }, 90],
    ['milliseconds', { reset: 'x-wait', resetUnit: 'milliseconds' }, 0.09],
    ['epoch-seconds', { reset: 'x-at', resetUnit: 'epoch-seconds' }, 90],
    ['epoch-milliseconds', { reset: 'x-at-ms', resetUnit: 'epoch-milliseconds' }, 90],
    ['duration', { reset: 'x-in', resetUnit: 'duration' }, 90.5],
    ['http-date', { reset: 'x-date', resetUnit: 'http-date' }, 90],
    ['rfc3339', { reset: 'x-iso', resetUnit: 'rfc3339' }, 90],
    ['a value in another unit than declared', { reset: 'x-in', resetUnit: 'seconds' }, null],
    ['no unit: told apart by the value', { reset: 'x-at-ms' }, 90],
  ])('reads a reset in %s', (_name, mapping, expected) => {
    const at = Math.floor(NOW_MS / 1000) * 1000 + 90_000;
    const headers = {
      'X-Quota': '100',
      'X-Left': '40',
      'x-wait': '90',
      'x-at': String(at / 1000),
      'x-at-ms': String(NOW_MS + 90_000),
      'x-in': '1m30.5s',
      'x-date': new Date(at).toUTCString(),
      'x-iso': new Date(at).toISOString(),
    };
    const got = parseRateLimit(headerLookup(headers), NOW_MS, { limit: 'x-quota', remaining: 'x-left', ...mapping });
    expect(got).toEqual([expect.objectContaining({ limit: 100, remaining: 40, resetSeconds: expected })]);
  });

  it('reads a mapped Retry-After header before the standard one', () => {
    const get = headerLookup({ 'X-Wait-Seconds': '30', 'Retry-After': '5' });
    expect(parseRetryAfterHeaders(get, NOW_MS, { retryAfter: 'x-wait-seconds' })).toBe(30);
    expect(parseRetryAfterHeaders(get, NOW_MS)).toBe(5);
  });
});
