import { instantWindow, rangeWindow, rateWindowMs } from './windows';

const T0 = 1_700_000_000_000;
const SIX_HOURS = { fromMs: T0, toMs: T0 + 6 * 3_600_000, maxDataPoints: 1000 };

describe('steps and windows', () => {
  it('uses max(step + scrape, 4 x scrape) as the rate window', () => {
    expect(rateWindowMs(15_000, 15_000)).toBe(60_000);
    expect(rateWindowMs(60_000, 15_000)).toBe(75_000);
    expect(rateWindowMs(1_000, 1_000)).toBe(4_000);
  });

  it('derives the step from the range and maxDataPoints, rounded up to a nice step, range aligned', () => {
    const w = rangeWindow(SIX_HOURS);
    // 6 h / 1000 points = 21.6 s -> 30 s
    expect(w.stepMs).toBe(30_000);
    expect(w.window).toBe('1m');
    expect(w.startMs % 30_000).toBe(0);
    expect(w.endMs % 30_000).toBe(0);
    expect(w.startMs).toBeLessThanOrEqual(SIX_HOURS.fromMs);
    expect(w.endMs).toBeGreaterThanOrEqual(SIX_HOURS.toMs);
  });

  it('never steps below the scrape interval and honours a larger requested step', () => {
    expect(rangeWindow({ fromMs: T0, toMs: T0 + 60_000, maxDataPoints: 10_000 }).stepMs).toBe(15_000);
    expect(rangeWindow({ fromMs: T0, toMs: T0 + 60_000, stepMs: 120_000 }).stepMs).toBe(120_000);
    const month = rangeWindow({ fromMs: T0, toMs: T0 + 30 * 86_400_000, maxDataPoints: 1000 });
    // 30 d / 1000 points = 2592 s -> 1 h
    expect(month.stepMs).toBe(3_600_000);
    expect(month.window).toBe('1h15s');
  });

  it('keeps a 30-day range under Prometheus 11,000 points even with huge maxDataPoints', () => {
    const w = rangeWindow({ fromMs: T0, toMs: T0 + 30 * 86_400_000, maxDataPoints: 100_000 });
    expect((w.endMs - w.startMs) / w.stepMs).toBeLessThanOrEqual(11_000);
  });

  it('applies a configurable scrape interval', () => {
    const w = rangeWindow({ fromMs: T0, toMs: T0 + 300_000, maxDataPoints: 1000 }, 1_000);
    expect(w.stepMs).toBe(1_000);
    expect(w.window).toBe('4s');
    expect(instantWindow(T0, 1_000, 15_000).window).toBe('1m');
  });
});
