// The emergency brake: over the last few seconds of completed (and dropped) requests, stop the
// run at once when the failed share or the 429 share goes above the catalog's loadTest.abort
// thresholds (100% turns a brake off). Judged over time buckets so the verdict does not depend on the rate; at low rates
// the last MIN_REQUESTS outcomes are judged instead, so a slow run can abort too.
import type { LoadTestAbortReason, Outcome } from '@apimon/core';

export const ABORT_WINDOW_MS = 5_000;
const BUCKET_MS = 250;
const BUCKETS = ABORT_WINDOW_MS / BUCKET_MS;
/** Fewer requests than this say nothing yet. */
export const MIN_REQUESTS = 20;

interface Tally {
  total: number;
  failed: number;
  rateLimited: number;
}

export class AbortMonitor {
  private readonly buckets: Tally[] = Array.from({ length: BUCKETS }, () => ({ total: 0, failed: 0, rateLimited: 0 }));
  private bucketAt = -1;
  /** The last MIN_REQUESTS verdicts (a ring): 0 ok, 1 failed, 2 rate limited. */
  private readonly recent = new Uint8Array(MIN_REQUESTS);
  private recorded = 0;

  constructor(private readonly limits: { errorRatio: number; rateLimitedRatio: number }) {}

  /** A completed request's outcome, or 'dropped'. `at` is performance.now() ms. */
  record(outcome: Outcome | 'dropped', at: number): void {
    const bucket = this.bucket(at);
    const kind = outcome === 'ok' ? 0 : outcome === 'rate_limited' ? 2 : 1;
    bucket.total++;
    if (kind !== 0) {
      bucket.failed++;
    }
    if (kind === 2) {
      bucket.rateLimited++;
    }
    this.recent[this.recorded++ % MIN_REQUESTS] = kind;
  }

  private bucket(at: number): Tally {
    const index = Math.floor(at / BUCKET_MS);
    if (index !== this.bucketAt) {
      // Clear the buckets skipped since the last record.
      for (let i = Math.max(this.bucketAt + 1, index - BUCKETS + 1); i <= index; i++) {
        const b = this.buckets[i % BUCKETS];
        b.total = b.failed = b.rateLimited = 0;
      }
      this.bucketAt = index;
    }
    return this.buckets[index % BUCKETS];
  }

  /** The reason to stop now, or null. `at` is performance.now() ms. */
  verdict(at: number): { reason: LoadTestAbortReason; ratio: number; requests: number } | null {
    this.bucket(at);
    let tally: Tally = { total: 0, failed: 0, rateLimited: 0 };
    for (const b of this.buckets) {
      tally = { total: tally.total + b.total, failed: tally.failed + b.failed, rateLimited: tally.rateLimited + b.rateLimited };
    }
    if (tally.total < MIN_REQUESTS) {
      if (this.recorded < MIN_REQUESTS) {
        return null;
      }
      tally = {
        total: MIN_REQUESTS,
        failed: this.recent.filter((k) => k !== 0).length,
        rateLimited: this.recent.filter((k) => k === 2).length,
      };
    }
    const rateLimited = tally.rateLimited / tally.total;
    if (rateLimited > this.limits.rateLimitedRatio) {
      return { reason: 'rate_limited', ratio: rateLimited, requests: tally.total };
    }
    const failed = tally.failed / tally.total;
    if (failed > this.limits.errorRatio) {
      return { reason: 'error_ratio', ratio: failed, requests: tally.total };
    }
    return null;
  }
}
