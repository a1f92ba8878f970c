// How bad each signal of an API is, against its thresholds (the catalog's, or the panel's
// overrides), with the same margins the engine's `state` and `apimon status` use, so the board,
// the CLI and the alert rules agree. The worst signal decides the tile.
import { WARNING_MARGINS } from '@apimon/core';
import type { BoardRow } from './summaryFrame';
import type { HealthBoardOptions } from './types';
import { formatDuration, formatPercent, formatSeconds } from './format';

export const SEVERITIES = ['ok', 'unknown', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const rank = (s: Severity): number => SEVERITIES.indexOf(s);
export const worst = (a: Severity, b: Severity): Severity => (rank(a) >= rank(b) ? a : b);

export interface SignalVerdict {
  severity: Severity;
  /** Why, when not ok: "p95 450 ms > 200 ms". */
  reason?: string;
}

export interface Thresholds {
  latencySeconds: number | null;
  errorRatio: number | null;
  headroomRatio: number | null;
}

export interface Assessment {
  severity: Severity;
  thresholds: Thresholds;
  latency: SignalVerdict;
  errors: SignalVerdict;
  headroom: SignalVerdict;
  provider: SignalVerdict;
  tls: SignalVerdict & { daysLeft: number | null };
  /** Reasons of every non-ok signal, worst first. */
  reasons: string[];
}

const DAY_MS = 86_400_000;
const OK: SignalVerdict = { severity: 'ok' };

export function thresholdsFor(
  row: BoardRow,
  options: Pick<HealthBoardOptions, 'latencyThresholdSeconds' | 'errorThreshold' | 'headroomThreshold'>
): Thresholds {
  const pick = (override: number | undefined, own: number | null) =>
    override !== undefined && Number.isFinite(override) ? override : own;
  return {
    latencySeconds: pick(options.latencyThresholdSeconds, row.latencyThresholdSeconds),
    errorRatio: pick(options.errorThreshold, row.errorThreshold),
    headroomRatio: pick(options.headroomThreshold, row.headroomThreshold),
  };
}

export function latencyVerdict(p95: number | null, max: number | null): SignalVerdict {
  if (p95 === null || max === null) {
    return OK;
  }
  if (p95 > max) {
    return { severity: 'critical', reason: `p95 ${formatSeconds(p95)} > ${formatSeconds(max)}` };
  }
  if (p95 >= max * WARNING_MARGINS.latency) {
    return { severity: 'warning', reason: `p95 ${formatSeconds(p95)} near ${formatSeconds(max)}` };
  }
  return OK;
}

export function errorVerdict(ratio: number | null, max: number | null): SignalVerdict {
  if (ratio === null || max === null) {
    return OK;
  }
  if (ratio > max) {
    return { severity: 'critical', reason: `errors ${formatPercent(ratio)} > ${formatPercent(max)}` };
  }
  if (ratio > 0 && ratio >= max * WARNING_MARGINS.errorRatio) {
    return { severity: 'warning', reason: `errors ${formatPercent(ratio)} near ${formatPercent(max)}` };
  }
  return OK;
}

export function headroomVerdict(
  headroom: number | null,
  min: number | null,
  exhaustionSeconds: number | null
): SignalVerdict {
  if (headroom === null || min === null) {
    return OK;
  }
  const soon = exhaustionSeconds !== null ? `, exhausted in ${formatDuration(exhaustionSeconds)}` : '';
  if (headroom < min) {
    return { severity: 'critical', reason: `headroom ${formatPercent(headroom)} < ${formatPercent(min)}${soon}` };
  }
  if (headroom < Math.min(1, min * WARNING_MARGINS.headroom)) {
    return { severity: 'warning', reason: `headroom ${formatPercent(headroom)} near ${formatPercent(min)}${soon}` };
  }
  return OK;
}

export function providerVerdict(status: string, incidentTitle: string | null | undefined): SignalVerdict {
  const what = incidentTitle ? `: ${incidentTitle}` : '';
  if (status === 'major_outage') {
    return { severity: 'critical', reason: `provider reports a major outage${what}` };
  }
  if (status !== 'operational' && status !== 'unknown' && status !== '') {
    return { severity: 'warning', reason: `provider reports ${status.replace(/_/g, ' ')}${what}` };
  }
  return OK;
}

export function tlsVerdict(expiresAt: number | null, nowMs: number): SignalVerdict & { daysLeft: number | null } {
  if (expiresAt === null) {
    return { severity: 'ok', daysLeft: null };
  }
  const left = expiresAt - nowMs;
  const daysLeft = Math.floor(left / DAY_MS);
  const reason = left <= 0 ? 'TLS certificate expired' : `TLS certificate expires in ${daysLeft}d`;
  if (left < WARNING_MARGINS.tlsCriticalMs) {
    return { severity: 'critical', reason, daysLeft };
  }
  if (left < WARNING_MARGINS.tlsWarningMs) {
    return { severity: 'warning', reason, daysLeft };
  }
  return { severity: 'ok', daysLeft };
}

const SOURCE_STATES: Record<string, Severity> = {
  ok: 'ok',
  warning: 'warning',
  critical: 'critical',
  unknown: 'unknown',
};

export function assess(row: BoardRow, options: Parameters<typeof thresholdsFor>[1], nowMs: number): Assessment {
  const thresholds = thresholdsFor(row, options);
  const latency = latencyVerdict(row.latencyP95Seconds, thresholds.latencySeconds);
  const errors = errorVerdict(row.errorRatio, thresholds.errorRatio);
  const headroom = headroomVerdict(row.headroomRatio, thresholds.headroomRatio, row.exhaustionSeconds);
  const provider = providerVerdict(row.providerStatus, row.incidentTitle);
  const tls = tlsVerdict(row.tlsExpiresAt, nowMs);
  const verdicts = [latency, errors, headroom, provider, tls];
  let severity = verdicts.reduce<Severity>((acc, v) => worst(acc, v.severity), 'ok');
  const reasons = verdicts
    .filter((v) => v.reason && v.severity !== 'ok')
    .sort((a, b) => rank(b.severity) - rank(a.severity))
    .map((v) => v.reason!);
  const noProbeData = row.latencyP95Seconds === null && row.errorRatio === null;
  if (row.notProbed) {
    // The prober cannot probe it (a missing secret): the first thing to fix, whatever else shows.
    reasons.unshift(`not probed: ${row.notProbed}`);
    severity = worst(severity, noProbeData ? 'unknown' : 'warning');
  } else if (noProbeData && severity !== 'critical') {
    // Without probe results the board cannot vouch for the API; a source state (e.g. a frame
    // with only a `state` column) still says more than nothing.
    const fromSource = row.sourceState ? SOURCE_STATES[row.sourceState] : undefined;
    severity = fromSource && fromSource !== 'ok' ? worst(severity, fromSource) : worst(severity, 'unknown');
    if (!fromSource || fromSource === 'unknown') {
      reasons.push('no probe results in the window');
    }
  }
  return { severity, thresholds, latency, errors, headroom, provider, tls, reasons };
}

export interface AssessedRow {
  row: BoardRow;
  assessment: Assessment;
}

/** Worst first, then by name, so the APIs in trouble lead the board. */
export function sortBySeverity(rows: AssessedRow[]): AssessedRow[] {
  return [...rows].sort(
    (a, b) => rank(b.assessment.severity) - rank(a.assessment.severity) || a.row.api.localeCompare(b.row.api)
  );
}
