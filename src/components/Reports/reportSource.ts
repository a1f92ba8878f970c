// Where the Reports page gets its reports: the same builders and rendering as `apimon report`
// (@apimon/core), over the apimon data source's transport (Grafana's data proxy), so the page
// reads the same store and prober, with the same credentials, as the dashboards.
import { getDataSourceSrv } from '@grafana/runtime';
import {
  buildIncidentReport,
  buildMonthlyReport,
  createReportProber,
  createReportStore,
  DATASOURCE_UIDS,
  DEFAULT_MIN_INCIDENT_MS,
  detectIncidents,
  PLUGIN_IDS,
  renderIncidentHtml,
  renderIncidentJson,
  renderIncidentMarkdown,
  renderMonthlyHtml,
  renderMonthlyJson,
  renderMonthlyMarkdown,
  type IncidentWindow,
  type Month,
  type TrafficSettings,
  type Transport,
} from '@apimon/core';

export interface ReportConnection {
  transport: Transport;
  proberConfigured: boolean;
  /** The data source's name, shown on the page. */
  name: string;
}

/** A report as the page shows and offers it. */
export interface RenderedReport {
  title: string;
  /** File name without extension, as the CLI names it. */
  base: string;
  html: string;
  md: string;
  json: string;
  warnings: string[];
}

/** Incidents start this long before their first alert and end this long after the last resolves. */
export const INCIDENT_MARGIN_MS = 30 * 60_000;

interface ReportCapable {
  reportConnection(): { transport: Transport; proberConfigured: boolean };
  name: string;
}

const capable = (ds: unknown): ds is ReportCapable =>
  typeof (ds as Partial<ReportCapable>)?.reportConnection === 'function';

/** The provisioned apimon data source, or the first one of its type. */
export async function connectToDataSource(): Promise<ReportConnection> {
  const srv = getDataSourceSrv();
  const listed = srv.getList({ type: PLUGIN_IDS.datasource });
  const uid = listed.find((d) => d.uid === DATASOURCE_UIDS.apimon)?.uid ?? listed[0]?.uid;
  if (!uid) {
    throw new Error('no apimon data source is configured: add one (Connections, Data sources) to read reports');
  }
  const ds = await srv.get(uid);
  if (!capable(ds)) {
    throw new Error(`the data source "${uid}" is not an apimon data source of this version`);
  }
  return { ...ds.reportConnection(), name: ds.name };
}

async function trafficSettings(conn: ReportConnection): Promise<TrafficSettings | undefined> {
  if (!conn.proberConfigured) {
    return undefined;
  }
  const catalog = await createReportProber(conn.transport, true)
    .catalog()
    .catch(() => null);
  return catalog?.traffic ?? undefined;
}

export async function monthlyReport(conn: ReportConnection, month: Month, nowMs: number): Promise<RenderedReport> {
  const report = await buildMonthlyReport({
    month,
    nowMs,
    store: createReportStore(conn.transport),
    prober: createReportProber(conn.transport, conn.proberConfigured),
    trafficSettings: await trafficSettings(conn),
  });
  return {
    title: `Monthly report ${report.month}`,
    base: `apimon-report-${report.month}`,
    html: renderMonthlyHtml(report),
    md: renderMonthlyMarkdown(report),
    json: renderMonthlyJson(report),
    warnings: report.warnings,
  };
}

/** The month's incidents: windows where a critical or warning alert fired for 5 minutes or more. */
export function monthIncidents(conn: ReportConnection, month: Month, nowMs: number): Promise<IncidentWindow[]> {
  return detectIncidents(createReportStore(conn.transport), {
    fromMs: month.fromMs,
    toMs: Math.min(month.toMs, nowMs),
    minFiringMs: DEFAULT_MIN_INCIDENT_MS,
  });
}

export async function incidentReport(
  conn: ReportConnection,
  incident: IncidentWindow,
  nowMs: number
): Promise<RenderedReport> {
  const report = await buildIncidentReport({
    api: incident.api,
    fromMs: incident.startedAt - INCIDENT_MARGIN_MS,
    toMs: Math.min(nowMs, (incident.resolvedAt ?? nowMs) + INCIDENT_MARGIN_MS),
    nowMs,
    store: createReportStore(conn.transport),
    prober: createReportProber(conn.transport, conn.proberConfigured),
    trafficSettings: await trafficSettings(conn),
  });
  return {
    title: `Incident ${report.id}`,
    base: `incident-${report.id}`,
    html: renderIncidentHtml(report),
    md: renderIncidentMarkdown(report),
    json: renderIncidentJson(report),
    warnings: report.warnings,
  };
}
