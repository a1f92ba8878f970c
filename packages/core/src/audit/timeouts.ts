// timeout_too_long / timeout_too_short: the configured timeout against the latency the probes
// saw over the window. The recommendation is p99.9 times a margin, rounded up, never above
// what the API's criticality tolerates; each finding says what share of calls the histogram
// predicts would time out at the configured and at the recommended value.
import type { Criticality } from '../contract';
import { quantile, shareAbove, totalCount, type Bucket } from './histogram';
import { finding, type Finding } from './model';
import { AUDIT_POLICY } from './policy';
import { fmtMs, fmtPct } from './format';

export interface TimeoutEvidence {
  api: string;
  endpoint: string;
  criticality: Criticality;
  configuredMs: number;
  /** Probe durations over the window (seconds, cumulative). */
  buckets: Bucket[];
  /** Probes that timed out over the window. */
  timeouts: number;
  /** The platform's calls per day to this API, when real traffic is known. */
  callsPerDay: number | null;
  windowText: string;
}

/** Rounded up to a value people write: 50 ms steps below 1 s, 100 ms below 5 s, whole seconds above. */
export function roundTimeoutUp(ms: number): number {
  const step = ms < 1000 ? 50 : ms < 5000 ? 100 : 1000;
  return Math.ceil(ms / step - 1e-9) * step;
}

/** p99.9 times the margin, rounded, between the floor and the criticality's cap. */
export function recommendedTimeoutMs(p999Seconds: number, criticality: Criticality): { ms: number; capped: boolean } {
  const p = AUDIT_POLICY.timeout;
  const wanted = roundTimeoutUp(Math.max(p.floorMs, p999Seconds * 1000 * p.margin));
  const cap = p.capMs[criticality];
  return wanted > cap ? { ms: cap, capped: true } : { ms: wanted, capped: false };
}

export function judgeTimeout(e: TimeoutEvidence, options: { minSamples?: number } = {}): Finding | null {
  const p = AUDIT_POLICY.timeout;
  // increase() extrapolates to the window's edges: counts come back fractional.
  const samples = Math.round(totalCount(e.buckets));
  if (samples < (options.minSamples ?? p.minSamples)) {
    return null;
  }
  const p999 = quantile(e.buckets, p.quantile);
  const p99 = quantile(e.buckets, 0.99);
  if (p999 === null) {
    return null;
  }
  const { ms: recommendedMs, capped } = recommendedTimeoutMs(p999, e.criticality);
  // Probes the timeout cut off are observed at about the timeout, some just below its bucket
  // bound: they count as cut off whatever the interpolation says.
  const timedOutShare = samples > 0 ? Math.min(1, e.timeouts / samples) : 0;
  const rateConfigured = Math.max(shareAbove(e.buckets, e.configuredMs / 1000) ?? 0, timedOutShare);
  const rateRecommended = shareAbove(e.buckets, recommendedMs / 1000) ?? 0;
  const evidence = {
    samples,
    timeouts: e.timeouts,
    p99Seconds: p99 === null ? null : round(p99),
    p999Seconds: round(p999),
    configuredTimeoutSeconds: e.configuredMs / 1000,
    recommendedTimeoutSeconds: recommendedMs / 1000,
    recommendationCapped: capped,
    falseTimeoutRateAtConfigured: round(rateConfigured, 6),
    falseTimeoutRateAtRecommended: round(rateRecommended, 6),
  };
  const rates = `the histogram predicts ${fmtPct(rateConfigured)} of calls cut off at ${fmtMs(e.configuredMs)} and ${fmtPct(rateRecommended)} at ${fmtMs(recommendedMs)}`;

  if (rateConfigured > p.tooShortRate && rateConfigured * samples >= p.minSlowProbes - 1e-9 && recommendedMs > e.configuredMs) {
    const perDay = e.callsPerDay === null ? null : Math.round(e.callsPerDay * (rateConfigured - rateRecommended));
    return finding({
      api: e.api,
      endpoint: e.endpoint,
      kind: 'timeout_too_short',
      severity: rateConfigured >= p.tooShortHighRate ? 'high' : 'medium',
      summary: `p99.9 is ${fmtMs(p999 * 1000)} over ${e.windowText} (${samples} probes, ${e.timeouts} timed out) against a ${fmtMs(e.configuredMs)} timeout: ${rates}.`,
      evidence,
      recommendation:
        (capped
          ? `Raise the timeout to ${fmtMs(recommendedMs)}, the most a ${e.criticality} API should wait; the API is slower than its criticality allows, so also ask the provider (or move the call off the user's path).`
          : `Raise the timeout to ${fmtMs(recommendedMs)} (p99.9 × ${p.margin}).`) +
        (e.timeouts > 0
          ? ` ${e.timeouts} probes timed out, so the histogram only knows they took longer than ${fmtMs(e.configuredMs)}: audit again after the change.`
          : ''),
      estimatedGain: {
        text:
          perDay === null
            ? `${fmtPct(rateConfigured - rateRecommended)} fewer calls failed by the timeout.`
            : `About ${perDay} fewer calls a day failed by the timeout (${fmtPct(rateConfigured - rateRecommended)} of the platform's calls).`,
        values: {
          falseTimeoutRateSaved: round(rateConfigured - rateRecommended, 6),
          ...(perDay === null ? {} : { callsPerDay: perDay }),
        },
      },
    });
  }
  if (e.configuredMs >= recommendedMs * p.tooLongFactor) {
    const savedMs = e.configuredMs - recommendedMs;
    return finding({
      api: e.api,
      endpoint: e.endpoint,
      kind: 'timeout_too_long',
      severity: e.criticality === 'critical' ? 'medium' : 'low',
      summary: `The ${fmtMs(e.configuredMs)} timeout is ${(e.configuredMs / recommendedMs).toFixed(1)}× what the API needs: p99.9 is ${fmtMs(p999 * 1000)} over ${e.windowText} (${samples} probes); ${rates}.`,
      evidence,
      recommendation: `Lower the timeout to ${fmtMs(recommendedMs)} (p99.9 × ${p.margin}): a hung call then fails ${fmtMs(savedMs)} sooner and frees its worker, instead of holding the ${e.criticality === 'critical' ? "user's request" : 'job'}.`,
      estimatedGain: {
        text: `A hanging provider costs each call ${fmtMs(savedMs)} less waiting, for ${fmtPct(rateRecommended)} more calls cut off.`,
        values: {
          secondsSavedPerHungCall: savedMs / 1000,
          extraFalseTimeoutRate: round(rateRecommended - rateConfigured, 6),
        },
      },
    });
  }
  return null;
}

function round(v: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
