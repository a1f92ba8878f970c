// Reading a cumulative Prometheus histogram (counts per upper bound `le`, +Inf last) the way
// histogram_quantile does: observations spread evenly inside a bucket. The audit asks two
// things of the latency histogram: a quantile (p99.9) and the share of observations above a
// given time (how many calls a timeout would cut off).

export interface Bucket {
  /** Upper bound; Infinity for +Inf. */
  le: number;
  /** Observations at or below le (cumulative). */
  count: number;
}

/** Buckets sorted by bound, counts made monotonic (rates of a reset counter can dip). */
export function normaliseBuckets(buckets: Bucket[]): Bucket[] {
  const sorted = buckets.filter((b) => Number.isFinite(b.count) && !Number.isNaN(b.le)).sort((a, b) => a.le - b.le);
  let max = 0;
  return sorted.map((b) => {
    max = Math.max(max, b.count);
    return { le: b.le, count: max };
  });
}

export function totalCount(buckets: Bucket[]): number {
  const b = normaliseBuckets(buckets);
  return b.length === 0 ? 0 : b[b.length - 1].count;
}

/**
 * The q-quantile (0 < q < 1) with linear interpolation inside the bucket, as PromQL's
 * histogram_quantile; the highest finite bound when it falls in +Inf; null without observations.
 */
export function quantile(buckets: Bucket[], q: number): number | null {
  const b = normaliseBuckets(buckets);
  const total = b.length === 0 ? 0 : b[b.length - 1].count;
  if (total <= 0 || b.length < 2) {
    return null;
  }
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of b) {
    if (bucket.count >= rank) {
      if (!Number.isFinite(bucket.le)) {
        return lowerBound;
      }
      const inBucket = bucket.count - lowerCount;
      return inBucket <= 0 ? bucket.le : lowerBound + ((bucket.le - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}

/**
 * Share of observations above `t`, interpolating inside the bucket that holds t; observations
 * in +Inf count as above any finite t beyond the last bound. Null without observations.
 */
export function shareAbove(buckets: Bucket[], t: number): number | null {
  const b = normaliseBuckets(buckets);
  const total = b.length === 0 ? 0 : b[b.length - 1].count;
  if (total <= 0) {
    return null;
  }
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of b) {
    if (t <= bucket.le) {
      if (!Number.isFinite(bucket.le)) {
        return (total - lowerCount) / total;
      }
      const fraction = bucket.le === lowerBound ? 1 : (t - lowerBound) / (bucket.le - lowerBound);
      const below = lowerCount + (bucket.count - lowerCount) * fraction;
      return Math.max(0, (total - below) / total);
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return (total - lowerCount) / total;
}
