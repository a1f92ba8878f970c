// The polling schedule of one remote document (a status page, an advisory feed): poll now and
// then every interval; after consecutive failures wait twice as long each time (capped), and
// at least as long as the server's Retry-After asked; never two polls of one target at once.
// Whatever the attempt does, the loop keeps going: a throw counts as a failure.

/** Back-off never waits longer than this (or the interval, if that is longer). */
export const MAX_BACKOFF_MS = 10 * 60_000;
/** A server's Retry-After is honoured up to this long. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export interface PollOutcome {
  ok: boolean;
  /** The server asked to wait this long (429/503 with Retry-After). */
  retryAfterMs?: number;
}

export interface PollLoopOptions {
  intervalMs: number;
  attempt: () => Promise<PollOutcome>;
  now?: () => number;
  maxBackoffMs?: number;
}

export class PollLoop {
  /** Consecutive failed attempts (0 after a success). */
  failures = 0;
  lastAttemptAt: number | null = null;
  nextPollAt: number | null = null;
  private retryAfterMs = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private running = false;
  private readonly now: () => number;

  constructor(private readonly options: PollLoopOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Polls after `delayMs`, then on the schedule until stop(). */
  start(delayMs = 0): void {
    this.running = true;
    this.schedule(delayMs);
  }

  /** No more polls; one in flight finishes (await settled() for it). */
  stop(): void {
    this.running = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.nextPollAt = null;
  }

  /** One attempt now, or the one already in flight. */
  poll(): Promise<void> {
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Resolves when no attempt is in flight. */
  settled(): Promise<void> {
    return this.inFlight ?? Promise.resolve();
  }

  /** The wait after the last attempt: the interval after a success, doubling per failure. */
  nextDelay(): number {
    const interval = this.options.intervalMs;
    if (this.failures === 0) {
      return interval;
    }
    const cap = Math.max(interval, this.options.maxBackoffMs ?? MAX_BACKOFF_MS);
    return Math.max(
      Math.min(interval * 2 ** Math.min(this.failures, 20), cap),
      Math.min(this.retryAfterMs, MAX_RETRY_AFTER_MS)
    );
  }

  private async run(): Promise<void> {
    this.lastAttemptAt = this.now();
    let outcome: PollOutcome;
    try {
      outcome = await this.options.attempt();
    } catch {
      outcome = { ok: false };
    }
    this.failures = outcome.ok ? 0 : this.failures + 1;
    this.retryAfterMs = outcome.retryAfterMs ?? 0;
  }

  private schedule(delayMs: number): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.nextPollAt = this.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll().then(() => {
        if (this.running) {
          this.schedule(this.nextDelay());
        }
      });
    }, delayMs);
    this.timer.unref?.();
  }
}
