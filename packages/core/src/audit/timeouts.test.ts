import { judgeTimeout, recommendedTimeoutMs, roundTimeoutUp, type TimeoutEvidence } from './timeouts';

/** n probes spread as the given latencies (seconds) into the contract's duration buckets. */
function histogram(latencies: Array<[seconds: number, count: number]>) {
  const bounds = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 30, 60, Infinity];
  return bounds.map((le) => ({ le, count: latencies.filter(([s]) => s <= le).reduce((n, [, c]) => n + c, 0) }));
}

const base = (over: Partial<TimeoutEvidence>): TimeoutEvidence => ({
  api: 'payments',
  endpoint: 'charges',
  criticality: 'critical',
  configuredMs: 2000,
  buckets: histogram([
    [0.09, 9990],
    [0.18, 10],
  ]),
  timeouts: 0,
  callsPerDay: null,
  windowText: '30d',
  ...over,
});

describe('timeouts', () => {
  it('rounds recommendations up to values people write, within the floor and the cap', () => {
    expect(roundTimeoutUp(421)).toBe(450);
    expect(roundTimeoutUp(1234)).toBe(1300);
    expect(roundTimeoutUp(7200)).toBe(8000);
    expect(recommendedTimeoutMs(0.01, 'critical')).toEqual({ ms: 500, capped: false });
    expect(recommendedTimeoutMs(0.3, 'critical')).toEqual({ ms: 500, capped: false });
    expect(recommendedTimeoutMs(0.42, 'critical')).toEqual({ ms: 650, capped: false });
    expect(recommendedTimeoutMs(6, 'critical')).toEqual({ ms: 5000, capped: true });
    expect(recommendedTimeoutMs(6, 'background')).toEqual({ ms: 9000, capped: false });
  });

  it('a 2 s timeout on an API answering within 200 ms is too long, with both predicted rates', () => {
    const f = judgeTimeout(
      base({
        buckets: histogram([
          [0.09, 9980],
          [0.18, 20],
        ]),
      })
    );
    expect(f).toMatchObject({
      kind: 'timeout_too_long',
      severity: 'medium',
      category: 'optimisation',
      evidence: {
        samples: 10000,
        p999Seconds: 0.15,
        configuredTimeoutSeconds: 2,
        recommendedTimeoutSeconds: 0.5,
        falseTimeoutRateAtConfigured: 0,
        falseTimeoutRateAtRecommended: 0,
      },
    });
    expect(f!.summary).toContain('predicts 0% of calls cut off at 2 s and 0% at 500 ms');
    expect(f!.recommendation).toMatch(
      /^Lower the timeout to 500 ms \(p99.9 × 1.5\): a hung call then fails 1.5 s sooner/
    );
    expect(judgeTimeout(base({ criticality: 'background', configuredMs: 30_000 }))!.severity).toBe('low');
  });

  it('a timeout below p99.9 is too short: the predicted false timeouts at both values and the calls a day they cost', () => {
    // 2% of probes take 2.5 s: a 2 s timeout cuts them off.
    const f = judgeTimeout(
      base({
        buckets: histogram([
          [0.2, 9800],
          [2.5, 200],
        ]),
        timeouts: 200,
        callsPerDay: 100_000,
      })
    );
    expect(f).toMatchObject({
      kind: 'timeout_too_short',
      severity: 'high',
      evidence: { timeouts: 200, recommendedTimeoutSeconds: 4.5, recommendationCapped: false },
    });
    expect(f!.evidence.falseTimeoutRateAtConfigured).toBeCloseTo(0.02, 4);
    expect(f!.evidence.falseTimeoutRateAtRecommended).toBe(0);
    expect(f!.estimatedGain!.values.callsPerDay).toBe(2000);
  });

  it('counts timed-out probes as cut off even when their durations fall just below the bound', () => {
    // Every probe of a 300 ms timeout timed out; timers fire a fraction of a millisecond early,
    // so a third land in the bucket up to 0.3 s.
    const f = judgeTimeout(
      base({
        configuredMs: 300,
        buckets: histogram([
          [0.299, 100],
          [0.301, 200],
        ]),
        timeouts: 300,
      })
    );
    expect(f).toMatchObject({
      kind: 'timeout_too_short',
      severity: 'high',
      evidence: { falseTimeoutRateAtConfigured: 1, timeouts: 300 },
    });
    expect(f!.recommendation).toMatch(/300 probes timed out, so the histogram only knows they took longer than 300 ms/);
  });

  it('one or two slow probes are no evidence of a short timeout', () => {
    expect(judgeTimeout(base({ configuredMs: 900, buckets: histogram([[0.05, 12], [1.4, 1]]) }), { minSamples: 5 })).toBeNull();
    expect(judgeTimeout(base({ configuredMs: 900, buckets: histogram([[0.05, 12], [1.4, 3]]) }), { minSamples: 5 })).toMatchObject({ kind: 'timeout_too_short' });
  });

  it('caps at what the criticality tolerates and says so', () => {
    const f = judgeTimeout(
      base({
        buckets: histogram([
          [0.2, 9000],
          [8, 1000],
        ]),
      })
    );
    expect(f).toMatchObject({
      kind: 'timeout_too_short',
      evidence: { recommendedTimeoutSeconds: 5, recommendationCapped: true },
    });
    expect(f!.recommendation).toMatch(/the most a critical API should wait/);
  });

  it('says nothing with too few probes or a timeout that fits', () => {
    expect(judgeTimeout(base({ buckets: histogram([[0.09, 50]]) }))).toBeNull();
    expect(judgeTimeout(base({ buckets: histogram([[0.09, 50]]) }), { minSamples: 20 })).not.toBeNull();
    expect(judgeTimeout(base({ configuredMs: 400 }))).toBeNull();
  });
});
