import { forecastLimit, recordedForecast } from './forecast';
import { forecastText } from './render/html';
import { change, count, dateTime, duration, latency, monthTitle, percent, pointsChange } from './format';

const DAY = 86_400_000;

describe('report number formats', () => {
  it('percentages keep the decimals availability needs; missing values are a dash, never 0', () => {
    expect(percent(0.99912)).toBe('99.91%');
    expect(percent(0.985)).toBe('98.5%');
    expect(percent(0.0004)).toBe('0.04%');
    expect([percent(1), percent(0), percent(null), percent(NaN)]).toEqual(['100%', '0%', '–', '–']);
  });

  it('latency, durations, counts, changes, times and months', () => {
    expect([latency(0.1234), latency(2.5), latency(null)]).toEqual(['123 ms', '2.50 s', '–']);
    expect([duration(45), duration(5_400), duration(200_000), duration(3_840), duration(null)]).toEqual([
      '45s',
      '1h 30m',
      '2d 7h',
      '1h 4m',
      '–',
    ]);
    expect(count(1_234_567.4)).toBe('1,234,567');
    expect([change(110, 100), change(95, 100), change(1, 0)]).toEqual(['+10.0%', '-5.0%', '–']);
    expect(pointsChange(0.999, 0.998)).toBe('+0.10 pp');
    expect(dateTime('2026-11-03T14:05:09.000Z')).toBe('2026-11-03 14:05 UTC');
    expect(monthTitle('2026-11')).toBe('November 2026');
  });
});

describe('the capacity forecast', () => {
  const days = Array.from({ length: 30 }, (_, i) => Date.UTC(2026, 10, 1) + i * DAY);

  it('a rising trend reaches the limit on the day the line crosses 1.0', () => {
    const f = forecastLimit(
      days,
      days.map((_, i) => 0.4 + 0.02 * i)
    )!;
    expect(f.slopePerDay).toBeCloseTo(0.02, 12);
    // 0.98 on Nov 30: 1.0 one day later, which is where the month ends.
    expect(f.reachesLimitAt!.slice(0, 10)).toBe('2026-12-01');
    expect(f.daysToLimit).toBeCloseTo(0, 9);
    expect(f.predictedUsageRatio).toBeCloseTo(1 + 0.02 * 30, 9);
    expect(f).toMatchObject({ method: 'fitted', atLimit: false, predictedAfterDays: 30 });
  });

  it('in words: when the peak reaches the limit and where it is in 30 days; fitted ones say so', () => {
    const end = Date.UTC(2026, 11, 1);
    const recorded = (daysToLimit: number | null, predicted = 0.9) =>
      forecastText(recordedForecast({ weeklyPeak: 0.6, predicted, daysToLimit }, end, false));
    expect(recorded(40.4, 0.9)).toBe('reaches the limit around 2027-01-10 (in 40 days); 90.0% of the limit in 30 days');
    expect(recorded(120, 0.8)).toBe('not within 90 days; 80.0% of the limit in 30 days');
    expect(recorded(null, 0.6)).toBe('flat or falling; 60.0% of the limit in 30 days');
    expect(recorded(0, 1.3)).toBe('the weekly peak is at the limit; 130.00% of the limit in 30 days');
    expect(forecastText(forecastLimit(days, days.map(() => 0.5))!)).toBe(
      'flat or falling; 50.0% of the limit in 30 days (fitted)'
    );
    expect(forecastText(null)).toBe('too few days of traffic for a trend');
  });

  it('flat, falling or slow trends reach nothing within the horizon; too few days is no forecast', () => {
    expect(
      forecastLimit(
        days,
        days.map(() => 0.5)
      )!.reachesLimitAt
    ).toBeNull();
    expect(
      forecastLimit(
        days,
        days.map((_, i) => 0.9 - 0.01 * i)
      )!.reachesLimitAt
    ).toBeNull();
    expect(
      forecastLimit(
        days,
        days.map((_, i) => 0.1 + 0.001 * i)
      )!.reachesLimitAt
    ).toBeNull();
    expect(
      forecastLimit(
        days,
        days.map((_, i) => (i < 5 ? 0.5 : null))
      )
    ).toBeNull();
    expect(
      forecastLimit(
        days,
        days.map((_, i) => (i === 3 ? 1.2 : 0.5))
      )!.atLimit
    ).toBe(true);
  });
});
