// no_fallback: a critical API that failed more than its objective allows over the window and
// has no `fallback:` in the catalog (another API, a cache, a queue).
import type { Criticality } from '../contract';
import { finding, type Finding } from './model';
import { AUDIT_POLICY } from './policy';
import { fmtAvailability, fmtSeconds } from './format';

export interface FallbackEvidence {
  api: string;
  criticality: Criticality;
  hasFallback: boolean;
  /** Probes that ended ok / all probes over the window. */
  okProbes: number;
  allProbes: number;
  windowMs: number;
  windowText: string;
}

export function judgeNoFallback(e: FallbackEvidence): Finding | null {
  const objective = AUDIT_POLICY.fallback.availabilityObjective;
  if (e.criticality !== 'critical' || e.hasFallback || e.allProbes <= 0) {
    return null;
  }
  const availability = e.okProbes / e.allProbes;
  if (availability >= objective) {
    return null;
  }
  const downSeconds = ((1 - availability) * e.windowMs) / 1000;
  return finding({
    api: e.api,
    endpoint: '',
    kind: 'no_fallback',
    severity: 'high',
    summary: `A critical API at ${fmtAvailability(availability)} availability over ${e.windowText} (objective ${fmtAvailability(objective)}, ${e.allProbes - e.okProbes} of ${e.allProbes} probes failed), with no fallback in the catalog.`,
    evidence: {
      availability: Math.round(availability * 100_000) / 100_000,
      objective,
      failedProbes: e.allProbes - e.okProbes,
      probes: e.allProbes,
      failingSecondsEstimate: Math.round(downSeconds),
    },
    recommendation:
      "Decide what the platform does while the API fails and declare it (fallback: { type: api | cache | queue }): a second provider, the last good answer from a cache, or a queue that completes the work later; test it with the sandbox's outage injection.",
    estimatedGain: {
      text: `About ${fmtSeconds(downSeconds)} of failing calls over ${e.windowText} served by the fallback instead of failing users.`,
      values: { failingSeconds: Math.round(downSeconds) },
    },
  });
}
