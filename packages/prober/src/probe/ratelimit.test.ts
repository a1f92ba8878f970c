import { QuotaGuard } from '../quota';
import { catalogFrom, catalogYaml } from '../test-support/catalogs';
import { readRateLimits } from './ratelimit';

describe('readRateLimits', () => {
  it('passes the policy window on, so the quota guard can budget by headers alone', () => {
    const now = Date.UTC(2026, 0, 1);
    const { rateLimits } = readRateLimits(
      { 'ratelimit-policy': '"burst";q=100;w=60', ratelimit: '"burst";r=40;t=30' },
      now
    );
    expect(rateLimits).toEqual([{ policy: 'burst', limit: 100, remaining: 40, resetSeconds: 30, windowSeconds: 60 }]);
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
    const { rateLimits } = readRateLimits({ 'ratelimit-policy': '"minute";q=100;w=60', ratelimit: '"minute";r=90;t=30' }, now);
    guard.record('geo', now, { code: 200, retryAfterSeconds: null, rateLimits });
    // Before the window was passed on, no header budget existed here (budget was null).
    expect(guard.budget('geo')).toMatchObject({ source: 'headers', limit: 100, windowMs: 60_000, capacity: 5 });
  });
});
