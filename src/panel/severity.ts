// Each API's state on the board: the core verdict (judgeApi), the very function behind the
// summary's `state` and `apimon status`, fed the panel's threshold overrides in place of the
// catalog's where set. Only the wording of the reasons is the panel's (units with spaces, time
// to exhaustion, the incident's title).
import {
  judgeApi,
  reasonText,
  STATE_RANK,
  type ApiState,
  type ReasonFormat,
  type SignalVerdict,
  type VerdictInput,
} from '@apimon/core';
import type { BoardRow } from './summaryFrame';
import type { HealthBoardOptions } from './types';
import { formatDuration, formatPercent, formatSeconds } from './format';

export type Severity = ApiState;

/** The thresholds a row is judged by: the catalog's from the row, or the panel's overrides. */
export type Thresholds = Pick<VerdictInput, 'latencyThresholdSeconds' | 'errorThreshold' | 'headroomThreshold'>;

export type ThresholdOverrides = Partial<Pick<HealthBoardOptions, keyof Thresholds>>;

export interface Assessment {
  severity: Severity;
  thresholds: Thresholds;
  latency: SignalVerdict;
  errors: SignalVerdict;
  headroom: SignalVerdict;
  provider: SignalVerdict;
  tls: SignalVerdict & { daysLeft: number | null };
  /** Why, worded for the board: not probed first, then critical, then warning signals. */
  reasons: string[];
}

export const BOARD_REASON_FORMAT: ReasonFormat = {
  seconds: formatSeconds,
  percent: formatPercent,
  duration: formatDuration,
  incidentTitle: true,
};

export function thresholdsFor(row: BoardRow, options: ThresholdOverrides): Thresholds {
  const pick = (override: number | undefined, own: number | null) =>
    override !== undefined && Number.isFinite(override) ? override : own;
  return {
    latencyThresholdSeconds: pick(options.latencyThresholdSeconds, row.latencyThresholdSeconds),
    errorThreshold: pick(options.errorThreshold, row.errorThreshold),
    headroomThreshold: pick(options.headroomThreshold, row.headroomThreshold),
  };
}

export function assess(row: BoardRow, options: ThresholdOverrides, nowMs: number): Assessment {
  const thresholds = thresholdsFor(row, options);
  const verdict = judgeApi({ ...row, ...thresholds }, nowMs);
  return {
    severity: verdict.state,
    thresholds,
    ...verdict.signals,
    tls: { ...verdict.signals.tls, daysLeft: verdict.tlsDaysLeft },
    reasons: verdict.reasons.map((r) => reasonText(r, BOARD_REASON_FORMAT)),
  };
}

export interface AssessedRow {
  row: BoardRow;
  assessment: Assessment;
}

/** Worst first, then by name, so the APIs in trouble lead the board. */
export function sortBySeverity(rows: AssessedRow[]): AssessedRow[] {
  return [...rows].sort(
    (a, b) =>
      STATE_RANK[b.assessment.severity] - STATE_RANK[a.assessment.severity] || a.row.api.localeCompare(b.row.api)
  );
}
