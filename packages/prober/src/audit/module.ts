// The prober's scheduled audit (catalog `prober.audit`): every interval it audits the window
// on the store the prober's metrics land in, exports the findings as apimon_audit_finding
// (the Audit dashboard reads them) and serves them at /api/v1/audit (the monthly report's
// source). A failed run keeps the last good findings and says why.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Gauge, type Registry } from 'prom-client';
import {
  DEFAULT_SCRAPE_INTERVAL_MS,
  errorBody,
  findingJson,
  METRIC_DEFS,
  PROBER_API,
  PROBER_ERRORS,
  type AdvisoryItem,
  type AuditBody,
  type Catalog,
  type Finding,
  type MetricDef,
} from '@apimon/core';
import type { Logger } from '../logger';
import { createFetchTransport } from '../query/transport';
import { refuseWrite, routePath, sendJson } from '../server';
import { runAudit } from './run';

export interface AuditModuleOptions {
  registry: Registry;
  logger: Logger;
  /** New advisory items per provider (the advisory monitor's). */
  advisories?: () => ReadonlyMap<string, AdvisoryItem[]>;
  now?: () => number;
}

export class AuditModule {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly finding: Gauge;
  private readonly runSuccess: Gauge;
  private readonly runTimestamp: Gauge;
  private catalog: Catalog | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private started = false;
  private findings: Finding[] = [];
  private ranAt: number | null = null;
  private error: string | null = null;

  constructor(private readonly options: AuditModuleOptions) {
    this.log = options.logger.child({ module: 'audit' });
    this.now = options.now ?? Date.now;
    const gauge = (def: MetricDef) =>
      new Gauge({ name: def.name, help: def.help, labelNames: [...def.labels], registers: [options.registry] });
    this.finding = gauge(METRIC_DEFS.auditFinding);
    this.runSuccess = gauge(METRIC_DEFS.auditRunSuccess);
    this.runTimestamp = gauge(METRIC_DEFS.auditRunTimestamp);
  }

  updateCatalog(catalog: Catalog): void {
    const before = this.catalog?.prober.audit;
    this.catalog = catalog;
    const after = catalog.prober.audit;
    if (JSON.stringify(before) !== JSON.stringify(after) && this.started) {
      this.reschedule(0);
    }
    if (!after) {
      this.setFindings([]);
    }
  }

  start(): void {
    this.started = true;
    this.reschedule(0);
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.running;
  }

  /** One audit now (tests; the schedule calls it too). */
  runNow(): Promise<void> {
    this.running ??= this.auditOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  body(): AuditBody {
    return {
      ranAt: this.ranAt,
      windowMs: this.catalog?.prober.audit?.windowMs ?? 0,
      error: this.error,
      findings: this.findings.map(findingJson),
    };
  }

  async handleRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = routePath(url);
    if (path !== PROBER_API.audit) {
      return false;
    }
    if (refuseWrite(req, res)) {
      return true;
    }
    if (!this.catalog?.prober.audit) {
      sendJson(
        res,
        404,
        errorBody(PROBER_ERRORS.notFound, 'no scheduled audit: set prober.audit in the catalog (docs/audit.md)')
      );
      return true;
    }
    sendJson(res, 200, this.body());
    return true;
  }

  private reschedule(delayMs: number): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const schedule = this.catalog?.prober.audit;
    if (!this.started || !schedule) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runNow().then(() => this.reschedule(schedule.intervalMs));
    }, delayMs);
    this.timer.unref?.();
  }

  private async auditOnce(): Promise<void> {
    const catalog = this.catalog;
    const schedule = catalog?.prober.audit;
    if (!catalog || !schedule) {
      return;
    }
    try {
      const transport = createFetchTransport({ prometheusUrl: schedule.prometheusUrl, timeoutMs: 120_000 });
      const run = await runAudit(catalog, transport, {
        windowMs: schedule.windowMs,
        scrapeIntervalMs: DEFAULT_SCRAPE_INTERVAL_MS,
        advisories: this.options.advisories?.(),
      });
      if (this.catalog !== catalog) {
        return;
      }
      this.setFindings(run.findings);
      this.ranAt = this.now();
      if (this.error !== null) {
        this.log.info({ store: schedule.prometheusUrl }, 'audit ran again');
      }
      this.error = null;
      this.runSuccess.set(1);
      this.runTimestamp.set(this.ranAt / 1000);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.error) {
        this.log.warn({ store: schedule.prometheusUrl, error: message }, 'audit failed; the last findings stay');
      }
      this.error = message;
      this.runSuccess.set(0);
    }
  }

  private setFindings(findings: Finding[]): void {
    this.findings = findings;
    this.finding.reset();
    for (const f of findings) {
      this.finding.set({ api: f.api, endpoint: f.endpoint, kind: f.kind, severity: f.severity }, 1);
    }
  }
}
