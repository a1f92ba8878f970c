// Renders ALERT_SIGNALS (the APIs) and SELF_ALERT_SIGNALS (the prober itself) as a Prometheus
// rule file and as Grafana file-provisioned alert rules, one rule group each.
import { ALERT_SOURCE, apiDashboardLink, DASHBOARD_UIDS, DATASOURCE_UIDS, dashboardUrl, GRAFANA_FOLDER } from '@apimon/core';
import { ALERT_SIGNALS, SEVERITY_FROM_CRITICALITY, type AlertSignal, type ValueFormat } from './alerts';
import { SELF_ALERT_SIGNALS } from './self-alerts';

export const ALERT_GROUP = 'apimon-alerts';
/** The prober's own alerts: a group of their own, so they can be taken or left apart. */
export const SELF_ALERT_GROUP = 'apimon-prober';
export const ALERT_INTERVAL = '1m';

/** The rule groups, in file order. */
export const ALERT_GROUPS: ReadonlyArray<{ name: string; signals: AlertSignal[] }> = [
  { name: ALERT_GROUP, signals: ALERT_SIGNALS },
  { name: SELF_ALERT_GROUP, signals: SELF_ALERT_SIGNALS },
];

/** How the rule files are rendered. */
export interface AlertRenderOptions {
  /**
   * Absolute URL of the published runbooks (docs/provisioning.md as your Git host or wiki shows
   * it); each rule's runbook_url is this URL with the alert's section anchor. Without it the
   * rules carry no runbook_url (a relative one would resolve against Grafana's own URL) and the
   * `runbook` annotation holds the runbook text itself.
   */
  runbookUrl?: string;
}

/** The runbook URL from the environment of `npm run provisioning`, checked: absolute http(s) or nothing. */
export function runbookUrlFromEnv(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`APIMON_RUNBOOK_URL: "${value}" is not an absolute URL (e.g. https://git.example.com/org/apimon/blob/main/docs/provisioning.md)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`APIMON_RUNBOOK_URL: "${value}" must be an http:// or https:// URL`);
  }
  if (url.hash) {
    throw new Error(`APIMON_RUNBOOK_URL: "${value}" must not have a #fragment: each rule adds its own section`);
  }
  return url.toString();
}

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
    case 'rate':
      return `{{ printf "%.2f" ${value} }}/s`;
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

/** The rule's section of the runbooks (docs/provisioning.md's heading anchor). */
export function runbookAnchor(signal: AlertSignal): string {
  return signal.alert.toLowerCase();
}

function annotations(signal: AlertSignal, target: Target, options: AlertRenderOptions): Record<string, string> {
  return {
    summary: fill(signal.summary, signal, target),
    description: fill(signal.description, signal, target),
    runbook: signal.runbook,
    ...(options.runbookUrl ? { runbook_url: `${options.runbookUrl}#${runbookAnchor(signal)}` } : {}),
    dashboard_url:
      signal.dashboardLink ??
      (signal.severity === 'critical' ? dashboardUrl(DASHBOARD_UIDS.overview) : apiDashboardLink('{{ $labels.api }}')),
  };
}

function labels(signal: AlertSignal): Record<string, string> {
  return {
    severity: signal.severity === 'criticality' ? SEVERITY_FROM_CRITICALITY : signal.severity,
    signal: signal.signal,
    [ALERT_SOURCE.label]: ALERT_SOURCE.value,
  };
}

/** prometheus/alerts.yml */
export function prometheusAlertRules(options: AlertRenderOptions = {}): unknown {
  return {
    groups: ALERT_GROUPS.map((group) => ({
      name: group.name,
      interval: ALERT_INTERVAL,
      rules: group.signals.map((s) => ({
        alert: s.alert,
        expr: s.expr,
        for: s.for,
        labels: labels(s),
        annotations: annotations(s, 'prometheus', options),
      })),
    })),
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
export function grafanaAlertRules(options: AlertRenderOptions = {}): unknown {
  return {
    apiVersion: 1,
    groups: ALERT_GROUPS.map((group) => ({
      orgId: 1,
      name: group.name,
      folder: GRAFANA_FOLDER,
      interval: ALERT_INTERVAL,
      rules: group.signals.map((s) => ({
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
        dashboardUid: s.dashboard ?? DASHBOARD_UIDS.api,
        panelId: s.panelId,
        // No series means no API is in trouble; a failing query is an error, never silence.
        noDataState: 'OK',
        execErrState: 'Error',
        for: s.for,
        annotations: annotations(s, 'grafana', options),
        labels: labels(s),
        isPaused: false,
      })),
    })),
  };
}
