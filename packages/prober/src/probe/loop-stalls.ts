// How long the event loop kept a probe's timed events waiting. A probe dates each phase by the
// callback that saw it (timing.ts); while the loop is blocked (a GC pause, a CPU spike, a slow
// /metrics render, another process holding the CPU) a callback runs late and the phase looks
// longer than the network made it. A timer due every 10 ms watches the loop: a tick that runs
// late means nothing could run between its due time and its run, a stall. An event's lateness
// is the stall it waited behind: one still going on when it is asked about, or the last one if
// the loop has not polled its sockets since (the loop runs timers, then reads sockets, then
// immediates: an event dated before the stall's tick's immediate ran was in the first batch of
// sockets after the stall). Had the loop been free, its callback would have run when the stall began.
import { performance } from 'node:perf_hooks';
// The timers module, not the globals: a test's fake timers must not stop the watch.
import { setImmediate as realSetImmediate, setInterval as realSetInterval } from 'node:timers';

/** How often the loop is sampled; stalls much shorter than this are seen only by chance. */
export const LOOP_SAMPLE_MS = 10;
/** Tick lateness below this is timer granularity (libuv counts whole milliseconds), not a stall. */
const STALL_FLOOR_MS = 2;
/** Stalls remembered: only the last few are ever asked about. */
const KEPT = 32;

export interface Stall {
  /** clock() when the loop should have run the tick. */
  start: number;
  /** clock() when it did. */
  end: number;
  /** clock() once the loop had read its sockets after the stall (undefined until then). */
  settled?: number;
}

export class LoopStallMonitor {
  private readonly stalls: Stall[] = [];
  private dueAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sampleMs = LOOP_SAMPLE_MS,
    private readonly clock: () => number = () => performance.now()
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts sampling (idempotent). The timer never keeps the process alive. */
  start(): this {
    if (!this.timer) {
      this.arm();
    }
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.dueAt = undefined;
  }

  /**
   * The stall an event dated `at` (a clock() reading taken in the callback that saw it) waited
   * behind: the one going on now that the sampler has not run to see yet, or the last one when
   * the loop had not read its sockets between its end and `at`. Null when the loop was free.
   */
  stallBefore(at: number): Stall | null {
    if (this.dueAt !== undefined && at > this.dueAt && this.clock() - this.dueAt > STALL_FLOOR_MS) {
      // The tick is overdue: the loop has been busy since it was due, so up to `at` at least.
      return { start: this.dueAt, end: at };
    }
    for (let i = this.stalls.length - 1; i >= 0; i--) {
      const stall = this.stalls[i];
      if (stall.settled !== undefined && stall.settled < at) {
        return null; // the loop polled in between: the event was on time (this and older stalls)
      }
      if (stall.end <= at) {
        return stall;
      }
    }
    return null;
  }

  /** The stalls seen so far that are still remembered, oldest first (for tests and benchmarks). */
  recent(): readonly Stall[] {
    return this.stalls;
  }

  private arm(): void {
    this.dueAt = this.clock() + this.sampleMs;
    // One repeating timer: Node runs it again sampleMs after each run.
    this.timer = realSetInterval(() => this.tick(), this.sampleMs);
    this.timer.unref();
  }

  private tick(): void {
    const now = this.clock();
    if (this.dueAt !== undefined && now - this.dueAt > STALL_FLOOR_MS) {
      const stall: Stall = { start: this.dueAt, end: now };
      this.stalls.push(stall);
      if (this.stalls.length > KEPT) {
        this.stalls.shift();
      }
      // Immediates run once the loop has read the sockets that were ready after the stall.
      realSetImmediate(() => {
        stall.settled = this.clock();
      });
    }
    this.dueAt = now + this.sampleMs;
  }
}

let shared: LoopStallMonitor | undefined;

/** The process's monitor, started on first use: every probe of a process shares one loop. */
export function loopStalls(): LoopStallMonitor {
  shared ??= new LoopStallMonitor();
  return shared.start();
}

/**
 * Adds up the stalls a probe's events waited behind, each stretch of blocked time once (the
 * head and the end of a small response arrive in the same loop turn, behind the same stall).
 */
export class LatenessTally {
  private total = 0;
  /** clock() up to which blocked time is counted already. */
  private countedUntil = -Infinity;

  constructor(private readonly monitor: LoopStallMonitor) {}

  /** The timing starts at `at`: blocked time before it is not this probe's. */
  startAt(at: number): void {
    this.countedUntil = Math.max(this.countedUntil, at);
  }

  /** An event dated `at` happened. */
  event(at: number): void {
    const stall = this.monitor.stallBefore(at);
    if (!stall || stall.end <= this.countedUntil) {
      return;
    }
    this.total += stall.end - Math.max(stall.start, this.countedUntil);
    this.countedUntil = stall.end;
  }

  /** Milliseconds the events waited on the blocked loop, in all. */
  get ms(): number {
    return this.total;
  }
}
