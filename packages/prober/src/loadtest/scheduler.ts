// The open-model arrival scheduler: request n is due at its time on the plan's arrival curve,
// whether or not earlier requests have finished (no coordinated omission). It wakes on a timer
// for the next due request and hands over every request due by then, each with its intended
// start, so lateness of the generator itself shows in the response times rather than being
// hidden. No library does this part: autocannon and undici are closed-model or have no clock.
import { performance } from 'node:perf_hooks';
import { arrivalTime, type Plan } from './plan';

export type ArrivalHandler = (intendedAt: number, stage: number) => void;

export class ArrivalScheduler {
  private n = 0;
  private stageHint = 0;
  private next: { ms: number; stage: number } | null;
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private stopped = false;

  constructor(
    private readonly plan: Plan,
    private readonly onArrival: ArrivalHandler,
    private readonly onEnd: () => void
  ) {
    this.next = arrivalTime(plan, 0);
  }

  /** Starts the plan at `startedAt` (performance.now() ms). */
  start(startedAt: number): void {
    this.startedAt = startedAt;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private readonly tick = (): void => {
    this.timer = null;
    if (this.stopped) {
      return;
    }
    const now = performance.now();
    while (this.next !== null && this.startedAt + this.next.ms <= now) {
      const { ms, stage } = this.next;
      this.stageHint = stage;
      this.n++;
      this.next = arrivalTime(this.plan, this.n, this.stageHint);
      this.onArrival(this.startedAt + ms, stage);
      if (this.stopped) {
        return;
      }
    }
    if (this.next === null) {
      // Past the last arrival; the run ends with the plan's time, not the last request.
      const endIn = this.startedAt + this.plan.durationMs - now;
      if (endIn > 0) {
        this.timer = setTimeout(this.tick, endIn);
      } else {
        this.stopped = true;
        this.onEnd();
      }
      return;
    }
    // Node's timers have millisecond resolution: wake at the due millisecond (or at once).
    this.timer = setTimeout(this.tick, Math.max(0, Math.floor(this.startedAt + this.next.ms - now)));
  };
}
