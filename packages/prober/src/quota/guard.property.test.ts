import fc from 'fast-check';
import type { Catalog } from '@apimon/core';
import { budgetOf, QuotaGuard } from './guard';

function catalogWith(limit: number, windowMs: number, probeShare: number): Pick<Catalog, 'apis' | 'prober'> {
  return {
    prober: { locations: [], concurrency: 1, probeShare, dataDir: './data', historyRetentionMs: 1, timingToleranceMs: 50, advisoryWindowMs: 1 },
    apis: [
      { name: 'api', rateLimit: { limit, windowMs, probeShare }, endpoints: [] } as unknown as Catalog['apis'][number],
    ],
  };
}

describe('QuotaGuard properties', () => {
  it('never lets more than the budget through in any window, however the probes are asked for', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1000, max: 3_600_000 }),
        fc.double({ min: 0.005, max: 0.5, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 7_200_000 }), { minLength: 1, maxLength: 300 }),
        (limit, windowMs, share, asks) => {
          const guard = new QuotaGuard(catalogWith(limit, windowMs, share));
          const budget = budgetOf(limit, windowMs, share, 'catalog')!;
          const allowed = [...asks].sort((a, b) => a - b).filter((t) => guard.decide('api', t).allow);
          // Any `capacity + 1` consecutive allowed probes span more than the (spacing) window.
          for (let i = budget.capacity; i < allowed.length; i++) {
            expect(allowed[i] - allowed[i - budget.capacity]).toBeGreaterThanOrEqual(budget.spacingWindowMs);
          }
        }
      ),
      { numRuns: 300 }
    );
  });

  it('a refusal names a time at which the probe is allowed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1000, max: 600_000 }),
        fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 100 }),
        (limit, windowMs, asks) => {
          const guard = new QuotaGuard(catalogWith(limit, windowMs, 0.05));
          for (const t of [...asks].sort((a, b) => a - b)) {
            const d = guard.decide('api', t);
            if (!d.allow) {
              expect(d.untilMs).toBeGreaterThan(t);
              const probe = new QuotaGuard(catalogWith(limit, windowMs, 0.05));
              expect(probe.decide('api', d.untilMs).allow).toBe(true);
            }
          }
        }
      ),
      { numRuns: 200 }
    );
  });

  it('never throws and never blocks for longer than a day, whatever the responses say', () => {
    const observation = fc.record({
      code: fc.constantFrom(200, 429, 503, 301, 0),
      retryAfterSeconds: fc.option(fc.double({ min: 0, max: 1e12, noNaN: true })),
      rateLimits: fc.array(
        fc.record({
          policy: fc.string(),
          limit: fc.option(fc.integer({ min: 0, max: 1e9 })),
          remaining: fc.option(fc.integer({ min: 0, max: 1e9 })),
          resetSeconds: fc.option(fc.double({ min: 0, max: 1e12, noNaN: true })),
          windowSeconds: fc.option(fc.integer({ min: 0, max: 1e7 })),
        }),
        { maxLength: 3 }
      ),
    });
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 20 }), (observations) => {
        const guard = new QuotaGuard(catalogWith(100, 60_000, 0.05));
        let now = 0;
        for (const o of observations) {
          guard.record('api', now, o);
          const d = guard.decide('api', now);
          if (!d.allow) {
            expect(d.untilMs - now).toBeLessThanOrEqual(86_400_000);
          }
          now += 1000;
        }
      })
    );
  });
});
