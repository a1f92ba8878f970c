import { judgeNearLimitBatchable, judgeRetryStorm, type LimitEvidence, type RetryEvidence } from './traffic';

const limit = (over: Partial<LimitEvidence>): LimitEvidence => ({
  api: 'email',
  batching: true,
  peakUsage: 0.8,
  minHeadroom: null,
  callsPerDay: 50_000,
  limitText: '100 per 1s',
  windowText: '30d',
  ...over,
});

const retry = (over: Partial<RetryEvidence>): RetryEvidence => ({
  api: 'payments',
  rateDuringErrors: 12,
  rateOtherwise: 4,
  errorSteps: 6,
  errorShareDuringErrors: 0.7,
  stepText: '1m',
  windowText: '30d',
  ...over,
});

describe('near_limit_batchable', () => {
  it('peak use of the documented limit on a batching API, with the calls batching saves', () => {
    const f = judgeNearLimitBatchable(limit({}));
    expect(f).toMatchObject({
      kind: 'near_limit_batchable',
      severity: 'medium',
      endpoint: '',
      evidence: { peakUsage: 0.8, documentedLimit: '100 per 1s' },
    });
    expect(f!.estimatedGain!.values).toEqual({ batchSize: 10, callsPerDaySaved: 45_000 });
    expect(judgeNearLimitBatchable(limit({ peakUsage: 0.95 }))!.severity).toBe('high');
  });

  it("reads the provider's headers when there is no real traffic", () => {
    const f = judgeNearLimitBatchable(limit({ peakUsage: null, minHeadroom: 0.2, callsPerDay: null }));
    expect(f!.summary).toMatch(/headers showed as little as 20% of the limit left/);
  });

  it('is silent below the mark or when the API does not batch', () => {
    expect(judgeNearLimitBatchable(limit({ peakUsage: 0.5 }))).toBeNull();
    expect(judgeNearLimitBatchable(limit({ batching: false }))).toBeNull();
  });
});

describe('retry_storm', () => {
  it('more calls while 429/5xx come back than otherwise is a storm', () => {
    const f = judgeRetryStorm(retry({}));
    expect(f).toMatchObject({ kind: 'retry_storm', severity: 'high', evidence: { amplification: 3, errorSteps: 6 } });
    expect(f!.summary).toContain('the platform sent 3.0× its usual rate: 12.00 against 4.00 calls/s');
    expect(judgeRetryStorm(retry({ rateDuringErrors: 7 }))!.severity).toBe('medium');
  });

  it('backing off (fewer or as many calls during errors) is fine; one error step proves nothing', () => {
    expect(judgeRetryStorm(retry({ rateDuringErrors: 3 }))).toBeNull();
    expect(judgeRetryStorm(retry({ errorSteps: 1 }))).toBeNull();
    expect(judgeRetryStorm(retry({ rateOtherwise: null }))).toBeNull();
  });
});
