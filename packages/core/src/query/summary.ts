// One row per API out of the summary's instant results, and its state against the catalog
// thresholds. The same rows feed the health-board panel (as a table) and `apimon status`.
import { statusLevelFromValue } from '../contract';
import { SUMMARY_FIELDS, type ApiState, type ApiSummary } from './model';
import type { RawSample } from './response';
import type { EngineColumn, EngineTable, Unit } from './types';
import { apiLink } from './prober';

/** Instant results of the summary expressions, by expression id (see promql.ts). */
export type SummaryResults = Record<string, RawSample[]>;

/** How close to a threshold turns an API's state to warning. */
export const WARNING_MARGINS = {
  /** p95 at 80% of its threshold. */
  latency: 0.8,
  /** error ratio at half its threshold. */
  errorRatio: 0.5,
  /** headroom below twice its minimum. */
  headroom: 2,
  /** TLS certificate expiring within 14 days (critical within 3). */
  tlsWarningMs: 14 * 86_400_000,
  tlsCriticalMs: 3 * 86_400_000,
};

export interface StateVerdict {
  state: ApiState;
  reasons: string[];
}

/** a >= b, forgiving float noise (0.2 * 0.8 is 0.16000000000000003). */
const atLeast = (a: number, b: number) => a >= b - 1e-9 * Math.abs(b);
const pct = (r: number) => `${(r * 100).toFixed(r < 0.01 ? 2 : 1)}%`;
const ms = (s: number) => `${Math.round(s * 1000)}ms`;

/**
 * critical: a threshold is breached (p95 above, error ratio above, headroom below), the
 * provider reports a major outage, or the certificate expires within 3 days;
 * warning: close to a threshold (WARNING_MARGINS), the provider reports anything but
 * operational, or the certificate expires within 14 days;
 * unknown: no probe data in the window; ok otherwise.
 * An API the prober cannot probe (row.notProbed) says so first; with no data left it is unknown,
 * with data still in the window at least a warning.
 */
export function apiState(row: Omit<ApiSummary, 'state'>, nowMs: number): StateVerdict {
  const critical: string[] = [];
  const warning: string[] = [];
  const {
    latencyP95Seconds: p95,
    latencyThresholdSeconds: p95Max,
    errorRatio,
    errorThreshold,
    headroomRatio,
    headroomThreshold,
  } = row;
  if (p95 !== null && p95Max !== null) {
    if (p95 > p95Max) {
      critical.push(`p95 ${ms(p95)} > ${ms(p95Max)}`);
    } else if (atLeast(p95, p95Max * WARNING_MARGINS.latency)) {
      warning.push(`p95 ${ms(p95)} near ${ms(p95Max)}`);
    }
  }
  if (errorRatio !== null && errorThreshold !== null) {
    if (errorRatio > errorThreshold) {
      critical.push(`errors ${pct(errorRatio)} > ${pct(errorThreshold)}`);
    } else if (errorRatio > 0 && atLeast(errorRatio, errorThreshold * WARNING_MARGINS.errorRatio)) {
      warning.push(`errors ${pct(errorRatio)} near ${pct(errorThreshold)}`);
    }
  }
  if (headroomRatio !== null && headroomThreshold !== null) {
    if (headroomRatio < headroomThreshold) {
      critical.push(`headroom ${pct(headroomRatio)} < ${pct(headroomThreshold)}`);
    } else if (headroomRatio < Math.min(1, headroomThreshold * WARNING_MARGINS.headroom)) {
      warning.push(`headroom ${pct(headroomRatio)} near ${pct(headroomThreshold)}`);
    }
  }
  if (row.providerStatus === 'major_outage') {
    critical.push('provider reports a major outage');
  } else if (row.providerStatus !== 'operational' && row.providerStatus !== 'unknown') {
    warning.push(`provider reports ${row.providerStatus.replace('_', ' ')}`);
  }
  if (row.tlsExpiresAt !== null) {
    const left = row.tlsExpiresAt - nowMs;
    const days = Math.floor(left / 86_400_000);
    if (left < WARNING_MARGINS.tlsCriticalMs) {
      critical.push(left <= 0 ? 'TLS certificate expired' : `TLS certificate expires in ${days}d`);
    } else if (left < WARNING_MARGINS.tlsWarningMs) {
      warning.push(`TLS certificate expires in ${days}d`);
    }
  }
  if (row.notProbed) {
    warning.unshift(`not probed: ${row.notProbed}`);
  }
  if (critical.length > 0) {
    return { state: 'critical', reasons: [...critical, ...warning] };
  }
  if (p95 === null && errorRatio === null) {
    return { state: 'unknown', reasons: row.notProbed ? warning : ['no probe results in the window', ...warning] };
  }
  return warning.length > 0 ? { state: 'warning', reasons: warning } : { state: 'ok', reasons: [] };
}

function byLabel(samples: RawSample[] | undefined, label: string): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const s of samples ?? []) {
    const key = s.labels[label];
    if (key !== undefined && !out.has(key)) {
      out.set(key, s.value);
    }
  }
  return out;
}

const finite = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

/** The tightest rate-limit policy of each API: remaining and limit from the same series. */
function rateLimitsByApi(remaining: RawSample[] = [], limit: RawSample[] = []) {
  const keyOf = (l: Record<string, string>) =>
    Object.keys(l)
      .sort()
      .map((k) => `${k}=${l[k]}`)
      .join(',');
  const limits = new Map(limit.map((s) => [keyOf(s.labels), finite(s.value)]));
  const out = new Map<string, { remaining: number | null; limit: number | null; headroom: number | null }>();
  for (const s of remaining) {
    const api = s.labels.api;
    const rem = finite(s.value);
    if (api === undefined || rem === null) {
      continue;
    }
    const lim = limits.get(keyOf(s.labels)) ?? null;
    const headroom = lim !== null && lim > 0 ? Math.max(0, rem) / lim : null;
    const prev = out.get(api);
    const better =
      !prev ||
      (headroom !== null && (prev.headroom === null || headroom < prev.headroom)) ||
      (prev.headroom === null && headroom === null && rem < (prev.remaining ?? Infinity));
    if (better) {
      out.set(api, { remaining: rem, limit: lim, headroom });
    }
  }
  return out;
}

export interface SummaryRow extends ApiSummary {
  reasons: string[];
}

/** Builds the rows, sorted by API name. `incidentTitles` come from the prober when it is reachable. */
/** What the prober API adds when it is reachable: each API's status on its provider's page
 * (worst of its statusComponents) and the title of each provider's newest open incident. */
export interface ProberView {
  apiStatus: Map<string, string>;
  incidentTitles: Map<string, string>;
}

export function summaryRows(
  results: SummaryResults,
  nowMs: number,
  prober: ProberView = { apiStatus: new Map(), incidentTitles: new Map() }
): SummaryRow[] {
  const info = new Map<string, Record<string, string>>();
  for (const s of results.info ?? []) {
    if (s.labels.api && !info.has(s.labels.api)) {
      info.set(s.labels.api, s.labels);
    }
  }
  const p95 = byLabel(results.latencyP95, 'api');
  const p95Max = byLabel(results.latencyThreshold, 'api');
  const errors = byLabel(results.errorRatio, 'api');
  const errorsMax = byLabel(results.errorThreshold, 'api');
  const headroomMin = byLabel(results.headroomThreshold, 'api');
  const exhaustion = byLabel(results.exhaustion, 'api');
  const tls = byLabel(results.tlsExpiry, 'api');
  const providerStatus = byLabel(results.providerStatus, 'provider');
  const openIncidents = byLabel(results.openIncidents, 'provider');
  const notProbed = new Map<string, string>();
  for (const s of results.misconfigured ?? []) {
    if (s.labels.api && !notProbed.has(s.labels.api)) {
      notProbed.set(s.labels.api, s.labels.reason || 'misconfigured');
    }
  }
  const limits = rateLimitsByApi(results.remaining, results.limit);

  const apis = new Set<string>(info.keys());
  for (const m of [p95, errors]) {
    for (const api of m.keys()) {
      apis.add(api);
    }
  }
  const rows: SummaryRow[] = [];
  for (const api of [...apis].sort()) {
    const facts = info.get(api) ?? {};
    const provider = facts.provider ?? results.latencyP95?.find((s) => s.labels.api === api)?.labels.provider ?? '';
    const level = providerStatus.get(provider);
    const rl = limits.get(api);
    const tlsSeconds = finite(tls.get(api));
    const base: Omit<ApiSummary, 'state'> = {
      api,
      provider,
      criticality: facts.criticality ?? '',
      owner: facts.owner ?? '',
      latencyP95Seconds: finite(p95.get(api)),
      latencyThresholdSeconds: finite(p95Max.get(api)),
      errorRatio: finite(errors.get(api)),
      errorThreshold: finite(errorsMax.get(api)),
      headroomRatio: rl?.headroom ?? null,
      headroomThreshold: finite(headroomMin.get(api)),
      rateLimitRemaining: rl?.remaining ?? null,
      rateLimitLimit: rl?.limit ?? null,
      exhaustionSeconds: finite(exhaustion.get(api)),
      providerStatus:
        prober.apiStatus.get(api) ?? (level === undefined || level === null ? 'unknown' : statusLevelFromValue(level)),
      openIncidents: Math.max(0, Math.round(finite(openIncidents.get(provider)) ?? 0)),
      incidentTitle: prober.incidentTitles.get(provider) ?? null,
      tlsExpiresAt: tlsSeconds === null ? null : tlsSeconds * 1000,
      notProbed: notProbed.get(api) ?? null,
    };
    const verdict = apiState(base, nowMs);
    rows.push({ ...base, state: verdict.state, reasons: verdict.reasons });
  }
  return rows;
}

/** The fields `apimon status --json` prints, in the documented order. */
export const STATUS_JSON_FIELDS = [
  'api',
  'provider',
  'criticality',
  'latencyP95Seconds',
  'latencyThresholdSeconds',
  'errorRatio',
  'errorThreshold',
  'headroomRatio',
  'headroomThreshold',
  'rateLimitRemaining',
  'rateLimitLimit',
  'exhaustionSeconds',
  'providerStatus',
  'openIncidents',
  'tlsExpiresAt',
  'notProbed',
  'state',
] as const;

/** The summary as a table with every SUMMARY_FIELDS column, for the health-board panel. */
export function summaryTable(rows: ApiSummary[]): EngineTable {
  const F = SUMMARY_FIELDS;
  const column = (
    name: keyof ApiSummary,
    type: EngineColumn['type'],
    displayName: string,
    unit?: Unit
  ): EngineColumn => ({
    name,
    type,
    values: rows.map((r) => r[name] ?? null),
    displayName,
    ...(unit ? { unit } : {}),
  });
  return {
    name: 'summary',
    columns: [
      { ...column(F.api, 'string', 'API'), links: [apiLink('${__value.raw}')] },
      column(F.provider, 'string', 'Provider'),
      column(F.criticality, 'string', 'Criticality'),
      column(F.owner, 'string', 'Owner'),
      column(F.state, 'string', 'State'),
      column(F.latencyP95Seconds, 'number', 'p95', 's'),
      column(F.latencyThresholdSeconds, 'number', 'p95 threshold', 's'),
      column(F.errorRatio, 'number', 'Errors', 'percentunit'),
      column(F.errorThreshold, 'number', 'Error threshold', 'percentunit'),
      column(F.headroomRatio, 'number', 'Headroom', 'percentunit'),
      column(F.headroomThreshold, 'number', 'Headroom threshold', 'percentunit'),
      column(F.rateLimitRemaining, 'number', 'Remaining', 'short'),
      column(F.rateLimitLimit, 'number', 'Limit', 'short'),
      column(F.exhaustionSeconds, 'number', 'Exhausted in', 's'),
      column(F.providerStatus, 'string', 'Provider status'),
      column(F.openIncidents, 'number', 'Open incidents', 'short'),
      column(F.incidentTitle, 'string', 'Incident'),
      column(F.tlsExpiresAt, 'time', 'TLS expires', 'dateTimeAsIso'),
      column(F.notProbed, 'string', 'Not probed'),
    ],
  };
}
