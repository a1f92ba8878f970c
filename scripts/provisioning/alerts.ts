// The alert signals, written once. `npm run provisioning` renders them twice: as a Prometheus
// rule file (prometheus/alerts.yml, for Alertmanager / Mimir ruler users) and as Grafana-managed
// rules (provisioning/alerting/rules.yaml). Both carry the very same PromQL expression, so the
// promtool tests and the scenario tests on a real Prometheus prove what Grafana evaluates.
//
// Every expression returns one series per API that is in trouble (and nothing otherwise), with
// the labels api, provider, criticality and owner, so one rule covers every API and its own
// thresholds (the prober exports them as apimon_threshold_* series: per API without an endpoint
// label, and per endpoint). Latency is judged per endpoint against the endpoint's threshold (an
// endpoint may override it); errors and headroom per API against the API's threshold.

/** Joins the catalog facts that routing and severity need. */
const CATALOG_JOIN = '* on (api) group_left (criticality, owner) max by (api, criticality, owner) (apimon_api_info)';

/** The same join for threshold queries, which lack the provider label. */
const CATALOG_JOIN_WITH_PROVIDER =
  '* on (api) group_left (provider, criticality, owner) max by (api, provider, criticality, owner) (apimon_api_info)';

/** An API's own threshold: the series without an endpoint label (endpoints may override). */
const API_THRESHOLD = (metric: string) => `max by (api) (${metric}{endpoint=""})`;

/** Probe outcomes that mean the provider failed us (not our own quota or expectations). */
const PROVIDER_FAILURES = 'timeout|dns|connect|tls|http_5xx';

export type ValueFormat = 'duration' | 'ratio' | 'days' | 'seconds' | 'count' | 'status';

export interface AlertSignal {
  /** Alert name (Prometheus `alert`, Grafana `title`). */
  alert: string;
  /** Grafana rule uid (stable: silences and links use it). */
  uid: string;
  /** Short label value for routing and the docs table. */
  signal: string;
  expr: string;
  /**
   * The threshold the expression compared with, as a query with the same labels as `expr`
   * (Grafana shows it through $values.T). `query` is the same for one alert as a printf format
   * over the alert's `args` labels, for Prometheus' `query` template function.
   */
  threshold?: { expr: string; query: string; args: Array<'api' | 'endpoint'>; format: ValueFormat };
  for: string;
  valueFormat: ValueFormat;
  /** `criticality`: critical -> critical, standard -> warning, background -> info. */
  severity: 'criticality' | 'critical';
  /** Templates with VALUE and THRESHOLD placeholders, rendered per target. */
  summary: string;
  description: string;
  runbook: string;
  /** Panel of the apimon-api dashboard that shows this signal. */
  panelId: number;
}

export const SEVERITY_FROM_CRITICALITY =
  '{{ if eq .Labels.criticality "critical" }}critical{{ else if eq .Labels.criticality "standard" }}warning{{ else }}info{{ end }}';

/** Panel ids on the apimon-api dashboard (dashboards/apimon-api.json), used for alert links. */
export const API_PANELS = {
  latency: 2,
  errors: 5,
  headroom: 8,
  exhaustion: 9,
  tls: 10,
  providerStatus: 11,
} as const;

const errorRatio = (window: string, outcomes?: string) =>
  `sum by (api, provider) (rate(apimon_probe_requests_total{${outcomes ? `outcome=~"${outcomes}"` : 'outcome!="ok"'}}[${window}]))\n` +
  `  / sum by (api, provider) (rate(apimon_probe_requests_total[${window}]))`;

const providerLevel = 'max by (provider) (apimon_provider_component_status or apimon_provider_status)';

export const ALERT_SIGNALS: AlertSignal[] = [
  {
    alert: 'ApimonLatencyHigh',
    uid: 'apimon-latency-high',
    signal: 'latency',
    expr:
      `(\n  histogram_quantile(0.95, sum by (api, endpoint, provider, le) (rate(apimon_probe_duration_seconds_bucket[5m])))\n` +
      `  > on (api, endpoint) group_left () max by (api, endpoint) (apimon_threshold_latency_seconds{endpoint!=""})\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `max by (api, endpoint) (apimon_threshold_latency_seconds{endpoint!=""}) ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: 'max by (api, endpoint) (apimon_threshold_latency_seconds{api="%s",endpoint="%s"})',
      args: ['api', 'endpoint'],
      format: 'duration',
    },
    for: '5m',
    valueFormat: 'duration',
    severity: 'criticality',
    summary: "{{ $labels.api }} {{ $labels.endpoint }}: p95 latency VALUE is over its threshold THRESHOLD",
    description:
      'The 95th percentile of probe durations of {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) over the last 5 minutes is VALUE; the catalog allows THRESHOLD.',
    runbook:
      'Open the API dashboard: the phase panel shows whether DNS, connect, TLS or time to first byte grew. Compare with the provider status panel; if only one location is slow, suspect the network path. Raise the threshold in the catalog only if the provider documents the new latency.',
    panelId: API_PANELS.latency,
  },
  {
    alert: 'ApimonErrorRatioHigh',
    uid: 'apimon-error-ratio-high',
    signal: 'errors',
    expr: `(\n  ${errorRatio('5m')}\n  > on (api) group_left () ${API_THRESHOLD('apimon_threshold_error_ratio')}\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `${API_THRESHOLD('apimon_threshold_error_ratio')} ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: 'max by (api) (apimon_threshold_error_ratio{api="%s",endpoint=""})',
      args: ['api'],
      format: 'ratio',
    },
    for: '5m',
    valueFormat: 'ratio',
    severity: 'criticality',
    summary: '{{ $labels.api }}: VALUE of probes fail (threshold THRESHOLD)',
    description:
      'Over the last 5 minutes VALUE of the probes of {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) failed; the catalog allows THRESHOLD.',
    runbook:
      'Open the API dashboard: "errors by outcome" tells timeouts and connection failures (provider or network) from HTTP 5xx (provider) and 4xx or assertion failures (our credentials, request or expectations). Check the provider status page panel and open incidents.',
    panelId: API_PANELS.errors,
  },
  {
    alert: 'ApimonRateLimitHeadroomLow',
    uid: 'apimon-ratelimit-headroom-low',
    signal: 'headroom',
    expr:
      `(\n  min by (api, provider) (apimon_ratelimit_remaining / (apimon_ratelimit_limit > 0))\n` +
      `  < on (api) group_left () ${API_THRESHOLD('apimon_threshold_headroom_ratio')}\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `${API_THRESHOLD('apimon_threshold_headroom_ratio')} ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: 'max by (api) (apimon_threshold_headroom_ratio{api="%s",endpoint=""})',
      args: ['api'],
      format: 'ratio',
    },
    for: '5m',
    valueFormat: 'ratio',
    severity: 'criticality',
    summary: '{{ $labels.api }}: only VALUE of the rate limit left (threshold THRESHOLD)',
    description:
      'The provider reports that {{ $labels.api }} ({{ $labels.provider }}, owner {{ $labels.owner }}) has VALUE of its rate limit left in the current window; the catalog wants at least THRESHOLD.',
    runbook:
      'Open the rate-limits dashboard: find which client consumes the quota (the trend panel) and whether the window resets soon. Throttle batch jobs or ask the provider for a higher limit; 429 responses follow when headroom reaches zero.',
    panelId: API_PANELS.headroom,
  },
  {
    alert: 'ApimonRateLimitExhaustionSoon',
    uid: 'apimon-ratelimit-exhaustion-soon',
    signal: 'exhaustion',
    expr:
      `min by (api, provider) (\n` +
      `  (apimon_ratelimit_remaining / -deriv(apimon_ratelimit_remaining[30m]))\n` +
      `  and (predict_linear(apimon_ratelimit_remaining[30m], 3600) <= 0)\n` +
      `  and (apimon_ratelimit_remaining > 0)\n` +
      `  unless (apimon_ratelimit_reset_seconds < apimon_ratelimit_remaining / -deriv(apimon_ratelimit_remaining[30m]))\n` +
      `) ${CATALOG_JOIN}`,
    for: '10m',
    valueFormat: 'seconds',
    severity: 'criticality',
    summary: '{{ $labels.api }}: rate limit exhausted in about VALUE',
    description:
      'At the consumption trend of the last 30 minutes, the rate limit of {{ $labels.api }} ({{ $labels.provider }}, owner {{ $labels.owner }}) runs out in about VALUE, before its window resets.',
    runbook:
      'Open the rate-limits dashboard: the consumption trend shows when usage grew. Pause or slow the batch job behind it, or spread it over the next window; request a higher limit if the growth is organic.',
    panelId: API_PANELS.exhaustion,
  },
  {
    alert: 'ApimonApiDown',
    uid: 'apimon-api-down',
    signal: 'down',
    expr:
      `(\n  (sum by (api, provider) (increase(apimon_probe_requests_total[5m])) > 0)\n` +
      `  unless on (api) (sum by (api) (increase(apimon_probe_requests_total{outcome="ok"}[5m])) > 0)\n) ${CATALOG_JOIN}`,
    for: '2m',
    valueFormat: 'count',
    severity: 'criticality',
    summary: '{{ $labels.api }}: every probe failed (VALUE in 5 minutes)',
    description:
      'None of the last VALUE probes of {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) succeeded in the last 5 minutes.',
    runbook:
      'Open the API dashboard: the outcome panel tells DNS, connect, TLS, timeout, HTTP or assertion failures apart. An auth failure (401/403) after a credential rotation is ours; timeouts and 5xx with a red provider status are theirs: follow the provider incident and fail over if the API has a fallback.',
    panelId: API_PANELS.errors,
  },
  {
    alert: 'ApimonTlsCertificateExpiring',
    uid: 'apimon-tls-cert-expiring',
    signal: 'tls',
    expr: `(\n  (min by (api, provider) (apimon_tls_cert_expiry_timestamp_seconds > 0) - time()) / 86400 < 14\n) ${CATALOG_JOIN}`,
    for: '10m',
    valueFormat: 'days',
    severity: 'criticality',
    summary: '{{ $labels.api }}: TLS certificate expires in VALUE',
    description:
      'The earliest certificate in the chain served to the probes of {{ $labels.api }} ({{ $labels.provider }}) expires in VALUE (alert below 14 days). A negative value means it has expired.',
    runbook:
      'Tell the provider (their certificate renewal failed or a pinned intermediate is expiring). If we pin certificates or a CA bundle for this API, prepare the new one now.',
    panelId: API_PANELS.tls,
  },
  {
    alert: 'ApimonProviderMajorOutage',
    uid: 'apimon-provider-major-outage',
    signal: 'provider_outage',
    expr: `(\n  max by (api, provider) (apimon_api_info)\n  * on (provider) group_left () (${providerLevel} >= 4)\n) ${CATALOG_JOIN}`,
    for: '1m',
    valueFormat: 'status',
    severity: 'criticality',
    summary: '{{ $labels.provider }} reports a major outage affecting {{ $labels.api }}',
    description:
      'The status page of {{ $labels.provider }} reports a major outage (status level VALUE of 4). {{ $labels.api }} ({{ $labels.criticality }}, owner {{ $labels.owner }}) depends on it.',
    runbook:
      'Open the providers dashboard for the incident text and affected components. Switch to the fallback provider if there is one, tell the support team, and follow the incident until it is resolved.',
    panelId: API_PANELS.providerStatus,
  },
  {
    alert: 'ApimonProviderSilentOutage',
    uid: 'apimon-provider-silent-outage',
    signal: 'provider_silent',
    expr:
      `(\n  (\n    ${errorRatio('5m', PROVIDER_FAILURES).replace(/\n/g, '\n  ')}\n    > on (api) group_left () ${API_THRESHOLD('apimon_threshold_error_ratio')}\n  )\n` +
      `  and on (provider) (${providerLevel} == 0)\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `${API_THRESHOLD('apimon_threshold_error_ratio')} ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: 'max by (api) (apimon_threshold_error_ratio{api="%s",endpoint=""})',
      args: ['api'],
      format: 'ratio',
    },
    for: '10m',
    valueFormat: 'ratio',
    severity: 'criticality',
    summary: '{{ $labels.api }} fails (VALUE) while {{ $labels.provider }} says all is operational',
    description:
      'VALUE of the probes of {{ $labels.api }} failed with timeouts, connection, TLS or 5xx errors in the last 5 minutes (threshold THRESHOLD), yet the status page of {{ $labels.provider }} reports every component operational.',
    runbook:
      'The provider has not noticed or not published the problem yet. Check that the failures are not ours (one location only, a recent deploy, DNS). Then open a ticket with the provider, quoting the failure times and error classes from the API dashboard.',
    panelId: API_PANELS.errors,
  },
  {
    alert: 'ApimonApiNotProbed',
    uid: 'apimon-api-not-probed',
    signal: 'not_probed',
    expr: `(\n  max by (api, provider, reason) (apimon_api_misconfigured == 1)\n) ${CATALOG_JOIN}`,
    for: '5m',
    valueFormat: 'count',
    severity: 'criticality',
    summary: '{{ $labels.api }} is not monitored: {{ $labels.reason }}',
    description:
      'The prober cannot probe {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) as configured ({{ $labels.reason }}), so none of the other apimon alerts can fire for it.',
    runbook:
      "Set the environment variable the reason names where the prober runs (docker compose: the prober service's environment; Kubernetes: the Secret it reads as env) and restart the prober: a running process does not see environment changes. `apimon probe --config FILE --api NAME` with the same environment shows whether it works.",
    panelId: API_PANELS.latency,
  },
  {
    alert: 'ApimonNoData',
    uid: 'apimon-no-data',
    signal: 'no_data',
    expr: 'absent(apimon_api_info)',
    for: '5m',
    valueFormat: 'count',
    severity: 'critical',
    summary: 'No apimon data: the prober is down or not scraped',
    description:
      'The store has no apimon_api_info series, so no third-party API is monitored and no other apimon alert can fire.',
    runbook:
      'Check that the prober runs (`apimon run`, its /metrics endpoint) and that the store scrapes it (Prometheus targets page, job "apimon"). `apimon check` validates the catalog if the prober refuses to start.',
    panelId: API_PANELS.latency,
  },
];
