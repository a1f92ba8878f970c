// Runs every job on its own interval with bounded concurrency.
//
// - Each job starts at a random point within its first interval (so a restart does not probe
//   every API at once) and then fires on a fixed grid (start + n * interval) moved by a small
//   random jitter, so runs neither drift nor line up with each other.
// - A due job waits in a FIFO queue for one of `concurrency` slots.
// - A job that is still queued or running when it is due again is skipped, not stacked.
// - Every run is bounded: after its deadline the scheduler aborts it and frees the slot, so a
//   target that hangs cannot hold a slot (and delay the others) for longer than its timeout.
// Timers, clock and randomness are injected so tests are deterministic.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface JobSpec<T> {
  /** Stable identity across catalog reloads, e.g. "payments/list-charges". */
  key: string;
  intervalMs: number;
  /** The scheduler aborts a run this long after it started (probe timeout plus a grace). */
  deadlineMs: number;
  data: T;
}

export interface SchedulerOptions<T> {
  concurrency: number;
  /** Does the work; must honour the signal. A rejection is reported through onError. */
  run: (data: T, signal: AbortSignal) => Promise<void>;
  /** A job came due while its previous run was still queued or running. */
  onOverlap?: (data: T) => void;
  /** A run outlived its deadline and was aborted. */
  onDeadline?: (data: T) => void;
  onError?: (data: T, error: unknown) => void;
  clock?: Clock;
  /** Uniform in [0, 1). */
  random?: () => number;
  /** Per-run jitter as a share of the interval (default 0.05), capped at maxRunJitterMs. */
  runJitterRatio?: number;
  maxRunJitterMs?: number;
}

interface JobState<T> {
  spec: JobSpec<T>;
  /** Grid point of the next run (before jitter). */
  nextBaseMs: number;
  timer: unknown;
  queued: boolean;
  running: boolean;
}

export class Scheduler<T> {
  private readonly jobs = new Map<string, JobState<T>>();
  private readonly queue: Array<JobState<T>> = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private active = 0;
  private started = false;
  private stopped = false;
  private concurrency: number;

  constructor(private readonly options: SchedulerOptions<T>) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.concurrency = Math.max(1, options.concurrency);
  }

  /**
   * Replaces the job set. Jobs whose key and interval stay keep their place on the grid and
   * their running state (only their data is updated); new jobs get a random first run; gone
   * jobs are cancelled (a run in progress finishes but is not rescheduled).
   */
  update(specs: Array<JobSpec<T>>, concurrency = this.concurrency): void {
    this.concurrency = Math.max(1, concurrency);
    const next = new Map(specs.map((s) => [s.key, s]));
    for (const [key, state] of this.jobs) {
      if (!next.has(key)) {
        this.clock.clearTimeout(state.timer);
        this.jobs.delete(key);
        const i = this.queue.indexOf(state);
        if (i >= 0) {
          this.queue.splice(i, 1);
          state.queued = false;
        }
      }
    }
    for (const spec of specs) {
      const state = this.jobs.get(spec.key);
      if (!state) {
        const fresh: JobState<T> = { spec, nextBaseMs: 0, timer: undefined, queued: false, running: false };
        this.jobs.set(spec.key, fresh);
        if (this.started) {
          this.scheduleFirst(fresh);
        }
      } else if (state.spec.intervalMs !== spec.intervalMs) {
        state.spec = spec;
        this.clock.clearTimeout(state.timer);
        if (this.started) {
          this.scheduleFirst(state);
        }
      } else {
        state.spec = spec;
      }
    }
    this.pump();
  }

  start(): void {
    if (this.started || this.stopped) {
      return;
    }
    this.started = true;
    for (const state of this.jobs.values()) {
      this.scheduleFirst(state);
    }
  }

  get isStarted(): boolean {
    return this.started && !this.stopped;
  }

  /** Keys of the scheduled jobs. */
  keys(): string[] {
    return [...this.jobs.keys()];
  }

  /** Runs in progress right now. */
  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.queue.length;
  }

  /**
   * Stops scheduling, drops the queue and waits for runs in progress, at most `graceMs`;
   * runs still going after that are aborted. Resolves once every run has settled.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    for (const state of this.jobs.values()) {
      this.clock.clearTimeout(state.timer);
    }
    for (const state of this.queue) {
      state.queued = false;
    }
    this.queue.length = 0;
    if (this.inFlight.size === 0) {
      return;
    }
    let timer: unknown;
    const grace = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    this.clock.clearTimeout(timer);
    for (const controller of this.aborts) {
      controller.abort();
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private scheduleFirst(state: JobState<T>): void {
    const offset = this.random() * state.spec.intervalMs;
    state.nextBaseMs = this.clock.now() + offset;
    this.arm(state, offset);
  }

  private arm(state: JobState<T>, delayMs: number): void {
    state.timer = this.clock.setTimeout(() => this.fire(state), Math.max(0, delayMs));
  }

  private runJitter(intervalMs: number): number {
    const max = Math.min(intervalMs * (this.options.runJitterRatio ?? 0.05), this.options.maxRunJitterMs ?? 1000);
    return (this.random() * 2 - 1) * max;
  }

  private fire(state: JobState<T>): void {
    if (this.stopped || this.jobs.get(state.spec.key) !== state) {
      return;
    }
    // The next run is planned now, before this one is even queued: its timing never depends
    // on how long this run (or anyone else's) takes.
    const now = this.clock.now();
    state.nextBaseMs += state.spec.intervalMs;
    while (state.nextBaseMs <= now) {
      // The process was suspended (or the clock jumped): skip missed grid points, do not burst.
      state.nextBaseMs += state.spec.intervalMs;
    }
    this.arm(state, state.nextBaseMs + this.runJitter(state.spec.intervalMs) - now);

    if (state.queued || state.running) {
      this.options.onOverlap?.(state.spec.data);
      return;
    }
    state.queued = true;
    this.queue.push(state);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.active < this.concurrency && this.queue.length > 0) {
      const state = this.queue.shift()!;
      state.queued = false;
      this.execute(state);
    }
  }

  private execute(state: JobState<T>): void {
    const { data, deadlineMs } = state.spec;
    const controller = new AbortController();
    this.aborts.add(controller);
    state.running = true;
    this.active++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        this.active--;
        this.pump();
      }
    };
    const deadline = this.clock.setTimeout(() => {
      this.options.onDeadline?.(data);
      controller.abort();
      // Free the slot even if the work ignores the abort; the job stays "running" (so it is
      // not stacked) until the work really settles.
      release();
    }, deadlineMs);
    const work = (async () => {
      try {
        await this.options.run(data, controller.signal);
      } catch (err) {
        this.options.onError?.(data, err);
      } finally {
        this.clock.clearTimeout(deadline);
        this.aborts.delete(controller);
        state.running = false;
        release();
      }
    })();
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}
