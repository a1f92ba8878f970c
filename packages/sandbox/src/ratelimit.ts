// The serving side of rate limits: real fixed-window counters (remaining drops with every
// request and refills when the window turns over) and the header conventions providers use
// to announce them. Windows are aligned to the wall clock (a 1 s window turns at every
// second, a 1 min window at every minute), which is how most fixed-window limiters behave.

/** Every convention the sandbox can announce its limits in (a provider's own, or one set by the admin API). */
export const RATE_LIMIT_CONVENTIONS = ['github', 'ietf-draft10', 'ietf-draft06', 'x-rate-limit', 'azure-arm', 'none'] as const;

export type RateLimitConvention =
  /** GitHub: X-RateLimit-Limit/-Remaining/-Used/-Reset (epoch seconds)/-Resource. */
  | 'github'
  /** IETF draft-10 structured fields: RateLimit-Policy: "default";q=50;w=60 and RateLimit: "default";r=49;t=37. */
  | 'ietf-draft10'
  /** Older IETF drafts (up to draft-06): RateLimit-Limit/-Remaining/-Reset (delta seconds) + RateLimit-Policy: 30;w=60. */
  | 'ietf-draft06'
  /** Twitter/X style: X-Rate-Limit-Limit/-Remaining/-Reset (epoch seconds). */
  | 'x-rate-limit'
  /** Azure Resource Manager: x-ms-ratelimit-remaining-subscription-reads, what is left and nothing else. */
  | 'azure-arm'
  /** No headers at all: the limit is documented only. */
  | 'none';

export interface WindowReading {
  limit: number;
  /** Left in this window after the request that was just counted; never below 0. */
  remaining: number;
  /** When the current window ends, epoch ms. */
  resetAtMs: number;
  windowSeconds: number;
  /** False when the request was over the limit (it is still counted). */
  allowed: boolean;
}

export class FixedWindowCounter {
  private windowStart = -1;
  private used = 0;

  constructor(
    public limit: number,
    public windowSeconds: number
  ) {}

  private roll(nowMs: number): void {
    const windowMs = this.windowSeconds * 1000;
    const start = Math.floor(nowMs / windowMs) * windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
  }

  /** Count one request and say whether it fits. */
  take(nowMs: number): WindowReading {
    this.roll(nowMs);
    this.used += 1;
    return this.reading(this.used <= this.limit);
  }

  /** The current window without counting anything. */
  peek(nowMs: number): WindowReading {
    this.roll(nowMs);
    return this.reading(this.used < this.limit);
  }

  reset(): void {
    this.windowStart = -1;
    this.used = 0;
  }

  private reading(allowed: boolean): WindowReading {
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - this.used),
      resetAtMs: this.windowStart + this.windowSeconds * 1000,
      windowSeconds: this.windowSeconds,
      allowed,
    };
  }
}

/** Values pinned by the admin API: served verbatim instead of the counter's. `reset` is the
 * number the convention puts in its reset header (epoch seconds or delta seconds). */
export interface PinnedValues {
  remaining: number | null;
  reset: number | null;
}

export function secondsUntil(resetAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((resetAtMs - nowMs) / 1000));
}

/** Name of the second, longer window (the quota) where a convention names its policies. */
export const QUOTA_POLICY = 'quota';

/**
 * Headers announcing `reading` in `convention`; pinned values replace the counter's. `quota`,
 * a second window, is announced by the conventions that carry several policies in one
 * response (IETF draft-10: a second list member); the others announce the first window only.
 */
export function rateLimitHeaders(
  convention: RateLimitConvention,
  reading: WindowReading,
  nowMs: number,
  pinned: PinnedValues = { remaining: null, reset: null },
  quota: WindowReading | null = null
): Record<string, string> {
  const remaining = pinned.remaining ?? reading.remaining;
  const epochReset = pinned.reset ?? Math.ceil(reading.resetAtMs / 1000);
  const deltaReset = pinned.reset ?? secondsUntil(reading.resetAtMs, nowMs);
  switch (convention) {
    case 'github':
      return {
        'X-RateLimit-Limit': String(reading.limit),
        'X-RateLimit-Remaining': String(remaining),
        'X-RateLimit-Used': String(Math.max(0, reading.limit - remaining)),
        'X-RateLimit-Reset': String(epochReset),
        'X-RateLimit-Resource': 'core',
      };
    case 'x-rate-limit':
      return {
        'X-Rate-Limit-Limit': String(reading.limit),
        'X-Rate-Limit-Remaining': String(remaining),
        'X-Rate-Limit-Reset': String(epochReset),
      };
    case 'ietf-draft10': {
      const policies = [`"default";q=${reading.limit};w=${reading.windowSeconds}`];
      const limits = [`"default";r=${remaining};t=${deltaReset}`];
      if (quota) {
        policies.push(`"${QUOTA_POLICY}";q=${quota.limit};w=${quota.windowSeconds}`);
        limits.push(`"${QUOTA_POLICY}";r=${quota.remaining};t=${secondsUntil(quota.resetAtMs, nowMs)}`);
      }
      return { 'RateLimit-Policy': policies.join(', '), RateLimit: limits.join(', ') };
    }
    case 'ietf-draft06':
      return {
        'RateLimit-Limit': String(reading.limit),
        'RateLimit-Remaining': String(remaining),
        'RateLimit-Reset': String(deltaReset),
        'RateLimit-Policy': `${reading.limit};w=${reading.windowSeconds}`,
      };
    case 'azure-arm':
      return { 'x-ms-ratelimit-remaining-subscription-reads': String(remaining) };
    case 'none':
      return {};
  }
}
