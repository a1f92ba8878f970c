// Renders ALERT_SIGNALS as a Prometheus rule file and as Grafana file-provisioned alert rules.
import { apiDashboardLink, DASHBOARD_UIDS, DATASOURCE_UIDS, dashboardUrl, GRAFANA_FOLDER } from '@apimon/core';
import { ALERT_SIGNALS, SEVERITY_FROM_CRITICALITY, type AlertSignal, type ValueFormat } from './alerts';

export const ALERT_GROUP = 'apimon-alerts';
export const ALERT_INTERVAL = '1m';
export const RUNBOOK_DOC = 'docs/provisioning.md';

function format(value: string, fmt: ValueFormat): string {
  switch (fmt) {
    case 'duration':
    case 'seconds':
      return `{{ ${value} | humanizeDuration }}`;
    case 'ratio':
      return `{{ ${value} | humanizePercentage }}`;
    case 'days':
      return `{{ printf "%.1f" ${value} }} days`;
    case 'count':
    case 'status':
      return `{{ printf "%.0f" ${value} }}`;
  }
}

type Target = 'prometheus' | 'grafana';

function fill(text: string, signal: AlertSignal, target: Target): string {
  const value = target === 'prometheus' ? format('$value', signal.valueFormat) : format('$values.A.Value', signal.valueFormat);
  let threshold = '';
  if (signal.threshold) {
    threshold =
      target === 'prometheus'
        ? `{{ with printf \`${signal.threshold.query}\` ${signal.threshold.args.map((a) => `$labels.${a}`).join(' ')} | query }}${format('(. | first | value)', signal.threshold.format)}{{ end }}`
        : `{{ with $values.T }}${format('.Value', signal.threshold.format)}{{ end }}`;
  }
  return text.replace(/VALUE/g, value).replace(/THRESHOLD/g, threshold);
}

export function runbookUrl(signal: AlertSignal): string {
  return `${RUNBOOK_DOC}#${signal.alert.toLowerCase()}`;
}

function annotations(signal: AlertSignal, target: Target): Record<string, string> {
  return {
    summary: fill(signal.summary, signal, target),
    description: fill(signal.description, signal, target),
    runbook: signal.runbook,
    runbook_url: runbookUrl(signal),
    dashboard_url:
      signal.severity === 'critical' ? dashboardUrl(DASHBOARD_UIDS.overview) : apiDashboardLink('{{ $labels.api }}'),
  };
}

function labels(signal: AlertSignal): Record<string, string> {
  return {
    severity: signal.severity === 'critical' ? 'critical' : SEVERITY_FROM_CRITICALITY,
    signal: signal.signal,
    source: 'apimon',
  };
}

/** prometheus/alerts.yml */
export function prometheusAlertRules(): unknown {
  return {
    groups: [
      {
        name: ALERT_GROUP,
        interval: ALERT_INTERVAL,
        rules: ALERT_SIGNALS.map((s) => ({
          alert: s.alert,
          expr: s.expr,
          for: s.for,
          labels: labels(s),
          annotations: annotations(s, 'prometheus'),
        })),
      },
    ],
  };
}

const EXPR_DATASOURCE = { type: '__expr__', uid: '__expr__' };

function promQuery(refId: string, expr: string) {
  return {
    refId,
    relativeTimeRange: { from: 600, to: 0 },
    datasourceUid: DATASOURCE_UIDS.prometheus,
    model: {
      refId,
      datasource: { type: 'prometheus', uid: DATASOURCE_UIDS.prometheus },
      editorMode: 'code',
      expr,
      instant: true,
      range: false,
      intervalMs: 1000,
      maxDataPoints: 43200,
      legendFormat: '__auto',
    },
  };
}

/**
 * The PromQL already keeps only the series in trouble, so the condition fires for every series
 * it returns: any number (including +Inf, a p95 beyond the last bucket) is true.
 */
export const FIRING_CONDITION = 'is_number($A) || is_inf($A)';

/** provisioning/alerting/rules.yaml */
export function grafanaAlertRules(): unknown {
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: ALERT_GROUP,
        folder: GRAFANA_FOLDER,
        interval: ALERT_INTERVAL,
        rules: ALERT_SIGNALS.map((s) => ({
          uid: s.uid,
          title: s.alert,
          condition: 'C',
          data: [
            promQuery('A', s.expr),
            ...(s.threshold ? [promQuery('T', s.threshold.expr)] : []),
            {
              refId: 'C',
              relativeTimeRange: { from: 600, to: 0 },
              datasourceUid: '__expr__',
              model: {
                refId: 'C',
                datasource: EXPR_DATASOURCE,
                type: 'math',
                expression: FIRING_CONDITION,
                intervalMs: 1000,
                maxDataPoints: 43200,
              },
            },
          ],
          dashboardUid: DASHBOARD_UIDS.api,
          panelId: s.panelId,
          // No series means no API is in trouble; a failing query is an error, never silence.
          noDataState: 'OK',
          execErrState: 'Error',
          for: s.for,
          annotations: annotations(s, 'grafana'),
          labels: labels(s),
          isPaused: false,
        })),
      },
    ],
  };
}
