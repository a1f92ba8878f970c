// What one stage measured. Latency is kept twice, in HdrHistograms (microseconds, 3 significant
// digits, fixed memory however long the stage): the response time from each request's intended
// start (what a user arriving on schedule waits, queueing in the generator or the target
// included; the percentiles reported as latency and judged for the knee) and the service time
// from the moment the request was really sent (what closed-model tools such as wrk report).
import { build, type Histogram } from 'hdr-histogram-js';
import { OUTCOMES, type Outcome } from '@apimon/core';
import type { Stage, StageKind } from './plan';

export interface StageResult {
  stage: number;
  kind: StageKind;
  /** The arrival rate the stage ends at (the rate it holds, except in a ramp). */
  targetRate: number;
  /** The plan's mean arrival rate over the stage: what an open model offers when the
   * generator keeps up (the target, except in a ramp). */
  plannedRate: number;
  /** Requests scheduled per second (dropped ones included). */
  offeredRate: number;
  /** Requests completed (any outcome) per second within the stage's time. */
  achievedRate: number;
  durationSeconds: number;
  scheduled: number;
  sent: number;
  completed: number;
  /** Due while maxConcurrency requests were in flight: never sent, counted as errors. */
  dropped: number;
  /** In flight when the run was stopped (Ctrl-C or an abort): neither results nor errors. */
  cancelled: number;
  /** From the intended start; null without completed requests. */
  latencyP50Seconds: number | null;
  latencyP95Seconds: number | null;
  latencyP99Seconds: number | null;
  /** From the actual send. */
  serviceTimeP50Seconds: number | null;
  serviceTimeP95Seconds: number | null;
  serviceTimeP99Seconds: number | null;
  /** How late the generator sent requests (actual − intended start), 99th percentile. */
  scheduleLagP99Seconds: number | null;
  outcomes: Record<Outcome, number>;
  /** Completed requests with any outcome but ok, plus dropped ones. */
  errors: number;
  /** errors / (completed + dropped); null when there are none. */
  errorRatio: number | null;
  /** Answered 429 (outcome rate_limited). */
  rateLimited: number;
  /** The stage was cut short (Ctrl-C, an abort, the knee found earlier). */
  partial: boolean;
}

const histogram = (): Histogram =>
  build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

const microseconds = (ms: number) => Math.max(1, Math.round(ms * 1000));

export function zeroOutcomes(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

export class StageRecorder {
  scheduled = 0;
  sent = 0;
  completed = 0;
  dropped = 0;
  cancelled = 0;
  /** Completions (of any stage's requests) while this stage was running. */
  throughput = 0;
  readonly outcomes = zeroOutcomes();
  private readonly response = histogram();
  private readonly service = histogram();
  private readonly lag = histogram();

  constructor(readonly stage: Stage) {}

  /** Requests sent and not yet completed or cancelled. */
  get pending(): number {
    return this.sent - this.completed - this.cancelled;
  }

  recordSend(lagMs: number): void {
    this.sent++;
    this.lag.recordValue(microseconds(lagMs));
  }

  recordCompletion(outcome: Outcome, responseMs: number, serviceMs: number): void {
    this.completed++;
    this.outcomes[outcome]++;
    this.response.recordValue(microseconds(responseMs));
    this.service.recordValue(microseconds(serviceMs));
  }

  get errors(): number {
    return this.completed - this.outcomes.ok + this.dropped;
  }

  /** p95 of the response time so far, seconds (for the progress line). */
  latencyP95(): number | null {
    return this.completed === 0 ? null : this.response.getValueAtPercentile(95) / 1e6;
  }

  result(durationMs: number, partial: boolean): StageResult {
    const q = (h: Histogram, p: number) => (h.totalCount === 0 ? null : h.getValueAtPercentile(p) / 1e6);
    const seconds = durationMs / 1000;
    const judged = this.completed + this.dropped;
    return {
      stage: this.stage.index,
      kind: this.stage.kind,
      targetRate: this.stage.toRate,
      plannedRate: (this.stage.fromRate + this.stage.toRate) / 2,
      offeredRate: seconds > 0 ? this.scheduled / seconds : 0,
      achievedRate: seconds > 0 ? this.throughput / seconds : 0,
      durationSeconds: seconds,
      scheduled: this.scheduled,
      sent: this.sent,
      completed: this.completed,
      dropped: this.dropped,
      cancelled: this.cancelled,
      latencyP50Seconds: q(this.response, 50),
      latencyP95Seconds: q(this.response, 95),
      latencyP99Seconds: q(this.response, 99),
      serviceTimeP50Seconds: q(this.service, 50),
      serviceTimeP95Seconds: q(this.service, 95),
      serviceTimeP99Seconds: q(this.service, 99),
      scheduleLagP99Seconds: q(this.lag, 99),
      outcomes: { ...this.outcomes },
      errors: this.errors,
      errorRatio: judged > 0 ? this.errors / judged : null,
      rateLimited: this.outcomes.rate_limited,
      partial,
    };
  }
}
