// Writes a run's series to the store while it runs: the running stage's values so far every few
// seconds, each stage once more when final, the run's knee and thresholds at the end. Samples of
// one series only move forward in time (a store rejects a second value at the same timestamp).
// A failing store never stops the load: the first failure is reported, later flushes retry.
import type { Thresholds } from '@apimon/core';
import { remoteWrite, type RemoteWriteOptions } from '../remotewrite/client';
import type { TimeSeries } from '../remotewrite/encode';
import type { StageResult } from './recorder';
import type { RunSummary } from './run';
import { runSeries, runStartSeries, stageSeries, type RunIdentity } from './series';

export class ResultPublisher {
  private queue: TimeSeries[] = [];
  private lastStamp = 0;
  private flushing: Promise<void> = Promise.resolve();
  /** The latest failure, null after a write that went through. */
  failure: Error | null = null;
  private reported = false;

  constructor(
    private readonly identity: RunIdentity,
    private readonly options: RemoteWriteOptions,
    private readonly warn: (message: string) => void
  ) {}

  /** A strictly increasing epoch-ms stamp. */
  private stamp(): number {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  /** Checks the store takes remote writes (an empty request) before any load is sent. */
  async check(): Promise<void> {
    await remoteWrite([], { ...this.options, attempts: 1 });
  }

  /** The load started at `startedAtMs` (epoch ms): the run shows in the store from now on. */
  start(startedAtMs: number): void {
    this.queue.push(...runStartSeries(this.identity, startedAtMs, this.stamp()));
  }

  live(result: StageResult): void {
    this.queue.push(...stageSeries(this.identity, result, this.stamp()));
  }

  stage(result: StageResult): void {
    this.queue.push(...stageSeries(this.identity, result, this.stamp()));
  }

  run(summary: RunSummary, thresholds: Thresholds): void {
    this.queue.push(...runSeries(this.identity, summary, thresholds, this.stamp()));
  }

  /** Sends what is queued; one write at a time, in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.queue.length === 0) {
        return;
      }
      const batch = this.queue;
      this.queue = [];
      try {
        await remoteWrite(batch, this.options);
        this.failure = null;
      } catch (err) {
        this.failure = err as Error;
        // Kept for the next flush; bounded so a dead store cannot grow memory without end.
        this.queue = [...batch, ...this.queue].slice(-50_000);
        if (!this.reported) {
          this.reported = true;
          this.warn(`${this.failure.message} (the load test goes on; writes are retried)`);
        }
      }
    });
    return this.flushing;
  }
}
