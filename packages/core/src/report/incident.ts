// The incident report of one API over a window: our alerts (pending, firing, resolved), the
// probes' failures by outcome, the provider's status-page posts and the real traffic's failed
// requests on one timeline; when we detected it against when the provider said so; duration and
// impact; and the root cause and corrective actions of the team's incident record.
// collectIncident() asks the store and the prober; assembleIncidentReport() is pure.
import { API_LEVEL, METRICS, promString, selector, thresholdBy } from '../contract';
import { QueryError, type RawSample, type RawSeries } from '../query/response';
import { rangeWindow } from '../query/windows';
import { createTrafficQueries } from '../traffic/promql';
import { DEFAULT_TRAFFIC_SETTINGS, type TrafficSettings } from '../traffic/sources';
import { judgeApi, type VerdictInput } from '../verdict';
import { alertEpisodes, alertHistorySelector, incidentWindows, type AlertEpisode, type IncidentWindow } from './alerts';
import { percent } from './format';
import { failedProbesIn, outcomeIncreaseByStep, promSeconds } from './queries';
import type { IncidentReportRecord } from './record';
import type { IncidentWithUpdates, ReportProber, ReportStore } from './store';
import type { IncidentReport, TimelineEntry } from './types';

/** The verdict's input with nothing to judge: each use sets the one signal it asks about. */
const NO_SIGNALS: VerdictInput = {
  latencyP95Seconds: null,
  latencyThresholdSeconds: null,
  errorRatio: null,
  errorThreshold: null,
  headroomRatio: null,
  headroomThreshold: null,
  exhaustionSeconds: null,
  providerStatus: '',
  tlsExpiresAt: null,
};

/** Alerts can start before the window: their onset is looked for this far back. */
export const ALERT_LOOKBACK_MS = 3_600_000;
/** The outcome chart and the failure runs use at most this many steps. */
const MAX_STEPS = 240;

export interface IncidentOptions {
  api: string;
  fromMs: number;
  toMs: number;
  store: ReportStore;
  prober: ReportProber;
  nowMs: number;
  record?: IncidentReportRecord;
  trafficSettings?: TrafficSettings;
}

export interface IncidentInputs {
  api: string;
  fromMs: number;
  toMs: number;
  generatedAtMs: number;
  facts: RawSample[];
  stepMs: number;
  outcomes: RawSeries[];
  failedProbes: RawSample[];
  alerts: RawSeries[];
  /** null: no prober, or it did not answer. */
  incidents: IncidentWithUpdates[] | null;
  statusComponents: string[];
  /** Real traffic of the API, when the store has it: failed requests in the window and per step. */
  traffic: { failed: RawSample[]; failedBySteps: RawSeries[]; allBySteps: RawSeries[] } | null;
  /** The API's error-ratio threshold: real traffic counts as failing above it. */
  errorThreshold: number | null;
  record: IncidentReportRecord | null;
  warnings: string[];
}

export async function collectIncident(options: IncidentOptions): Promise<IncidentInputs> {
  const { api, fromMs, toMs, store, prober } = options;
  const warnings: string[] = [];
  const spanMs = toMs - fromMs;
  const stepMs = Math.max(60_000, rangeWindow({ fromMs, toMs, maxDataPoints: MAX_STEPS }).stepMs);
  const apiMatcher = `api=${promString(api)}`;
  const [facts, outcomes, failedProbes, alerts, errorThreshold] = await Promise.all([
    store.instant(
      `max by (api, provider, criticality, owner) (last_over_time(${selector(METRICS.apiInfo, [apiMatcher])}[${promSeconds(spanMs + ALERT_LOOKBACK_MS)}]))`,
      toMs
    ),
    store.range(outcomeIncreaseByStep(api, stepMs), fromMs + stepMs, toMs, stepMs),
    store.instant(failedProbesIn(api, spanMs), toMs),
    store.samples(`${alertHistorySelector(api)}[${promSeconds(spanMs + ALERT_LOOKBACK_MS)}]`, toMs),
    store.instant(
      thresholdBy(
        'api',
        `last_over_time(${selector(METRICS.thresholdErrorRatio, [apiMatcher, API_LEVEL])}[${promSeconds(spanMs)}])`
      ),
      toMs
    ),
  ]);
  const provider = facts[0]?.labels.provider;
  let incidents: IncidentWithUpdates[] | null = null;
  let statusComponents: string[] = [];
  if (!prober.configured) {
    warnings.push("the provider's status-page posts need the prober API (--prober URL)");
  } else if (provider !== undefined) {
    try {
      const [found, catalog] = await Promise.all([
        prober.incidents(fromMs - ALERT_LOOKBACK_MS, toMs, provider),
        prober.catalog().catch(() => null),
      ]);
      incidents = found.rows;
      statusComponents = catalog?.apis.find((a) => a.api === api)?.statusComponents ?? [];
    } catch (err) {
      warnings.push(`provider incidents unavailable: ${(err as Error).message}`);
    }
  }
  let traffic: IncidentInputs['traffic'] = null;
  try {
    const t = createTrafficQueries(options.trafficSettings ?? DEFAULT_TRAFFIC_SETTINGS);
    const errors = (window: string) => `sum by (api) (${t.attributed(t.requestRate(window, 'errors'))})`;
    const all = await store.instant(t.requestsPerSecond(promSeconds(spanMs)), toMs);
    if (all.some((s) => s.labels.api === api)) {
      const [failed, failedBySteps, allBySteps] = await Promise.all([
        store.instant(`${errors(promSeconds(spanMs))} * ${spanMs / 1000}`, toMs),
        store.range(`${errors(promSeconds(stepMs))} * ${stepMs / 1000}`, fromMs + stepMs, toMs, stepMs),
        store.range(`${t.requestsPerSecond(promSeconds(stepMs))} * ${stepMs / 1000}`, fromMs + stepMs, toMs, stepMs),
      ]);
      const mine = <T extends { labels: Record<string, string> }>(xs: T[]) => xs.filter((s) => s.labels.api === api);
      traffic = { failed: mine(failed), failedBySteps: mine(failedBySteps), allBySteps: mine(allBySteps) };
    }
  } catch (err) {
    warnings.push(`real traffic unavailable: ${(err as Error).message}`);
  }
  if (facts.length === 0 && outcomes.length === 0) {
    throw new QueryError(
      `the store holds no apimon series for the API "${api}" between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`,
      'prometheus'
    );
  }
  return {
    api,
    fromMs,
    toMs,
    generatedAtMs: options.nowMs,
    facts,
    stepMs,
    outcomes,
    failedProbes,
    alerts,
    incidents,
    statusComponents,
    traffic,
    errorThreshold: errorThreshold[0]?.value ?? null,
    record: options.record ?? null,
    warnings,
  };
}

/** Runs of consecutive steps with failures; a one-step gap does not end a run. */
function failureRuns(
  times: readonly number[],
  failed: readonly number[],
  stepMs: number
): Array<{ startMs: number; endMs: number; steps: number[] }> {
  const runs: Array<{ startMs: number; endMs: number; steps: number[] }> = [];
  let current: { startMs: number; endMs: number; steps: number[] } | undefined;
  times.forEach((t, i) => {
    if (failed[i] > 0) {
      if (current && t - stepMs - current.endMs <= stepMs) {
        current.endMs = t;
        current.steps.push(i);
      } else {
        current = { startMs: t - stepMs, endMs: t, steps: [i] };
        runs.push(current);
      }
    }
  });
  return runs;
}

const iso = (ms: number) => new Date(ms).toISOString();
const SOURCE_ORDER: Record<TimelineEntry['source'], number> = { probes: 0, traffic: 1, alert: 2, provider: 3 };

export function incidentId(api: string, fromMs: number): string {
  const d = new Date(fromMs).toISOString();
  return `${api.replace(/[^A-Za-z0-9._-]+/g, '-')}-${d.slice(0, 10).replace(/-/g, '')}-${d.slice(11, 16).replace(':', '')}`;
}

export function assembleIncidentReport(inputs: IncidentInputs): IncidentReport {
  const { api, fromMs, toMs, stepMs } = inputs;
  const facts = inputs.facts[0]?.labels ?? {};
  const provider = facts.provider ?? '';
  const timeline: TimelineEntry[] = [];

  // Probes per outcome, aligned on the step ends.
  const times: number[] = [];
  for (let t = fromMs + stepMs; t <= toMs; t += stepMs) {
    times.push(t);
  }
  const byOutcome: Record<string, Array<number | null>> = {};
  for (const s of inputs.outcomes) {
    const outcome = s.labels.outcome ?? 'unknown';
    const values = times.map(() => null as number | null);
    s.timestamps.forEach((t, i) => {
      const idx = times.indexOf(t);
      if (idx >= 0) {
        values[idx] = s.values[i];
      }
    });
    byOutcome[outcome] = values;
  }
  const allByStep = times.map((_, i) => Object.values(byOutcome).reduce((n, v) => n + (v[i] ?? 0), 0));
  let firstFailureMs: number | null = null;
  let lastRecoveryMs: number | null = null;
  for (const [outcome, values] of Object.entries(byOutcome)) {
    if (outcome === 'ok') {
      continue;
    }
    for (const run of failureRuns(
      times,
      values.map((v) => v ?? 0),
      stepMs
    )) {
      const failed = run.steps.reduce((n, i) => n + (values[i] ?? 0), 0);
      const all = run.steps.reduce((n, i) => n + allByStep[i], 0);
      timeline.push({
        at: iso(run.startMs),
        source: 'probes',
        kind: 'failing',
        text: `${outcome}: ${percent(all > 0 ? failed / all : null)} of probes failing`,
      });
      firstFailureMs = firstFailureMs === null ? run.startMs : Math.min(firstFailureMs, run.startMs);
      if (run.endMs < toMs) {
        timeline.push({
          at: iso(run.endMs),
          source: 'probes',
          kind: 'recovered',
          text: `${outcome}: probes recovered`,
        });
        lastRecoveryMs = Math.max(lastRecoveryMs ?? run.endMs, run.endMs);
      } else {
        lastRecoveryMs = null;
      }
    }
  }
  // Still failing at the end of the window: not recovered.
  const stillFailing = Object.entries(byOutcome).some(([o, v]) => o !== 'ok' && (v[v.length - 1] ?? 0) > 0);

  // Our alerts.
  const episodes: AlertEpisode[] = alertEpisodes(inputs.alerts, { endMs: toMs }).filter(
    (e) => e.api === api && (e.resolvedAt ?? toMs) >= fromMs - ALERT_LOOKBACK_MS
  );
  for (const e of episodes) {
    const name = `${e.alertname}${e.labels.endpoint ? ` (${e.labels.endpoint})` : ''}`;
    const sev = e.severity ? ` [${e.severity}]` : '';
    if (e.firingAt === null || e.firingAt > e.onsetAt) {
      timeline.push({ at: iso(e.onsetAt), source: 'alert', kind: 'pending', text: `${name}${sev} pending` });
    }
    if (e.firingAt !== null) {
      timeline.push({ at: iso(e.firingAt), source: 'alert', kind: 'firing', text: `${name}${sev} firing` });
    }
    if (e.resolvedAt !== null) {
      timeline.push({ at: iso(e.resolvedAt), source: 'alert', kind: 'resolved', text: `${name} resolved` });
    }
  }
  const fired = episodes.filter((e) => e.firingAt !== null);
  const detectedAt = fired.length > 0 ? Math.min(...fired.map((e) => e.firingAt!)) : null;

  // The provider's posts about it.
  const relevant = (inputs.incidents ?? []).filter(
    (i) =>
      i.provider === provider &&
      (inputs.statusComponents.length === 0 ||
        i.components.length === 0 ||
        i.components.some((c) => inputs.statusComponents.includes(c)))
  );
  let providerPostedAt: number | null = null;
  for (const i of relevant) {
    const posts =
      i.updates.length > 0
        ? i.updates
        : i.startedAt !== null
          ? [{ at: i.startedAt, status: i.status, text: i.title }]
          : [];
    for (const u of posts) {
      timeline.push({ at: iso(u.at), source: 'provider', kind: u.status ?? 'update', text: `${i.title}: ${u.text}` });
    }
    const first = posts.length > 0 ? Math.min(...posts.map((u) => u.at)) : null;
    if (first !== null) {
      providerPostedAt = providerPostedAt === null ? first : Math.min(providerPostedAt, first);
    }
  }

  // Real traffic.
  let failedRequests: number | null = null;
  if (inputs.traffic) {
    failedRequests = Math.round(inputs.traffic.failed[0]?.value ?? 0);
    const at = (series: RawSeries | undefined) =>
      times.map((t) => {
        const idx = series ? series.timestamps.indexOf(t) : -1;
        return idx >= 0 ? (series!.values[idx] ?? 0) : 0;
      });
    const values = at(inputs.traffic.failedBySteps[0]);
    const all = at(inputs.traffic.allBySteps[0]);
    // Real traffic fails all the time at some rate: a step counts when the verdict calls its
    // error ratio critical against the API's threshold (any failure when the catalog sets none).
    const failing = values.map((f, i) => {
      if (all[i] <= 0 || f <= 0) {
        return 0;
      }
      const verdict = judgeApi(
        { ...NO_SIGNALS, errorRatio: f / all[i], errorThreshold: inputs.errorThreshold ?? 0 },
        toMs
      );
      return verdict.signals.errors.severity === 'critical' ? f : 0;
    });
    for (const run of failureRuns(times, failing, stepMs)) {
      const n = run.steps.reduce((acc, i) => acc + values[i], 0);
      timeline.push({
        at: iso(run.startMs),
        source: 'traffic',
        kind: 'failing',
        text: `real traffic: requests failing (${Math.round(n)} in this stretch)`,
      });
      if (run.endMs < toMs) {
        timeline.push({
          at: iso(run.endMs),
          source: 'traffic',
          kind: 'recovered',
          text: 'real traffic: requests succeed again',
        });
      }
    }
  }

  timeline.sort((a, b) => a.at.localeCompare(b.at) || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source]);

  const onsets = [firstFailureMs, ...episodes.map((e) => e.onsetAt)].filter((v): v is number => v !== null);
  const startedAt = onsets.length > 0 ? Math.min(...onsets) : null;
  let resolvedAt: number | null;
  if (fired.length > 0) {
    resolvedAt = fired.some((e) => e.resolvedAt === null) ? null : Math.max(...fired.map((e) => e.resolvedAt!));
  } else {
    resolvedAt = stillFailing ? null : lastRecoveryMs;
  }
  const record = inputs.record;
  const failedProbes = inputs.failedProbes[0]?.value;
  return {
    api,
    from: iso(fromMs),
    to: iso(toMs),
    detectedAt: detectedAt === null ? null : iso(detectedAt),
    providerPostedAt: providerPostedAt === null ? null : iso(providerPostedAt),
    resolvedAt: resolvedAt === null ? null : iso(resolvedAt),
    timeline,
    impact: {
      failedProbes: failedProbes === undefined || failedProbes === null ? 0 : Math.round(failedProbes),
      failedRequests,
    },
    rootCause: record?.rootCause ?? null,
    correctiveActions: record?.correctiveActions ?? [],
    id: record?.id ?? incidentId(api, fromMs),
    provider,
    criticality: facts.criticality ?? '',
    generatedAt: iso(inputs.generatedAtMs),
    startedAt: startedAt === null ? null : iso(startedAt),
    durationSeconds: startedAt === null ? null : ((resolvedAt ?? toMs) - startedAt) / 1000,
    detectionLagSeconds:
      detectedAt === null || providerPostedAt === null ? null : (providerPostedAt - detectedAt) / 1000,
    summary: record?.summary ?? null,
    providerTicket: record?.providerTicket ?? null,
    record: record?.file ?? null,
    outcomes: { stepSeconds: stepMs / 1000, times: times.map(iso), byOutcome },
    warnings: inputs.warnings,
  };
}

export async function buildIncidentReport(options: IncidentOptions): Promise<IncidentReport> {
  return assembleIncidentReport(await collectIncident(options));
}

/**
 * `apimon report incident --detect`: windows in [fromMs, toMs) where a critical or warning alert
 * (of one API, or of all) fired for at least minFiringMs.
 */
export async function detectIncidents(
  store: ReportStore,
  options: { fromMs: number; toMs: number; api?: string; minFiringMs: number }
): Promise<IncidentWindow[]> {
  const span = options.toMs - options.fromMs + ALERT_LOOKBACK_MS;
  const series = await store.samples(`${alertHistorySelector(options.api)}[${promSeconds(span)}]`, options.toMs);
  return incidentWindows(alertEpisodes(series, { endMs: options.toMs }), {
    minFiringMs: options.minFiringMs,
    endMs: options.toMs,
  }).filter((w) => w.detectedAt >= options.fromMs && w.detectedAt < options.toMs);
}
