import fc from 'fast-check';
import { documentedHeadroom, documentedReading, headroomRatio } from './headroom';
import { headerLookup, parseRateLimit, parseRetryAfter } from './parse';
import { parseDictionary, parseList } from './structured';

const HEADER_NAMES = [
  'ratelimit',
  'ratelimit-policy',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-ratelimit-used',
  'x-ratelimit-resource',
  'x-ratelimit-reset-after',
  'x-ratelimit-limit-minute',
  'x-ratelimit-remaining-minute',
  'x-rate-limit-limit',
  'x-rate-limit-remaining',
  'x-rate-limit-reset',
  'x-shopify-shop-api-call-limit',
];

// Values close to the real grammar find more edge cases than uniformly random text.
const fragment = fc.oneof(
  fc.string(),
  fc.integer({ min: -1e16, max: 1e16 }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    '"a";q=10;w=60',
    '"a";r=5;t=3',
    'limit=10, remaining=',
    '10;w=1',
    '3/40',
    '-1/0',
    ',',
    ';',
    '"',
    ':',
    '1m',
    '?1',
    '(1 2)'
  ),
  fc
    .array(fc.constantFrom('"b"', ';q=', ';r=', ';w=', ';t=', '1', '-', '0', ',', ' ', '=', '.', 'e9', '/'), {
      maxLength: 12,
    })
    .map((a) => a.join(''))
);
const headersArb = fc.dictionary(
  fc.constantFrom(...HEADER_NAMES),
  fc.oneof(fragment, fc.array(fragment, { maxLength: 3 }))
);
const nowArb = fc.integer({ min: 0, max: 4_102_444_800_000 });

describe('rate-limit parsing properties', () => {
  it('never throws and only reports non-negative, finite numbers', () => {
    fc.assert(
      fc.property(headersArb, nowArb, (headers, now) => {
        const readings = parseRateLimit(headerLookup(headers), now);
        for (const r of readings) {
          for (const v of [r.limit, r.remaining, r.resetSeconds, r.windowSeconds]) {
            if (v !== null) {
              expect(Number.isFinite(v)).toBe(true);
              expect(v).toBeGreaterThanOrEqual(0);
            }
          }
          const ratio = headroomRatio(r);
          if (ratio !== null) {
            expect(ratio).toBeGreaterThanOrEqual(0);
            expect(ratio).toBeLessThanOrEqual(1);
          }
        }
        expect(new Set(readings.map((r) => r.policy)).size).toBe(readings.length);
      }),
      { numRuns: 2000 }
    );
  });

  it('orders readings by headroom, lowest first', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (pairs) => {
          const policy = pairs.map(([q], i) => `"p${i}";q=${q};w=60`).join(', ');
          const limit = pairs.map(([q, r], i) => `"p${i}";r=${Math.min(q, r)}`).join(', ');
          const ratios = parseRateLimit(headerLookup({ 'ratelimit-policy': policy, ratelimit: limit }), 0).map(
            (r) => headroomRatio(r) ?? 2
          );
          expect(ratios).toEqual([...ratios].sort((a, b) => a - b));
        }
      )
    );
  });

  it('Retry-After is never negative and never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fragment,
          fc.date({ noInvalidDate: true }).map((d) => d.toUTCString())
        ),
        nowArb,
        (value, now) => {
          const s = parseRetryAfter(value, now);
          if (s !== null) {
            expect(Number.isFinite(s)).toBe(true);
            expect(s).toBeGreaterThanOrEqual(0);
          }
        }
      ),
      { numRuns: 2000 }
    );
  });

  it('Retry-After reads back any delay in seconds and any future HTTP-date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e8 }), nowArb, (seconds, now) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds);
        const date = new Date(Math.floor(now / 1000) * 1000 + seconds * 1000);
        if (date.getUTCFullYear() <= 9999) {
          expect(parseRetryAfter(date.toUTCString(), now)).toBe(Math.max(0, Math.ceil((date.getTime() - now) / 1000)));
        }
      })
    );
  });

  it('the structured-field parsers never throw', () => {
    fc.assert(
      fc.property(fragment, (text) => {
        parseList(text);
        parseDictionary(text);
      }),
      { numRuns: 2000 }
    );
  });

  it('documented headroom stays in [0, 1] and falls as requests are counted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 86_400_000 }),
        fc.nat(),
        fc.nat(),
        (limit, windowMs, a, b) => {
          const lo = Math.min(a, b);
          const hi = Math.max(a, b);
          const h1 = documentedHeadroom({ limit, windowMs }, lo);
          const h2 = documentedHeadroom({ limit, windowMs }, hi);
          expect(h1).toBeGreaterThanOrEqual(h2);
          expect(h2).toBeGreaterThanOrEqual(0);
          expect(h1).toBeLessThanOrEqual(1);
          expect(documentedReading({ limit, windowMs }, hi).remaining).toBe(Math.max(0, limit - hi));
        }
      )
    );
  });
});
