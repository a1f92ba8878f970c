import { parseGoDuration, parseRetryAfterMs, resetSecondsIn, resetSecondsOf } from './values';

// 2026-03-26T16:25:28Z
const NOW_MS = Date.UTC(2026, 2, 26, 16, 25, 28);

describe('parseGoDuration', () => {
  it.each<[string, number | null]>([
    ['1s', 1],
    ['6m0s', 360],
    ['2m59.56s', 179.56],
    ['1h2m3.5s', 3723.5],
    ['500ms', 0.5],
    ['12ms', 0.012],
    ['7.66s', 7.66],
    ['0', 0],
    ['0s', 0],
    ['1.5h', 5400],
    ['300us', 0.0003],
    ['300µs', 0.0003],
    ['20ns', 2e-8],
    [' 6m0s ', 360],
    ['.5s', 0.5],
    ['', null],
    ['s', null],
    ['1', null],
    ['-1s', null],
    ['1x', null],
    ['1s2', null],
    ['5 s', null],
    ['1d', null],
    ['1..5s', null],
  ])('%j -> %j', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });
});

describe('resetSecondsOf: every form a provider writes', () => {
  it.each<[string, string, number | null]>([
    ['delay seconds', '37', 37],
    ['fractional delay (Discord)', '64.57', 64.57],
    ['epoch seconds', String(NOW_MS / 1000 + 60), 60],
    ['epoch milliseconds (Linear)', String(NOW_MS + 60_000), 60],
    ['RFC 3339 (Anthropic)', '2026-03-26T16:26:28Z', 60],
    ['RFC 3339 with offset', '2026-03-26T17:26:28+01:00', 60],
    ['RFC 3339 with fraction', '2026-03-26T16:26:27.5Z', 60],
    ["Jira's minute precision", '2026-03-26T16:27Z', 92],
    ['HTTP-date', 'Thu, 26 Mar 2026 16:26:28 GMT', 60],
    ["JavaScript's Date#toString (lemlist)", 'Thu Mar 26 2026 17:26:28 GMT+0100 (Central European Standard Time)', 60],
    ['Go duration (OpenAI)', '1m0s', 60],
    ['a timestamp in the past', '2020-01-01T00:00:00Z', 0],
    ['the same epoch twice (repeated header)', `${NOW_MS / 1000 + 60}, ${NOW_MS / 1000 + 60}`, 60],
    ['the same HTTP-date twice', 'Thu, 26 Mar 2026 16:26:28 GMT, Thu, 26 Mar 2026 16:26:28 GMT', 60],
    ['nonsense', 'tomorrow', null],
    ['a negative number', '-5', null],
    ['an impossible date', '2026-02-31T25:61:00Z', null],
  ])('%s: %j', (_name, text, expected) => {
    expect(resetSecondsOf(text, NOW_MS)).toBe(expected);
  });
});

describe('resetSecondsIn: the unit the catalog declares', () => {
  it('reads a number in the declared unit, whatever its magnitude', () => {
    expect(resetSecondsIn('600000', 'milliseconds', NOW_MS)).toBe(600);
    expect(resetSecondsIn('600000', 'seconds', NOW_MS)).toBe(600_000);
    expect(resetSecondsIn(String(NOW_MS / 1000 + 5), 'epoch-seconds', NOW_MS)).toBe(5);
    expect(resetSecondsIn('5', 'epoch-seconds', NOW_MS)).toBe(0); // 1970: long past
  });

  it('refuses a value written in another form', () => {
    expect(resetSecondsIn('1m', 'seconds', NOW_MS)).toBeNull();
    expect(resetSecondsIn('Thu, 26 Mar 2026 16:26:28 GMT', 'rfc3339', NOW_MS)).toBeNull();
    expect(resetSecondsIn('2026-03-26T16:26:28Z', 'http-date', NOW_MS)).toBeNull();
  });
});

describe('parseRetryAfterMs', () => {
  it.each<[string | undefined, number | null]>([
    ['3000', 3],
    ['0', 0],
    ['1500, 1500', 1.5],
    ['-1', null],
    ['soon', null],
    [undefined, null],
  ])('%j -> %j', (text, expected) => {
    expect(parseRetryAfterMs(text)).toBe(expected);
  });
});
