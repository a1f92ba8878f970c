// Runs every job on its own interval in a bounded number of slots, shared fairly.
//
// - Each job starts at a random point within its first interval (so a restart does not probe
//   every API at once) and then fires on a fixed grid (start + n * interval) moved by a small
//   random jitter, so runs neither drift nor line up with each other.
// - A due job starts at once when a slot is free. When every slot is taken it waits, and each
//   slot that frees goes to the waiting job that ranks first by:
//   1. its group (the provider) holds fewer slots than its fair share (the slots divided by the
//      groups running or waiting), so a group whose jobs hang cannot keep the slots from the
//      others. No slot is taken from a running job, and a group alone may use every slot;
//   2. priority (0 first: critical, standard, background);
//   3. how long its runs hold a slot, by order of magnitude, so endpoints that hang do not make
//      their quick siblings wait;
//   4. the earlier due time.
// - A job that is still running when it is due again is skipped ("overlap"); one still waiting
//   for a slot is skipped too ("saturated") and keeps its place. Nothing is stacked.
// - Every run is bounded: after its deadline the scheduler aborts it and frees the slot, so a
//   target that hangs cannot hold a slot for longer than its deadline.
// - Saturation (a due job had to wait for a slot) is reported once when it starts and once when
//   the queue has stayed empty for `saturationQuietMs`, with what happened in between.
// Timers, clock and randomness are injected so tests are deterministic.
import type { SchedulerSkipReason } from '@apimon/core';

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
  /** Slots are shared fairly between groups (the provider). */
  group: string;
  /** Lower runs first when jobs wait (the index of the criticality). */
  priority: number;
  data: T;
}

/** Why a due run was not started (skip reasons of the contract). */
export type SchedulerSkip = SchedulerSkipReason;

export type SaturationEvent =
  | {
      kind: 'start';
      slots: number;
      inFlight: number;
      queued: number;
      /** The groups holding the most slots, most first (at most three). */
      busiest: Array<{ group: string; inFlight: number }>;
    }
  | {
      kind: 'end';
      /** From the first job that had to wait to the moment the queue last emptied. */
      durationMs: number;
      /** Runs that waited in the queue before they started. */
      delayed: number;
      /** Due runs skipped because the previous run was still waiting. */
      dropped: number;
      maxQueued: number;
      maxWaitMs: number;
    };

export interface SchedulerSnapshot {
  slots: number;
  /** Slots held by runs. */
  inFlight: number;
  queued: number;
  /** Between a saturation start and its end (including the quiet period). */
  saturated: boolean;
  /** Slots held per group; groups holding none are left out. */
  inFlightByGroup: Map<string, number>;
}

export interface SchedulerOptions<T> {
  concurrency: number;
  /** Does the work; must honour the signal. A rejection is reported through onError. */
  run: (data: T, signal: AbortSignal) => Promise<void>;
  /** A run came due (every due run ends up started or skipped, unless the job is removed first). */
  onDue?: (data: T) => void;
  /** A run starts, `delayMs` after it was due. */
  onStart?: (data: T, delayMs: number) => void;
  /** A due run was not started: the previous one was still running, or still waiting for a slot. */
  onSkip?: (data: T, reason: SchedulerSkip) => void;
  /** A run outlived its deadline and was aborted. */
  onDeadline?: (data: T) => void;
  onError?: (data: T, error: unknown) => void;
  onSaturation?: (event: SaturationEvent) => void;
  clock?: Clock;
  /** Uniform in [0, 1). */
  random?: () => number;
  /** Per-run jitter as a share of the interval (default 0.05), capped at maxRunJitterMs. */
  runJitterRatio?: number;
  maxRunJitterMs?: number;
  /** A saturation ends once the queue has been empty this long (default 10 s). */
  saturationQuietMs?: number;
}

interface JobState<T> {
  spec: JobSpec<T>;
  /** Grid point of the next run (before jitter). */
  nextBaseMs: number;
  timer: unknown;
  /** When the armed timer is meant to fire: the due time of the next run. */
  dueAtMs: number;
  queued: boolean;
  running: boolean;
  /** Due time of the run waiting in the queue. */
  queuedDueAtMs: number;
  /** Order of entering the queue, the last tie-breaker. */
  queuedSeq: number;
  /** Smoothed slot time of this job's runs, ms; undefined before its first run. */
  holdMs: number | undefined;
}

interface GroupState<T> {
  /** Slots held by this group's runs. */
  running: number;
  /** Waiting jobs in the order they should start. */
  waiting: Array<JobState<T>>;
}

interface Episode {
  startedAt: number;
  lastEmptyAt: number;
  delayed: number;
  dropped: number;
  maxQueued: number;
  maxWaitMs: number;
}

/** 0 below 100 ms, then one class per factor of ten: quick, slow, timing out, hanging. */
function holdClass(holdMs: number | undefined): number {
  return holdMs === undefined || holdMs < 100 ? 0 : Math.floor(Math.log10(holdMs / 100)) + 1;
}

/** Negative when `a` should start before `b` within a group (priority, hold class, due time). */
function compareWaiting<T>(a: JobState<T>, b: JobState<T>): number {
  return (
    a.spec.priority - b.spec.priority ||
    holdClass(a.holdMs) - holdClass(b.holdMs) ||
    a.queuedDueAtMs - b.queuedDueAtMs ||
    a.queuedSeq - b.queuedSeq
  );
}

export class Scheduler<T> {
  private readonly jobs = new Map<string, JobState<T>>();
  /** Groups with a run in a slot or a job waiting; empty groups are removed. */
  private readonly groups = new Map<string, GroupState<T>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private active = 0;
  private waiting = 0;
  private seq = 0;
  private started = false;
  private stopped = false;
  private concurrency: number;
  private episode: Episode | undefined;
  private quietTimer: unknown;

  constructor(private readonly options: SchedulerOptions<T>) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.concurrency = Math.max(1, options.concurrency);
  }

  /**
   * Replaces the job set. Jobs whose key and interval stay keep their place on the grid and
   * their running state (their data, group and priority are updated); new jobs get a random
   * first run; gone jobs are cancelled (a run in progress finishes but is not rescheduled).
   */
  update(specs: Array<JobSpec<T>>, concurrency = this.concurrency): void {
    this.concurrency = Math.max(1, concurrency);
    const next = new Map(specs.map((s) => [s.key, s]));
    for (const [key, state] of this.jobs) {
      if (!next.has(key)) {
        this.clock.clearTimeout(state.timer);
        this.jobs.delete(key);
        this.unqueue(state);
      }
    }
    for (const spec of specs) {
      const state = this.jobs.get(spec.key);
      if (!state) {
        const fresh: JobState<T> = {
          spec,
          nextBaseMs: 0,
          timer: undefined,
          dueAtMs: 0,
          queued: false,
          running: false,
          queuedDueAtMs: 0,
          queuedSeq: 0,
          holdMs: undefined,
        };
        this.jobs.set(spec.key, fresh);
        if (this.started) {
          this.scheduleFirst(fresh);
        }
        continue;
      }
      const requeue = state.queued && (state.spec.group !== spec.group || state.spec.priority !== spec.priority);
      if (requeue) {
        this.unqueue(state);
      }
      const intervalChanged = state.spec.intervalMs !== spec.intervalMs;
      state.spec = spec;
      if (requeue) {
        this.enqueue(state, state.queuedDueAtMs);
      }
      if (intervalChanged) {
        this.clock.clearTimeout(state.timer);
        if (this.started) {
          this.scheduleFirst(state);
        }
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

  /** Slots held by runs right now. */
  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting;
  }

  get slots(): number {
    return this.concurrency;
  }

  snapshot(): SchedulerSnapshot {
    const inFlightByGroup = new Map<string, number>();
    for (const [name, group] of this.groups) {
      if (group.running > 0) {
        inFlightByGroup.set(name, group.running);
      }
    }
    return {
      slots: this.concurrency,
      inFlight: this.active,
      queued: this.waiting,
      saturated: this.episode !== undefined,
      inFlightByGroup,
    };
  }

  /**
   * Stops scheduling, drops the queue and waits for runs in progress, at most `graceMs`;
   * runs still going after that are aborted. Resolves once every run has settled.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    for (const state of this.jobs.values()) {
      this.clock.clearTimeout(state.timer);
      this.unqueue(state);
    }
    this.endSaturation();
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
    state.nextBaseMs = this.clock.now() + this.random() * state.spec.intervalMs;
    this.arm(state, state.nextBaseMs);
  }

  private arm(state: JobState<T>, atMs: number): void {
    state.dueAtMs = atMs;
    state.timer = this.clock.setTimeout(() => this.fire(state), Math.max(0, atMs - this.clock.now()));
  }

  private runJitter(intervalMs: number): number {
    const max = Math.min(intervalMs * (this.options.runJitterRatio ?? 0.05), this.options.maxRunJitterMs ?? 1000);
    return (this.random() * 2 - 1) * max;
  }

  private fire(state: JobState<T>): void {
    if (this.stopped || this.jobs.get(state.spec.key) !== state) {
      return;
    }
    const dueAt = state.dueAtMs;
    // The next run is planned now, before this one is even queued: its timing never depends
    // on how long this run (or anyone else's) takes.
    const now = this.clock.now();
    state.nextBaseMs += state.spec.intervalMs;
    while (state.nextBaseMs <= now) {
      // The process was suspended (or the clock jumped): skip missed grid points, do not burst.
      state.nextBaseMs += state.spec.intervalMs;
    }
    this.arm(state, state.nextBaseMs + this.runJitter(state.spec.intervalMs));

    this.options.onDue?.(state.spec.data);
    if (state.running) {
      this.options.onSkip?.(state.spec.data, 'overlap');
      return;
    }
    if (state.queued) {
      if (this.episode) {
        this.episode.dropped++;
      }
      this.options.onSkip?.(state.spec.data, 'saturated');
      return;
    }
    if (this.active < this.concurrency) {
      // A free slot means nobody is waiting (the queue is drained whenever a slot frees).
      this.execute(state, dueAt);
      return;
    }
    this.enqueue(state, dueAt);
    this.noteQueued();
  }

  private group(name: string): GroupState<T> {
    let group = this.groups.get(name);
    if (!group) {
      group = { running: 0, waiting: [] };
      this.groups.set(name, group);
    }
    return group;
  }

  private dropIfEmpty(name: string): void {
    const group = this.groups.get(name);
    if (group && group.running === 0 && group.waiting.length === 0) {
      this.groups.delete(name);
    }
  }

  private enqueue(state: JobState<T>, dueAt: number): void {
    state.queued = true;
    state.queuedDueAtMs = dueAt;
    state.queuedSeq = this.seq++;
    const waiting = this.group(state.spec.group).waiting;
    // Binary search for the insertion point; due times mostly grow, so it is near the end.
    let lo = 0;
    let hi = waiting.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWaiting(waiting[mid], state) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    waiting.splice(lo, 0, state);
    this.waiting++;
  }

  private unqueue(state: JobState<T>): void {
    if (!state.queued) {
      return;
    }
    const group = this.groups.get(state.spec.group);
    const i = group ? group.waiting.indexOf(state) : -1;
    if (i >= 0) {
      group!.waiting.splice(i, 1);
      this.dropIfEmpty(state.spec.group);
    }
    state.queued = false;
    this.waiting--;
  }

  /** The waiting job the next free slot goes to (see the rules at the top), or undefined. */
  private pick(): JobState<T> | undefined {
    const share = this.concurrency / this.groups.size;
    let best: JobState<T> | undefined;
    let bestOver = true;
    for (const group of this.groups.values()) {
      const head = group.waiting[0];
      if (!head) {
        continue;
      }
      const over = group.running >= share;
      if (!best || (bestOver && !over) || (bestOver === over && compareWaiting(head, best) < 0)) {
        best = head;
        bestOver = over;
      }
    }
    return best;
  }

  private pump(): void {
    while (!this.stopped && this.active < this.concurrency && this.waiting > 0) {
      const state = this.pick()!;
      this.group(state.spec.group).waiting.shift();
      state.queued = false;
      this.waiting--;
      const waitedMs = this.clock.now() - state.queuedDueAtMs;
      if (this.episode) {
        this.episode.delayed++;
        this.episode.maxWaitMs = Math.max(this.episode.maxWaitMs, waitedMs);
      }
      this.execute(state, state.queuedDueAtMs);
    }
    this.noteEmptied();
  }

  private execute(state: JobState<T>, dueAt: number): void {
    const { data, deadlineMs } = state.spec;
    const groupName = state.spec.group;
    const controller = new AbortController();
    this.aborts.add(controller);
    state.running = true;
    this.active++;
    this.group(groupName).running++;
    const startedAt = this.clock.now();
    let released = false;
    const release = () => {
      if (released) {
        return;
      }
      released = true;
      const held = this.clock.now() - startedAt;
      state.holdMs = state.holdMs === undefined ? held : (state.holdMs + held) / 2;
      this.active--;
      const group = this.groups.get(groupName);
      if (group) {
        group.running--;
        this.dropIfEmpty(groupName);
      }
      this.pump();
    };
    this.options.onStart?.(data, Math.max(0, startedAt - dueAt));
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

  /** A job had to wait: a saturation starts (or goes on). */
  private noteQueued(): void {
    if (this.quietTimer !== undefined) {
      this.clock.clearTimeout(this.quietTimer);
      this.quietTimer = undefined;
    }
    if (this.episode) {
      this.episode.maxQueued = Math.max(this.episode.maxQueued, this.waiting);
      return;
    }
    const now = this.clock.now();
    this.episode = { startedAt: now, lastEmptyAt: now, delayed: 0, dropped: 0, maxQueued: this.waiting, maxWaitMs: 0 };
    const busiest = [...this.groups]
      .filter(([, g]) => g.running > 0)
      .map(([group, g]) => ({ group, inFlight: g.running }))
      .sort((a, b) => b.inFlight - a.inFlight || a.group.localeCompare(b.group))
      .slice(0, 3);
    this.options.onSaturation?.({
      kind: 'start',
      slots: this.concurrency,
      inFlight: this.active,
      queued: this.waiting,
      busiest,
    });
  }

  /** The queue may have emptied: the saturation ends unless a job waits again within the quiet period. */
  private noteEmptied(): void {
    if (!this.episode || this.waiting > 0 || this.quietTimer !== undefined || this.stopped) {
      return;
    }
    this.episode.lastEmptyAt = this.clock.now();
    this.quietTimer = this.clock.setTimeout(() => this.endSaturation(), this.options.saturationQuietMs ?? 10_000);
  }

  private endSaturation(): void {
    const episode = this.episode;
    if (!episode) {
      return;
    }
    if (this.quietTimer !== undefined) {
      this.clock.clearTimeout(this.quietTimer);
      this.quietTimer = undefined;
    } else {
      // Ended by stop() while jobs still waited.
      episode.lastEmptyAt = this.clock.now();
    }
    this.episode = undefined;
    this.options.onSaturation?.({
      kind: 'end',
      durationMs: episode.lastEmptyAt - episode.startedAt,
      delayed: episode.delayed,
      dropped: episode.dropped,
      maxQueued: episode.maxQueued,
      maxWaitMs: episode.maxWaitMs,
    });
  }
}
