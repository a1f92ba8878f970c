// The metric contract: every series the prober writes, with its type, labels and help text,
// and the label values it may carry. The prober registers exactly these; the query engine,
// the dashboards, the alert and recording rules and the sandbox read them from here. Change a
// name only on purpose: every generated file follows, and `npm test` fails on a stale one.

export const METRIC_PREFIX = 'apimon_';

/** Labels every probe series carries. */
export const PROBE_LABELS = ['api', 'endpoint', 'provider', 'location'] as const;
export type ProbeLabel = (typeof PROBE_LABELS)[number];
/** The label set of one probe target (one endpoint of one API from one location). */
export type ProbeIdentity = Record<ProbeLabel, string>;

/** Labels of per-API series (catalog facts, API-level thresholds: no endpoint label). */
export const API_LABELS = ['api', 'provider', 'location'] as const;
/** Labels of status-page series. */
export const PROVIDER_LABELS = ['provider', 'location'] as const;

export const PHASES = ['dns', 'connect', 'tls', 'ttfb', 'transfer'] as const;
export type Phase = (typeof PHASES)[number];

export const OUTCOMES = [
  'ok',
  'timeout',
  'dns',
  'connect',
  'tls',
  'http_4xx',
  'http_5xx',
  'rate_limited',
  'assertion',
  'body_limit',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes that mean the provider failed us (not our quota, credentials or expectations). */
export const PROVIDER_FAILURE_OUTCOMES = [
  'timeout',
  'dns',
  'connect',
  'tls',
  'http_5xx',
] as const satisfies readonly Outcome[];

/** `overlap`: the endpoint's previous probe was still running; `saturated`: it was still
 * waiting for a free slot (every slot of `prober.concurrency` was taken). */
export const SKIP_REASONS = ['quota_guard', 'retry_after', 'misconfigured', 'overlap', 'saturated'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
/** Skips the quota guard decides (its own budget, or the provider's Retry-After). */
export type QuotaSkipReason = Extract<SkipReason, 'quota_guard' | 'retry_after'>;
/** Skips the probe scheduler decides (the previous run still running, or still waiting for a slot). */
export type SchedulerSkipReason = Extract<SkipReason, 'overlap' | 'saturated'>;

/** One vocabulary for provider, component and API health (status pages and probes alike). */
export const STATUS_LEVELS = ['operational', 'maintenance', 'degraded', 'partial_outage', 'major_outage'] as const;
export type StatusLevel = (typeof STATUS_LEVELS)[number] | 'unknown';

/** Gauge value of `apimon_provider_component_status` for each level; unknown is -1. */
export function statusLevelValue(level: StatusLevel): number {
  return level === 'unknown' ? -1 : STATUS_LEVELS.indexOf(level);
}

export function statusLevelFromValue(value: number): StatusLevel {
  return STATUS_LEVELS[value] ?? 'unknown';
}

/** The scale as the metrics' help texts and the query editor describe it. */
export const STATUS_SCALE_TEXT = `${STATUS_LEVELS.map((l, i) => `${i} ${l.replace(/_/g, ' ')}`).join(', ')}, -1 unknown`;

export const CRITICALITIES = ['critical', 'standard', 'background'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/** How a rate-limit reset header is read when the catalog maps it (`rateLimit.resetUnit`). */
export const RESET_UNITS = [
  'seconds',
  'milliseconds',
  'epoch-seconds',
  'epoch-milliseconds',
  'duration',
  'http-date',
  'rfc3339',
] as const;
export type ResetUnit = (typeof RESET_UNITS)[number];

/**
 * The labels real-traffic series are joined on (docs/real-traffic.md), named as the OTel
 * Prometheus exporter names the stable HTTP semantic conventions (server.address ->
 * server_address, ...). Every traffic source is normalised to these before a join;
 * apimon_traffic_match carries the first four (an empty value means "any").
 */
export const TRAFFIC_LABELS = {
  serverAddress: 'server_address',
  serverPort: 'server_port',
  method: 'http_request_method',
  urlTemplate: 'url_template',
  statusCode: 'http_response_status_code',
  errorType: 'error_type',
} as const;

/** HTTP request methods as the stable conventions name them (_OTHER: any other method). */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'QUERY', '_OTHER'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical', 'maintenance', 'unknown'] as const;
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number];

/** Histogram buckets (seconds) for whole-probe and phase durations: fine below 1 s where
 * thresholds live (p95 < 200 ms for payments), coarse above. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 30,
  60,
];

/** Histogram buckets (seconds) for a probe's start delay (start minus due time): timer and
 * event-loop lateness stays in the first buckets, waiting for a slot shows in the rest. */
export const START_DELAY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Histogram buckets (bytes) for response sizes. */
export const SIZE_BUCKETS = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDef {
  name: string;
  type: MetricType;
  labels: readonly string[];
  help: string;
}

const probe = (...extra: string[]) => [...PROBE_LABELS, ...extra] as const;

/** Every series apimon writes. Thresholds are exported per API (no endpoint label, which
 * PromQL reads as endpoint="") and per endpoint; see API_LEVEL in promql.ts. */
export const METRIC_DEFS = {
  probeDuration: {
    name: 'apimon_probe_duration_seconds',
    type: 'histogram',
    labels: probe(),
    help: 'Duration of a whole probe in seconds, success or failure.',
  },
  probePhaseDuration: {
    name: 'apimon_probe_phase_duration_seconds',
    type: 'histogram',
    labels: probe('phase'),
    help: `Duration of one probe phase (${PHASES.join(', ')}) in seconds; phases that did not happen are not observed.`,
  },
  probeRequests: {
    name: 'apimon_probe_requests_total',
    type: 'counter',
    labels: probe('code', 'outcome'),
    help: 'Probes by HTTP status code (0: no response) and outcome.',
  },
  probeResponseBytes: {
    name: 'apimon_probe_response_bytes',
    type: 'histogram',
    labels: probe(),
    help: 'Response body size in bytes of probes that got a response.',
  },
  probeSkipped: {
    name: 'apimon_probe_skipped_total',
    type: 'counter',
    labels: probe('reason'),
    help: `Probes not sent, by reason (${SKIP_REASONS.join(', ')}).`,
  },
  // The prober's own scheduling: is every probe starting on time? (docs/prober.md#scheduling)
  probeDue: {
    name: 'apimon_probe_due_total',
    type: 'counter',
    labels: probe(),
    help: 'Probes that came due by the schedule; each one is sent (apimon_probe_requests_total) or skipped (apimon_probe_skipped_total).',
  },
  // Per API, not per endpoint: endpoints of an API share its provider and criticality, and
  // 16 series per API stay cheap next to the ~185 each endpoint already costs.
  probeStartDelay: {
    name: 'apimon_probe_start_delay_seconds',
    type: 'histogram',
    labels: API_LABELS,
    help: 'Seconds from the moment a probe was due to the moment it started, per API: timer and event-loop lateness, plus any wait for a free slot.',
  },
  schedulerQueueLength: {
    name: 'apimon_scheduler_queue_length',
    type: 'gauge',
    labels: [],
    help: 'Probes that are due and wait for a free slot (every slot of prober.concurrency is taken).',
  },
  schedulerSlots: {
    name: 'apimon_scheduler_slots',
    type: 'gauge',
    labels: [],
    help: 'Probes that may be in flight at once: prober.concurrency, lowered to fit the open-file limit.',
  },
  schedulerSaturated: {
    name: 'apimon_scheduler_saturated',
    type: 'gauge',
    labels: [],
    help: 'Probes had to wait for a free slot: 1 from the first wait until the queue has stayed empty for 10 s.',
  },
  schedulerInFlight: {
    name: 'apimon_scheduler_probes_in_flight',
    type: 'gauge',
    labels: ['provider'],
    help: "Slots held by each provider's probes.",
  },
  rateLimitLimit: {
    name: 'apimon_ratelimit_limit',
    type: 'gauge',
    labels: probe('policy'),
    help: 'Request quota of a rate-limit policy, from the last response (or the catalog when the provider sends none).',
  },
  rateLimitRemaining: {
    name: 'apimon_ratelimit_remaining',
    type: 'gauge',
    labels: probe('policy'),
    help: "Requests left in the current rate-limit window, from the last response (or estimated from the catalog and apimon's own requests).",
  },
  rateLimitReset: {
    name: 'apimon_ratelimit_reset_seconds',
    type: 'gauge',
    labels: probe('policy'),
    help: 'Seconds until the rate-limit window resets, as of the last response.',
  },
  tlsCertExpiry: {
    name: 'apimon_tls_cert_expiry_timestamp_seconds',
    type: 'gauge',
    labels: probe(),
    help: 'Earliest certificate expiry in the served chain, Unix seconds.',
  },
  apiInfo: {
    name: 'apimon_api_info',
    type: 'gauge',
    labels: [...API_LABELS, 'criticality', 'owner', 'auth'],
    help: 'Catalog facts about an API; always 1.',
  },
  apiMisconfigured: {
    name: 'apimon_api_misconfigured',
    type: 'gauge',
    labels: [...API_LABELS, 'reason'],
    help: '1 when the API cannot be probed as configured (reason names the missing environment variable); 0 otherwise.',
  },
  endpointPlainHttp: {
    name: 'apimon_endpoint_plain_http',
    type: 'gauge',
    labels: probe(),
    help: '1 when the endpoint is (or redirects to) plain http.',
  },
  thresholdLatency: {
    name: 'apimon_threshold_latency_seconds',
    type: 'gauge',
    labels: probe(),
    help: 'Catalog p95 latency threshold in seconds, per API (no endpoint label) and per endpoint.',
  },
  thresholdErrorRatio: {
    name: 'apimon_threshold_error_ratio',
    type: 'gauge',
    labels: probe(),
    help: 'Catalog error-ratio threshold, per API (no endpoint label) and per endpoint.',
  },
  thresholdHeadroom: {
    name: 'apimon_threshold_headroom_ratio',
    type: 'gauge',
    labels: probe(),
    help: 'Catalog minimum rate-limit headroom ratio, per API (no endpoint label) and per endpoint.',
  },
  providerComponentStatus: {
    name: 'apimon_provider_component_status',
    type: 'gauge',
    labels: [...PROVIDER_LABELS, 'component'],
    help: `Status of a provider component on its status page: ${STATUS_SCALE_TEXT}.`,
  },
  providerIncidentsOpen: {
    name: 'apimon_provider_incidents_open',
    type: 'gauge',
    labels: [...PROVIDER_LABELS, 'impact'],
    help: 'Open incidents on the provider status page, by impact.',
  },
  providerStatus: {
    name: 'apimon_provider_status',
    type: 'gauge',
    labels: PROVIDER_LABELS,
    help: "Overall indicator of the provider's status page: 0 operational .. 4 major outage, -1 unknown.",
  },
  apiProviderStatus: {
    name: 'apimon_api_provider_status',
    type: 'gauge',
    labels: API_LABELS,
    help: `The API's status on its provider's status page: the worst of the components its statusComponents name, or of the whole page (indicator and every component) without statusComponents; -1 when none of them is on the page. ${STATUS_SCALE_TEXT}.`,
  },
  providerFetchSuccess: {
    name: 'apimon_provider_fetch_success',
    type: 'gauge',
    labels: PROVIDER_LABELS,
    help: '1 when the last status-page fetch succeeded and parsed, 0 otherwise.',
  },
  providerFetchTimestamp: {
    name: 'apimon_provider_fetch_timestamp_seconds',
    type: 'gauge',
    labels: PROVIDER_LABELS,
    help: 'Unix time of the last successful status-page fetch (a 304 Not Modified counts).',
  },
  catalogReloadSuccess: {
    name: 'apimon_catalog_reload_success',
    type: 'gauge',
    labels: [],
    help: '1 when the last catalog load or reload was accepted, 0 when it was rejected.',
  },
  catalogReloadTimestamp: {
    name: 'apimon_catalog_reload_timestamp_seconds',
    type: 'gauge',
    labels: [],
    help: 'Unix time of the last accepted catalog load.',
  },
  catalogApis: { name: 'apimon_catalog_apis', type: 'gauge', labels: [], help: 'APIs in the running catalog.' },
  // Real traffic: the catalog's mapping as series, so PromQL can join the platform's own
  // OpenTelemetry HTTP-client metrics with the catalog (docs/real-traffic.md).
  trafficMatch: {
    name: 'apimon_traffic_match',
    type: 'gauge',
    labels: [
      ...API_LABELS,
      TRAFFIC_LABELS.serverAddress,
      TRAFFIC_LABELS.serverPort,
      TRAFFIC_LABELS.method,
      TRAFFIC_LABELS.urlTemplate,
    ],
    help: 'Real traffic this API claims: 1 per catalog claim; an empty server_port, http_request_method or url_template matches any.',
  },
  rateLimitDocumentedLimit: {
    name: 'apimon_ratelimit_documented_limit',
    type: 'gauge',
    labels: API_LABELS,
    help: "Requests per window the provider's documentation allows (the catalog's rateLimit.limit).",
  },
  rateLimitDocumentedWindow: {
    name: 'apimon_ratelimit_documented_window_seconds',
    type: 'gauge',
    labels: API_LABELS,
    help: "The window of the documented rate limit, in seconds (the catalog's rateLimit.window).",
  },
  catalogEndpoints: {
    name: 'apimon_catalog_endpoints',
    type: 'gauge',
    labels: [],
    help: 'Endpoints in the running catalog.',
  },
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRIC_DEFS;

/** Metric names by key: `METRICS.probeDuration` is "apimon_probe_duration_seconds". */
export const METRICS = Object.fromEntries(Object.entries(METRIC_DEFS).map(([key, def]) => [key, def.name])) as {
  readonly [K in MetricKey]: (typeof METRIC_DEFS)[K]['name'];
};

/** The real-traffic series by role (names from METRIC_DEFS). */
export const TRAFFIC_METRICS = {
  /** 1 per catalog claim: which API a host (and port, method, url template) belongs to. */
  match: METRICS.trafficMatch,
  /** The catalog's documented rate limit of an API: requests per window. */
  documentedLimit: METRICS.rateLimitDocumentedLimit,
  /** The window of that documented limit, in seconds. */
  documentedWindow: METRICS.rateLimitDocumentedWindow,
} as const;

/** Every label any apimon series carries, plus `le` of the histogram buckets. */
export type Label = (typeof METRIC_DEFS)[MetricKey]['labels'][number] | 'le';

/** The series of a histogram: name_bucket (with le), name_sum, name_count. */
export const bucket = (histogram: string) => `${histogram}_bucket`;
export const histogramSum = (histogram: string) => `${histogram}_sum`;
export const histogramCount = (histogram: string) => `${histogram}_count`;

/**
 * The alert history in the store: ALERTS is what Prometheus writes while it evaluates alert
 * rules (prometheus/alerts.yml); GRAFANA_ALERTS is what Grafana writes for its managed rules
 * when its alert state history goes to Prometheus. Both carry the rule's labels, `alertname`
 * and `alertstate`; the reports read alert counts, firing time and detection times from them.
 */
export const ALERT_HISTORY_SERIES = ['ALERTS', 'GRAFANA_ALERTS'] as const;
/** `alertstate` values of the alert history while an alert is active. */
export const ALERT_STATES = ['pending', 'firing'] as const;
/** The label every apimon alert rule carries: routing and the reports select apimon's alerts by it. */
export const ALERT_SOURCE = { label: 'source', value: 'apimon' } as const;
