// A run's results as apimon_loadtest_* series for remote write (names and labels in the metric
// contract). The run's start is written when the load starts (so a dashboard lists a run while
// it goes on); per-stage series while the stage runs (its values so far) and once more when it
// is final; the other per-run series once at the end.
import {
  LOADTEST_DROPPED,
  LOADTEST_METRICS,
  LOADTEST_QUANTILES,
  LOADTEST_RUN_LABELS,
  OUTCOMES,
  type LoadTestProfile,
  type Thresholds,
} from '@apimon/core';
import type { Sample, TimeSeries } from '../remotewrite/encode';
import type { StageResult } from './recorder';
import type { RunSummary } from './run';

export interface RunIdentity {
  run: string;
  api: string;
  endpoint: string;
  provider: string;
  location: string;
  profile: LoadTestProfile;
}

const QUANTILE_FIELDS: Record<(typeof LOADTEST_QUANTILES)[number], keyof StageResult> = {
  0.5: 'latencyP50Seconds',
  0.95: 'latencyP95Seconds',
  0.99: 'latencyP99Seconds',
};

function runLabels(id: RunIdentity): Record<string, string> {
  return Object.fromEntries(LOADTEST_RUN_LABELS.map((label) => [label, id[label]]));
}

/** When the run's first stage started (epoch ms), in Unix seconds. */
export function runStartSeries(id: RunIdentity, startedAtMs: number, timestamp: number): TimeSeries[] {
  return [{ name: LOADTEST_METRICS.runStart, labels: runLabels(id), samples: [{ value: startedAtMs / 1000, timestamp }] }];
}

export function stageSeries(id: RunIdentity, r: StageResult, timestamp: number): TimeSeries[] {
  const labels = { ...runLabels(id), stage: String(r.stage) };
  const one = (name: string, value: number, extra: Record<string, string> = {}): TimeSeries => ({
    name,
    labels: { ...labels, ...extra },
    samples: [{ value, timestamp } satisfies Sample],
  });
  const out = [one(LOADTEST_METRICS.offeredRate, r.offeredRate), one(LOADTEST_METRICS.achievedRate, r.achievedRate)];
  for (const q of LOADTEST_QUANTILES) {
    const v = r[QUANTILE_FIELDS[q]] as number | null;
    if (v !== null) {
      out.push(one(LOADTEST_METRICS.latency, v, { quantile: String(q) }));
    }
  }
  for (const outcome of OUTCOMES) {
    out.push(one(LOADTEST_METRICS.requests, r.outcomes[outcome], { outcome }));
  }
  out.push(one(LOADTEST_METRICS.requests, r.dropped, { outcome: LOADTEST_DROPPED }));
  if (r.errorRatio !== null) {
    out.push(one(LOADTEST_METRICS.errorRatio, r.errorRatio));
  }
  return out;
}

export function runSeries(id: RunIdentity, summary: RunSummary, thresholds: Thresholds, timestamp: number): TimeSeries[] {
  const labels = runLabels(id);
  const one = (name: string, value: number, extra: Record<string, string> = {}): TimeSeries => ({
    name,
    labels: { ...labels, ...extra },
    samples: [{ value, timestamp }],
  });
  const out = [
    ...runStartSeries(id, summary.startedAt, timestamp),
    one(LOADTEST_METRICS.thresholdLatency, thresholds.latencyP95Ms / 1000),
    one(LOADTEST_METRICS.thresholdErrorRatio, thresholds.errorRatio),
  ];
  if (summary.knee) {
    out.push(one(LOADTEST_METRICS.kneeRate, summary.knee.rate));
  }
  if (summary.abortReason) {
    out.push(one(LOADTEST_METRICS.aborted, 1, { reason: summary.abortReason }));
  }
  return out;
}
