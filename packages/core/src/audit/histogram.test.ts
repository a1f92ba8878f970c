import { normaliseBuckets, quantile, shareAbove, totalCount } from './histogram';

// 1000 observations: 900 at or below 0.1 s, 990 at or below 0.5 s, 999 at or below 1 s, 1 above 2 s.
const buckets = [
  { le: 0.1, count: 900 },
  { le: 0.5, count: 990 },
  { le: 1, count: 999 },
  { le: 2, count: 999 },
  { le: Infinity, count: 1000 },
];

describe('histogram reading', () => {
  it('interpolates quantiles inside the bucket, as histogram_quantile does', () => {
    expect(quantile(buckets, 0.5)).toBeCloseTo(0.0556, 4); // 500/900 of the way to 0.1
    expect(quantile(buckets, 0.99)).toBeCloseTo(0.5, 6);
    expect(quantile(buckets, 0.995)).toBeCloseTo(0.5 + 0.5 * (5 / 9), 6);
    // In +Inf: the highest finite bound.
    expect(quantile(buckets, 0.9995)).toBe(2);
  });

  it('gives the share above a time, interpolated, and +Inf above anything beyond the last bound', () => {
    expect(shareAbove(buckets, 0.5)).toBeCloseTo(0.01, 6);
    expect(shareAbove(buckets, 0.75)).toBeCloseTo(0.0055, 6);
    expect(shareAbove(buckets, 1.5)).toBeCloseTo(0.001, 6);
    expect(shareAbove(buckets, 5)).toBeCloseTo(0.001, 6);
    expect(shareAbove(buckets, 0)).toBe(1);
  });

  it('sorts buckets, repairs dips and says null without observations', () => {
    expect(
      normaliseBuckets([
        { le: Infinity, count: 5 },
        { le: 1, count: 6 },
      ])
    ).toEqual([
      { le: 1, count: 6 },
      { le: Infinity, count: 6 },
    ]);
    expect(totalCount([])).toBe(0);
    expect(
      quantile(
        [
          { le: 1, count: 0 },
          { le: Infinity, count: 0 },
        ],
        0.5
      )
    ).toBeNull();
    expect(shareAbove([], 1)).toBeNull();
  });
});
