// Grafana colour steps that say what the verdict says: green where a signal is ok, orange
// where it is a warning, red where it is critical. Grafana picks the last step whose value the
// number reaches, so each step starts where the verdict's next state starts.
import { TLS_LIMITS, WARNING_MARGINS } from './verdict';

/** usage: real usage of the documented rate limit against the catalog's thresholds.usage. */
export type ThresholdKind = 'latency' | 'errorRatio' | 'headroom' | 'usage';

export interface ColorStep {
  /** -Infinity for the base step (null in dashboard JSON). */
  value: number;
  color: 'green' | 'orange' | 'red';
}

/** Steps on a signal's own scale for one threshold value: how the engine colours a series. */
export function verdictSteps(kind: ThresholdKind, threshold: number): ColorStep[] {
  switch (kind) {
    case 'latency':
      return [
        { value: -Infinity, color: 'green' },
        { value: threshold * WARNING_MARGINS.latency, color: 'orange' },
        { value: threshold, color: 'red' },
      ];
    case 'errorRatio':
      return [
        { value: -Infinity, color: 'green' },
        { value: threshold * WARNING_MARGINS.errorRatio, color: 'orange' },
        { value: threshold, color: 'red' },
      ];
    case 'headroom':
      return [
        { value: -Infinity, color: 'red' },
        { value: threshold, color: 'orange' },
        { value: Math.min(1, threshold * WARNING_MARGINS.headroom), color: 'green' },
      ];
    case 'usage':
      // Not part of the verdict (real traffic is informational there): orange where its alert
      // fires (near the limit), red at the documented limit itself.
      return [
        { value: -Infinity, color: 'green' },
        { value: threshold, color: 'orange' },
        { value: Math.max(1, threshold), color: 'red' },
      ];
  }
}

/**
 * Steps on value / threshold (1 = exactly at the API's own threshold): how a panel that shows
 * many APIs colours each by its own threshold. A headroom minimum above 50% stays orange at a
 * full quota here (the verdict caps its warning margin at 100%); catalogs ask for far less.
 */
export function relativeSteps(kind: Exclude<ThresholdKind, 'usage'>): ColorStep[] {
  return verdictSteps(kind, 1).map((s) =>
    kind === 'headroom' && s.color === 'green' ? { ...s, value: WARNING_MARGINS.headroom } : s
  );
}

/** Steps over the time a certificate has left, in seconds. */
export const TLS_STEPS_SECONDS: ColorStep[] = [
  { value: -Infinity, color: 'red' },
  { value: TLS_LIMITS.criticalMs / 1000, color: 'orange' },
  { value: TLS_LIMITS.warningMs / 1000, color: 'green' },
];
