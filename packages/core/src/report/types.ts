// The reports as objects: exactly what `--format json` writes and what the HTML, Markdown and
// the Grafana Reports page render. Times are ISO 8601 strings in UTC, durations seconds,
// ratios 0..1, and null means "not known" (never 0 standing in for it).
import type { ApiState } from '../verdict';

/** The formats a report is written in (pdf: the HTML printed by Chromium). */
export const REPORT_FORMATS = ['html', 'pdf', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface TopCode {
  /** HTTP status code as the probes recorded it ("0": no response). */
  code: string;
  outcome: string;
  probes: number;
}

export interface ProviderIncidentRef {
  provider: string;
  id: string;
  title: string;
  impact: string;
  status: string;
  startedAt: string | null;
  resolvedAt: string | null;
  /** From start to resolution (or to the end of the period while still open). */
  durationSeconds: number | null;
  url: string | null;
}

/** One API's month: the fields, names and order of issue 12's JSON. */
export interface MonthlyApi {
  api: string;
  provider: string;
  criticality: string;
  availabilityRatio: number | null;
  latencyP50Seconds: number | null;
  latencyP95Seconds: number | null;
  latencyP99Seconds: number | null;
  latencyThresholdSeconds: number | null;
  secondsOverLatencyThreshold: number | null;
  errorRatio: number | null;
  probes: number;
  failedProbes: number;
  topCodes: TopCode[];
  minHeadroomRatio: number | null;
  alertsFired: number;
  alertFiringSeconds: number;
  providerIncidents: ProviderIncidentRef[];
}

/** The keys of MonthlyApi in order: the JSON writer and its test hold to them. */
export const MONTHLY_API_FIELDS = [
  'api',
  'provider',
  'criticality',
  'availabilityRatio',
  'latencyP50Seconds',
  'latencyP95Seconds',
  'latencyP99Seconds',
  'latencyThresholdSeconds',
  'secondsOverLatencyThreshold',
  'errorRatio',
  'probes',
  'failedProbes',
  'topCodes',
  'minHeadroomRatio',
  'alertsFired',
  'alertFiringSeconds',
  'providerIncidents',
] as const satisfies ReadonlyArray<keyof MonthlyApi>;

export interface DailySeries {
  /** "2026-11-01" .. one per day of the period. */
  days: string[];
  latencyP95Seconds: Array<number | null>;
  errorRatio: Array<number | null>;
  minHeadroomRatio: Array<number | null>;
}

export interface ApiTrafficMonth {
  requests: number;
  failedRequests: number | null;
  /** 429 answers the platform got. */
  throttledRequests: number | null;
  /** The highest daily peak of requests per documented window over the documented limit. */
  peakUsageRatio: number | null;
}

export interface PreviousMonth {
  availabilityRatio: number | null;
  latencyP95Seconds: number | null;
  errorRatio: number | null;
  probes: number;
  alertsFired: number;
  trafficRequests: number | null;
}

/** What the report says about one API beyond issue 12's fields. */
export interface MonthlyApiDetail {
  api: string;
  owner: string;
  /** The verdict over the month's numbers (packages/core/src/verdict). */
  state: ApiState;
  reasons: string[];
  /** 1 - the catalog's error-rate threshold: the share of probes that must succeed. */
  availabilityObjective: number | null;
  errorThreshold: number | null;
  headroomThreshold: number | null;
  /** Failed probes per outcome over all probes (timeout, http_5xx, rate_limited, ...). */
  errorRatioByOutcome: Record<string, number>;
  /** Share of probes the provider failed (timeouts, DNS, connect, TLS, 5xx). */
  providerErrorRatio: number | null;
  /** Probes answered 429 (outcome rate_limited). */
  rateLimitedProbes: number;
  meanSecondsToDetect: number | null;
  meanSecondsToResolve: number | null;
  traffic: ApiTrafficMonth | null;
  previous: PreviousMonth | null;
  daily: DailySeries;
}

export interface ExecutiveSummary {
  apis: number;
  byState: Record<ApiState, number>;
  /** APIs whose availability met their objective (of those with probes). */
  objectivesMet: number;
  objectivesMissed: Array<{ api: string; availabilityRatio: number; objective: number }>;
  latencyBreaches: Array<{ api: string; latencyP95Seconds: number; latencyThresholdSeconds: number }>;
  probes: number;
  failedProbes: number;
  alertsFired: number;
  alertFiringSeconds: number;
  providerIncidents: number;
  openPostmortems: number;
  /** Short sentences for the first page, worst first. */
  highlights: string[];
}

export interface Forecast {
  /**
   * recorded: the store's capacity-forecast recording rules at the month's end (the numbers the
   * rate-limits dashboard shows); fitted: the report's own straight line through the month's
   * daily peaks, where the store has no recorded forecast for the API.
   */
  method: 'recorded' | 'fitted';
  /** Where the forecast starts at the month's end: the weekly peak (recorded) or the line's value (fitted). */
  peakUsageRatio: number | null;
  /** The peak usage of the documented limit `predictedAfterDays` after the month's end, at the trend. */
  predictedUsageRatio: number;
  predictedAfterDays: number;
  /** Days after the month's end until the peak reaches the limit at the trend; 0: it has; null: not growing. */
  daysToLimit: number | null;
  /** The month's end plus daysToLimit, when within horizonDays; null otherwise. */
  reachesLimitAt: string | null;
  horizonDays: number;
  /** The daily peak was at or above the limit on some day of the month. */
  atLimit: boolean;
  /** fitted: the change of the daily peak per day (least squares); null when recorded. */
  slopePerDay: number | null;
}

export interface ScalabilityApi {
  api: string;
  provider: string;
  requests: number;
  previousRequests: number | null;
  /** Requests per day with traffic against last month's (days without traffic left out), minus 1. */
  growthRatio: number | null;
  peakUsageRatio: number | null;
  dailyRequests: Array<number | null>;
  dailyPeakUsageRatio: Array<number | null>;
  forecast: Forecast | null;
}

export interface Scalability {
  /** False: the store holds no real-traffic series for the month (docs/real-traffic.md). */
  trafficAvailable: boolean;
  days: string[];
  apis: ScalabilityApi[];
  /** APIs whose probes saw the rate-limit headroom fall below the catalog's minimum. */
  headroomBelowMinimum: Array<{ api: string; minHeadroomRatio: number; headroomThreshold: number }>;
}

export interface OpenPostmortem {
  api: string;
  severity: string;
  alerts: string[];
  startedAt: string;
  resolvedAt: string | null;
  firingSeconds: number;
  /** The incident record that covers it, when one exists but lacks a root cause. */
  record: string | null;
  /** What is missing: no record at all, or a record without a root cause. */
  missing: 'record' | 'rootCause';
}

export interface AuditFinding {
  api: string;
  endpoint: string;
  kind: string;
  severity: string;
}

export interface OpenItems {
  postmortems: OpenPostmortem[];
  /** null: the store holds no audit findings (apimon audit exports them). */
  auditFindings: AuditFinding[] | null;
}

export interface MonthlyReport {
  month: string;
  generatedAt: string;
  apis: MonthlyApi[];
  from: string;
  to: string;
  /** recorded: the hourly recording rules; raw: the raw series (no or partial rules). */
  source: 'recorded' | 'raw';
  summary: ExecutiveSummary;
  details: MonthlyApiDetail[];
  scalability: Scalability;
  openItems: OpenItems;
  /** Parts of the report that could not be filled, and why. */
  warnings: string[];
}

export type TimelineSource = 'alert' | 'probes' | 'provider' | 'traffic';

export interface TimelineEntry {
  at: string;
  source: TimelineSource;
  kind: string;
  text: string;
}

export interface CorrectiveAction {
  action: string;
  owner: string;
  due: string;
  status: 'open' | 'done';
  ticket: string | null;
}

export interface IncidentReport {
  api: string;
  from: string;
  to: string;
  /** Our first alert firing. */
  detectedAt: string | null;
  /** The provider's first status-page post about it. */
  providerPostedAt: string | null;
  /** Our last alert resolved (or the probes recovered, without alerts); null while ongoing. */
  resolvedAt: string | null;
  timeline: TimelineEntry[];
  impact: { failedProbes: number | null; failedRequests: number | null };
  /** From the incident record; null until the team writes it. */
  rootCause: string | null;
  correctiveActions: CorrectiveAction[];
  id: string;
  provider: string;
  criticality: string;
  generatedAt: string;
  /** When it began: the first failing probes or the first alert, whichever came first. */
  startedAt: string | null;
  durationSeconds: number | null;
  /** providerPostedAt - detectedAt: positive when we knew first. */
  detectionLagSeconds: number | null;
  summary: string | null;
  providerTicket: string | null;
  /** The incident record file, or null when none was given. */
  record: string | null;
  /** Probes per outcome for each step of the window (the timeline chart). */
  outcomes: { stepSeconds: number; times: string[]; byOutcome: Record<string, Array<number | null>> };
  warnings: string[];
}
