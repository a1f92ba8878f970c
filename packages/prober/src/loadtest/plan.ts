// A load test's schedule: the profile's stages and the arrival curve they define. The arrival
// rate is piecewise linear in time (a step holds a rate, a ramp rises linearly to it), so the
// expected number of arrivals by time t, Λ(t), is piecewise quadratic; request n is due when
// Λ(t) = n. Everything here is exact arithmetic on that curve: the scheduler, the rate-limit
// guard and the k6 export all read the same plan.
import type { LoadTestProfile } from '@apimon/core';

export type StageKind = 'step' | 'ramp' | 'baseline' | 'spike' | 'recovery';

export interface Stage {
  /** 1-based, in run order. */
  index: number;
  kind: StageKind;
  /** Offset from the start of the run, ms. */
  startMs: number;
  durationMs: number;
  /** Arrival rate (requests per second) at the stage's start and end: equal except in a ramp. */
  fromRate: number;
  toRate: number;
  /** Expected arrivals before the stage starts: requests n with n >= this and < the next stage's belong here. */
  arrivalsBefore: number;
}

export interface Plan {
  profile: LoadTestProfile;
  stages: Stage[];
  durationMs: number;
  /** The highest arrival rate anywhere in the plan. */
  peakRate: number;
  /** Requests the whole plan schedules. */
  totalRequests: number;
}

/**
 * step: each rate held for a stage. ramp: each stage rises linearly from the previous rate (0
 * before the first) to its own. spike: the first rate is the baseline; every later rate is a
 * sudden spike held for a stage, each followed by a stage back at the baseline (recovery).
 */
export function buildPlan(profile: LoadTestProfile, rates: number[], stageDurationMs: number): Plan {
  const shapes: Array<{ kind: StageKind; from: number; to: number }> = [];
  if (profile === 'step') {
    rates.forEach((r) => shapes.push({ kind: 'step', from: r, to: r }));
  } else if (profile === 'ramp') {
    rates.forEach((r, i) => shapes.push({ kind: 'ramp', from: i === 0 ? 0 : rates[i - 1], to: r }));
  } else {
    const [baseline, ...spikes] = rates;
    shapes.push({ kind: 'baseline', from: baseline, to: baseline });
    for (const spike of spikes) {
      shapes.push({ kind: 'spike', from: spike, to: spike });
      shapes.push({ kind: 'recovery', from: baseline, to: baseline });
    }
  }
  let arrivals = 0;
  const stages = shapes.map((s, i): Stage => {
    const stage = {
      index: i + 1,
      kind: s.kind,
      startMs: i * stageDurationMs,
      durationMs: stageDurationMs,
      fromRate: s.from,
      toRate: s.to,
      arrivalsBefore: arrivals,
    };
    arrivals += ((s.from + s.to) / 2) * (stageDurationMs / 1000);
    return stage;
  });
  return {
    profile,
    stages,
    durationMs: stages.length * stageDurationMs,
    peakRate: Math.max(...shapes.map((s) => Math.max(s.from, s.to))),
    totalRequests: Math.ceil(arrivals - 1e-9),
  };
}

/** Rates when neither the command line nor the catalog names any: fractions of the cap. */
export function defaultRates(profile: LoadTestProfile, maxRate: number): number[] {
  const round = (r: number) => (r >= 10 ? Math.round(r) : Math.max(0.1, Math.round(r * 10) / 10));
  const fractions = profile === 'spike' ? [0.1, 1] : [0.1, 0.25, 0.5, 0.75, 1];
  return [...new Set(fractions.map((f) => Math.min(maxRate, round(maxRate * f))))];
}

/** Arrival rate (requests per second) at `ms` into the run; 0 outside it. */
export function rateAt(plan: Plan, ms: number): number {
  const stage = stageAt(plan, ms);
  if (!stage) {
    return 0;
  }
  return stage.fromRate + ((stage.toRate - stage.fromRate) * (ms - stage.startMs)) / stage.durationMs;
}

/** The stage `ms` into the run falls in, or undefined outside the run. */
export function stageAt(plan: Plan, ms: number): Stage | undefined {
  if (ms < 0 || ms >= plan.durationMs) {
    return undefined;
  }
  return plan.stages[Math.min(plan.stages.length - 1, Math.floor(ms / plan.stages[0].durationMs))];
}

/** Λ(ms): expected arrivals in [0, ms). */
export function arrivalsBy(plan: Plan, ms: number): number {
  if (ms <= 0) {
    return 0;
  }
  const last = plan.stages[plan.stages.length - 1];
  if (ms >= plan.durationMs) {
    return last.arrivalsBefore + ((last.fromRate + last.toRate) / 2) * (last.durationMs / 1000);
  }
  const stage = stageAt(plan, ms)!;
  const t = (ms - stage.startMs) / 1000;
  const slope = (stage.toRate - stage.fromRate) / (stage.durationMs / 1000);
  return stage.arrivalsBefore + stage.fromRate * t + (slope * t * t) / 2;
}

/** Requests (whole ones) a stage schedules: the n with arrivalsBefore <= n < the next stage's. */
export function requestsIn(plan: Plan, stage: Stage): number {
  const end = arrivalsBy(plan, stage.startMs + stage.durationMs);
  return Math.ceil(end - 1e-9) - Math.ceil(stage.arrivalsBefore - 1e-9);
}

/**
 * When request n (0-based) is due, ms into the run, and its stage; null after the last one.
 * `hint` is the stage of request n-1 (arrivals only move forward).
 */
export function arrivalTime(plan: Plan, n: number, hint = 0): { ms: number; stage: number } | null {
  for (let i = hint; i < plan.stages.length; i++) {
    const s = plan.stages[i];
    const next = i + 1 < plan.stages.length ? plan.stages[i + 1].arrivalsBefore : arrivalsBy(plan, plan.durationMs);
    if (n >= next - 1e-9) {
      continue;
    }
    const c = n - s.arrivalsBefore;
    if (c <= 0) {
      return { ms: s.startMs, stage: i };
    }
    // fromRate·t + (slope/2)·t² = c, solved in the form that stays stable when slope -> 0
    // and when fromRate = 0 (the start of a ramp).
    const halfSlope = (s.toRate - s.fromRate) / (s.durationMs / 1000) / 2;
    const t = (2 * c) / (s.fromRate + Math.sqrt(Math.max(0, s.fromRate * s.fromRate + 4 * halfSlope * c)));
    return { ms: s.startMs + Math.min(s.durationMs, t * 1000), stage: i };
  }
  return null;
}

/**
 * The most requests the plan sends within any `windowMs` (a sliding window [s, s + W), the
 * strictest way a provider's limiter can count): the whole part above max over s of
 * Λ(s + W) − Λ(s). g(s) = Λ(s+W) − Λ(s) has derivative rate(s+W) − rate(s), linear between
 * breakpoints, so its maximum is at a breakpoint or where that derivative crosses zero.
 */
export function maxRequestsInWindow(plan: Plan, windowMs: number): number {
  const g = (s: number) => arrivalsBy(plan, s + windowMs) - arrivalsBy(plan, s);
  const edges = plan.stages.flatMap((s) => [s.startMs, s.startMs + s.durationMs]);
  const points = [...new Set(edges.flatMap((e) => [e, e - windowMs]))].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < points.length; i++) {
    best = Math.max(best, g(points[i]));
    if (i + 1 < points.length) {
      const [a, b] = [points[i], points[i + 1]];
      const eps = Math.min(1e-6, (b - a) / 4);
      const da = rateAt(plan, a + eps + windowMs) - rateAt(plan, a + eps);
      const db = rateAt(plan, b - eps + windowMs) - rateAt(plan, b - eps);
      if (da > 0 && db < 0) {
        best = Math.max(best, g(a + ((b - a) * da) / (da - db)));
      }
    }
  }
  return Math.ceil(best - 1e-9);
}
