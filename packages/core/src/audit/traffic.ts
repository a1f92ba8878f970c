// What the platform's real calls show (docs/real-traffic.md): near_limit_batchable, an API
// used close to its documented limit that takes several items per request; retry_storm, the
// platform sending more, not less, while the API answers 429 or 5xx (retries without backoff).
import { finding, type Finding } from './model';
import { AUDIT_POLICY } from './policy';
import { fmtCount, fmtPct } from './format';

export interface LimitEvidence {
  api: string;
  batching: boolean;
  /** Highest share of the documented limit the platform's calls used (real traffic), or null. */
  peakUsage: number | null;
  /** Lowest rate-limit headroom the probes read from the provider's headers, or null. */
  minHeadroom: number | null;
  callsPerDay: number | null;
  /** "100 per 1 s" */
  limitText: string | null;
  windowText: string;
}

export function judgeNearLimitBatchable(e: LimitEvidence): Finding | null {
  const p = AUDIT_POLICY.limits;
  if (!e.batching) {
    return null;
  }
  const fromHeaders = e.minHeadroom === null ? null : 1 - e.minHeadroom;
  const usage = Math.max(e.peakUsage ?? -1, fromHeaders ?? -1);
  if (usage < p.nearUsage) {
    return null;
  }
  const source =
    e.peakUsage !== null && e.peakUsage >= (fromHeaders ?? -1)
      ? `the platform's calls peaked at ${fmtPct(e.peakUsage)} of the documented limit${e.limitText ? ` (${e.limitText})` : ''}`
      : `the provider's rate-limit headers showed as little as ${fmtPct(e.minHeadroom!)} of the limit left`;
  const saved = e.callsPerDay === null ? null : e.callsPerDay * (1 - 1 / p.batchSize);
  return finding({
    api: e.api,
    endpoint: '',
    kind: 'near_limit_batchable',
    severity: usage >= p.highUsage ? 'high' : 'medium',
    summary: `Over ${e.windowText} ${source}; the catalog says the API takes several items per request.`,
    evidence: {
      peakUsage: e.peakUsage === null ? null : Math.round(e.peakUsage * 1000) / 1000,
      minHeadroom: e.minHeadroom === null ? null : Math.round(e.minHeadroom * 1000) / 1000,
      callsPerDay: e.callsPerDay === null ? null : Math.round(e.callsPerDay),
      documentedLimit: e.limitText,
    },
    recommendation: `Batch: send several items per request (a queue that flushes every N items or T ms) instead of one call per item, before the limit starts answering 429.`,
    estimatedGain: {
      text:
        saved === null
          ? `Batching ${p.batchSize} items per call divides the calls, and the limit used, by ${p.batchSize}.`
          : `Batching ${p.batchSize} items per call saves about ${fmtCount(saved)} of ${fmtCount(e.callsPerDay!)} calls a day and brings the peak to ${fmtPct(usage / p.batchSize)} of the limit.`,
      values: { batchSize: p.batchSize, ...(saved === null ? {} : { callsPerDaySaved: Math.round(saved) }) },
    },
  });
}

export interface RetryEvidence {
  api: string;
  /** Mean request rate (per second) over the steps where 429 or 5xx came back. */
  rateDuringErrors: number | null;
  /** Mean request rate over the other steps. */
  rateOtherwise: number | null;
  /** Steps with 429 or 5xx answers. */
  errorSteps: number;
  /** Share of the calls answered 429 or 5xx during those steps. */
  errorShareDuringErrors: number | null;
  stepText: string;
  windowText: string;
}

export function judgeRetryStorm(e: RetryEvidence): Finding | null {
  const p = AUDIT_POLICY.retries;
  if (
    e.rateDuringErrors === null ||
    e.rateOtherwise === null ||
    e.rateOtherwise <= 0 ||
    e.errorSteps < p.minErrorSteps
  ) {
    return null;
  }
  const amplification = e.rateDuringErrors / e.rateOtherwise;
  if (amplification < p.amplification) {
    return null;
  }
  const extraPerSecond = e.rateDuringErrors - e.rateOtherwise;
  return finding({
    api: e.api,
    endpoint: '',
    kind: 'retry_storm',
    severity: amplification >= p.highAmplification ? 'high' : 'medium',
    summary: `While the API answered 429 or 5xx (${e.errorSteps} steps of ${e.stepText} over ${e.windowText}, ${e.errorShareDuringErrors === null ? '' : `${fmtPct(e.errorShareDuringErrors)} of those calls failing`}), the platform sent ${amplification.toFixed(1)}× its usual rate: ${e.rateDuringErrors.toFixed(2)} against ${e.rateOtherwise.toFixed(2)} calls/s.`,
    evidence: {
      amplification: Math.round(amplification * 100) / 100,
      requestsPerSecondDuringErrors: Math.round(e.rateDuringErrors * 1000) / 1000,
      requestsPerSecondOtherwise: Math.round(e.rateOtherwise * 1000) / 1000,
      errorSteps: e.errorSteps,
      errorShareDuringErrors:
        e.errorShareDuringErrors === null ? null : Math.round(e.errorShareDuringErrors * 1000) / 1000,
      step: e.stepText,
    },
    recommendation:
      'Retry with exponential backoff and jitter, honour Retry-After, cap the attempts (2-3) and stop retrying while a circuit breaker is open; never retry 4xx other than 429.',
    estimatedGain: {
      text: `About ${extraPerSecond.toFixed(2)} fewer calls/s while the API struggles, which is when they hurt most (each one extends the throttling).`,
      values: { requestsPerSecondSaved: Math.round(extraPerSecond * 1000) / 1000 },
    },
  });
}
