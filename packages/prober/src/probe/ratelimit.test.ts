import { QuotaGuard } from '../quota';
import { catalogFrom, catalogYaml } from '../test-support/catalogs';
import { PolicyLimitMemory, readRateLimits } from './ratelimit';

describe('readRateLimits', () => {
  it('passes the policy window on, so the quota guard can budget by headers alone, and its convention', () => {
    const now = Date.UTC(2026, 0, 1);
    const { rateLimits } = readRateLimits(
      { 'ratelimit-policy': '"burst";q=100;w=60', ratelimit: '"burst";r=40;t=30' },
      now
    );
    expect(rateLimits).toEqual([
      { policy: 'burst', limit: 100, remaining: 40, resetSeconds: 30, windowSeconds: 60, unit: 'requests', convention: 'ietf' },
    ]);
  });

  it('keeps Retry-After separate', () => {
    expect(readRateLimits({ 'retry-after': '7' }, 0)).toEqual({ rateLimits: [], retryAfterSeconds: 7 });
  });
});

describe('header-only budgets reach the quota guard', () => {
  it('budgets by the window the headers announce when the catalog documents no limit', () => {
    const catalog = catalogFrom(catalogYaml('http://127.0.0.1:1', { geo: ['forward'] }));
    const guard = new QuotaGuard(catalog);
    const now = Date.UTC(2026, 0, 1);
    const { rateLimits } = readRateLimits(
      { 'ratelimit-policy': '"minute";q=100;w=60', ratelimit: '"minute";r=90;t=30' },
      now
    );
    guard.record('geo', now, { code: 200, retryAfterSeconds: null, rateLimits });
    // Before the window was passed on, no header budget existed here (budget was null).
    expect(guard.budget('geo')).toMatchObject({ source: 'headers', limit: 100, windowMs: 60_000, capacity: 5 });
  });
});

describe('readRateLimits with a catalog mapping', () => {
  it('reads the mapped headers in the declared unit and the mapped Retry-After', () => {
    const got = readRateLimits({ 'x-rate-limit-reset': '600000', 'x-rate-limit-remaining': '0', 'x-wait': '12' }, 0, {
      remaining: 'x-rate-limit-remaining',
      reset: 'x-rate-limit-reset',
      retryAfter: 'x-wait',
      resetUnit: 'milliseconds',
    });
    expect(got).toEqual({
      rateLimits: [
        {
          policy: 'default',
          limit: null,
          remaining: 0,
          resetSeconds: 600,
          windowSeconds: null,
          unit: 'requests',
          convention: 'catalog-mapping',
        },
      ],
      retryAfterSeconds: 12,
    });
  });
});

describe('PolicyLimitMemory', () => {
  const quota = (remaining: number, limit: number | null, windowSeconds: number | null = null) => ({
    policy: 'tenant-app-quota',
    limit,
    remaining,
    resetSeconds: 60,
    windowSeconds,
  });
  const burst = { policy: 'default', limit: 400, remaining: 399, resetSeconds: null };

  it('fills in the limit and window a provider stopped sending, and ranks the policy again', () => {
    const memory = new PolicyLimitMemory();
    memory.complete('jira/search', [burst, quota(17842, 100100, 3600)]);
    // Jira's spent quota: Beta-RateLimit r=0 without Beta-RateLimit-Policy.
    expect(memory.complete('jira/search', [burst, quota(0, null)])).toEqual([quota(0, 100100, 3600), burst]);
  });

  it('keeps endpoints apart and forgets a policy the provider no longer sends', () => {
    const memory = new PolicyLimitMemory();
    memory.complete('jira/search', [quota(10, 100)]);
    expect(memory.complete('jira/issue', [quota(0, null)])).toEqual([quota(0, null)]);
    memory.complete('jira/search', [burst]);
    expect(memory.complete('jira/search', [quota(0, null)])).toEqual([quota(0, null)]);
  });

  it('forgets endpoints that left the catalog', () => {
    const memory = new PolicyLimitMemory();
    memory.complete('a/x', [quota(10, 100)]);
    memory.complete('b/y', [quota(10, 100)]);
    memory.retain(new Set(['b/y']));
    expect(memory.complete('a/x', [quota(0, null)])[0].limit).toBeNull();
    expect(memory.complete('b/y', [quota(0, null)])[0].limit).toBe(100);
  });
});
