import { findKnee } from './knee';
import { zeroOutcomes, type StageResult } from './recorder';

const stage = (n: number, offeredRate: number, p95: number | null, errorRatio: number | null): StageResult => ({
  stage: n,
  kind: 'step',
  targetRate: offeredRate,
  plannedRate: offeredRate,
  offeredRate,
  achievedRate: offeredRate,
  durationSeconds: 10,
  scheduled: offeredRate * 10,
  sent: offeredRate * 10,
  completed: offeredRate * 10,
  dropped: 0,
  cancelled: 0,
  latencyP50Seconds: p95,
  latencyP95Seconds: p95,
  latencyP99Seconds: p95,
  serviceTimeP50Seconds: p95,
  serviceTimeP95Seconds: p95,
  serviceTimeP99Seconds: p95,
  scheduleLagP99Seconds: 0,
  outcomes: zeroOutcomes(),
  errors: 0,
  errorRatio,
  rateLimited: 0,
  partial: false,
});

describe('the knee', () => {
  const thresholds = { latencyP95Ms: 200, errorRatio: 0.01, headroomRatio: 0.2 };

  it('is the lowest planned rate whose p95 or error ratio crosses the thresholds', () => {
    const stages = [stage(1, 10, 0.1, 0), stage(2, 20, 0.15, 0.005), stage(3, 50, 0.25, 0), stage(4, 80, 0.18, 0.02)];
    expect(findKnee(stages, thresholds)).toEqual({ rate: 50, stage: 3, reason: 'latency' });
  });

  it("is the plan's rate even when a starved generator scheduled fewer arrivals in the stage's time", () => {
    // Stage 2 plans 150/s, but the event loop stalled and only 110/s were scheduled in time.
    const starved = { ...stage(2, 150, 0.3, 0), offeredRate: 110, achievedRate: 105 };
    expect(findKnee([stage(1, 100, 0.1, 0), starved], thresholds)).toEqual({ rate: 150, stage: 2, reason: 'latency' });
  });

  it('names errors, both, or nothing; a threshold met exactly is not crossed', () => {
    expect(findKnee([stage(1, 10, 0.1, 0.02)], thresholds)).toEqual({ rate: 10, stage: 1, reason: 'errors' });
    expect(findKnee([stage(1, 10, 0.3, 0.02)], thresholds)).toEqual({ rate: 10, stage: 1, reason: 'latency_and_errors' });
    expect(findKnee([stage(1, 10, 0.2, 0.01), stage(2, 0, null, null)], thresholds)).toBeNull();
  });

  it('in a spike, the spike is the knee: a slow recovery at the baseline rate is not', () => {
    const stages = [stage(1, 10, 0.05, 0), stage(2, 100, 0.5, 0), { ...stage(3, 10, 0.3, 0), kind: 'recovery' as const }];
    expect(findKnee(stages, thresholds)).toEqual({ rate: 100, stage: 2, reason: 'latency' });
  });
});
