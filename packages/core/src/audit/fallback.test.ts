import { judgeNoFallback } from './fallback';

const DAY = 86_400_000;

describe('no_fallback', () => {
  const base = {
    api: 'payments',
    criticality: 'critical' as const,
    hasFallback: false,
    okProbes: 9_950,
    allProbes: 10_000,
    windowMs: 30 * DAY,
    windowText: '30d',
  };

  it('a critical API below its objective without a fallback', () => {
    const f = judgeNoFallback(base);
    expect(f).toMatchObject({
      kind: 'no_fallback',
      severity: 'high',
      evidence: { availability: 0.995, objective: 0.999, failedProbes: 50, failingSecondsEstimate: 12_960 },
    });
    expect(f!.summary).toMatch(
      /^A critical API at 99.5% availability over 30d \(objective 99.9%, 50 of 10000 probes failed\)/
    );
  });

  it('is silent with a fallback, above the objective, for other criticalities or without probes', () => {
    expect(judgeNoFallback({ ...base, hasFallback: true })).toBeNull();
    expect(judgeNoFallback({ ...base, okProbes: 9_995 })).toBeNull();
    expect(judgeNoFallback({ ...base, criticality: 'standard' })).toBeNull();
    expect(judgeNoFallback({ ...base, okProbes: 0, allProbes: 0 })).toBeNull();
  });
});
