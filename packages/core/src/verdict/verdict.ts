// The verdict: one API's numbers and thresholds -> its state and the reasons for it. Pure, and
// the only place that judges: the summary (and so `apimon status` and the data source), the
// health-board panel (with its per-panel threshold overrides as inputs) and the colour steps
// of the dashboards (steps.ts) all come from here, so they cannot disagree.

export const API_STATES = ['ok', 'warning', 'critical', 'unknown'] as const;
export type ApiState = (typeof API_STATES)[number];

/** How bad a state is: ok < unknown < warning < critical. The worst signal decides. */
export const STATE_RANK: Record<ApiState, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };
export const worstState = (a: ApiState, b: ApiState): ApiState => (STATE_RANK[a] >= STATE_RANK[b] ? a : b);

/** How close to a threshold turns a signal to warning. */
export const WARNING_MARGINS = {
  /** p95 at 80% of its threshold. */
  latency: 0.8,
  /** error ratio at half its threshold. */
  errorRatio: 0.5,
  /** headroom below twice its minimum (or below 100% when twice is more). */
  headroom: 2,
} as const;

const DAY_MS = 86_400_000;

/** TLS certificate expiry: warning within 14 days (the alert fires then), critical within 3. */
export const TLS_LIMITS = {
  warningDays: 14,
  criticalDays: 3,
  warningMs: 14 * DAY_MS,
  criticalMs: 3 * DAY_MS,
} as const;

/** What the verdict reads: a summary row's numbers and the thresholds to judge them by. */
export interface VerdictInput {
  latencyP95Seconds: number | null;
  latencyThresholdSeconds: number | null;
  errorRatio: number | null;
  errorThreshold: number | null;
  headroomRatio: number | null;
  headroomThreshold: number | null;
  exhaustionSeconds: number | null;
  /** A status level of the provider's page ("operational", "major_outage", ...); "" or "unknown" when none. */
  providerStatus: string;
  incidentTitle?: string | null;
  /** Epoch ms. */
  tlsExpiresAt: number | null;
  /** Why the prober cannot probe the API, or null. */
  notProbed?: string | null;
  /** A state the source already computed (a frame with only a `state` column), used only when
   * the row has no probe results to judge. */
  sourceState?: string | null;
  /** Share of the window's probes whose timing the busy prober degraded (left out of the p95). */
  timingDegradedRatio?: number | null;
  /**
   * The same numbers from each location probing the API (several probers,
   * docs/topologies.md). With two or more, `latencyP95Seconds` and `errorRatio` should be
   * acrossLocations() of them, and a location failing on its own is the regional signal.
   */
  locations?: readonly LocationInput[] | null;
}

/** One location's view of an API. */
export interface LocationInput {
  location: string;
  latencyP95Seconds: number | null;
  errorRatio: number | null;
}

/**
 * The value a majority of the locations reach or exceed: with values sorted from the highest,
 * the (floor(n / 2) + 1)-th. An API's p95 across locations breaches its threshold exactly when
 * it breaches from a majority of them: one slow region is a regional problem, not the API's.
 */
export function majorityValue(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => b - a);
  return known.length === 0 ? null : known[Math.floor(known.length / 2)];
}

/** An API's p95 and error ratio across its locations (majorityValue of each). */
export function acrossLocations(locations: readonly LocationInput[]): Pick<LocationInput, 'latencyP95Seconds' | 'errorRatio'> {
  return {
    latencyP95Seconds: majorityValue(locations.map((l) => l.latencyP95Seconds)),
    errorRatio: majorityValue(locations.map((l) => l.errorRatio)),
  };
}

export type Signal = 'latency' | 'errors' | 'headroom' | 'provider' | 'tls';
export const SIGNALS: readonly Signal[] = ['latency', 'errors', 'headroom', 'provider', 'tls'];

type Judged = 'warning' | 'critical';

/** Why a state is what it is, as facts; reasonText() words it. */
export type Reason =
  | { signal: 'notProbed'; severity: 'warning' | 'unknown'; why: string }
  | { signal: 'latency'; severity: Judged; p95Seconds: number; thresholdSeconds: number }
  | { signal: 'errors'; severity: Judged; ratio: number; threshold: number }
  | { signal: 'headroom'; severity: Judged; ratio: number; threshold: number; exhaustionSeconds: number | null }
  | { signal: 'provider'; severity: Judged; status: string; incidentTitle: string | null }
  | { signal: 'tls'; severity: Judged; expiresInMs: number; daysLeft: number }
  | { signal: 'noData'; severity: 'unknown' }
  /** The API breaches its latency or error threshold from some locations: from fewer than half
   * a regional problem (warning); from a majority (critical) only when no single signal does,
   * one location slow and another failing. `failing` holds each such location's own reasons. */
  | { signal: 'regional'; severity: Judged; failing: Array<{ location: string; reasons: Reason[] }>; of: number }
  /** The prober, not the provider, was slow for some probes: their latency is not judged. A
   * note, never a state: a busy prober pages through its own alerts, not the provider's. */
  | { signal: 'timing'; severity: 'note'; ratio: number; latencyJudged: boolean };

export interface SignalVerdict {
  severity: 'ok' | Judged;
  reason?: Reason;
}

export interface Verdict {
  state: ApiState;
  signals: Record<Signal, SignalVerdict>;
  /** Whole days until the certificate expires (negative: expired), or null. */
  tlsDaysLeft: number | null;
  /** Not probed first, then critical, then warning signals (in SIGNALS order), then no data,
   * then the note on degraded timings. */
  reasons: Reason[];
}

const OK: SignalVerdict = { severity: 'ok' };

/** a >= b, forgiving float noise (0.2 * 0.8 is 0.16000000000000003). */
const atLeast = (a: number, b: number) => a >= b - 1e-9 * Math.abs(b);

function latency(p95: number | null, max: number | null): SignalVerdict {
  if (p95 === null || max === null) {
    return OK;
  }
  const severity = p95 > max ? 'critical' : atLeast(p95, max * WARNING_MARGINS.latency) ? 'warning' : 'ok';
  return severity === 'ok'
    ? OK
    : { severity, reason: { signal: 'latency', severity, p95Seconds: p95, thresholdSeconds: max } };
}

function errors(ratio: number | null, max: number | null): SignalVerdict {
  if (ratio === null || max === null) {
    return OK;
  }
  const severity =
    ratio > max ? 'critical' : ratio > 0 && atLeast(ratio, max * WARNING_MARGINS.errorRatio) ? 'warning' : 'ok';
  return severity === 'ok' ? OK : { severity, reason: { signal: 'errors', severity, ratio, threshold: max } };
}

function headroom(ratio: number | null, min: number | null, exhaustionSeconds: number | null): SignalVerdict {
  if (ratio === null || min === null) {
    return OK;
  }
  const severity = ratio < min ? 'critical' : ratio < Math.min(1, min * WARNING_MARGINS.headroom) ? 'warning' : 'ok';
  return severity === 'ok'
    ? OK
    : { severity, reason: { signal: 'headroom', severity, ratio, threshold: min, exhaustionSeconds } };
}

function provider(status: string, incidentTitle: string | null): SignalVerdict {
  const severity =
    status === 'major_outage'
      ? 'critical'
      : status !== 'operational' && status !== 'unknown' && status !== ''
        ? 'warning'
        : 'ok';
  return severity === 'ok' ? OK : { severity, reason: { signal: 'provider', severity, status, incidentTitle } };
}

function tls(expiresAt: number | null, nowMs: number): SignalVerdict {
  if (expiresAt === null) {
    return OK;
  }
  const left = expiresAt - nowMs;
  const severity = left < TLS_LIMITS.criticalMs ? 'critical' : left < TLS_LIMITS.warningMs ? 'warning' : 'ok';
  return severity === 'ok'
    ? OK
    : { severity, reason: { signal: 'tls', severity, expiresInMs: left, daysLeft: Math.floor(left / DAY_MS) } };
}

function isApiState(s: string | null | undefined): s is ApiState {
  return (API_STATES as readonly string[]).includes(s ?? '');
}

/**
 * critical: a threshold is breached (p95 above, error ratio above, headroom below), the
 * provider reports a major outage, or the certificate expires within 3 days;
 * warning: close to a threshold (WARNING_MARGINS), the provider reports anything but
 * operational, or the certificate expires within 14 days;
 * unknown: no probe results in the window (and nothing worse); ok otherwise.
 * An API the prober cannot probe says so first: unknown without results, at least a warning
 * with results still in the window.
 */
export function judgeApi(input: VerdictInput, nowMs: number): Verdict {
  const signals: Record<Signal, SignalVerdict> = {
    latency: latency(input.latencyP95Seconds, input.latencyThresholdSeconds),
    errors: errors(input.errorRatio, input.errorThreshold),
    headroom: headroom(input.headroomRatio, input.headroomThreshold, input.exhaustionSeconds),
    provider: provider(input.providerStatus, input.incidentTitle ?? null),
    tls: tls(input.tlsExpiresAt, nowMs),
  };
  let state: ApiState = 'ok';
  const judged: Reason[] = [];
  const regional = regionalReason(input, signals);
  for (const severity of ['critical', 'warning'] as const) {
    for (const signal of SIGNALS) {
      const v = signals[signal];
      if (v.severity === severity && v.reason) {
        state = worstState(state, severity);
        judged.push(v.reason);
      }
    }
    if (regional?.severity === severity) {
      state = worstState(state, severity);
      judged.push(regional);
    }
  }
  const reasons: Reason[] = [];
  const noProbeData = input.latencyP95Seconds === null && input.errorRatio === null;
  if (input.notProbed) {
    const severity = noProbeData ? 'unknown' : 'warning';
    reasons.push({ signal: 'notProbed', severity, why: input.notProbed });
    state = worstState(state, severity);
  }
  reasons.push(...judged);
  if (!input.notProbed && noProbeData && state !== 'critical') {
    // Without probe results nothing vouches for the API; a source's own state says more than nothing.
    const fromSource = isApiState(input.sourceState) ? input.sourceState : undefined;
    state = worstState(state, fromSource && fromSource !== 'ok' ? fromSource : 'unknown');
    if (!fromSource || fromSource === 'unknown') {
      reasons.push({ signal: 'noData', severity: 'unknown' });
    }
  }
  const degraded = input.timingDegradedRatio ?? 0;
  if (degraded > 0) {
    reasons.push({
      signal: 'timing',
      severity: 'note',
      ratio: degraded,
      latencyJudged: input.latencyP95Seconds !== null,
    });
  }
  const tlsDaysLeft = input.tlsExpiresAt === null ? null : Math.floor((input.tlsExpiresAt - nowMs) / DAY_MS);
  return { state, signals, tlsDaysLeft, reasons };
}

/**
 * The locations where the API breaches its latency or error threshold although the API as a
 * whole (acrossLocations) does not breach that signal. Null with fewer than two locations.
 */
function regionalReason(input: VerdictInput, api: Record<Signal, SignalVerdict>): Extract<Reason, { signal: 'regional' }> | null {
  const locations = input.locations ?? [];
  if (locations.length < 2) {
    return null;
  }
  const failing: Array<{ location: string; reasons: Reason[] }> = [];
  let failingAtAll = 0;
  for (const l of [...locations].sort((a, b) => a.location.localeCompare(b.location))) {
    const own = [latency(l.latencyP95Seconds, input.latencyThresholdSeconds), errors(l.errorRatio, input.errorThreshold)];
    const critical = own.filter((v) => v.severity === 'critical');
    failingAtAll += critical.length > 0 ? 1 : 0;
    // A breach the API-level signal already reports is the API's problem, not a region's.
    const regionalOnly = critical.filter((v) => api[v.reason!.signal as 'latency' | 'errors'].severity !== 'critical');
    if (regionalOnly.length > 0) {
      failing.push({ location: l.location, reasons: regionalOnly.map((v) => v.reason!) });
    }
  }
  if (failing.length === 0) {
    return null;
  }
  const apiBreached = api.latency.severity === 'critical' || api.errors.severity === 'critical';
  const majority = failingAtAll * 2 > locations.length;
  return { signal: 'regional', severity: majority && !apiBreached ? 'critical' : 'warning', failing, of: locations.length };
}

/** How a front end writes the numbers of a reason. */
export interface ReasonFormat {
  seconds(s: number): string;
  percent(ratio: number): string;
  /** When given, headroom reasons add the time to exhaustion. */
  duration?: (seconds: number) => string;
  /** Provider reasons add the open incident's title. */
  incidentTitle?: boolean;
}

/** `apimon status`: "p95 487ms > 200ms", "errors 1.2% near 2.0%". */
export const TERSE_FORMAT: ReasonFormat = {
  seconds: (s) => `${Math.round(s * 1000)}ms`,
  percent: (r) => `${(r * 100).toFixed(r < 0.01 ? 2 : 1)}%`,
};

export function reasonText(reason: Reason, format: ReasonFormat = TERSE_FORMAT): string {
  const { seconds, percent } = format;
  switch (reason.signal) {
    case 'notProbed':
      return `not probed: ${reason.why}`;
    case 'noData':
      return 'no probe results in the window';
    case 'latency':
      return `p95 ${seconds(reason.p95Seconds)} ${reason.severity === 'critical' ? '>' : 'near'} ${seconds(reason.thresholdSeconds)}`;
    case 'errors':
      return `errors ${percent(reason.ratio)} ${reason.severity === 'critical' ? '>' : 'near'} ${percent(reason.threshold)}`;
    case 'headroom': {
      const soon =
        format.duration && reason.exhaustionSeconds !== null
          ? `, exhausted in ${format.duration(reason.exhaustionSeconds)}`
          : '';
      return `headroom ${percent(reason.ratio)} ${reason.severity === 'critical' ? '<' : 'near'} ${percent(reason.threshold)}${soon}`;
    }
    case 'provider': {
      const what = format.incidentTitle && reason.incidentTitle ? `: ${reason.incidentTitle}` : '';
      return reason.severity === 'critical'
        ? `provider reports a major outage${what}`
        : `provider reports ${reason.status.replace(/_/g, ' ')}${what}`;
    }
    case 'tls':
      return reason.expiresInMs <= 0 ? 'TLS certificate expired' : `TLS certificate expires in ${reason.daysLeft}d`;
    case 'regional': {
      const where = reason.failing.map((f) => `${f.location}: ${f.reasons.map((r) => reasonText(r, format)).join(', ')}`);
      const from = `${reason.failing.length} of ${reason.of} locations`;
      return reason.severity === 'critical'
        ? `failing from ${from} (${where.join('; ')})`
        : `regional problem from ${from} (${where.join('; ')})`;
    }
    case 'timing':
      return reason.latencyJudged
        ? `prober too busy to time ${percent(reason.ratio)} of probes (left out of p95)`
        : 'p95 not judged: the prober was too busy to time the probes';
  }
}
