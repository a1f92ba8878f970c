import fc from 'fast-check';
import { documentedHeadroom, documentedReading, headroomRatio } from './headroom';
import { RESET_UNITS } from '../contract';
import { headerLookup, MAX_POLICIES, parseRateLimit, parseRetryAfter, parseRetryAfterHeaders } from './parse';
import { parseDictionary, parseList } from './structured';
import type { RateLimitHeaderMapping } from './types';
import { parseGoDuration, resetSecondsIn, resetSecondsOf } from './values';

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
  // every convention added since: per-resource, vendor prefixes, remaining-only, dictionaries
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
  'x-ratelimit-requests-limit',
  'x-ratelimit-requests-remaining',
  'x-ratelimit-requests-reset',
  'x-ratelimit-complexity-remaining',
  'x-ratelimit-max',
  'x-ratelimit-interval-milliseconds',
  'x-ratelimit-retry-after',
  'x-rate-limit',
  'anthropic-ratelimit-requests-limit',
  'anthropic-ratelimit-requests-remaining',
  'anthropic-ratelimit-requests-reset',
  'anthropic-ratelimit-output-tokens-remaining',
  'x-hubspot-ratelimit-max',
  'x-hubspot-ratelimit-remaining',
  'x-hubspot-ratelimit-interval-milliseconds',
  'x-hubspot-ratelimit-daily',
  'x-hubspot-ratelimit-daily-remaining',
  'x-hubspot-ratelimit-secondly',
  'x-hubspot-ratelimit-secondly-remaining',
  'x-sentry-rate-limit-limit',
  'x-sentry-rate-limit-remaining',
  'x-sentry-rate-limit-reset',
  'x-sentry-rate-limit-concurrentlimit',
  'x-sentry-rate-limit-concurrentremaining',
  'x-ms-ratelimit-remaining-subscription-reads',
  'x-ms-ratelimit-remaining-tenant-writes',
  'x-ms-ratelimit-remaining-resource',
  'zendesk-ratelimit-tickets-index',
  'beta-ratelimit-policy',
  'beta-ratelimit',
  'x-gorgias-account-api-call-limit',
  'retry-after',
  'retry-after-ms',
  'x-ms-retry-after-ms',
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
    '(1 2)',
    '2m59.56s',
    '6m0s',
    '1h2m3.5s',
    '500ms',
    '-1',
    '1e309',
    'total=100; remaining=0; resets=41',
    'total=; remaining=-1',
    'Microsoft.Compute/HighCostGet3Min;159',
    ';5,a;',
    '2026-03-26T16:00Z',
    '2026-02-31T25:61:00Z',
    'Tue Feb 16 2021 09:02:42 GMT+0100 (CET)',
    'Sun, 06 Nov 1994 08:49:37 GMT'
  ),
  fc
    .array(
      fc.constantFrom(
        '"b"',
        ';q=',
        ';r=',
        ';w=',
        ';t=',
        '1',
        '-',
        '0',
        ',',
        ' ',
        '=',
        '.',
        'e9',
        '/',
        'h',
        'm',
        's',
        'ms'
      ),
      {
        maxLength: 12,
      }
    )
    .map((a) => a.join(''))
);
// Known names, and names of the shapes that carry a policy name (`x-ratelimit-limit-<name>`).
const headerName = fc.oneof(
  fc.constantFrom(...HEADER_NAMES),
  fc
    .tuple(
      fc.constantFrom(
        'x-ratelimit-',
        'x-rate-limit-',
        'anthropic-ratelimit-',
        'zendesk-ratelimit-',
        'x-ms-ratelimit-remaining-'
      ),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('', '-limit', '-remaining', '-reset', '-max', '-used')
    )
    .map(([a, b, c]) => `${a}${b}${c}`)
);
const headersArb = fc.dictionary(headerName, fc.oneof(fragment, fc.array(fragment, { maxLength: 3 })));
const mappingArb: fc.Arbitrary<RateLimitHeaderMapping | undefined> = fc.option(
  fc.record(
    {
      limit: fc.constantFrom(...HEADER_NAMES),
      remaining: fc.constantFrom(...HEADER_NAMES),
      reset: fc.constantFrom(...HEADER_NAMES),
      retryAfter: fc.constantFrom(...HEADER_NAMES),
      resetUnit: fc.constantFrom(...RESET_UNITS),
    },
    { requiredKeys: [] }
  ),
  { nil: undefined }
);
const nowArb = fc.integer({ min: 0, max: 4_102_444_800_000 });

describe('rate-limit parsing properties', () => {
  it('never throws and only reports non-negative, finite numbers', () => {
    fc.assert(
      fc.property(headersArb, nowArb, mappingArb, (headers, now, mapping) => {
        const readings = parseRateLimit(headerLookup(headers), now, mapping);
        expect(readings.length).toBeLessThanOrEqual(MAX_POLICIES);
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
        // Scarcest first: nothing with room left comes before a spent policy.
        const firstWithRoom = readings.findIndex((r) => r.remaining !== 0 && (headroomRatio(r) ?? 1) > 0);
        const lastSpent = readings.map((r) => r.remaining === 0).lastIndexOf(true);
        if (firstWithRoom >= 0 && lastSpent >= 0) {
          expect(lastSpent).toBeLessThan(firstWithRoom);
        }
        const wait = parseRetryAfterHeaders(headerLookup(headers), now, mapping);
        if (wait !== null) {
          expect(Number.isFinite(wait)).toBe(true);
          expect(wait).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 3000 }
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

  it('resets in any unit are never negative, never throw', () => {
    fc.assert(
      fc.property(fragment, nowArb, fc.constantFrom(...RESET_UNITS), (text, now, unit) => {
        for (const s of [resetSecondsOf(text, now), resetSecondsIn(text, unit, now), parseGoDuration(text)]) {
          if (s !== null) {
            expect(Number.isFinite(s)).toBe(true);
            expect(s).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 2000 }
    );
  });

  it('Go durations read back what time.Duration.String() writes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59_999 }),
        (h, m, ms) => {
          const seconds = ms / 1000;
          const text = (h > 0 ? `${h}h${m}m` : m > 0 ? `${m}m` : '') + `${seconds}s`;
          expect(parseGoDuration(text)).toBeCloseTo(h * 3600 + m * 60 + seconds, 6);
        }
      )
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
