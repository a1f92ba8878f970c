import { dailyShape, DAILY_SHAPE, isFaultedCall, saleMultiplier, WeightedRotation } from '.';

describe('the platform workload', () => {
  it('averages 1 over the day, quiet at night and busiest in the evening', () => {
    const mean = DAILY_SHAPE.reduce((a, b) => a + b, 0) / 24;
    expect(mean).toBeGreaterThan(0.9);
    expect(mean).toBeLessThan(1.1);
    expect(dailyShape(3)).toBeLessThan(0.2);
    expect(dailyShape(20)).toBe(Math.max(...DAILY_SHAPE));
    // Linear between hours, and wrapping around midnight.
    expect(dailyShape(0.5)).toBeCloseTo((DAILY_SHAPE[0] + DAILY_SHAPE[1]) / 2, 10);
    expect(dailyShape(23.5)).toBeCloseTo((DAILY_SHAPE[23] + DAILY_SHAPE[0]) / 2, 10);
    expect(dailyShape(-1)).toBeCloseTo(DAILY_SHAPE[23], 10);
  });

  it('multiplies the traffic during the sale event only, across midnight too', () => {
    const sale = { startHour: 23.5, hours: 1, multiplier: 3 };
    expect([23, 23.5, 0, 0.49, 0.5, 12].map((h) => saleMultiplier(h, sale))).toEqual([1, 3, 3, 3, 1, 1]);
    expect(saleMultiplier(20, null)).toBe(1);
  });

  it('picks targets in proportion to their weights, evenly interleaved', () => {
    const rotation = new WeightedRotation([3, 1]);
    const picks = Array.from({ length: 8 }, () => rotation.next());
    expect(picks).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
    const three = new WeightedRotation([5, 3, 2]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 1000; i++) {
      counts[three.next()] += 1;
    }
    expect(counts).toEqual([500, 300, 200]);
  });

  it('fails exactly the error ratio of the calls, evenly spaced', () => {
    const faulted = Array.from({ length: 20 }, (_, i) => isFaultedCall(i + 1, 0.1));
    expect(faulted.filter(Boolean)).toHaveLength(2);
    expect(faulted[9]).toBe(true);
    expect(faulted[19]).toBe(true);
    expect(Array.from({ length: 7 }, (_, i) => isFaultedCall(i + 1, 0))).not.toContain(true);
    expect(Array.from({ length: 7 }, (_, i) => isFaultedCall(i + 1, 1))).not.toContain(false);
  });
});
