// `apimon report monthly` and `apimon report incident`: the reports people read and forward,
// from the store, the prober's API and the team's incident records, written as HTML, PDF
// (Chromium), Markdown and JSON. `apimon report incident --detect` lists the incidents worth a
// report. docs/reports.md.
import {
  buildIncidentReport,
  buildMonthlyReport,
  createReportProber,
  createReportStore,
  DEFAULT_TRAFFIC_SETTINGS,
  detectIncidents,
  formatIssue,
  lastFullMonth,
  parseMonth,
  parseTime,
  recordFor,
  renderIncidentHtml,
  renderIncidentJson,
  renderIncidentMarkdown,
  renderMonthlyHtml,
  renderMonthlyJson,
  renderMonthlyMarkdown,
  REPORT_FORMATS,
  type CatalogIssue,
  type IncidentReportRecord,
  type IncidentWindow,
  type ReportFormat,
  type TrafficSettings,
  type Transport,
} from '@apimon/core';
import { loadCatalogFile } from '../../catalog/load';
import { createFetchTransport } from '../../query/transport';
import { readIncidentRecord, readIncidentRecords, writeReport } from '../../report/files';
import { ChromiumMissingError } from '../../report/pdf';
import { durationFlag, httpUrlFlag, parseCommandArgs, UsageError } from '../args';
import { reportCatalogIssues } from '../catalog-issues';

const MONTHLY_USAGE = `usage: apimon report monthly --prometheus URL --out DIR [--month YYYY-MM] [--prober URL]
                             [--format ${REPORT_FORMATS.join(',')}] [--incidents DIR] [--config FILE]
                             [--min-duration 5m] [--raw] [--chromium PATH] [--prober-token-env NAME] [--timeout 2m]`;
const INCIDENT_USAGE = `usage: apimon report incident --prometheus URL --out DIR (--api NAME --from TIME --to TIME | --record FILE)
                              [--prober URL] [--format ${REPORT_FORMATS.join(',')}] [--incidents DIR] [--config FILE]
                              [--chromium PATH] [--prober-token-env NAME] [--timeout 2m]
       apimon report incident --detect --prometheus URL [--from TIME] [--to TIME] [--api NAME] [--min-duration 5m] [--json]`;

export const usage = `${MONTHLY_USAGE}\n       ${INCIDENT_USAGE.replace(/^usage: /, '')}

TIME: 2026-11-03T10:00:00Z, "2026-11-03 10:00" (UTC), 2026-11-03 or Unix seconds.
Default month: the last full month (UTC). Default formats: all. Default --incidents: ./incidents.`;
export const summary =
  'write the monthly report or an incident report (HTML, PDF, Markdown, JSON); --detect lists incidents';

const DEFAULT_TOKEN_ENV = 'APIMON_API_TOKEN';
const DEFAULT_INCIDENTS_DIR = 'incidents';
const DETECT_DEFAULT_MS = 30 * 86_400_000;

const COMMON = {
  prometheus: { type: 'string' },
  prober: { type: 'string' },
  out: { type: 'string' },
  format: { type: 'string' },
  incidents: { type: 'string' },
  config: { type: 'string', short: 'c' },
  chromium: { type: 'string' },
  'prober-token-env': { type: 'string' },
  timeout: { type: 'string', default: '2m' },
} as const;



function timeMs(flag: string, value: string, usageText: string): number {
  const ms = parseTime(value);
  if (ms === undefined) {
    throw new UsageError(
      `--${flag}: "${value}" is not a time such as 2026-11-03T10:00:00Z, "2026-11-03 10:00" (UTC), 2026-11-03 or Unix seconds\n${usageText}`
    );
  }
  return ms;
}

export function parseFormats(value: string | undefined, usageText: string): ReportFormat[] {
  if (value === undefined) {
    return [...REPORT_FORMATS];
  }
  const formats = value
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  const bad = formats.find((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad !== undefined || formats.length === 0) {
    throw new UsageError(
      `--format: "${bad ?? value}" is not a report format; use one or more of ${REPORT_FORMATS.join(', ')} separated by commas\n${usageText}`
    );
  }
  return [...new Set(formats)] as ReportFormat[];
}

interface Connection {
  transport: Transport;
  proberConfigured: boolean;
}

function connect(
  args: { prometheus?: string; prober?: string; 'prober-token-env'?: string; timeout?: string },
  usageText: string
): Connection {
  if (!args.prometheus) {
    throw new UsageError(`--prometheus is required\n${usageText}`);
  }
  const prometheusUrl = httpUrlFlag('prometheus', args.prometheus, usageText);
  const proberUrl = args.prober === undefined ? undefined : httpUrlFlag('prober', args.prober, usageText);
  const timeoutMs = durationFlag('timeout', args.timeout ?? '2m', usageText);
  const tokenEnv = args['prober-token-env'] ?? DEFAULT_TOKEN_ENV;
  const proberToken = process.env[tokenEnv] || undefined;
  if (args['prober-token-env'] !== undefined && !proberToken) {
    throw new UsageError(`--prober-token-env names ${tokenEnv}, but that environment variable is not set or empty`);
  }
  return {
    transport: createFetchTransport({ prometheusUrl, proberUrl, proberToken, timeoutMs }),
    proberConfigured: proberUrl !== undefined,
  };
}

function reportIssues(what: string, issues: CatalogIssue[]): void {
  for (const issue of issues) {
    process.stderr.write(`${formatIssue(issue)}\n`);
  }
  process.stderr.write(`${what}: ${issues.length} problem(s) in the incident records\n`);
}

/** The catalog's traffic settings when --config names one; undefined: ask the prober, then defaults. */
async function trafficSettings(config: string | undefined): Promise<TrafficSettings | undefined | 'invalid'> {
  if (config === undefined) {
    return undefined;
  }
  const catalog = await loadCatalogFile(config);
  if (!catalog.ok) {
    reportCatalogIssues(config, catalog.issues);
    return 'invalid';
  }
  return catalog.catalog.traffic;
}

async function proberTraffic(conn: Connection): Promise<TrafficSettings> {
  if (!conn.proberConfigured) {
    return DEFAULT_TRAFFIC_SETTINGS;
  }
  const catalog = await createReportProber(conn.transport, true)
    .catalog()
    .catch(() => null);
  return catalog?.traffic ?? DEFAULT_TRAFFIC_SETTINGS;
}

async function write(
  rendered: { html(): string; md(): string; json(): string },
  options: { dir: string; base: string; formats: ReportFormat[]; chromium?: string },
  command: string
): Promise<number> {
  try {
    const files = await writeReport(rendered, {
      dir: options.dir,
      base: options.base,
      formats: options.formats,
      chromiumPath: options.chromium,
    });
    for (const f of files) {
      process.stdout.write(`${f}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ChromiumMissingError) {
      process.stderr.write(`apimon report ${command}: ${err.message}\n`);
      return 1;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code && e.path) {
      process.stderr.write(`apimon report ${command}: cannot write ${e.path} (${e.code})\n`);
      return 1;
    }
    throw err;
  }
}

async function monthly(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      ...COMMON,
      month: { type: 'string' },
      'min-duration': { type: 'string', default: '5m' },
      raw: { type: 'boolean', default: false },
    },
    MONTHLY_USAGE
  );
  const conn = connect(args, MONTHLY_USAGE);
  if (!args.out) {
    throw new UsageError(`--out is required: the directory the report is written to\n${MONTHLY_USAGE}`);
  }
  const formats = parseFormats(args.format, MONTHLY_USAGE);
  const now = Date.now();
  const last = lastFullMonth(now);
  const month = args.month === undefined ? last : parseMonth(args.month);
  if (!month) {
    throw new UsageError(`--month: "${args.month}" is not a month such as ${last.month} (YYYY-MM)\n${MONTHLY_USAGE}`);
  }
  if (month.toMs > now) {
    throw new UsageError(`--month: ${month.month} has not ended yet; the last full month is ${last.month}`);
  }
  const minIncidentMs = durationFlag('min-duration', args['min-duration']!, MONTHLY_USAGE);
  const records = await readIncidentRecords(args.incidents ?? DEFAULT_INCIDENTS_DIR);
  if (!records.ok) {
    reportIssues(args.incidents ?? DEFAULT_INCIDENTS_DIR, records.issues);
    return 2;
  }
  const fromConfig = await trafficSettings(args.config);
  if (fromConfig === 'invalid') {
    return 2;
  }
  let report;
  try {
    report = await buildMonthlyReport({
      month,
      nowMs: now,
      store: createReportStore(conn.transport),
      prober: createReportProber(conn.transport, conn.proberConfigured),
      trafficSettings: fromConfig ?? (await proberTraffic(conn)),
      records: records.records,
      useRecordingRules: !args.raw,
      minIncidentMs,
    });
  } catch (err) {
    process.stderr.write(`apimon report monthly: ${(err as Error).message}\n`);
    return 1;
  }
  for (const w of report.warnings) {
    process.stderr.write(`apimon report monthly: warning: ${w}\n`);
  }
  return write(
    {
      html: () => renderMonthlyHtml(report),
      md: () => renderMonthlyMarkdown(report),
      json: () => renderMonthlyJson(report),
    },
    { dir: args.out, base: `apimon-report-${report.month}`, formats, chromium: args.chromium },
    'monthly'
  );
}

const fmtTime = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));
const fmtMinutes = (s: number) =>
  s < 3600
    ? `${Math.round(s / 60)}m`
    : `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;

export function formatWindows(windows: IncidentWindow[]): string {
  const header = ['API', 'SEVERITY', 'STARTED (UTC)', 'DETECTED', 'RESOLVED', 'FIRING', 'ALERTS'];
  const rows = windows.map((w) => [
    w.api,
    w.severity,
    fmtTime(w.startedAt),
    fmtTime(w.detectedAt),
    fmtTime(w.resolvedAt),
    fmtMinutes(w.firingSeconds),
    w.alerts.join(','),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const render = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return `${[render(header), ...rows.map(render)].join('\n')}\n`;
}

async function detect(
  args: { from?: string; to?: string; api?: string; 'min-duration'?: string; json?: boolean },
  conn: Connection
): Promise<number> {
  const now = Date.now();
  const toMs = args.to === undefined ? now : timeMs('to', args.to, INCIDENT_USAGE);
  const fromMs = args.from === undefined ? toMs - DETECT_DEFAULT_MS : timeMs('from', args.from, INCIDENT_USAGE);
  if (toMs <= fromMs) {
    throw new UsageError(`--to: ${new Date(toMs).toISOString()} is not after --from ${new Date(fromMs).toISOString()}`);
  }
  const minFiringMs = durationFlag('min-duration', args['min-duration'] ?? '5m', INCIDENT_USAGE);
  let windows: IncidentWindow[];
  try {
    windows = await detectIncidents(createReportStore(conn.transport), { fromMs, toMs, api: args.api, minFiringMs });
  } catch (err) {
    process.stderr.write(`apimon report incident: ${(err as Error).message}\n`);
    return 1;
  }
  if (args.json) {
    for (const w of windows) {
      process.stdout.write(
        `${JSON.stringify({
          api: w.api,
          provider: w.provider,
          severity: w.severity,
          alerts: w.alerts,
          startedAt: new Date(w.startedAt).toISOString(),
          detectedAt: new Date(w.detectedAt).toISOString(),
          resolvedAt: w.resolvedAt === null ? null : new Date(w.resolvedAt).toISOString(),
          firingSeconds: w.firingSeconds,
        })}\n`
      );
    }
    return 0;
  }
  if (windows.length === 0) {
    process.stdout.write(
      `no critical or warning alert fired for ${fmtMinutes(minFiringMs / 1000)} or more between ${fmtTime(fromMs)} and ${fmtTime(toMs)} UTC\n`
    );
    return 0;
  }
  process.stdout.write(formatWindows(windows));
  const first = windows[0];
  process.stdout.write(
    `\nwrite a report: apimon report incident --api ${first.api} --from ${new Date(first.startedAt).toISOString()} --to ${new Date(first.resolvedAt ?? toMs).toISOString()} --prometheus URL --out DIR\n`
  );
  return 0;
}

async function incident(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      ...COMMON,
      api: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      record: { type: 'string' },
      detect: { type: 'boolean', default: false },
      'min-duration': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    INCIDENT_USAGE
  );
  const conn = connect(args, INCIDENT_USAGE);
  if (args.detect) {
    return detect(args, conn);
  }
  if (!args.out) {
    throw new UsageError(`--out is required: the directory the report is written to\n${INCIDENT_USAGE}`);
  }
  const formats = parseFormats(args.format, INCIDENT_USAGE);
  let record: IncidentReportRecord | undefined;
  if (args.record !== undefined) {
    const read = await readIncidentRecord(args.record);
    if (!read.ok) {
      reportIssues(args.record, read.issues);
      return 2;
    }
    record = read.records[0];
    if (args.api !== undefined && args.api !== record.api) {
      throw new UsageError(`--api: "${args.api}" is not the API of the record ${args.record} ("${record.api}")`);
    }
  }
  const api = args.api ?? record?.api;
  if (api === undefined) {
    throw new UsageError(`--api (or --record) is required\n${INCIDENT_USAGE}`);
  }
  if (args.from === undefined && record === undefined) {
    throw new UsageError(`--from is required without --record\n${INCIDENT_USAGE}`);
  }
  if (args.to === undefined && record === undefined) {
    throw new UsageError(`--to is required without --record\n${INCIDENT_USAGE}`);
  }
  const fromMs = args.from !== undefined ? timeMs('from', args.from, INCIDENT_USAGE) : record!.fromMs;
  const toMs = args.to !== undefined ? timeMs('to', args.to, INCIDENT_USAGE) : record!.toMs;
  if (toMs <= fromMs) {
    throw new UsageError(`--to: ${new Date(toMs).toISOString()} is not after --from ${new Date(fromMs).toISOString()}`);
  }
  if (record === undefined) {
    // The team's record of this incident, if it is in the incidents directory.
    const dir = args.incidents ?? DEFAULT_INCIDENTS_DIR;
    const records = await readIncidentRecords(dir);
    if (!records.ok) {
      reportIssues(dir, records.issues);
      return 2;
    }
    record = recordFor(records.records, api, fromMs, toMs);
  }
  const fromConfig = await trafficSettings(args.config);
  if (fromConfig === 'invalid') {
    return 2;
  }
  let report;
  try {
    report = await buildIncidentReport({
      api,
      fromMs,
      toMs,
      nowMs: Date.now(),
      store: createReportStore(conn.transport),
      prober: createReportProber(conn.transport, conn.proberConfigured),
      record,
      trafficSettings: fromConfig ?? (await proberTraffic(conn)),
    });
  } catch (err) {
    process.stderr.write(`apimon report incident: ${(err as Error).message}\n`);
    return 1;
  }
  for (const w of report.warnings) {
    process.stderr.write(`apimon report incident: warning: ${w}\n`);
  }
  return write(
    {
      html: () => renderIncidentHtml(report),
      md: () => renderIncidentMarkdown(report),
      json: () => renderIncidentJson(report),
    },
    { dir: args.out, base: `incident-${report.id}`, formats, chromium: args.chromium },
    'incident'
  );
}

export async function run(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === 'monthly') {
    return monthly(rest);
  }
  if (kind === 'incident') {
    return incident(rest);
  }
  throw new UsageError(
    `${kind === undefined ? 'say which report' : `"${kind}" is not a report`}: monthly or incident\n${usage}`
  );
}
