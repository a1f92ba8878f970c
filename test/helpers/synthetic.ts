// Synthetic apimon series in OpenMetrics text, for `promtool tsdb create-blocks-from openmetrics`:
// what a prober would have exposed, sample by sample, over hours or days, with faults injected
// from a given time; the platform's real traffic as the OTel Prometheus exporter writes it
// (stable or old conventions); and the alert history. The metric names and labels are the
// contract's (packages/core/src/contract/) and the traffic presets' (packages/core/src/traffic/sources.ts).
import {
  ALERT_SOURCE,
  METRICS,
  PHASES,
  SIZE_BUCKETS,
  TRAFFIC_LABELS,
  TRAFFIC_METRICS,
  TRAFFIC_SOURCE_PRESETS,
} from '@apimon/core';

export interface SyntheticFault {
  /** Probe duration in seconds while the fault lasts. */
  latencySeconds?: number;
  /** Share of probes failing, and how. */
  errorRatio?: number;
  errorOutcome?: 'timeout' | 'http_5xx' | 'connect' | 'http_4xx';
  /** Rate-limit remaining drops by this many requests per minute (from the fault on). */
  quotaBurnPerMinute?: number;
  /** Rate-limit remaining pinned to this value. */
  remaining?: number;
  tlsDaysLeft?: number;
  /** Level of the API's own component on its provider's status page (contract STATUS_LEVELS index). */
  providerLevel?: number;
  /** The prober cannot probe the API any more for this reason (e.g. "missing env PAY_API_KEY"). */
  misconfigured?: string;
}

/** The platform's real calls to an API (docs/real-traffic.md). */
export interface SyntheticTraffic {
  /** Calls per second while healthy, at the start of the history. */
  rps: number;
  /** Calls per second added per hour of history (growth, for the capacity forecast). */
  growthPerHour?: number;
  latencySeconds: number;
  /** Response body size in bytes (default 2048). */
  responseBytes?: number;
  /** The conventions the platform emits (default stable). */
  convention?: 'stable' | 'old';
  /** The catalog's documented rate limit and its usage threshold. */
  documentedLimit?: { limit: number; windowSeconds: number; usageThreshold: number };
  fault?: {
    rps?: number;
    /** Share of calls failing: a 503 answer, or no answer at all (error.type timeout). */
    errorRatio?: number;
    errorKind?: '503' | 'timeout';
    /** Share of calls answered 429. */
    throttledRatio?: number;
    latencySeconds?: number;
  };
}

export interface SyntheticApi {
  api: string;
  provider: string;
  criticality: 'critical' | 'standard' | 'background';
  owner: string;
  endpoint: string;
  thresholds: { latency: number; errorRatio: number; headroom: number };
  /** Healthy behaviour. */
  latencySeconds: number;
  errorRatio: number;
  rateLimit?: { limit: number; remaining: number; resetSeconds: number };
  tlsDaysLeft?: number;
  /** Its component's status level when healthy (default 0, operational); null: no status page. */
  providerLevel?: number | null;
  fault?: SyntheticFault;
  traffic?: SyntheticTraffic;
  /** Faults of their own over [fromMs, toMs): latency and errors (with their outcome) only. */
  windows?: SyntheticFaultWindow[];
}

export type SyntheticFaultWindow = Pick<SyntheticFault, 'latencySeconds' | 'errorRatio' | 'errorOutcome'> & {
  fromMs: number;
  toMs: number;
};

/**
 * An alert as the store's alert history records it: ALERTS{alertstate="pending"} from its onset
 * until it fires, then ALERTS{alertstate="firing"} until it resolves, one sample per evaluation.
 */
export interface SyntheticAlert {
  alertname: string;
  api: string;
  provider: string;
  severity: 'critical' | 'warning' | 'info';
  /** First evaluation that saw the condition. */
  pendingFromMs: number;
  /** First evaluation that fired (equal to pendingFromMs for a rule without `for`). */
  firingFromMs: number;
  /** First evaluation that no longer saw it; undefined: still firing at the end of the history. */
  resolvedAtMs?: number;
  /** Extra labels (endpoint, ...). */
  labels?: Record<string, string>;
}

export interface SyntheticOptions {
  apis: SyntheticApi[];
  startMs: number;
  endMs: number;
  stepMs: number;
  /**
   * A coarser step for the history before this time (e.g. 30 days at 10 minutes, then the
   * last hours at the scrape interval), to keep month-long histories small.
   */
  denseFromMs?: number;
  coarseStepMs?: number;
  /** When the faults start (default: never). */
  faultFromMs?: number;
  /** Stretches written at `stepMs` while the rest of the history uses `coarseStepMs`. */
  denseWindows?: Array<{ fromMs: number; toMs: number }>;
  /** Alert history (ALERTS series) to write. */
  alerts?: SyntheticAlert[];
  /** How often the alert rules are evaluated (default 1 minute). */
  alertEvaluationMs?: number;
  /** Probes per step and endpoint. */
  probesPerStep?: number;
  /** Histogram buckets to write (default: a subset of the contract's). */
  buckets?: number[];
  /** Write the phase histograms too (bigger output). */
  phases?: boolean;
  location?: string;
  /** Real calls per second to a host no API claims (unmapped traffic); default none. */
  unmappedRps?: number;
  /** Write the scheduled audit's run series (one per prober: leave it out of a second history
   * appended to the same file). */
  auditRun?: boolean;
}

export const SYNTHETIC_BUCKETS = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10];
const PHASE_SHARE: Record<string, number> = { dns: 0.05, connect: 0.1, tls: 0.15, ttfb: 0.6, transfer: 0.1 };

const labelText = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

/** Writes the samples of one series; `value(i, tMs)` gives the value at step i. */
function series(
  out: Sink,
  name: string,
  labels: Record<string, string>,
  times: number[],
  value: (i: number, t: number) => number | undefined
) {
  const prefix = `${name}${labelText(labels)} `;
  let chunk = '';
  for (let i = 0; i < times.length; i++) {
    const v = value(i, times[i]);
    if (v !== undefined) {
      chunk += `${prefix}${Number.isInteger(v) ? v : v.toFixed(6)} ${(times[i] / 1000).toFixed(3)}\n`;
    }
  }
  out(chunk);
}

/** Receives the text in chunks (one series at a time). */
export type Sink = (chunk: string) => void;

export function syntheticOpenMetrics(options: SyntheticOptions): string {
  const parts: string[] = [];
  writeSyntheticOpenMetrics(options, (chunk) => parts.push(chunk));
  return parts.join('');
}

/** Streams the OpenMetrics text to `out`, for histories too big for one string. */
export function writeSyntheticOpenMetrics(options: SyntheticOptions, out: Sink): void {
  const { apis, startMs, endMs, stepMs } = options;
  const faultFrom = options.faultFromMs ?? Number.POSITIVE_INFINITY;
  const perStep = options.probesPerStep ?? 2;
  const buckets = options.buckets ?? SYNTHETIC_BUCKETS;
  const location = options.location ?? 'local';
  const times: number[] = [];
  // Without denseFromMs or denseWindows every step is dense; with windows only they are.
  const denseFrom = options.denseFromMs ?? (options.denseWindows ? Number.POSITIVE_INFINITY : startMs);
  const dense = (t: number) => t >= denseFrom || (options.denseWindows ?? []).some((w) => t >= w.fromMs && t < w.toMs);
  for (let t = startMs; t <= endMs; t += dense(t) ? stepMs : (options.coarseStepMs ?? stepMs)) {
    times.push(t);
  }
  // Counters grow with elapsed time, so rates stay the same where the step changes.
  const weights = times.map((t, i) => (i === 0 ? 1 : (t - times[i - 1]) / stepMs));
  const inFault = (a: SyntheticApi, t: number) => a.fault !== undefined && t >= faultFrom;
  // A window of the API's own wins over its fault from faultFromMs.
  const windowAt = (a: SyntheticApi, t: number) => a.windows?.find((w) => t >= w.fromMs && t < w.toMs);
  const scrape = { job: 'apimon', instance: 'prober:9464' };

  for (const a of apis) {
    const base = { ...scrape, api: a.api, provider: a.provider, location };
    const probe = { ...base, endpoint: a.endpoint };
    const latencyAt = (t: number) =>
      windowAt(a, t)?.latencySeconds ??
      (inFault(a, t) ? (a.fault?.latencySeconds ?? a.latencySeconds) : a.latencySeconds);
    const errorAt = (t: number) =>
      windowAt(a, t)?.errorRatio ?? (inFault(a, t) ? (a.fault?.errorRatio ?? a.errorRatio) : a.errorRatio);
    // A misconfigured API is not probed at all.
    const notProbed = (t: number) => inFault(a, t) && a.fault?.misconfigured !== undefined;
    const probesAt = (t: number) => (notProbed(t) ? 0 : perStep);

    series(
      out,
      METRICS.apiInfo,
      { ...base, criticality: a.criticality, owner: a.owner, auth: 'bearer' },
      times,
      () => 1
    );
    // As the prober exports it: 0 without a reason while fine, 1 with the reason otherwise.
    series(out, METRICS.apiMisconfigured, base, times, (_i, t) => (notProbed(t) ? undefined : 0));
    if (a.fault?.misconfigured !== undefined) {
      series(out, METRICS.apiMisconfigured, { ...base, reason: a.fault.misconfigured }, times, (_i, t) =>
        notProbed(t) ? 1 : undefined
      );
      let skipped = 0;
      series(
        out,
        METRICS.probeSkipped,
        { ...probe, reason: 'misconfigured' },
        times,
        (i, t) => (skipped += notProbed(t) ? weights[i] : 0)
      );
    }
    for (const [metric, value] of [
      [METRICS.thresholdLatency, a.thresholds.latency],
      [METRICS.thresholdErrorRatio, a.thresholds.errorRatio],
      [METRICS.thresholdHeadroom, a.thresholds.headroom],
    ] as const) {
      series(out, metric, base, times, () => value);
      series(out, metric, probe, times, () => value);
    }

    // Histograms: every probe of a step takes the step's latency.
    const cumulative = (fn: (latency: number, probes: number) => number) => {
      const acc: number[] = [];
      let total = 0;
      times.forEach((t, i) => {
        total += fn(latencyAt(t), probesAt(t)) * weights[i];
        acc.push(total);
      });
      return acc;
    };
    for (const le of [...buckets, Number.POSITIVE_INFINITY]) {
      const counts = cumulative((lat, n) => (lat <= le ? n : 0));
      series(
        out,
        `${METRICS.probeDuration}_bucket`,
        { ...probe, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) },
        times,
        (i) => counts[i]
      );
    }
    const sums = cumulative((lat, n) => lat * n);
    const counts = cumulative((_lat, n) => n);
    series(out, `${METRICS.probeDuration}_sum`, probe, times, (i) => sums[i]);
    series(out, `${METRICS.probeDuration}_count`, probe, times, (i) => counts[i]);
    if (options.phases) {
      for (const phase of PHASES) {
        for (const le of [...buckets, Number.POSITIVE_INFINITY]) {
          const c = cumulative((lat, n) => (lat * PHASE_SHARE[phase] <= le ? n : 0));
          series(
            out,
            `${METRICS.probePhaseDuration}_bucket`,
            { ...probe, phase, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) },
            times,
            (i) => c[i]
          );
        }
      }
    }

    // Requests: ok and failed probes as float counters (exact shares), one per failure outcome.
    let ok = 0;
    const okSeries: number[] = [];
    const failedBy = new Map<string, number[]>();
    const defaultOutcome = a.fault?.errorOutcome ?? 'http_5xx';
    times.forEach((t, i) => {
      const e = errorAt(t);
      ok += probesAt(t) * (1 - e) * weights[i];
      okSeries.push(ok);
      const outcome = windowAt(a, t)?.errorOutcome ?? defaultOutcome;
      if (e > 0 && !failedBy.has(outcome)) {
        failedBy.set(
          outcome,
          times.slice(0, i).map(() => 0)
        );
      }
      for (const [o, acc] of failedBy) {
        acc.push((acc[acc.length - 1] ?? 0) + (o === outcome ? probesAt(t) * e * weights[i] : 0));
      }
    });
    series(out, METRICS.probeRequests, { ...probe, code: '200', outcome: 'ok' }, times, (i) => okSeries[i]);
    for (const [outcome, failedSeries] of failedBy) {
      const code = outcome === 'http_5xx' ? '503' : outcome === 'http_4xx' ? '401' : '0';
      series(out, METRICS.probeRequests, { ...probe, code, outcome }, times, (i) => failedSeries[i]);
    }

    if (a.rateLimit) {
      const rl = a.rateLimit;
      const policy = { ...probe, policy: 'default' };
      series(out, METRICS.rateLimitLimit, policy, times, () => rl.limit);
      series(out, METRICS.rateLimitReset, policy, times, () => rl.resetSeconds);
      series(out, METRICS.rateLimitRemaining, policy, times, (_i, t) => {
        if (!inFault(a, t)) {
          return rl.remaining;
        }
        if (a.fault?.remaining !== undefined) {
          return a.fault.remaining;
        }
        const burn = a.fault?.quotaBurnPerMinute ?? 0;
        return Math.max(0, rl.remaining - (burn * (t - faultFrom)) / 60_000);
      });
      if (a.fault?.remaining === 0) {
        // Exhausted: the quota guard holds most probes back; the odd one gets a 429.
        let skipped = 0;
        let throttled = 0;
        series(
          out,
          METRICS.probeSkipped,
          { ...probe, reason: 'quota_guard' },
          times,
          (i, t) => (skipped += inFault(a, t) ? weights[i] : 0)
        );
        series(
          out,
          METRICS.probeRequests,
          { ...probe, code: '429', outcome: 'rate_limited' },
          times,
          (i, t) => (throttled += inFault(a, t) ? 0.02 * weights[i] : 0)
        );
      }
    }
    // The scheduled audit's findings as the prober exports them: the auth inventory line of
    // every API and one finding per endpoint (the sandbox-like probes go over plain http).
    series(
      out,
      METRICS.auditFinding,
      { ...scrape, api: a.api, endpoint: '', kind: 'auth_method', severity: 'info' },
      times,
      () => 1
    );
    series(
      out,
      METRICS.auditFinding,
      { ...scrape, api: a.api, endpoint: a.endpoint, kind: 'plain_http', severity: 'medium' },
      times,
      () => 1
    );
    if (a.tlsDaysLeft !== undefined) {
      series(out, METRICS.tlsCertExpiry, probe, times, (_i, t) => {
        const days = inFault(a, t) ? (a.fault?.tlsDaysLeft ?? a.tlsDaysLeft!) : a.tlsDaysLeft!;
        return Math.round(endMs / 1000 + days * 86400);
      });
    }
  }

  for (const a of apis.filter((x) => x.traffic !== undefined)) {
    writeTraffic(out, a, location, times, weights, (t) => inFault(a, t), stepMs, startMs, buckets);
  }
  if (options.unmappedRps) {
    const rps = options.unmappedRps;
    writeTraffic(
      out,
      { api: '', provider: '', traffic: { rps, latencySeconds: 0.1 } } as SyntheticApi,
      location,
      times,
      weights,
      () => false,
      stepMs,
      startMs,
      buckets,
      'legacy-crm.test'
    );
  }

  // Provider status pages: one component per API, named after it, at the level of its faults;
  // each API names its own component in statusComponents, so its status on the page is that
  // component's (apimon_api_provider_status), and the page's indicator is the worst of them.
  const providers = new Map<string, SyntheticApi[]>();
  for (const a of apis) {
    if (a.providerLevel !== null) {
      providers.set(a.provider, [...(providers.get(a.provider) ?? []), a]);
    }
  }
  const apiLevel = (a: SyntheticApi, t: number) =>
    inFault(a, t) && a.fault?.providerLevel !== undefined ? a.fault.providerLevel : (a.providerLevel ?? 0);
  for (const [provider, members] of providers) {
    const p = { ...scrape, provider, location };
    const level = (t: number) => Math.max(...members.map((a) => apiLevel(a, t)));
    for (const a of members) {
      series(out, METRICS.providerComponentStatus, { ...p, component: a.api }, times, (_i, t) => apiLevel(a, t));
      series(out, METRICS.apiProviderStatus, { ...p, api: a.api }, times, (_i, t) => apiLevel(a, t));
    }
    series(out, METRICS.providerStatus, p, times, (_i, t) => level(t));
    series(out, METRICS.providerFetchSuccess, p, times, () => 1);
    series(out, METRICS.providerIncidentsOpen, { ...p, impact: 'major' }, times, (_i, t) => (level(t) >= 3 ? 1 : 0));
    // One unacknowledged advisory per provider, published a day before the end.
    const publishedSec = Math.round(endMs / 1000 - 86_400);
    series(
      out,
      METRICS.providerAdvisory,
      { ...p, item: `${provider}-notice-1`, title: 'Security notice: rotate API keys' },
      times,
      (_i, t) => (t >= publishedSec * 1000 ? publishedSec : undefined)
    );
    series(out, METRICS.providerAdvisoriesUnacknowledged, p, times, (_i, t) => (t >= publishedSec * 1000 ? 1 : 0));
  }
  if (options.auditRun) {
    series(out, METRICS.auditRunSuccess, scrape, times, () => 1);
    series(out, METRICS.auditRunTimestamp, scrape, times, (_i, t) => Math.floor(t / 3_600_000) * 3600);
  }
  writeAlerts(options, scrape, out);
  out('# EOF\n');
}

/**
 * The platform's calls to one API as the OTel Prometheus exporter exposes them: duration
 * histograms per status code (errors with error.type), on host api.<api>.test, and the
 * prober's mapping series for it (none for `unmappedHost`, which no API claims).
 */
function writeTraffic(
  out: Sink,
  a: SyntheticApi,
  location: string,
  times: number[],
  weights: number[],
  faulty: (t: number) => boolean,
  stepMs: number,
  startMs: number,
  buckets: number[],
  unmappedHost?: string
): void {
  const tr = a.traffic!;
  const host = unmappedHost ?? `api.${a.api}.test`;
  if (!unmappedHost) {
    const base = { job: 'apimon', instance: 'prober:9464', api: a.api, provider: a.provider, location };
    const L = TRAFFIC_LABELS;
    series(
      out,
      TRAFFIC_METRICS.match,
      { ...base, [L.serverAddress]: host, [L.serverPort]: '', [L.method]: '', [L.urlTemplate]: '' },
      times,
      () => 1
    );
    if (tr.documentedLimit) {
      const d = tr.documentedLimit;
      series(out, TRAFFIC_METRICS.documentedLimit, base, times, () => d.limit);
      series(out, TRAFFIC_METRICS.documentedWindow, base, times, () => d.windowSeconds);
      series(out, TRAFFIC_METRICS.usageThreshold, base, times, () => d.usageThreshold);
    }
  }
  const old = tr.convention === 'old';
  const source = TRAFFIC_SOURCE_PRESETS[old ? 'old' : 'stable'];
  const emitter = {
    job: 'platform',
    instance: 'web:8490',
    otel_scope_name: old ? '@opentelemetry/instrumentation-http' : 'app',
  };
  const keyLabels = {
    [source.labels.serverAddress]: host,
    [source.labels.serverPort]: '443',
    [source.labels.method]: 'GET',
  };
  const rpsAt = (t: number) =>
    faulty(t) && tr.fault?.rps !== undefined
      ? tr.fault.rps
      : tr.rps + ((tr.growthPerHour ?? 0) * (t - startMs)) / 3_600_000;
  const latencyAt = (t: number) => (faulty(t) ? (tr.fault?.latencySeconds ?? tr.latencySeconds) : tr.latencySeconds);
  const share = (t: number, kind: 'ok' | 'error' | 'throttled') => {
    const errors = faulty(t) ? (tr.fault?.errorRatio ?? 0) : 0;
    const throttled = faulty(t) ? (tr.fault?.throttledRatio ?? 0) : 0;
    return kind === 'error' ? errors : kind === 'throttled' ? throttled : 1 - errors - throttled;
  };
  const errorKind = tr.fault?.errorKind ?? '503';
  const statuses: Array<{ kind: 'ok' | 'error' | 'throttled'; labels: Record<string, string> }> = [
    { kind: 'ok', labels: { [source.labels.statusCode]: '200' } },
  ];
  if ((tr.fault?.errorRatio ?? 0) > 0) {
    // No answer: no status code; the stable conventions say why in error.type.
    const errorLabels: Record<string, string> =
      errorKind === 'timeout'
        ? old
          ? {}
          : { error_type: 'timeout' }
        : { [source.labels.statusCode]: '503', ...(old ? {} : { error_type: '503' }) };
    statuses.push({ kind: 'error', labels: errorLabels });
  }
  if ((tr.fault?.throttledRatio ?? 0) > 0) {
    statuses.push({
      kind: 'throttled',
      labels: { [source.labels.statusCode]: '429', ...(old ? {} : { error_type: '429' }) },
    });
  }
  const seconds = stepMs / 1000;
  for (const st of statuses) {
    const labels = { ...emitter, ...keyLabels, ...st.labels };
    const cumulative = (fn: (calls: number, latency: number) => number) => {
      let total = 0;
      return times.map((t, i) => (total += fn(rpsAt(t) * share(t, st.kind) * seconds * weights[i], latencyAt(t))));
    };
    const counts = cumulative((n) => n);
    if (counts[counts.length - 1] <= 0) {
      continue;
    }
    series(out, `${source.duration}_count`, labels, times, (i) => counts[i]);
    for (const le of [...buckets, Number.POSITIVE_INFINITY]) {
      const c = cumulative((n, lat) => (lat <= le ? n : 0));
      const bound = le === Number.POSITIVE_INFINITY ? '+Inf' : old ? String(le * 1000) : String(le);
      series(out, `${source.duration}_bucket`, { ...labels, le: bound }, times, (i) => c[i]);
    }
    const bytes = tr.responseBytes ?? 2048;
    for (const le of [...SIZE_BUCKETS, Number.POSITIVE_INFINITY]) {
      const c = cumulative((n) => (bytes <= le ? n : 0));
      series(
        out,
        `${source.responseSize}_bucket`,
        { ...labels, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) },
        times,
        (i) => c[i]
      );
    }
  }
}

/** The alert history: one sample per evaluation while pending, then while firing. */
function writeAlerts(options: SyntheticOptions, scrape: Record<string, string>, out: Sink): void {
  const every = options.alertEvaluationMs ?? 60_000;
  const end = options.endMs;
  for (const alert of options.alerts ?? []) {
    const labels = {
      ...scrape,
      alertname: alert.alertname,
      api: alert.api,
      provider: alert.provider,
      severity: alert.severity,
      source: ALERT_SOURCE.value,
      ...alert.labels,
    };
    const stop = Math.min(alert.resolvedAtMs ?? end + every, end + every);
    const pending: number[] = [];
    for (let t = alert.pendingFromMs; t < Math.min(alert.firingFromMs, stop); t += every) {
      pending.push(t);
    }
    const firing: number[] = [];
    for (let t = alert.firingFromMs; t < stop; t += every) {
      firing.push(t);
    }
    series(out, 'ALERTS', { ...labels, alertstate: 'pending' }, pending, () => 1);
    series(out, 'ALERTS', { ...labels, alertstate: 'firing' }, firing, () => 1);
  }
}
