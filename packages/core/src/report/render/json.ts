// The reports as JSON: one object each. The monthly report's `apis` entries hold exactly issue
// 12's fields in its order (MONTHLY_API_FIELDS); the rest of the report follows them.
import { MONTHLY_API_FIELDS, type IncidentReport, type MonthlyReport } from '../types';

export function renderMonthlyJson(report: MonthlyReport): string {
  const { month, generatedAt, apis, ...rest } = report;
  const ordered = apis.map((a) => Object.fromEntries(MONTHLY_API_FIELDS.map((k) => [k, a[k]])));
  return `${JSON.stringify({ month, generatedAt, apis: ordered, ...rest }, null, 2)}\n`;
}

export function renderIncidentJson(report: IncidentReport): string {
  const {
    api,
    from,
    to,
    detectedAt,
    providerPostedAt,
    resolvedAt,
    timeline,
    impact,
    rootCause,
    correctiveActions,
    ...rest
  } = report;
  return `${JSON.stringify({ api, from, to, detectedAt, providerPostedAt, resolvedAt, timeline, impact, rootCause, correctiveActions, ...rest }, null, 2)}\n`;
}
