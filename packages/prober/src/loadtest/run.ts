// One load-test run: the scheduler's arrivals go to the target unless maxConcurrency requests
// are already in flight (then they are dropped: a request that cannot start on time is not
// delayed into a later, kinder moment), completions land in their stage's recorder, and the
// run stops early for the emergency brake (abort thresholds), Ctrl-C, or the knee.
import { performance } from 'node:perf_hooks';
import type { LoadTestAbortReason, LoadTestPolicy, Thresholds } from '@apimon/core';
import { AbortMonitor } from './abort';
import { crossing, findKnee, type Knee } from './knee';
import type { Plan } from './plan';
import { StageRecorder, type StageResult } from './recorder';
import { ArrivalScheduler } from './scheduler';
import type { Completion, LoadTarget } from './target';

export interface RunOptions {
  plan: Plan;
  policy: LoadTestPolicy;
  thresholds: Thresholds;
  target: LoadTarget;
  /** step and ramp: stop after the stage that crossed the thresholds (default true). */
  stopAtKnee?: boolean;
  /** Each stage's final result, in order, as soon as its requests are all done. */
  onStage?: (result: StageResult) => void;
}

export interface RunSummary {
  stages: StageResult[];
  knee: Knee | null;
  abortReason: LoadTestAbortReason | null;
  /** What crossed which line, for people. */
  abortDetail: string | null;
  /** True when the run ended after the knee's stage instead of running every stage. */
  stoppedAtKnee: boolean;
  startedAt: number;
  endedAt: number;
}

/** The first request failed: the endpoint is not fit to be loaded (wrong URL, credentials...). */
export class PreflightError extends Error {
  constructor(readonly completion: Completion) {
    super(`the first request failed (${completion.outcome}${completion.code ? `, status ${completion.code}` : ''}): ${completion.error ?? ''}`);
  }
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

export class LoadTestRun {
  private readonly recorders: StageRecorder[];
  private readonly abortMonitor: AbortMonitor;
  private readonly scheduler: ArrivalScheduler;
  private readonly stopAtKnee: boolean;
  private readonly stageTimers: NodeJS.Timeout[] = [];
  private brakeTimer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private startedWall = 0;
  /** Index of the stage whose time is running; plan.stages.length once the plan's time is over. */
  private current = 0;
  /** Stages whose time has ended (or was cut short), waiting for their last requests. */
  private ended = 0;
  private final: StageResult[] = [];
  private durations: number[] = [];
  private stoppedAt: number | null = null;
  private abortReason: LoadTestAbortReason | null = null;
  private abortDetail: string | null = null;
  private stoppedAtKnee = false;
  private finished = false;
  private resolveDone!: (summary: RunSummary) => void;
  readonly done: Promise<RunSummary>;

  constructor(private readonly options: RunOptions) {
    this.recorders = options.plan.stages.map((s) => new StageRecorder(s));
    this.abortMonitor = new AbortMonitor(options.policy.abort);
    this.stopAtKnee = (options.stopAtKnee ?? true) && options.plan.profile !== 'spike';
    this.scheduler = new ArrivalScheduler(options.plan, this.onArrival, () => this.endStage(this.options.plan.stages.length - 1));
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** One request before the clock starts: it must succeed (and warms the connection). */
  async preflight(): Promise<void> {
    const first = await this.options.target.once();
    if (first.outcome !== 'ok') {
      throw new PreflightError(first);
    }
  }

  start(): void {
    const plan = this.options.plan;
    this.startedAt = performance.now();
    this.startedWall = Date.now();
    // Stage boundaries (the last one is the scheduler's end).
    for (const stage of plan.stages.slice(0, -1)) {
      this.stageTimers.push(setTimeout(() => this.endStage(stage.index - 1), stage.startMs + stage.durationMs));
    }
    this.brakeTimer = setInterval(this.checkBrake, 250);
    this.scheduler.start(this.startedAt);
  }

  /** Stops at once: no more arrivals, requests in flight cancelled, results so far kept. */
  stop(reason: LoadTestAbortReason, detail: string): void {
    if (this.stoppedAt !== null) {
      return;
    }
    this.abortReason = reason;
    this.abortDetail = detail;
    this.halt();
    for (const r of this.recorders.slice(this.final.length, this.ended)) {
      r.cancelled += r.pending;
    }
    this.options.target.cancelAll();
    this.finalizeReady();
  }

  /** The stage running now, so far (partial), or null before the start and after the plan. */
  live(): { result: StageResult; inFlight: number; stages: number } | null {
    const i = Math.min(this.current, this.recorders.length - 1);
    if (this.startedAt === 0 || this.stoppedAt !== null || this.current >= this.recorders.length) {
      return null;
    }
    const elapsed = performance.now() - this.startedAt - this.options.plan.stages[i].startMs;
    return { result: this.recorders[i].result(Math.max(1, elapsed), true), inFlight: this.options.target.inFlight, stages: this.recorders.length };
  }

  get wallStart(): number {
    return this.startedWall;
  }

  private halt(): void {
    const now = performance.now();
    this.stoppedAt = now;
    this.scheduler.stop();
    this.stageTimers.forEach(clearTimeout);
    if (this.brakeTimer) {
      clearInterval(this.brakeTimer);
    }
    // The stage running now ends here, cut short.
    if (this.current < this.recorders.length) {
      const stage = this.options.plan.stages[this.current];
      this.durations[this.current] = Math.max(0, now - this.startedAt - stage.startMs);
      this.current++;
      this.ended = this.current;
    }
  }

  private readonly onArrival = (intendedAt: number, stage: number): void => {
    const recorder = this.recorders[stage];
    recorder.scheduled++;
    const target = this.options.target;
    if (target.inFlight >= target.maxConcurrency) {
      recorder.dropped++;
      this.abortMonitor.record('dropped', intendedAt);
      return;
    }
    recorder.recordSend(performance.now() - intendedAt);
    target.send((c) => this.onCompletion(c, intendedAt, recorder));
  };

  private onCompletion(c: Completion, intendedAt: number, recorder: StageRecorder): void {
    recorder.recordCompletion(c.outcome, c.endedAt - intendedAt, c.endedAt - c.sentAt);
    if (this.current < this.recorders.length && this.stoppedAt === null) {
      this.recorders[this.current].throughput++;
    }
    this.abortMonitor.record(c.outcome, c.endedAt);
    this.finalizeReady();
  }

  private readonly checkBrake = (): void => {
    const verdict = this.abortMonitor.verdict(performance.now());
    if (verdict) {
      const what = verdict.reason === 'rate_limited' ? 'answered 429 (rate limited)' : 'failed';
      const limit = verdict.reason === 'rate_limited' ? this.options.policy.abort.rateLimitedRatio : this.options.policy.abort.errorRatio;
      this.stop(
        verdict.reason,
        `${pct(verdict.ratio)} of the last ${verdict.requests} requests ${what}, above the abort threshold of ${pct(limit)}`
      );
    }
  };

  /** A stage's time is over: the next one starts; the knee may already be plain. */
  private endStage(index: number): void {
    if (this.stoppedAt !== null || index !== this.current) {
      return;
    }
    this.durations[index] = this.options.plan.stages[index].durationMs;
    this.current = index + 1;
    this.ended = this.current;
    if (this.stopAtKnee && this.current < this.recorders.length) {
      // Requests still in flight only make the stage slower: if it crosses already, stop here.
      const soFar = this.recorders[index].result(this.durations[index], false);
      if (crossing(soFar, this.options.thresholds)) {
        this.stoppedAtKnee = true;
        this.halt();
      }
    }
    if (this.current >= this.recorders.length && this.stoppedAt === null) {
      this.halt();
    }
    this.finalizeReady();
  }

  /** Emits, in order, every ended stage whose requests are all done. */
  private finalizeReady(): void {
    while (this.final.length < this.ended && this.recorders[this.final.length].pending === 0) {
      const i = this.final.length;
      const stage = this.options.plan.stages[i];
      const partial = this.durations[i] < stage.durationMs - 1;
      const result = this.recorders[i].result(this.durations[i], partial);
      if (partial && result.scheduled === 0) {
        // Stopped as it began: nothing to report. It is the last stage the run reached.
        this.ended = i;
        break;
      }
      this.final.push(result);
      this.options.onStage?.(result);
      // The knee showed only once the stage's slowest requests were in: stop what runs now.
      if (this.stopAtKnee && this.stoppedAt === null && crossing(result, this.options.thresholds)) {
        this.stoppedAtKnee = true;
        this.halt();
        // The stage cut short here keeps its requests in flight until they finish.
      }
    }
    this.maybeFinish();
  }

  /** Done once the run is stopped and every stage it reached is final. */
  private maybeFinish(): void {
    if (this.stoppedAt === null || this.final.length < this.ended || this.finished) {
      return;
    }
    this.finished = true;
    this.resolveDone({
      stages: this.final,
      knee: findKnee(this.final, this.options.thresholds),
      abortReason: this.abortReason,
      abortDetail: this.abortDetail,
      stoppedAtKnee: this.stoppedAtKnee,
      startedAt: this.startedWall,
      endedAt: Date.now(),
    });
  }
}
