// The monthly report without anyone running a command: when the catalog opts in
// (prober.monthlyReport), the running prober writes last month's report into a directory once
// the month is over. It checks every hour, waits until two hours into the new month (the hourly
// recording rules lag by up to an hour), and writes the report when the directory does not hold
// it yet, so a prober that was down on the 1st catches up when it starts. A failure is logged
// and retried an hour later; the last good report stays in place.
import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  buildMonthlyReport,
  createReportProber,
  createReportStore,
  lastFullMonth,
  renderMonthlyHtml,
  renderMonthlyJson,
  renderMonthlyMarkdown,
  type Catalog,
  type MonthlyReportSettings,
} from '@apimon/core';
import type { Logger } from '../logger';
import { createFetchTransport } from '../query/transport';
import type { ServiceModule } from '../service';
import { readIncidentRecords, writeReport } from './files';
import { ChromiumMissingError } from './pdf';

export const CHECK_EVERY_MS = 3_600_000;
/** How long into a month before last month's report is written. */
export const WRITE_AFTER_MS = 2 * 3_600_000;

export interface ScheduledReportOptions {
  logger: Logger;
  /** The catalog file: relative directories in the settings are resolved against its directory. */
  configFile: string;
  /** The prober's own API (for the status-page incidents), once it listens. */
  proberUrl?: () => string | undefined;
  proberToken?: string;
  now?: () => number;
  /** Chromium for the PDF (default: found on the PATH). */
  chromiumPath?: string;
  checkEveryMs?: number;
}

export class ScheduledMonthlyReport implements ServiceModule {
  private settings: MonthlyReportSettings | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ScheduledReportOptions) {
    this.now = options.now ?? Date.now;
  }

  updateCatalog(catalog: Catalog): void {
    this.settings = catalog.prober.monthlyReport;
  }

  start(): void {
    const every = this.options.checkEveryMs ?? CHECK_EVERY_MS;
    this.timer = setInterval(() => void this.check(), every);
    this.timer.unref();
    // The first look right after start: a prober down on the 1st catches up now.
    setTimeout(() => void this.check(), 0).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private dir(path: string): string {
    return resolve(dirname(this.options.configFile), path);
  }

  /** Writes last month's report if it is due and missing (one check at a time). */
  check(): Promise<void> {
    this.running ??= this.writeIfDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async writeIfDue(): Promise<void> {
    const settings = this.settings;
    const proberUrl = this.options.proberUrl?.();
    if (!settings || !proberUrl) {
      return;
    }
    const now = this.now();
    const month = lastFullMonth(now);
    if (now < month.toMs + WRITE_AFTER_MS) {
      return;
    }
    const dir = this.dir(settings.dir);
    const base = `apimon-report-${month.month}`;
    const first = join(dir, `${base}.${settings.formats.find((f) => f !== 'pdf') ?? 'pdf'}`);
    if (await exists(first)) {
      return;
    }
    const log = this.options.logger;
    try {
      const records = settings.incidentsDir
        ? await readIncidentRecords(this.dir(settings.incidentsDir))
        : { ok: true as const, records: [] };
      if (!records.ok) {
        log.warn(
          { month: month.month, problems: records.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`) },
          'monthly report: invalid incident records, written without them'
        );
      }
      const transport = createFetchTransport({
        prometheusUrl: settings.prometheusUrl,
        proberUrl,
        proberToken: this.options.proberToken,
        timeoutMs: 120_000,
      });
      const started = this.now();
      const report = await buildMonthlyReport({
        month,
        nowMs: now,
        store: createReportStore(transport),
        prober: createReportProber(transport, true),
        records: records.ok ? records.records : [],
      });
      const files = await writeReport(
        {
          html: () => renderMonthlyHtml(report),
          md: () => renderMonthlyMarkdown(report),
          json: () => renderMonthlyJson(report),
        },
        { dir, base, formats: settings.formats, chromiumPath: this.options.chromiumPath }
      );
      log.info(
        { month: month.month, files, ms: this.now() - started, warnings: report.warnings },
        'monthly report written'
      );
    } catch (err) {
      if (err instanceof ChromiumMissingError) {
        // The other formats are written; the PDF waits for a Chromium (delete them to retry).
        log.warn({ month: month.month, dir, error: err.message }, 'monthly report written without its PDF');
        return;
      }
      log.warn(
        { month: month.month, dir, error: (err as Error).message },
        'monthly report not written; retrying in an hour'
      );
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
