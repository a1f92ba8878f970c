// Alert history from the store: the ALERTS series Prometheus writes while it evaluates alert
// rules (one sample per evaluation while an alert is pending or firing) and GRAFANA_ALERTS, what
// Grafana writes for its managed rules when its alert state history goes to Prometheus. Raw
// samples -> episodes (onset, firing, resolution) -> counts, firing time, time to detect and to
// resolve, and the incident windows `apimon report incident --detect` lists. Pure.
import { ALERT_HISTORY_SERIES, ALERT_SOURCE, ALERT_STATES, promString } from '../contract';
import type { RawSeries } from '../query/response';

/** Every apimon alert sample (pending or firing) of both histories, optionally for one API. */
export function alertHistorySelector(api?: string): string {
  const matchers = [
    `__name__=~${promString(ALERT_HISTORY_SERIES.join('|'))}`,
    `${ALERT_SOURCE.label}=${promString(ALERT_SOURCE.value)}`,
    `alertstate=~${promString(ALERT_STATES.join('|'))}`,
  ];
  if (api !== undefined) {
    matchers.push(`api=${promString(api)}`);
  }
  return `{${matchers.join(', ')}}`;
}

export interface AlertEpisode {
  alertname: string;
  api: string;
  provider: string;
  /** critical | warning | info (the rule's severity label), "" when none. */
  severity: string;
  /** The labels that tell this alert apart (endpoint for per-endpoint rules), state dropped. */
  labels: Record<string, string>;
  /** First evaluation that saw the condition (pending, or firing for rules without `for`). */
  onsetAt: number;
  /** First evaluation that fired; null: it resolved while pending. */
  firingAt: number | null;
  /** First evaluation that no longer saw it; null: still active at the end of the history. */
  resolvedAt: number | null;
  /** Time of the last sample (the last evaluation that saw it). */
  lastSeenAt: number;
}

/** Labels that change within one alert's life or only say where it was stored. */
const STATE_LABELS = new Set(['alertstate', 'grafana_alertstate', '__name__']);

function identity(labels: Record<string, string>): { key: string; kept: Record<string, string> } {
  const kept: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) {
    if (!STATE_LABELS.has(k)) {
      kept[k] = labels[k];
    }
  }
  return { key: JSON.stringify(kept), kept };
}

/** The evaluation interval as the samples show it: the smallest gap between two of them. */
export function evaluationIntervalMs(series: readonly RawSeries[], fallbackMs = 60_000): number {
  let min = Infinity;
  for (const s of series) {
    for (let i = 1; i < s.timestamps.length; i++) {
      const d = s.timestamps[i] - s.timestamps[i - 1];
      if (d > 0 && d < min) {
        min = d;
      }
    }
  }
  return Number.isFinite(min) ? min : fallbackMs;
}

export interface EpisodeOptions {
  /** End of the history that was read (epoch ms): an alert seen at its last evaluation is still active. */
  endMs: number;
  /** How often the rules are evaluated; default: read from the samples. */
  evaluationIntervalMs?: number;
}

/**
 * Raw ALERTS samples -> episodes. Samples of one alert (same labels but the state) closer than
 * two evaluation intervals belong to one episode, so a missed evaluation does not split it;
 * ALERTS and GRAFANA_ALERTS of the same alert merge. An episode resolves one evaluation after
 * its last sample.
 */
export function alertEpisodes(series: readonly RawSeries[], options: EpisodeOptions): AlertEpisode[] {
  const stepMs = options.evaluationIntervalMs ?? evaluationIntervalMs(series);
  const maxGapMs = 2 * stepMs;
  const byAlert = new Map<string, { kept: Record<string, string>; points: Array<{ t: number; firing: boolean }> }>();
  for (const s of series) {
    const { key, kept } = identity(s.labels);
    const firing = s.labels.alertstate === 'firing';
    let entry = byAlert.get(key);
    if (!entry) {
      entry = { kept, points: [] };
      byAlert.set(key, entry);
    }
    for (let i = 0; i < s.timestamps.length; i++) {
      if (s.values[i] !== null && s.values[i] !== 0) {
        entry.points.push({ t: s.timestamps[i], firing });
      }
    }
  }
  const episodes: AlertEpisode[] = [];
  for (const { kept, points } of byAlert.values()) {
    points.sort((a, b) => a.t - b.t);
    let current: AlertEpisode | undefined;
    const close = () => {
      if (current) {
        const stillActive = current.lastSeenAt + maxGapMs > options.endMs;
        current.resolvedAt = stillActive ? null : current.lastSeenAt + stepMs;
        episodes.push(current);
      }
    };
    for (const p of points) {
      if (!current || p.t - current.lastSeenAt > maxGapMs) {
        close();
        current = {
          alertname: kept.alertname ?? '',
          api: kept.api ?? '',
          provider: kept.provider ?? '',
          severity: kept.severity ?? '',
          labels: kept,
          onsetAt: p.t,
          firingAt: null,
          resolvedAt: null,
          lastSeenAt: p.t,
        };
      }
      current.lastSeenAt = p.t;
      if (p.firing && current.firingAt === null) {
        current.firingAt = p.t;
      }
    }
    close();
  }
  return episodes.sort((a, b) => a.onsetAt - b.onsetAt || a.alertname.localeCompare(b.alertname));
}

export interface AlertStats {
  /** Episodes that started firing within the period. */
  alertsFired: number;
  /** Seconds any apimon alert of the API was firing within the period (overlaps counted once). */
  alertFiringSeconds: number;
  /** Mean seconds from onset (pending) to firing, over the episodes that fired in the period. */
  meanSecondsToDetect: number | null;
  /** Mean seconds from firing to resolution, over the fired episodes that resolved. */
  meanSecondsToResolve: number | null;
}

/** Merged [start, end) intervals. */
function union(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) {
      last[1] = Math.max(last[1], b);
    } else {
      out.push([a, b]);
    }
  }
  return out;
}

/** The statistics of one API's episodes over [fromMs, toMs). `nowMs` ends still-active ones. */
export function alertStats(episodes: readonly AlertEpisode[], fromMs: number, toMs: number): AlertStats {
  const fired = episodes.filter((e) => e.firingAt !== null && e.firingAt >= fromMs && e.firingAt < toMs);
  const firing = union(
    episodes
      .filter((e) => e.firingAt !== null)
      .map((e): [number, number] => [Math.max(fromMs, e.firingAt!), Math.min(toMs, e.resolvedAt ?? toMs)])
  );
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length / 1000);
  return {
    alertsFired: fired.length,
    alertFiringSeconds: firing.reduce((n, [a, b]) => n + (b - a), 0) / 1000,
    meanSecondsToDetect: mean(fired.map((e) => e.firingAt! - e.onsetAt)),
    meanSecondsToResolve: mean(fired.filter((e) => e.resolvedAt !== null).map((e) => e.resolvedAt! - e.firingAt!)),
  };
}

/** Alert severities that make an incident worth a report (`--detect`). */
export const INCIDENT_SEVERITIES = ['critical', 'warning'] as const;

export interface IncidentWindow {
  api: string;
  provider: string;
  /** The worst severity of its alerts. */
  severity: string;
  alerts: string[];
  /** Onset of the first alert (pending). */
  startedAt: number;
  /** First alert firing. */
  detectedAt: number;
  /** Last alert resolved; null while one still fires. */
  resolvedAt: number | null;
  /** Seconds at least one of its alerts was firing. */
  firingSeconds: number;
}

/**
 * Windows where a critical or warning alert of an API fired for at least `minFiringMs`:
 * overlapping (or touching) episodes of one API are one window. Sorted by start.
 */
export function incidentWindows(
  episodes: readonly AlertEpisode[],
  options: { minFiringMs: number; endMs: number }
): IncidentWindow[] {
  const relevant = episodes.filter(
    (e) => e.firingAt !== null && (INCIDENT_SEVERITIES as readonly string[]).includes(e.severity)
  );
  const byApi = new Map<string, AlertEpisode[]>();
  for (const e of relevant) {
    byApi.set(e.api, [...(byApi.get(e.api) ?? []), e]);
  }
  const rank = (s: string) => INCIDENT_SEVERITIES.indexOf(s as (typeof INCIDENT_SEVERITIES)[number]);
  const windows: IncidentWindow[] = [];
  for (const list of byApi.values()) {
    list.sort((a, b) => a.onsetAt - b.onsetAt);
    let group: AlertEpisode[] = [];
    let groupEnd = -Infinity;
    const flush = () => {
      if (group.length === 0) {
        return;
      }
      const firing = union(group.map((e): [number, number] => [e.firingAt!, e.resolvedAt ?? options.endMs]));
      const firingMs = firing.reduce((n, [a, b]) => n + (b - a), 0);
      if (firingMs >= options.minFiringMs) {
        const open = group.some((e) => e.resolvedAt === null);
        windows.push({
          api: group[0].api,
          provider: group[0].provider,
          severity: group.map((e) => e.severity).sort((a, b) => rank(a) - rank(b))[0],
          alerts: [...new Set(group.map((e) => e.alertname))].sort(),
          startedAt: Math.min(...group.map((e) => e.onsetAt)),
          detectedAt: Math.min(...group.map((e) => e.firingAt!)),
          resolvedAt: open ? null : Math.max(...group.map((e) => e.resolvedAt!)),
          firingSeconds: firingMs / 1000,
        });
      }
      group = [];
      groupEnd = -Infinity;
    };
    for (const e of list) {
      if (group.length > 0 && e.onsetAt > groupEnd) {
        flush();
      }
      group.push(e);
      groupEnd = Math.max(groupEnd, e.resolvedAt ?? Infinity);
    }
    flush();
  }
  return windows.sort((a, b) => a.startedAt - b.startedAt || a.api.localeCompare(b.api));
}
