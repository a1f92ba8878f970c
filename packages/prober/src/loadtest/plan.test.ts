import { arrivalTime, arrivalsBy, buildPlan, defaultRates, maxRequestsInWindow, requestsIn } from './plan';

/** Every arrival of a plan, ms into the run, with its stage. */
function arrivals(plan: ReturnType<typeof buildPlan>) {
  const out: Array<{ ms: number; stage: number }> = [];
  let hint = 0;
  for (let n = 0; ; n++) {
    const a = arrivalTime(plan, n, hint);
    if (!a) {
      return out;
    }
    hint = a.stage;
    out.push(a);
  }
}

describe('load-test plans', () => {
  it('step: holds each rate for a stage, requests evenly spaced at exactly the rate', () => {
    const plan = buildPlan('step', [10, 20], 2_000);
    expect(plan.stages.map((s) => [s.kind, s.startMs, s.fromRate, s.toRate])).toEqual([
      ['step', 0, 10, 10],
      ['step', 2000, 20, 20],
    ]);
    const all = arrivals(plan);
    expect(all).toHaveLength(60);
    expect(plan.totalRequests).toBe(60);
    expect(all.filter((a) => a.stage === 0)).toHaveLength(20);
    expect(all[1].ms - all[0].ms).toBeCloseTo(100, 6);
    expect(all[21].ms - all[20].ms).toBeCloseTo(50, 6);
    expect(all[20].ms).toBeCloseTo(2000, 6);
    expect(plan.stages.map((s) => requestsIn(plan, s))).toEqual([20, 40]);
  });

  it('ramp: rises linearly from 0 (then from the previous rate), arrivals following the area under the rate', () => {
    const plan = buildPlan('ramp', [10, 30], 2_000);
    expect(plan.stages.map((s) => [s.fromRate, s.toRate])).toEqual([
      [0, 10],
      [10, 30],
    ]);
    // Λ(1 s) = 10/2 s * 1² / 2 = 2.5 arrivals; the stage holds 10 in all, the next 40.
    expect(arrivalsBy(plan, 1000)).toBeCloseTo(2.5, 9);
    const all = arrivals(plan);
    expect(all.filter((a) => a.stage === 0)).toHaveLength(10);
    expect(all.filter((a) => a.stage === 1)).toHaveLength(40);
    // Spacing shrinks as the rate grows.
    const gaps = all.slice(1).map((a, i) => a.ms - all[i].ms);
    expect(gaps[3]).toBeGreaterThan(gaps[8]);
    // The last request, due at Λ = 49 where the rate is 10 + 20·(t−2): gap ≈ 1000 / rate there.
    const lastRate = 10 + 20 * ((all[all.length - 1].ms - 2000) / 2000);
    expect(gaps[gaps.length - 1]).toBeCloseTo(1000 / lastRate, 0);
  });

  it('spike: baseline, then each spike followed by a recovery at the baseline', () => {
    const plan = buildPlan('spike', [5, 50, 80], 1_000);
    expect(plan.stages.map((s) => [s.kind, s.toRate])).toEqual([
      ['baseline', 5],
      ['spike', 50],
      ['recovery', 5],
      ['spike', 80],
      ['recovery', 5],
    ]);
    expect(plan.peakRate).toBe(80);
  });

  it('counts the most requests in any window of a documented limit', () => {
    const steady = buildPlan('step', [10], 30_000);
    expect(maxRequestsInWindow(steady, 1_000)).toBe(10);
    expect(maxRequestsInWindow(steady, 60_000)).toBe(300);
    const stepped = buildPlan('step', [10, 20, 50], 30_000);
    expect(maxRequestsInWindow(stepped, 1_000)).toBe(50);
    // One minute covers the 50/s stage and 30 s of the 20/s one: 1500 + 600.
    expect(maxRequestsInWindow(stepped, 60_000)).toBe(2100);
    expect(maxRequestsInWindow(stepped, 3_600_000)).toBe(2400);
    // A ramp up and down peaks where the window straddles the top: found between breakpoints.
    const ramp = buildPlan('ramp', [100, 0], 10_000);
    const w = 4_000;
    let brute = 0;
    for (let s = -w; s <= 20_000; s += 10) {
      brute = Math.max(brute, arrivalsBy(ramp, s + w) - arrivalsBy(ramp, s));
    }
    expect(maxRequestsInWindow(ramp, w)).toBe(Math.ceil(brute - 1e-9));
  });

  it('derives rates from maxRate when nobody names them', () => {
    expect(defaultRates('step', 200)).toEqual([20, 50, 100, 150, 200]);
    expect(defaultRates('spike', 200)).toEqual([20, 200]);
    expect(defaultRates('ramp', 4)).toEqual([0.4, 1, 2, 3, 4]);
  });
});
