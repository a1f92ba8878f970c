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
// Metric names, thresholds and PromQL building blocks come from the contract in @apimon/core.
import {
  API_LEVEL,
  apiDashboardLink,
  API_PROVIDER_LEVEL,
  apiThreshold,
  bucket,
  errorRatio,
  fromMajority,
  fromMinority,
  histogramQuantile,
  locationsProbing,
  LATENCY_QUANTILE,
  METRICS,
  PROVIDER_FAILED_OUTCOME,
  RAW_HEADROOM,
  rawErrorRatioTerms,
  RECORDED,
  selector,
  statusLevelValue,
  sumBy,
  thresholdBy,
  thresholdSelector,
  TLS_LIMITS,
  type DashboardUid,
} from '@apimon/core';

/** Joins the catalog facts that routing and severity need. */
const CATALOG_JOIN = `* on (api) group_left (criticality, owner) max by (api, criticality, owner) (${METRICS.apiInfo})`;

/** The same join for threshold queries, which lack the provider label. */
const CATALOG_JOIN_WITH_PROVIDER = `* on (api) group_left (provider, criticality, owner) max by (api, provider, criticality, owner) (${METRICS.apiInfo})`;

/** One API's threshold as Prometheus' `query` template function takes it (printf over the labels). */
const thresholdQuery = (metric: string, level: 'api' | 'endpoint') =>
  thresholdBy(level, selector(metric, ['api="%s"', level === 'api' ? API_LEVEL : 'endpoint="%s"'], ','));

export type ValueFormat = 'duration' | 'ratio' | 'days' | 'seconds' | 'count' | 'status' | 'rate';

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
  severity: 'criticality' | 'critical' | 'warning';
  /** Templates with VALUE and THRESHOLD placeholders, rendered per target. */
  summary: string;
  description: string;
  runbook: string;
  /** Panel of the dashboard that shows this signal (apimon-api unless `dashboard` says). */
  panelId: number;
  /** The prober's own alerts link the prober-health dashboard. */
  dashboard?: DashboardUid;
  /** The dashboard_url annotation, when not the API dashboard (or the overview for critical rules). */
  dashboardLink?: string;
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
  trafficCodes: 16,
  trafficLatency: 17,
  trafficUsage: 18,
  errorsByLocation: 20,
  probesByLocation: 21,
} as const;


const requests = (window: string, matchers: string[] = []) =>
  `increase(${selector(METRICS.probeRequests, matchers)}[${window}])`;
const remaining = METRICS.rateLimitRemaining;
/** Seconds until remaining reaches 0 at the trend of the last 30 minutes. */
const RUNS_OUT_IN = `${remaining} / -deriv(${remaining}[30m])`;

const ENDPOINT_LATENCY_THRESHOLD = thresholdBy('endpoint', thresholdSelector(METRICS.thresholdLatency, 'endpoint'));

// Several locations (docs/topologies.md): latency, errors and "down" are judged per location;
// the API alerts fire when a majority of the locations probing it breach (fromMajority), and a
// breach from fewer is ApimonApiRegionalProblem. With one location both read as before.
const PER_API: Array<'api' | 'provider'> = ['api', 'provider'];
/** Per endpoint and location, the p95 where it is over the endpoint's threshold. */
const LATENCY_BREACH =
  `${histogramQuantile(LATENCY_QUANTILE, ['api', 'endpoint', 'provider', 'location', 'le'], `rate(${bucket(METRICS.probeDuration)}[5m])`)}
` +
  `  > on (api, endpoint) group_left () ${ENDPOINT_LATENCY_THRESHOLD}`;
/** Per API and location, the error ratio (of `failed` outcomes) where it is over the API's threshold. */
const errorBreach = (failed?: string) =>
  `(${errorRatio.plain(rawErrorRatioTerms('5m', [...PER_API, 'location'], { failed }))})
` +
  `  > on (api) group_left () ${apiThreshold(METRICS.thresholdErrorRatio)}`;
/** Per API and location, the failed probes where none succeeded. */
const LOCATION_DOWN =
  `(${sumBy([...PER_API, 'location'], requests('5m'))} > 0)
` +
  `  unless on (api, location) (${sumBy(['api', 'location'], requests('5m', ['outcome="ok"']))} > 0)`;
/** Per API and location, 1 where the location breaches latency (any endpoint) or errors. */
const LOCATION_FAILING = `(
  group by (api, provider, location) (${LATENCY_BREACH})
  or group by (api, provider, location) (${errorBreach()})
)`;
const indent = (text: string, by = '  ') => text.replace(/\n/g, `\n${by}`);
/** Per endpoint, the p95 where a majority of the locations with durations breach it. */
const ENDPOINT_LATENCY_FROM_MAJORITY = fromMajority(
  `(${LATENCY_BREACH})`,
  ['api', 'endpoint', 'provider'],
  '5m',
  selector(bucket(METRICS.probeDuration), ['le="+Inf"'])
);

// Real traffic (docs/real-traffic.md): the platform's own calls, from the recorded series of
// prometheus/recording.yml (the store must evaluate its apimon-traffic-* groups: the inline
// expressions would be thousands of characters per rule and repeat the attribution each time).
/** Real-traffic alerts judge an API only on enough calls: at least this many in 5 minutes. */
export const TRAFFIC_MIN_CALLS_5M = 20;
const TRAFFIC_VOLUME = `(${RECORDED.trafficRequestsRate5m} * 300 >= ${TRAFFIC_MIN_CALLS_5M})`;
const API_ERROR_THRESHOLD = apiThreshold(METRICS.thresholdErrorRatio);
const API_LATENCY_THRESHOLD = apiThreshold(METRICS.thresholdLatency);
/** The probes' error ratio per API over 5 minutes: 0 when none failed, absent without probes. */
const PROBE_ERROR_RATIO = errorRatio.probedOnly(rawErrorRatioTerms('5m', ['api', 'provider']));
const errorThreshold = {
  expr: `${API_ERROR_THRESHOLD} ${CATALOG_JOIN_WITH_PROVIDER}`,
  query: thresholdQuery(METRICS.thresholdErrorRatio, 'api'),
  args: ['api' as const],
  format: 'ratio' as const,
};

export const ALERT_SIGNALS: AlertSignal[] = [
  {
    alert: 'ApimonLatencyHigh',
    uid: 'apimon-latency-high',
    signal: 'latency',
    expr: `(\n  ${indent(ENDPOINT_LATENCY_FROM_MAJORITY)}\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `${ENDPOINT_LATENCY_THRESHOLD} ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: thresholdQuery(METRICS.thresholdLatency, 'endpoint'),
      args: ['api', 'endpoint'],
      format: 'duration',
    },
    for: '5m',
    valueFormat: 'duration',
    severity: 'criticality',
    summary: "{{ $labels.api }} {{ $labels.endpoint }}: p95 latency VALUE is over its threshold THRESHOLD",
    description:
      'The 95th percentile of probe durations of {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) over the last 5 minutes is VALUE or more from a majority of the locations probing it; the catalog allows THRESHOLD.',
    runbook:
      'Open the API dashboard: the phase panel shows whether DNS, connect, TLS or time to first byte grew. Compare with the provider status panel; if only one location is slow, suspect the network path. Raise the threshold in the catalog only if the provider documents the new latency.',
    panelId: API_PANELS.latency,
  },
  {
    alert: 'ApimonErrorRatioHigh',
    uid: 'apimon-error-ratio-high',
    signal: 'errors',
    expr: `(\n  ${indent(fromMajority(`(${errorBreach()})`, PER_API, '5m'))}\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `${apiThreshold(METRICS.thresholdErrorRatio)} ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: thresholdQuery(METRICS.thresholdErrorRatio, 'api'),
      args: ['api'],
      format: 'ratio',
    },
    for: '5m',
    valueFormat: 'ratio',
    severity: 'criticality',
    summary: '{{ $labels.api }}: VALUE of probes fail (threshold THRESHOLD)',
    description:
      'Over the last 5 minutes VALUE or more of the probes of {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) failed from a majority of the locations probing it; the catalog allows THRESHOLD.',
    runbook:
      'Open the API dashboard: "errors by outcome" tells timeouts and connection failures (provider or network) from HTTP 5xx (provider) and 4xx or assertion failures (our credentials, request or expectations). Check the provider status page panel and open incidents.',
    panelId: API_PANELS.errors,
  },
  {
    alert: 'ApimonRateLimitHeadroomLow',
    uid: 'apimon-ratelimit-headroom-low',
    signal: 'headroom',
    expr:
      `(\n  min by (api, provider) (${RAW_HEADROOM})\n` +
      `  < on (api) group_left () ${apiThreshold(METRICS.thresholdHeadroom)}\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `${apiThreshold(METRICS.thresholdHeadroom)} ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: thresholdQuery(METRICS.thresholdHeadroom, 'api'),
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
      `  (${RUNS_OUT_IN})\n` +
      `  and (predict_linear(${remaining}[30m], 3600) <= 0)\n` +
      `  and (${remaining} > 0)\n` +
      `  unless (${METRICS.rateLimitReset} < ${RUNS_OUT_IN})\n` +
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
    expr: `(\n  ${indent(fromMajority(`(${LOCATION_DOWN})`, PER_API, '5m'))}\n) ${CATALOG_JOIN}`,
    for: '2m',
    valueFormat: 'count',
    severity: 'criticality',
    summary: '{{ $labels.api }}: every probe failed (VALUE in 5 minutes)',
    description:
      'From a majority of the locations probing {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) none of the probes of the last 5 minutes succeeded (VALUE or more failed per location).',
    runbook:
      'Open the API dashboard: the outcome panel tells DNS, connect, TLS, timeout, HTTP or assertion failures apart. An auth failure (401/403) after a credential rotation is ours; timeouts and 5xx with a red provider status are theirs: follow the provider incident and fail over if the API has a fallback.',
    panelId: API_PANELS.errors,
  },
  {
    alert: 'ApimonApiRegionalProblem',
    uid: 'apimon-api-regional-problem',
    signal: 'regional',
    expr: `(\n  ${indent(fromMinority(LOCATION_FAILING, PER_API, '5m'))}\n) ${CATALOG_JOIN}`,
    for: '5m',
    valueFormat: 'count',
    severity: 'warning',
    summary: '{{ $labels.api }}: slow or failing from {{ $labels.location }} only',
    description:
      'From {{ $labels.location }} the probes of {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) breach its p95 latency or error threshold over the last 5 minutes, while a majority of the locations probing it do not: a regional problem, not the API being down.',
    runbook:
      'Open the API dashboard with the location variable on "All": the per-location panels show which location and which signal. Suspect the network path from that region (DNS, peering, a regional edge of the provider) before the provider itself; if the provider runs regional endpoints, check its status page for that region. If the platform serves users from that region, tell its team.',
    panelId: API_PANELS.errorsByLocation,
    dashboardLink: apiDashboardLink('{{ $labels.api }}', { location: '{{ $labels.location }}' }),
  },
  {
    alert: 'ApimonApiFailingInMostLocations',
    uid: 'apimon-api-failing-most-locations',
    signal: 'locations_majority',
    // A majority of the locations breach, each on its own signal (one slow, another failing):
    // no single-signal alert sees a majority, the verdict calls the API critical all the same.
    expr:
      `(\n  (count by (api, provider) ${LOCATION_FAILING.replace(/\n/g, '\n  ')}\n` +
      `  > ${locationsProbing(PER_API, '5m')} / 2)\n` +
      `  unless on (api, provider) (\n    ${indent(ENDPOINT_LATENCY_FROM_MAJORITY, '    ')}\n  )\n` +
      `  unless on (api, provider) (\n    ${indent(fromMajority(`(${errorBreach()})`, PER_API, '5m'), '    ')}\n  )\n` +
      `) ${CATALOG_JOIN}`,
    for: '5m',
    valueFormat: 'count',
    severity: 'criticality',
    summary: '{{ $labels.api }}: slow or failing from VALUE locations, a majority',
    description:
      'From VALUE of the locations probing {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}), a majority, the probes breach the p95 latency or the error threshold, each location on its own signal; no latency or error alert sees a majority, but the API is failing.',
    runbook:
      'Open the API dashboard with the location variable on "All": the per-location panels show which location breaches which threshold. Several regions failing at once points at the provider: check its status page and follow the latency and error runbooks.',
    panelId: API_PANELS.errorsByLocation,
  },
  {
    alert: 'ApimonTlsCertificateExpiring',
    uid: 'apimon-tls-cert-expiring',
    signal: 'tls',
    expr: `(\n  (min by (api, provider) (${METRICS.tlsCertExpiry} > 0) - time()) / 86400 < ${TLS_LIMITS.warningDays}\n) ${CATALOG_JOIN}`,
    for: '10m',
    valueFormat: 'days',
    severity: 'criticality',
    summary: '{{ $labels.api }}: TLS certificate expires in VALUE',
    description:
      `The earliest certificate in the chain served to the probes of {{ $labels.api }} ({{ $labels.provider }}) expires in VALUE (alert below ${TLS_LIMITS.warningDays} days). A negative value means it has expired.`,
    runbook:
      'Tell the provider (their certificate renewal failed or a pinned intermediate is expiring). If we pin certificates or a CA bundle for this API, prepare the new one now.',
    panelId: API_PANELS.tls,
  },
  {
    alert: 'ApimonProviderMajorOutage',
    uid: 'apimon-provider-major-outage',
    signal: 'provider_outage',
    // Per API: a component in major outage concerns the APIs that name it in statusComponents
    // (and those without statusComponents), not every API of the provider.
    expr: `(\n  ${API_PROVIDER_LEVEL} >= ${statusLevelValue('major_outage')}\n) ${CATALOG_JOIN}`,
    for: '1m',
    valueFormat: 'status',
    severity: 'criticality',
    summary: '{{ $labels.provider }} reports a major outage affecting {{ $labels.api }}',
    description:
      `The status page of {{ $labels.provider }} reports a major outage of what {{ $labels.api }} depends on (status level VALUE of ${statusLevelValue('major_outage')}). {{ $labels.api }} ({{ $labels.criticality }}, owner {{ $labels.owner }}) is affected.`,
    runbook:
      'Open the providers dashboard for the incident text and affected components. Switch to the fallback provider if there is one, tell the support team, and follow the incident until it is resolved.',
    panelId: API_PANELS.providerStatus,
  },
  {
    alert: 'ApimonProviderSilentOutage',
    uid: 'apimon-provider-silent-outage',
    signal: 'provider_silent',
    expr:
      `(\n  (\n    ${indent(fromMajority(`(${errorBreach(PROVIDER_FAILED_OUTCOME)})`, PER_API, '5m'), '    ')}\n  )\n` +
      `  and on (api) (${API_PROVIDER_LEVEL} == ${statusLevelValue('operational')})\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `${apiThreshold(METRICS.thresholdErrorRatio)} ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: thresholdQuery(METRICS.thresholdErrorRatio, 'api'),
      args: ['api'],
      format: 'ratio',
    },
    for: '10m',
    valueFormat: 'ratio',
    severity: 'criticality',
    summary: '{{ $labels.api }} fails (VALUE) while {{ $labels.provider }} says all is operational',
    description:
      'VALUE of the probes of {{ $labels.api }} failed with timeouts, connection, TLS or 5xx errors in the last 5 minutes (threshold THRESHOLD), yet the status page of {{ $labels.provider }} reports every component {{ $labels.api }} depends on operational.',
    runbook:
      'The provider has not noticed or not published the problem yet. Check that the failures are not ours (one location only, a recent deploy, DNS). Then open a ticket with the provider, quoting the failure times and error classes from the API dashboard.',
    panelId: API_PANELS.errors,
  },
  {
    alert: 'ApimonApiNotProbed',
    uid: 'apimon-api-not-probed',
    signal: 'not_probed',
    expr: `(\n  max by (api, provider, reason) (${METRICS.apiMisconfigured} == 1)\n) ${CATALOG_JOIN}`,
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
    alert: 'ApimonTrafficUsageNearLimit',
    uid: 'apimon-traffic-usage-near-limit',
    signal: 'traffic_usage',
    expr:
      `(\n  ${RECORDED.trafficUsageRate5m}\n` +
      `  > on (api) group_left () ${apiThreshold(METRICS.thresholdUsage)}\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `${apiThreshold(METRICS.thresholdUsage)} ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: thresholdQuery(METRICS.thresholdUsage, 'api'),
      args: ['api'],
      format: 'ratio',
    },
    for: '10m',
    valueFormat: 'ratio',
    severity: 'criticality',
    summary: '{{ $labels.api }}: real traffic uses VALUE of the documented rate limit (threshold THRESHOLD)',
    description:
      "At the rate of the last 5 minutes, the platform's own calls to {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) use VALUE of the limit the provider documents per window; the catalog alerts above THRESHOLD. 429 responses follow at 100%.",
    runbook:
      "Open the rate-limits dashboard: usage against the limit and the daily peak tell a peak (a sale, a batch job, a retry storm) from growth, and the capacity forecast says when the weekly peak reaches the limit. Smooth the peak (queue or spread batch work, cache responses, retry with backoff and honour Retry-After) or ask the provider for a higher limit before the platform is throttled.",
    panelId: API_PANELS.trafficUsage,
  },
  {
    alert: 'ApimonTrafficErrorRatioHigh',
    uid: 'apimon-traffic-error-ratio-high',
    signal: 'traffic_errors',
    expr:
      `(\n  (${RECORDED.trafficErrorRatioRate5m} > on (api) group_left () ${API_ERROR_THRESHOLD})\n` +
      `  and on (api) ${TRAFFIC_VOLUME}\n) ${CATALOG_JOIN}`,
    threshold: errorThreshold,
    for: '5m',
    valueFormat: 'ratio',
    severity: 'criticality',
    summary: "{{ $labels.api }}: VALUE of the platform's real calls fail (threshold THRESHOLD)",
    description:
      "Over the last 5 minutes VALUE of the platform's own calls to {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) got a 5xx or no answer at all (429 is counted apart); the catalog allows THRESHOLD. Users see these failures.",
    runbook:
      "Open the API dashboard: the real status codes beside the probes' tell 5xx answers from calls that got no answer (timeouts, connection errors). If the probes fail too, the provider is failing: check its status panel and incidents and fail over if the API has a fallback. If only the real calls fail, see ApimonTrafficFailingProbesPass.",
    panelId: API_PANELS.trafficCodes,
  },
  {
    alert: 'ApimonTrafficThrottled',
    uid: 'apimon-traffic-throttled',
    signal: 'traffic_throttled',
    expr: `(\n  ${RECORDED.trafficThrottledRate5m} > 0\n) ${CATALOG_JOIN}`,
    for: '5m',
    valueFormat: 'rate',
    severity: 'criticality',
    summary: '{{ $labels.api }}: the provider throttles the platform (VALUE answered 429)',
    description:
      "{{ $labels.provider }} answers VALUE of the platform's own calls to {{ $labels.api }} ({{ $labels.criticality }}, owner {{ $labels.owner }}) with 429 Too Many Requests: those requests are rejected now.",
    runbook:
      'Open the rate-limits dashboard (real 429s, usage against the documented limit): find the caller that bursts (a batch job, retries without backoff, a cache that stopped working), honour Retry-After, spread the load over the window, and ask the provider for a higher limit if the usage is organic. Check the documented limit in the catalog against the provider\'s current documentation.',
    panelId: API_PANELS.trafficCodes,
  },
  {
    alert: 'ApimonTrafficLatencyHigh',
    uid: 'apimon-traffic-latency-high',
    signal: 'traffic_latency',
    expr:
      `(\n  (${RECORDED.trafficP95Rate5m} > on (api) group_left () ${API_LATENCY_THRESHOLD})\n` +
      `  and on (api) ${TRAFFIC_VOLUME}\n) ${CATALOG_JOIN}`,
    threshold: {
      expr: `${API_LATENCY_THRESHOLD} ${CATALOG_JOIN_WITH_PROVIDER}`,
      query: thresholdQuery(METRICS.thresholdLatency, 'api'),
      args: ['api'],
      format: 'duration',
    },
    for: '5m',
    valueFormat: 'duration',
    severity: 'criticality',
    summary: "{{ $labels.api }}: p95 of the platform's real calls VALUE is over its threshold THRESHOLD",
    description:
      "The 95th percentile duration of the platform's own calls to {{ $labels.api }} ({{ $labels.provider }}, {{ $labels.criticality }}, owner {{ $labels.owner }}) over the last 5 minutes is VALUE; the catalog allows THRESHOLD.",
    runbook:
      "Open the API dashboard: \"latency, real calls and probes\" shows whether the probes are slow too (the provider, or the network path) or only the real calls (heavier requests than the probes send, bigger responses, the platform's own connection pool or egress). Compare the response-size p95 and the phases of the probes.",
    panelId: API_PANELS.trafficLatency,
  },
  {
    alert: 'ApimonTrafficFailingProbesPass',
    uid: 'apimon-traffic-failing-probes-pass',
    signal: 'traffic_disagrees',
    expr:
      `(\n  (${RECORDED.trafficErrorRatioRate5m} > on (api) group_left () ${API_ERROR_THRESHOLD})\n` +
      `  and on (api) (${PROBE_ERROR_RATIO} <= on (api) group_left () ${API_ERROR_THRESHOLD})\n` +
      `  and on (api) ${TRAFFIC_VOLUME}\n) ${CATALOG_JOIN}`,
    threshold: errorThreshold,
    for: '10m',
    valueFormat: 'ratio',
    severity: 'criticality',
    summary: "{{ $labels.api }}: VALUE of the platform's real calls fail while apimon's probes pass",
    description:
      "Over the last 5 minutes VALUE of the platform's own calls to {{ $labels.api }} ({{ $labels.provider }}, owner {{ $labels.owner }}) failed (threshold THRESHOLD), yet apimon's probes of the same API stay within it.",
    runbook:
      "The failure is in what the platform does differently from the probes: endpoints or methods the probes do not cover (compare the real status codes by url template on the API dashboard), the platform's own credentials or quota, its payloads, or its network egress (proxy, NAT, DNS). Fix the cause, and add a probe for the failing endpoint to the catalog so the next failure is seen by both.",
    panelId: API_PANELS.trafficCodes,
  },
  {
    alert: 'ApimonProbesFailingTrafficPasses',
    uid: 'apimon-probes-failing-traffic-passes',
    signal: 'probes_disagree',
    expr:
      `(\n  (${PROBE_ERROR_RATIO} > on (api) group_left () ${API_ERROR_THRESHOLD})\n` +
      `  and on (api) (${RECORDED.trafficErrorRatioRate5m} <= on (api) group_left () ${API_ERROR_THRESHOLD})\n` +
      `  and on (api) ${TRAFFIC_VOLUME}\n) ${CATALOG_JOIN}`,
    threshold: errorThreshold,
    for: '10m',
    valueFormat: 'ratio',
    severity: 'criticality',
    summary: "{{ $labels.api }}: VALUE of apimon's probes fail while the platform's real calls succeed",
    description:
      "Over the last 5 minutes VALUE of apimon's probes of {{ $labels.api }} ({{ $labels.provider }}, owner {{ $labels.owner }}) failed (threshold THRESHOLD), while the platform's own calls to it stayed within the threshold.",
    runbook:
      'The probe is wrong, not the API: an expired or missing probe credential, a probe URL, method or expectation the provider changed, or a blocked prober location or network path. `apimon probe --config FILE --api NAME` shows the failing outcome; fix the probe before a real outage goes unseen behind it.',
    panelId: API_PANELS.errors,
  },
  {
    alert: 'ApimonNoData',
    uid: 'apimon-no-data',
    signal: 'no_data',
    expr: `absent(${METRICS.apiInfo})`,
    for: '5m',
    valueFormat: 'count',
    severity: 'critical',
    summary: 'No apimon data: the prober is down or not scraped',
    description:
      `The store has no ${METRICS.apiInfo} series, so no third-party API is monitored and no other apimon alert can fire.`,
    runbook:
      'Check that the prober runs (`apimon run`, its /metrics endpoint) and that the store scrapes it (Prometheus targets page, job "apimon"). `apimon check` validates the catalog if the prober refuses to start.',
    panelId: API_PANELS.latency,
  },
];
