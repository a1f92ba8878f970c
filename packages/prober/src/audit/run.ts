// One audit: the store's observations over the window (and the advisory items) judged against
// the catalog. Shared by `apimon audit` and the prober's scheduled audit.
import {
  collectObservations,
  formatDuration,
  judgeCatalog,
  type AdvisoryItem,
  type Catalog,
  type Finding,
  type Transport,
} from '@apimon/core';

export interface AuditRunOptions {
  windowMs: number;
  /** How often the store scrapes the prober: rates need at least two samples per step. */
  scrapeIntervalMs: number;
  advisories?: ReadonlyMap<string, AdvisoryItem[]>;
  /** Probes needed before the timeout rules judge (default: the policy's). */
  minTimeoutSamples?: number;
}

export interface AuditRun {
  findings: Finding[];
  windowMs: number;
  /** Resolution of the retry comparison. */
  step: string;
}

/**
 * The resolution of the real-traffic comparisons: a minute over long windows, finer over
 * short ones (thirty steps at least), never below two scrape intervals.
 */
export function auditSteps(windowMs: number, scrapeIntervalMs: number): { step: string; rateWindow: string } {
  const stepMs = Math.max(2 * scrapeIntervalMs, Math.min(60_000, Math.floor(windowMs / 30)));
  const rateMs = Math.max(stepMs, Math.min(5 * 60_000, Math.floor(windowMs / 4)));
  const seconds = (ms: number) => `${Math.max(1, Math.round(ms / 1000))}s`;
  return { step: seconds(stepMs), rateWindow: seconds(rateMs) };
}

export async function runAudit(catalog: Catalog, transport: Transport, options: AuditRunOptions): Promise<AuditRun> {
  const { step, rateWindow } = auditSteps(options.windowMs, options.scrapeIntervalMs);
  const window = `${Math.max(1, Math.round(options.windowMs / 1000))}s`;
  const observations = await collectObservations(catalog, transport, { window, step, rateWindow });
  const findings = judgeCatalog(catalog, observations, {
    windowMs: options.windowMs,
    step: formatDuration(Number(step.slice(0, -1)) * 1000),
    advisories: options.advisories,
    minTimeoutSamples: options.minTimeoutSamples,
  });
  return { findings, windowMs: options.windowMs, step };
}
