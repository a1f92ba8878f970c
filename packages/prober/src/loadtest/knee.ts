// The knee: the lowest planned rate at which the API stops meeting its own thresholds (the
// catalog's resolved p95 latency or error ratio for the endpoint). A spike's recovery stages
// are not candidates: they show how fast the API gets over the spike, not what it can carry.
import type { Thresholds } from '@apimon/core';
import type { StageResult } from './recorder';

export type KneeReason = 'latency' | 'errors' | 'latency_and_errors';

export interface Knee {
  rate: number;
  stage: number;
  reason: KneeReason;
}

/** Why a stage misses the thresholds, or null when it meets them (or measured nothing). */
export function crossing(stage: StageResult, thresholds: Thresholds): KneeReason | null {
  const slow = stage.latencyP95Seconds !== null && stage.latencyP95Seconds > thresholds.latencyP95Ms / 1000;
  const failing = stage.errorRatio !== null && stage.errorRatio > thresholds.errorRatio;
  return slow && failing ? 'latency_and_errors' : slow ? 'latency' : failing ? 'errors' : null;
}

export function findKnee(stages: StageResult[], thresholds: Thresholds): Knee | null {
  let knee: Knee | null = null;
  for (const stage of stages) {
    if (stage.kind === 'recovery') {
      continue;
    }
    const reason = crossing(stage, thresholds);
    // The plan's rate, not the measured one: a generator starved of CPU schedules fewer arrivals
    // in the stage's time (and its lateness shows in the latency it judges), but the load the
    // stage stands for is the plan's.
    if (reason && (knee === null || stage.plannedRate < knee.rate)) {
      knee = { rate: stage.plannedRate, stage: stage.stage, reason };
    }
  }
  return knee;
}
