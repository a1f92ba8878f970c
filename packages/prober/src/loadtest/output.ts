// How a run reads: one JSON object per stage and a summary (--json), or a table; and the live
// progress line on stderr.
import { formatDuration, type Thresholds } from '@apimon/core';
import type { Plan } from './plan';
import type { StageResult } from './recorder';
import type { RunSummary } from './run';
import type { RunIdentity } from './series';

export function stageJson(id: RunIdentity, r: StageResult): string {
  return JSON.stringify({ type: 'stage', run: id.run, api: id.api, endpoint: id.endpoint, ...r });
}

export function summaryJson(id: RunIdentity, summary: RunSummary, thresholds: Thresholds, target: string, remoteWrite: string | null): string {
  return JSON.stringify({
    type: 'summary',
    run: id.run,
    api: id.api,
    endpoint: id.endpoint,
    profile: id.profile,
    target,
    knee: summary.knee?.rate ?? null,
    kneeStage: summary.knee?.stage ?? null,
    kneeReason: summary.knee?.reason ?? null,
    stoppedAtKnee: summary.stoppedAtKnee,
    abortReason: summary.abortReason,
    abortDetail: summary.abortDetail,
    stages: summary.stages.length,
    thresholds: { latencyP95Seconds: thresholds.latencyP95Ms / 1000, errorRatio: thresholds.errorRatio },
    latencyMeasuredFrom: 'intended start',
    startedAt: new Date(summary.startedAt).toISOString(),
    endedAt: new Date(summary.endedAt).toISOString(),
    remoteWrite,
  });
}

/** Requests per second: whole numbers as they are, others to 3 significant digits (4977, 49.8, 0.5). */
export const fmtRate = (r: number) => (Number.isInteger(r) || r >= 100 ? r.toFixed(0) : String(+r.toPrecision(3)));
export const fmtSeconds = (s: number | null) =>
  s === null ? '-' : s >= 1 ? `${s.toFixed(2)}s` : s >= 0.01 ? `${(s * 1000).toFixed(0)}ms` : `${(s * 1000).toFixed(2)}ms`;
export const fmtRatio = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(r > 0 && r < 0.1 ? 2 : 1)}%`);

export function formatTable(summary: RunSummary, thresholds: Thresholds): string {
  const header = ['STAGE', 'KIND', 'TARGET/S', 'OFFERED/S', 'ACHIEVED/S', 'P50', 'P95', 'P99', 'ERRORS', '429', 'DROPPED'];
  const rows = summary.stages.map((r) => [
    `${r.stage}${r.partial ? '*' : ''}`,
    r.kind,
    fmtRate(r.targetRate),
    fmtRate(r.offeredRate),
    fmtRate(r.achievedRate),
    fmtSeconds(r.latencyP50Seconds),
    fmtSeconds(r.latencyP95Seconds),
    fmtSeconds(r.latencyP99Seconds),
    fmtRatio(r.errorRatio),
    String(r.rateLimited),
    String(r.dropped),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const render = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const lines = [render(header), ...rows.map(render)];
  if (summary.stages.some((r) => r.partial)) {
    lines.push('* cut short');
  }
  lines.push('latency: from each request\'s intended start (open model); see --json for service times');
  const limits = `p95 ${formatDuration(thresholds.latencyP95Ms)}, errors ${fmtRatio(thresholds.errorRatio)}`;
  if (summary.knee) {
    const why = { latency: 'p95 above', errors: 'errors above', latency_and_errors: 'p95 and errors above' }[summary.knee.reason];
    lines.push(`knee: ${fmtRate(summary.knee.rate)} req/s (stage ${summary.knee.stage}: ${why} the thresholds: ${limits})`);
  } else {
    const top = Math.max(0, ...summary.stages.map((r) => r.offeredRate));
    lines.push(`knee: none up to ${fmtRate(top)} req/s (thresholds: ${limits})`);
  }
  if (summary.abortReason) {
    lines.push(`stopped: ${summary.abortReason === 'interrupted' ? 'interrupted (Ctrl-C)' : summary.abortDetail}`);
  } else if (summary.stoppedAtKnee) {
    lines.push('stopped after the knee (--past-knee runs every stage)');
  }
  return `${lines.join('\n')}\n`;
}

/** "30s", "1.5s", "2m": stage lengths as written on the command line. */
export function stageLength(ms: number): string {
  return ms % 60_000 === 0 ? formatDuration(ms) : `${+(ms / 1000).toFixed(3)}s`;
}

export function describePlan(plan: Plan): string {
  const rates = plan.stages.map((s) => (s.kind === 'ramp' ? `${fmtRate(s.fromRate)}→${fmtRate(s.toRate)}` : fmtRate(s.toRate)));
  return `${plan.profile}: ${plan.stages.length} stages of ${stageLength(plan.stages[0].durationMs)} at ${rates.join(', ')} req/s (${plan.totalRequests} requests)`;
}
