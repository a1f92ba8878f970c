// The monthly report: query results (store, alert history, prober) -> the MonthlyReport object.
// collectMonthly() asks the store and the prober; assembleMonthlyReport() is pure and turns what
// they answered into the report, judging every API with the one verdict (packages/core/src/verdict).
import {
  AUDIT_FINDING_LABELS,
  AUDIT_SEVERITIES,
  METRICS,
  promString,
  PROVIDER_FAILURE_OUTCOMES,
  selector,
} from '../contract';
import { QueryError, type RawSample, type RawSeries } from '../query/response';
import { createTrafficQueries } from '../traffic/promql';
import { DEFAULT_TRAFFIC_SETTINGS, type TrafficSettings } from '../traffic/sources';
import { judgeApi, reasonText, type ApiState } from '../verdict';
import { alertEpisodes, alertHistorySelector, alertStats, incidentWindows, type AlertEpisode } from './alerts';
import { forecastLimit, recordedForecast } from './forecast';
import { REPORT_FORMAT } from './format';
import { previousMonth, type Month } from './period';
import {
  dailyQueries,
  FORECAST_QUERIES,
  periodQueries,
  promSeconds,
  REPORT_PERCENTILES,
  REPORT_RECORDINGS,
  type ReportQueryMode,
} from './queries';
import { recordFor, type IncidentReportRecord } from './record';
import type { IncidentWithUpdates, ReportProber, ReportStore } from './store';
import type {
  AuditFinding,
  ExecutiveSummary,
  MonthlyApi,
  MonthlyApiDetail,
  MonthlyReport,
  OpenPostmortem,
  ProviderIncidentRef,
  Scalability,
  ScalabilityApi,
  TopCode,
} from './types';

const DAY_MS = 86_400_000;
/** Alert windows shorter than this are not incidents (`--min-duration` of --detect). */
export const DEFAULT_MIN_INCIDENT_MS = 5 * 60_000;
/** Top status codes listed per API. */
const TOP_CODES = 5;

export interface MonthlyOptions {
  month: Month;
  store: ReportStore;
  prober: ReportProber;
  nowMs: number;
  /** How the store names the platform's HTTP-client metrics (the catalog's `traffic:`). */
  trafficSettings?: TrafficSettings;
  /** Incident records (incidents/*.yaml) the open-items section checks against. */
  records?: readonly IncidentReportRecord[];
  /** False: read raw series even where the recording rules exist. */
  useRecordingRules?: boolean;
  minIncidentMs?: number;
}

/** Everything the store and the prober answered for one month. */
export interface MonthlyInputs {
  month: Month;
  generatedAtMs: number;
  source: ReportQueryMode;
  apis: RawSample[];
  probes: RawSample[];
  okProbes: RawSample[];
  probesByCode: RawSample[];
  latency: Record<(typeof REPORT_PERCENTILES)[number]['key'], RawSample[]>;
  latencyThreshold: RawSample[];
  errorThreshold: RawSample[];
  headroomThreshold: RawSample[];
  minHeadroom: RawSample[];
  secondsOverLatencyThreshold: RawSample[];
  /** End of each day of the month (epoch ms), and the daily series. */
  dayEnds: number[];
  daily: { latencyP95: RawSeries[]; errorRatio: RawSeries[]; minHeadroom: RawSeries[] };
  previous: { month: Month; probes: RawSample[]; okProbes: RawSample[]; latencyP95: RawSample[] };
  /** Raw alert-history samples from a day before the previous month to the end of this one. */
  alerts: RawSeries[];
  /** null: no prober configured or it did not answer (see warnings). */
  incidents: IncidentWithUpdates[] | null;
  /** statusComponents per API from the prober's catalog (to match incidents to APIs). */
  statusComponents: Map<string, string[]> | null;
  traffic: {
    requests: RawSample[];
    failed: RawSample[];
    throttled: RawSample[];
    previousRequests: RawSample[];
    dailyRequests: RawSeries[];
    dailyPeakUsage: RawSeries[];
    /** The previous month's requests per day (its days with traffic set the growth's base). */
    previousDailyRequests: RawSeries[];
    /**
     * The store's recorded capacity forecast at the month's end (FORECAST_QUERIES); null when
     * the report reads raw series only (`--raw`).
     */
    forecast: { weeklyPeak: RawSample[]; predicted: RawSample[]; daysToLimit: RawSample[] } | null;
  } | null;
  audit: RawSample[] | null;
  records: readonly IncidentReportRecord[];
  minIncidentMs: number;
  warnings: string[];
}

const settled = async <T>(p: Promise<T>, warnings: string[], what: string): Promise<T | null> => {
  try {
    return await p;
  } catch (err) {
    warnings.push(`${what}: ${(err as Error).message}`);
    return null;
  }
};

/** Asks the store (and the prober) everything the month's report needs. */
export async function collectMonthly(options: MonthlyOptions): Promise<MonthlyInputs> {
  const { month, store, prober } = options;
  const warnings: string[] = [];
  const spanMs = month.toMs - month.fromMs;
  const prev = previousMonth(month);
  const rules = options.useRecordingRules === false ? new Set<string>() : await store.recordingRules();
  let mode: ReportQueryMode = REPORT_RECORDINGS.every((r) => rules.has(r)) ? 'recorded' : 'raw';
  if (mode === 'recorded') {
    // Rules added during the month cover only part of it: then the raw series tell the truth.
    const q = periodQueries('recorded', spanMs);
    const [recorded, raw] = await Promise.all([
      store.instant(q.recordedHours, month.toMs),
      store.instant(q.rawHours, month.toMs),
    ]);
    const recordedHours = recorded[0]?.value ?? 0;
    const rawHours = raw[0]?.value ?? 0;
    if (recordedHours < rawHours - 2) {
      mode = 'raw';
      warnings.push(
        `the recording rules cover ${Math.round(recordedHours)} of the ${Math.round(rawHours)} hours with data: this report reads the raw series`
      );
    }
  } else if (options.useRecordingRules !== false) {
    warnings.push(
      `the store does not evaluate apimon's recording rules (prometheus/recording.yml): this report reads the raw series, which is slower`
    );
  }
  const q = periodQueries(mode, spanMs);
  const qPrev = periodQueries(mode, prev.toMs - prev.fromMs);
  const daily = dailyQueries(mode);
  const at = month.toMs;
  const dayEnds: number[] = [];
  for (let t = month.fromMs + DAY_MS; t <= month.toMs; t += DAY_MS) {
    dayEnds.push(t);
  }
  const range = (expr: string) => store.range(expr, dayEnds[0], dayEnds[dayEnds.length - 1], DAY_MS);
  const alertsFrom = prev.fromMs - DAY_MS;

  const [
    apis,
    probes,
    okProbes,
    probesByCode,
    p50,
    p95,
    p99,
    latencyThreshold,
    errorThreshold,
    headroomThreshold,
    minHeadroom,
    secondsOver,
    dailyP95,
    dailyErrors,
    dailyHeadroom,
    prevProbes,
    prevOk,
    prevP95,
    alerts,
  ] = await Promise.all([
    store.instant(q.apis, at),
    store.instant(q.probes, at),
    store.instant(q.okProbes, at),
    store.instant(q.probesByCode, at),
    store.instant(q.latencyQuantile(REPORT_PERCENTILES[0].q), at),
    store.instant(q.latencyQuantile(REPORT_PERCENTILES[1].q), at),
    store.instant(q.latencyQuantile(REPORT_PERCENTILES[2].q), at),
    store.instant(q.latencyThreshold, at),
    store.instant(q.errorThreshold, at),
    store.instant(q.headroomThreshold, at),
    store.instant(q.minHeadroom, at),
    store.instant(q.secondsOverLatencyThreshold, at),
    range(daily.latencyP95),
    range(daily.errorRatio),
    range(daily.minHeadroom),
    store.instant(qPrev.probes, prev.toMs),
    store.instant(qPrev.okProbes, prev.toMs),
    store.instant(qPrev.latencyQuantile(REPORT_PERCENTILES[1].q), prev.toMs),
    store.samples(`${alertHistorySelector()}[${promSeconds(at - alertsFrom)}]`, at),
  ]);

  let incidents: IncidentWithUpdates[] | null = null;
  let statusComponents: Map<string, string[]> | null = null;
  if (prober.configured) {
    const [found, catalog] = await Promise.all([
      settled(prober.incidents(month.fromMs, month.toMs), warnings, 'provider incidents unavailable'),
      settled(proberStatusComponents(prober), warnings, "the prober's catalog unavailable"),
    ]);
    if (found?.truncated) {
      warnings.push('the prober listed only its first 10,000 incidents of the month');
    }
    incidents = found?.rows ?? null;
    statusComponents = catalog;
  } else {
    warnings.push('provider incidents need the prober API (--prober URL)');
  }

  const traffic = await settled(
    collectTraffic(store, month, prev, dayEnds, options.trafficSettings, options.useRecordingRules !== false),
    warnings,
    'real traffic unavailable'
  );
  const audit = await settled(
    store.instant(
      // The scheduled audit's findings (docs/audit.md), any time in the month; the inventory
      // lines (severity info: how each API authenticates) are facts, not items to act on.
      `max by (${AUDIT_FINDING_LABELS.join(', ')}) (last_over_time(${selector(METRICS.auditFinding, [`severity!=${promString('info')}`])}[${promSeconds(spanMs)}:1h])) > 0`,
      at
    ),
    warnings,
    'audit findings unavailable'
  );

  return {
    month,
    generatedAtMs: options.nowMs,
    source: mode,
    apis,
    probes,
    okProbes,
    probesByCode,
    latency: { latencyP50Seconds: p50, latencyP95Seconds: p95, latencyP99Seconds: p99 },
    latencyThreshold,
    errorThreshold,
    headroomThreshold,
    minHeadroom,
    secondsOverLatencyThreshold: secondsOver,
    dayEnds,
    daily: { latencyP95: dailyP95, errorRatio: dailyErrors, minHeadroom: dailyHeadroom },
    previous: { month: prev, probes: prevProbes, okProbes: prevOk, latencyP95: prevP95 },
    alerts,
    incidents,
    statusComponents,
    traffic,
    audit: audit && audit.length > 0 ? audit : null,
    records: options.records ?? [],
    minIncidentMs: options.minIncidentMs ?? DEFAULT_MIN_INCIDENT_MS,
    warnings,
  };
}

async function proberStatusComponents(prober: ReportProber): Promise<Map<string, string[]>> {
  const catalog = await prober.catalog();
  return new Map(catalog.apis.map((a) => [a.api, a.statusComponents]));
}

async function collectTraffic(
  store: ReportStore,
  month: Month,
  prev: Month,
  dayEnds: number[],
  settings: TrafficSettings = DEFAULT_TRAFFIC_SETTINGS,
  readRecordedForecast = true
): Promise<MonthlyInputs['traffic']> {
  const t = createTrafficQueries(settings);
  const span = month.toMs - month.fromMs;
  const R = promSeconds(span);
  const seconds = span / 1000;
  const requests = await store.instant(`${t.requestsPerSecond(R)} * ${seconds}`, month.toMs);
  if (requests.length === 0) {
    return null;
  }
  const range = (expr: string) => store.range(expr, dayEnds[0], dayEnds[dayEnds.length - 1], DAY_MS);
  const prevSpan = prev.toMs - prev.fromMs;
  const prevDayEnds: number[] = [];
  for (let t = prev.fromMs + DAY_MS; t <= prev.toMs; t += DAY_MS) {
    prevDayEnds.push(t);
  }
  const [failed, throttled, previousRequests, dailyRequests, dailyPeakUsage, previousDailyRequests] = await Promise.all(
    [
      store.instant(`sum by (api) (${t.attributed(t.requestRate(R, 'errors'))}) * ${seconds}`, month.toMs),
      store.instant(`${t.throttledPerSecond(R)} * ${seconds}`, month.toMs),
      store.instant(`${t.requestsPerSecond(promSeconds(prevSpan))} * ${prevSpan / 1000}`, prev.toMs),
      range(`${t.requestsPerSecond('1d')} * 86400`),
      range(t.usagePeakRatio('5m', '1d', '5m')),
      store.range(`${t.requestsPerSecond('1d')} * 86400`, prevDayEnds[0], prevDayEnds[prevDayEnds.length - 1], DAY_MS),
    ]
  );
  // The recorded forecast is read wherever the store has it, also when the hourly probe rules
  // are missing or partial and the other numbers come from raw series (it has no raw spelling:
  // it trends the recorded weekly peak). Only `--raw` (no rules at all) leaves it to the fit.
  const forecast = readRecordedForecast
    ? await Promise.all([
        store.instant(FORECAST_QUERIES.weeklyPeak, month.toMs),
        store.instant(FORECAST_QUERIES.predicted, month.toMs),
        store.instant(FORECAST_QUERIES.daysToLimit, month.toMs),
      ]).then(([weeklyPeak, predicted, daysToLimit]) => ({ weeklyPeak, predicted, daysToLimit }))
    : null;
  return { requests, failed, throttled, previousRequests, dailyRequests, dailyPeakUsage, previousDailyRequests, forecast };
}

const valueMap = (samples: readonly RawSample[]) => {
  const out = new Map<string, number | null>();
  for (const s of samples) {
    if (s.labels.api !== undefined) {
      out.set(s.labels.api, s.value);
    }
  }
  return out;
};

const finite = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

function aligned(series: readonly RawSeries[], dayEnds: readonly number[]): Map<string, Array<number | null>> {
  const out = new Map<string, Array<number | null>>();
  for (const s of series) {
    const api = s.labels.api;
    if (api === undefined) {
      continue;
    }
    const values: Array<number | null> = dayEnds.map(() => null);
    s.timestamps.forEach((t, i) => {
      const idx = dayEnds.indexOf(t);
      if (idx >= 0) {
        values[idx] = finite(s.values[i]);
      }
    });
    out.set(api, values);
  }
  return out;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const dayLabel = (endMs: number) => new Date(endMs - DAY_MS).toISOString().slice(0, 10);

function incidentsOf(
  incidents: readonly IncidentWithUpdates[],
  provider: string,
  components: readonly string[],
  endMs: number
): ProviderIncidentRef[] {
  return incidents
    .filter((i) => i.provider === provider)
    .filter(
      (i) => components.length === 0 || i.components.length === 0 || i.components.some((c) => components.includes(c))
    )
    .map((i) => ({
      provider: i.provider,
      id: i.id,
      title: i.title,
      impact: i.impact,
      status: i.status,
      startedAt: iso(i.startedAt),
      resolvedAt: iso(i.resolvedAt),
      durationSeconds: i.startedAt === null ? null : Math.max(0, ((i.resolvedAt ?? endMs) - i.startedAt) / 1000),
      url: i.url,
    }))
    .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
}

const CRITICALITY_ORDER = ['critical', 'standard', 'background'];

/** The month's report from what the store and the prober answered. Pure. */
export function assembleMonthlyReport(inputs: MonthlyInputs): MonthlyReport {
  const { month } = inputs;
  const probes = valueMap(inputs.probes);
  const ok = valueMap(inputs.okProbes);
  const latency = {
    latencyP50Seconds: valueMap(inputs.latency.latencyP50Seconds),
    latencyP95Seconds: valueMap(inputs.latency.latencyP95Seconds),
    latencyP99Seconds: valueMap(inputs.latency.latencyP99Seconds),
  };
  const latencyThreshold = valueMap(inputs.latencyThreshold);
  const errorThreshold = valueMap(inputs.errorThreshold);
  const headroomThreshold = valueMap(inputs.headroomThreshold);
  const minHeadroom = valueMap(inputs.minHeadroom);
  const secondsOver = valueMap(inputs.secondsOverLatencyThreshold);
  const dailyP95 = aligned(inputs.daily.latencyP95, inputs.dayEnds);
  const dailyErrors = aligned(inputs.daily.errorRatio, inputs.dayEnds);
  const dailyHeadroom = aligned(inputs.daily.minHeadroom, inputs.dayEnds);
  const prevProbes = valueMap(inputs.previous.probes);
  const prevOk = valueMap(inputs.previous.okProbes);
  const prevP95 = valueMap(inputs.previous.latencyP95);
  const episodes = alertEpisodes(inputs.alerts, { endMs: month.toMs });
  const episodesOf = new Map<string, AlertEpisode[]>();
  for (const e of episodes) {
    episodesOf.set(e.api, [...(episodesOf.get(e.api) ?? []), e]);
  }
  const byCode = new Map<string, RawSample[]>();
  for (const s of inputs.probesByCode) {
    const api = s.labels.api ?? '';
    byCode.set(api, [...(byCode.get(api) ?? []), s]);
  }
  const traffic = inputs.traffic;
  const trafficRequests = valueMap(traffic?.requests ?? []);
  const trafficFailed = valueMap(traffic?.failed ?? []);
  const trafficThrottled = valueMap(traffic?.throttled ?? []);
  const trafficPrev = valueMap(traffic?.previousRequests ?? []);
  const dailyRequests = aligned(traffic?.dailyRequests ?? [], inputs.dayEnds);
  const dailyPeak = aligned(traffic?.dailyPeakUsage ?? [], inputs.dayEnds);
  const recordedPeak = valueMap(traffic?.forecast?.weeklyPeak ?? []);
  const recordedPredicted = valueMap(traffic?.forecast?.predicted ?? []);
  const recordedDays = valueMap(traffic?.forecast?.daysToLimit ?? []);
  // Requests per day with traffic, this month and last: a month the store holds only part of
  // (traffic recorded since mid-month) still compares fairly.
  const perTrafficDay = (series: readonly RawSeries[], api: string): number | null => {
    const s = series.find((x) => x.labels.api === api);
    const days = (s?.values ?? []).filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
    return days.length === 0 ? null : days.reduce((a, b) => a + b, 0) / days.length;
  };

  // One row per API; an API seen with two providers in the month keeps the last one listed.
  const facts = new Map<string, { provider: string; criticality: string; owner: string }>();
  for (const s of inputs.apis) {
    if (s.labels.api) {
      facts.set(s.labels.api, {
        provider: s.labels.provider ?? '',
        criticality: s.labels.criticality ?? '',
        owner: s.labels.owner ?? '',
      });
    }
  }
  for (const s of inputs.probes) {
    if (s.labels.api && !facts.has(s.labels.api)) {
      facts.set(s.labels.api, { provider: s.labels.provider ?? '', criticality: '', owner: '' });
    }
  }
  const names = [...facts.keys()].sort((a, b) => {
    const fa = facts.get(a)!;
    const fb = facts.get(b)!;
    const rank = (c: string) =>
      CRITICALITY_ORDER.includes(c) ? CRITICALITY_ORDER.indexOf(c) : CRITICALITY_ORDER.length;
    return rank(fa.criticality) - rank(fb.criticality) || fa.provider.localeCompare(fb.provider) || a.localeCompare(b);
  });

  const apis: MonthlyApi[] = [];
  const details: MonthlyApiDetail[] = [];
  for (const api of names) {
    const f = facts.get(api)!;
    const all = finite(probes.get(api)) ?? 0;
    const okCount = finite(ok.get(api)) ?? 0;
    const failed = Math.max(0, all - okCount);
    const availability = all > 0 ? okCount / all : null;
    const errorRatio = all > 0 ? failed / all : null;
    const codes = (byCode.get(api) ?? []).filter((s) => s.labels.outcome !== 'ok' && (s.value ?? 0) > 0);
    const topCodes: TopCode[] = codes
      .map((s) => ({ code: s.labels.code ?? '', outcome: s.labels.outcome ?? '', probes: Math.round(s.value ?? 0) }))
      .filter((c) => c.probes > 0)
      .sort((a, b) => b.probes - a.probes || a.code.localeCompare(b.code))
      .slice(0, TOP_CODES);
    const byOutcome: Record<string, number> = {};
    for (const s of codes) {
      const o = s.labels.outcome ?? '';
      byOutcome[o] = (byOutcome[o] ?? 0) + (s.value ?? 0);
    }
    const errorRatioByOutcome = Object.fromEntries(
      Object.entries(byOutcome)
        .filter(([, n]) => all > 0 && n > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([o, n]) => [o, n / all])
    );
    const providerFailed = Object.entries(byOutcome)
      .filter(([o]) => (PROVIDER_FAILURE_OUTCOMES as readonly string[]).includes(o))
      .reduce((n, [, v]) => n + v, 0);
    const stats = alertStats(episodesOf.get(api) ?? [], month.fromMs, month.toMs);
    const prevStats = alertStats(episodesOf.get(api) ?? [], inputs.previous.month.fromMs, inputs.previous.month.toMs);
    const p95 = finite(latency.latencyP95Seconds.get(api));
    const threshold = finite(latencyThreshold.get(api));
    const errThreshold = finite(errorThreshold.get(api));
    const hrThreshold = finite(headroomThreshold.get(api));
    const minHr = finite(minHeadroom.get(api));
    const verdict = judgeApi(
      {
        latencyP95Seconds: all > 0 ? p95 : null,
        latencyThresholdSeconds: threshold,
        errorRatio,
        errorThreshold: errThreshold,
        headroomRatio: minHr,
        headroomThreshold: hrThreshold,
        exhaustionSeconds: null,
        providerStatus: '',
        tlsExpiresAt: null,
      },
      month.toMs
    );
    const components = inputs.statusComponents?.get(api) ?? [];
    apis.push({
      api,
      provider: f.provider,
      criticality: f.criticality,
      availabilityRatio: availability,
      latencyP50Seconds: all > 0 ? finite(latency.latencyP50Seconds.get(api)) : null,
      latencyP95Seconds: all > 0 ? p95 : null,
      latencyP99Seconds: all > 0 ? finite(latency.latencyP99Seconds.get(api)) : null,
      latencyThresholdSeconds: threshold,
      secondsOverLatencyThreshold: all > 0 ? (finite(secondsOver.get(api)) ?? 0) : null,
      errorRatio,
      probes: Math.round(all),
      failedProbes: Math.round(failed),
      topCodes,
      minHeadroomRatio: minHr,
      alertsFired: stats.alertsFired,
      alertFiringSeconds: stats.alertFiringSeconds,
      providerIncidents: inputs.incidents
        ? incidentsOf(inputs.incidents, f.provider, components, Math.min(month.toMs, inputs.generatedAtMs))
        : [],
    });
    const prevAll = finite(prevProbes.get(api)) ?? 0;
    const prevOkCount = finite(prevOk.get(api)) ?? 0;
    const requests = finite(trafficRequests.get(api));
    details.push({
      api,
      owner: f.owner,
      state: verdict.state,
      reasons: verdict.reasons.map((r) => reasonText(r, REPORT_FORMAT)),
      availabilityObjective: errThreshold === null ? null : 1 - errThreshold,
      errorThreshold: errThreshold,
      headroomThreshold: hrThreshold,
      errorRatioByOutcome,
      providerErrorRatio: all > 0 ? providerFailed / all : null,
      rateLimitedProbes: Math.round(byOutcome.rate_limited ?? 0),
      meanSecondsToDetect: stats.meanSecondsToDetect,
      meanSecondsToResolve: stats.meanSecondsToResolve,
      traffic:
        requests === null
          ? null
          : {
              requests: Math.round(requests),
              failedRequests: finite(trafficFailed.get(api)) === null ? null : Math.round(trafficFailed.get(api)!),
              throttledRequests:
                finite(trafficThrottled.get(api)) === null ? null : Math.round(trafficThrottled.get(api)!),
              peakUsageRatio: maxOf(dailyPeak.get(api)),
            },
      previous:
        prevAll > 0
          ? {
              availabilityRatio: prevOkCount / prevAll,
              latencyP95Seconds: finite(prevP95.get(api)),
              errorRatio: Math.max(0, prevAll - prevOkCount) / prevAll,
              probes: Math.round(prevAll),
              alertsFired: prevStats.alertsFired,
              trafficRequests: finite(trafficPrev.get(api)) === null ? null : Math.round(trafficPrev.get(api)!),
            }
          : null,
      daily: {
        days: inputs.dayEnds.map(dayLabel),
        latencyP95Seconds: dailyP95.get(api) ?? inputs.dayEnds.map(() => null),
        errorRatio: dailyErrors.get(api) ?? inputs.dayEnds.map(() => null),
        minHeadroomRatio: dailyHeadroom.get(api) ?? inputs.dayEnds.map(() => null),
      },
    });
  }

  const windows = incidentWindows(episodes, { minFiringMs: inputs.minIncidentMs, endMs: month.toMs }).filter(
    (w) => w.detectedAt >= month.fromMs && w.detectedAt < month.toMs
  );
  const postmortems: OpenPostmortem[] = [];
  for (const w of windows) {
    const record = recordFor(inputs.records, w.api, w.startedAt, w.resolvedAt ?? month.toMs);
    if (record && record.rootCause) {
      continue;
    }
    postmortems.push({
      api: w.api,
      severity: w.severity,
      alerts: w.alerts,
      startedAt: new Date(w.startedAt).toISOString(),
      resolvedAt: iso(w.resolvedAt),
      firingSeconds: w.firingSeconds,
      record: record ? record.file : null,
      missing: record ? 'rootCause' : 'record',
    });
  }
  const auditFindings: AuditFinding[] | null = inputs.audit
    ? inputs.audit
        .map((s) => ({
          api: s.labels.api ?? '',
          endpoint: s.labels.endpoint ?? '',
          kind: s.labels.kind ?? '',
          severity: s.labels.severity ?? '',
        }))
        // Worst first, as `apimon audit` lists them.
        .sort(
          (a, b) =>
            severityOrder(b.severity) - severityOrder(a.severity) ||
            a.api.localeCompare(b.api) ||
            a.kind.localeCompare(b.kind) ||
            a.endpoint.localeCompare(b.endpoint)
        )
    : null;

  const scalability: Scalability = {
    trafficAvailable: traffic !== null,
    days: inputs.dayEnds.map(dayLabel),
    apis: [],
    headroomBelowMinimum: [],
  };
  for (const a of apis) {
    const d = details.find((x) => x.api === a.api)!;
    if (d.traffic) {
      const peaks = dailyPeak.get(a.api) ?? inputs.dayEnds.map(() => null);
      const previousRequests = d.previous?.trafficRequests ?? finite(trafficPrev.get(a.api));
      // The recorded forecast where the store has it for this API; the month's line otherwise.
      const predicted = finite(recordedPredicted.get(a.api));
      const row: ScalabilityApi = {
        api: a.api,
        provider: a.provider,
        requests: d.traffic.requests,
        previousRequests: previousRequests === null ? null : Math.round(previousRequests),
        growthRatio: growth(
          perTrafficDay(traffic?.dailyRequests ?? [], a.api),
          perTrafficDay(traffic?.previousDailyRequests ?? [], a.api)
        ),
        peakUsageRatio: d.traffic.peakUsageRatio,
        dailyRequests: dailyRequests.get(a.api) ?? inputs.dayEnds.map(() => null),
        dailyPeakUsageRatio: peaks,
        forecast:
          predicted !== null
            ? recordedForecast(
                { weeklyPeak: finite(recordedPeak.get(a.api)), predicted, daysToLimit: finite(recordedDays.get(a.api)) },
                month.toMs,
                peaks.some((p) => p !== null && p >= 1)
              )
            : forecastLimit(
                inputs.dayEnds.map((t) => t - DAY_MS),
                peaks,
                month.toMs
              ),
      };
      scalability.apis.push(row);
    }
    if (a.minHeadroomRatio !== null && d.headroomThreshold !== null && a.minHeadroomRatio < d.headroomThreshold) {
      scalability.headroomBelowMinimum.push({
        api: a.api,
        minHeadroomRatio: a.minHeadroomRatio,
        headroomThreshold: d.headroomThreshold,
      });
    }
  }
  scalability.apis.sort((x, y) => (y.peakUsageRatio ?? -1) - (x.peakUsageRatio ?? -1) || x.api.localeCompare(y.api));

  return {
    month: month.month,
    generatedAt: new Date(inputs.generatedAtMs).toISOString(),
    apis,
    from: new Date(month.fromMs).toISOString(),
    to: new Date(month.toMs).toISOString(),
    source: inputs.source,
    summary: executiveSummary(apis, details, postmortems, inputs),
    details,
    scalability,
    openItems: { postmortems, auditFindings },
    warnings: inputs.warnings,
  };
}

const severityOrder = (s: string) => (AUDIT_SEVERITIES as readonly string[]).indexOf(s);

const growth = (current: number | null, previous: number | null) =>
  current === null || !previous ? null : current / previous - 1;

function maxOf(values: ReadonlyArray<number | null> | undefined): number | null {
  const xs = (values ?? []).filter((v): v is number => v !== null);
  return xs.length === 0 ? null : Math.max(...xs);
}

function executiveSummary(
  apis: MonthlyApi[],
  details: MonthlyApiDetail[],
  postmortems: OpenPostmortem[],
  inputs: MonthlyInputs
): ExecutiveSummary {
  const byState: Record<ApiState, number> = { ok: 0, warning: 0, critical: 0, unknown: 0 };
  const missed: ExecutiveSummary['objectivesMissed'] = [];
  let met = 0;
  const breaches: ExecutiveSummary['latencyBreaches'] = [];
  for (const a of apis) {
    const d = details.find((x) => x.api === a.api)!;
    byState[d.state]++;
    if (a.availabilityRatio !== null && d.availabilityObjective !== null) {
      if (d.state !== 'unknown' && a.availabilityRatio < d.availabilityObjective - 1e-12) {
        missed.push({ api: a.api, availabilityRatio: a.availabilityRatio, objective: d.availabilityObjective });
      } else {
        met++;
      }
    }
    if (
      a.latencyP95Seconds !== null &&
      a.latencyThresholdSeconds !== null &&
      a.latencyP95Seconds > a.latencyThresholdSeconds
    ) {
      breaches.push({
        api: a.api,
        latencyP95Seconds: a.latencyP95Seconds,
        latencyThresholdSeconds: a.latencyThresholdSeconds,
      });
    }
  }
  missed.sort((a, b) => a.availabilityRatio - a.objective - (b.availabilityRatio - b.objective));
  breaches.sort(
    (a, b) => b.latencyP95Seconds / b.latencyThresholdSeconds - a.latencyP95Seconds / a.latencyThresholdSeconds
  );
  const incidentIds = new Set(apis.flatMap((a) => a.providerIncidents.map((i) => `${i.provider}\u0000${i.id}`)));
  const f = REPORT_FORMAT;
  const highlights: string[] = [];
  const measured = apis.filter((a) => a.availabilityRatio !== null).length;
  highlights.push(`${met} of ${measured} APIs met their availability objective.`);
  for (const m of missed.slice(0, 5)) {
    highlights.push(`${m.api}: availability ${f.percent(m.availabilityRatio)}, objective ${f.percent(m.objective)}.`);
  }
  for (const b of breaches.slice(0, 5)) {
    const a = apis.find((x) => x.api === b.api)!;
    const over = a.secondsOverLatencyThreshold ? `, over it for ${f.duration!(a.secondsOverLatencyThreshold)}` : '';
    highlights.push(
      `${b.api}: p95 ${f.seconds(b.latencyP95Seconds)} above its ${f.seconds(b.latencyThresholdSeconds)} threshold${over}.`
    );
  }
  const alertsFired = apis.reduce((n, a) => n + a.alertsFired, 0);
  if (alertsFired > 0) {
    const firing = apis.reduce((n, a) => n + a.alertFiringSeconds, 0);
    highlights.push(`${alertsFired} alert${alertsFired === 1 ? '' : 's'} fired, for ${f.duration!(firing)} in all.`);
  }
  if (inputs.incidents !== null) {
    highlights.push(`${incidentIds.size} provider incident${incidentIds.size === 1 ? '' : 's'} affected these APIs.`);
  }
  if (postmortems.length > 0) {
    highlights.push(
      `${postmortems.length} incident${postmortems.length === 1 ? '' : 's'} still without a written root cause.`
    );
  }
  return {
    apis: apis.length,
    byState,
    objectivesMet: met,
    objectivesMissed: missed,
    latencyBreaches: breaches,
    probes: apis.reduce((n, a) => n + a.probes, 0),
    failedProbes: apis.reduce((n, a) => n + a.failedProbes, 0),
    alertsFired,
    alertFiringSeconds: apis.reduce((n, a) => n + a.alertFiringSeconds, 0),
    providerIncidents: incidentIds.size,
    openPostmortems: postmortems.length,
    highlights,
  };
}

/** Collects and assembles the month's report. Store failures reject with a QueryError. */
export async function buildMonthlyReport(options: MonthlyOptions): Promise<MonthlyReport> {
  const inputs = await collectMonthly(options);
  if (inputs.apis.length === 0 && inputs.probes.length === 0) {
    throw new QueryError(
      `the store holds no apimon series for ${options.month.month} (is it the right store, and does it keep a month of data?)`,
      'prometheus'
    );
  }
  return assembleMonthlyReport(inputs);
}
