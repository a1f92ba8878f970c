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
/** Labels of the scheduler's start delay: what it queues by. */
export const START_DELAY_LABELS = ['provider', 'criticality', 'location'] as const;
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
export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'QUERY',
  '_OTHER',
] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical', 'maintenance', 'unknown'] as const;
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number];

/** Labels of apimon_endpoint_cache_info besides the probe labels. */
export const CACHE_INFO_LABELS = [
  'no_store',
  'no_cache',
  'private',
  'etag',
  'last_modified',
  'expires',
  'vary',
] as const;

/** `result` of apimon_probe_body_compared_total: the body hash equals the previous probe's, or not. */
export const BODY_COMPARISONS = ['same', 'changed'] as const;
export type BodyComparison = (typeof BODY_COMPARISONS)[number];

/** Advisory items exported as series per provider (the newest); the count gauge counts them all. */
export const MAX_ADVISORY_SERIES = 20;

/** `format` of apimon_endpoint_credential_info: the token a probe sends is a JWT (by its shape) or not. */
export const CREDENTIAL_FORMATS = ['jwt', 'opaque'] as const;
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number];

/** Labels of apimon_audit_finding. */
export const AUDIT_FINDING_LABELS = ['api', 'endpoint', 'kind', 'severity'] as const;

/** Histogram buckets (seconds) for whole-probe and phase durations: fine below 1 s where
 * thresholds live (p95 < 200 ms for payments), coarse above. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 30,
  60,
];

/** Histogram buckets (seconds) for one phase of a probe (dns, connect, tls, ttfb, transfer): the
 * usual Prometheus default buckets from 1 ms. Coarser than DURATION_BUCKETS on purpose: phases
 * explain where the time goes (their means are exact, from _sum and _count), thresholds are
 * judged on the whole duration, and five phases per endpoint at 24 buckets were 135 of the
 * ~190 series each endpoint cost. */
export const PHASE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Histogram buckets (seconds) for a probe's start delay (start minus due time): timer and
 * event-loop lateness stays in the first buckets, waiting for a slot shows in the rest. */
export const START_DELAY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Histogram buckets (seconds) for the event-loop delay a probe experienced: stalls below the
 * default timing tolerance (50 ms) in the first buckets, the ones that degrade a probe above. */
export const LOOP_DELAY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Histogram buckets (seconds) for rendering /metrics. */
export const RENDER_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Results of a catalog load or reload (`apimon_catalog_reloads_total{result}`). */
export const CATALOG_RELOAD_RESULTS = ['accepted', 'rejected'] as const;
export type CatalogReloadResult = (typeof CATALOG_RELOAD_RESULTS)[number];

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
  // Per provider and criticality, the two things the scheduler queues by (fair queueing across
  // providers, critical before standard before background), not per API: a catalog has far
  // fewer of them, and 16 series per API made this the third-largest family at 10,000 APIs.
  probeStartDelay: {
    name: 'apimon_probe_start_delay_seconds',
    type: 'histogram',
    labels: START_DELAY_LABELS,
    help: 'Seconds from the moment a probe was due to the moment it started, per provider and criticality: timer and event-loop lateness, plus any wait for a free slot.',
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
  thresholdUsage: {
    name: 'apimon_threshold_usage_ratio',
    type: 'gauge',
    labels: API_LABELS,
    help: "Catalog threshold of the platform's real usage of the documented rate limit (thresholds.usage), per API with a documented limit.",
  },
  catalogEndpoints: {
    name: 'apimon_catalog_endpoints',
    type: 'gauge',
    labels: [],
    help: 'Endpoints in the running catalog.',
  },
  // The prober's own health (docs/self-monitoring.md). Process-wide series carry no location:
  // rules and panels join it from apimon_build_info on the scrape target (job, instance).
  buildInfo: {
    name: 'apimon_build_info',
    type: 'gauge',
    labels: ['version', 'node_version', 'location'],
    help: 'The running prober: its version, the Node.js version and the location of its catalog; always 1.',
  },
  catalogReloads: {
    name: 'apimon_catalog_reloads_total',
    type: 'counter',
    labels: ['result'],
    help: `Catalog loads and reloads by result (${CATALOG_RELOAD_RESULTS.join(', ')}).`,
  },
  probeTimingDegraded: {
    name: 'apimon_probe_timing_degraded_total',
    type: 'counter',
    labels: probe(),
    help: "Probes whose timed events waited on the prober's blocked event loop longer than prober.timingTolerance; their durations are left out of the duration and phase histograms.",
  },
  probeLoopDelay: {
    name: 'apimon_probe_loop_delay_seconds',
    type: 'histogram',
    labels: [],
    help: "Seconds each probe's timed events waited on the prober's blocked event loop: how much of a measured duration may be the prober's own lateness.",
  },
  metricsRenderDuration: {
    name: 'apimon_metrics_render_duration_seconds',
    type: 'histogram',
    labels: [],
    help: 'Seconds spent rendering the /metrics exposition, on the event loop that times the probes.',
  },
  processMemoryLimit: {
    name: 'apimon_process_memory_limit_bytes',
    type: 'gauge',
    labels: [],
    help: "The first memory limit a growing prober meets: the smallest of its cgroup (container) limit, the machine's memory and V8's heap limit.",
  },
  // What the audit reads (docs/audit.md), per endpoint from its last response: cache
  // directives and validators, whether bodies repeat, wire and decoded sizes with the encoding,
  // the TLS handshake and HSTS.
  endpointCacheInfo: {
    name: 'apimon_endpoint_cache_info',
    type: 'gauge',
    labels: probe(...CACHE_INFO_LABELS),
    help: 'Cache directives and validators of the last response ("true"/"false"; vary: the Vary header\'s names, lowercase); always 1.',
  },
  endpointCacheFreshness: {
    name: 'apimon_endpoint_cache_freshness_seconds',
    type: 'gauge',
    labels: probe(),
    help: 'How long the last response may be reused without asking again (s-maxage or max-age, else Expires minus Date); 0 with no-store, no-cache or no lifetime.',
  },
  probeBodyCompared: {
    name: 'apimon_probe_body_compared_total',
    type: 'counter',
    labels: probe('result'),
    help: `Successful responses whose body was compared with the previous probe's by hash (the body is never kept): ${BODY_COMPARISONS.join(', ')}.`,
  },
  endpointContentEncoding: {
    name: 'apimon_endpoint_content_encoding_info',
    type: 'gauge',
    labels: probe('encoding', 'requested'),
    help: 'Content-Encoding of the last response (identity when none) and whether the probe asked for compression ("true"/"false"); always 1.',
  },
  endpointBodyWireBytes: {
    name: 'apimon_endpoint_body_wire_bytes',
    type: 'gauge',
    labels: probe(),
    help: 'Body bytes of the last response as they came over the wire (compressed when encoded).',
  },
  endpointBodyDecodedBytes: {
    name: 'apimon_endpoint_body_decoded_bytes',
    type: 'gauge',
    labels: probe(),
    help: 'Body bytes of the last response once decoded (equal to the wire bytes when not encoded).',
  },
  endpointTlsInfo: {
    name: 'apimon_endpoint_tls_info',
    type: 'gauge',
    labels: probe('protocol', 'cipher'),
    help: 'TLS protocol and cipher (OpenSSL name) of the last handshake; always 1.',
  },
  endpointTlsVerifyError: {
    name: 'apimon_endpoint_tls_verify_error',
    type: 'gauge',
    labels: probe('reason'),
    help: "1 when the last handshake's certificate chain did not verify (reason: the OpenSSL code); 0 when it did.",
  },
  endpointHstsMaxAge: {
    name: 'apimon_endpoint_hsts_max_age_seconds',
    type: 'gauge',
    labels: probe(),
    help: 'max-age of the Strict-Transport-Security header of the last HTTPS response; 0 when absent.',
  },
  endpointCredentialInfo: {
    name: 'apimon_endpoint_credential_info',
    type: 'gauge',
    labels: probe('format', 'alg'),
    help: `The token the last probe sent (bearer, API key or OAuth2 access token), by its shape: format ${CREDENTIAL_FORMATS.join(' or ')}; alg: a JWT's signing algorithm ("" otherwise). Never the token or its claims; always 1.`,
  },
  providerAdvisory: {
    name: 'apimon_provider_advisory_published_timestamp_seconds',
    type: 'gauge',
    labels: [...PROVIDER_LABELS, 'item', 'title'],
    help: `An unacknowledged item of a provider's advisory feed (item: its id or link; the newest ${MAX_ADVISORY_SERIES} per provider): when it was published, Unix seconds.`,
  },
  providerAdvisoriesUnacknowledged: {
    name: 'apimon_provider_advisories_unacknowledged',
    type: 'gauge',
    labels: PROVIDER_LABELS,
    help: "Items of the provider's advisory feeds published in the advisory window and not acknowledged in the catalog.",
  },
  providerAdvisoryFetchSuccess: {
    name: 'apimon_provider_advisory_fetch_success',
    type: 'gauge',
    labels: [...PROVIDER_LABELS, 'feed'],
    help: '1 when the last fetch of an advisory feed (feed: its URL) succeeded and parsed, 0 otherwise.',
  },
  auditFinding: {
    name: 'apimon_audit_finding',
    type: 'gauge',
    labels: AUDIT_FINDING_LABELS,
    help: 'An open finding of the last audit (docs/audit.md); always 1. endpoint is empty for findings about a whole API.',
  },
  auditRunSuccess: {
    name: 'apimon_audit_last_run_success',
    type: 'gauge',
    labels: [],
    help: '1 when the last scheduled audit could read the store, 0 when it failed (the findings of the last good run stay).',
  },
  auditRunTimestamp: {
    name: 'apimon_audit_last_run_timestamp_seconds',
    type: 'gauge',
    labels: [],
    help: 'Unix time of the last successful scheduled audit.',
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
  /** The share of the documented limit real usage may reach before it alerts. */
  usageThreshold: METRICS.thresholdUsage,
} as const;

/** The scrape job the prober runs under (prometheus/prometheus.yml, the ServiceMonitor). */
export const PROBER_SCRAPE_JOB = 'apimon';

/**
 * Node.js runtime series of the prober: prom-client's default metrics, unprefixed as every
 * Prometheus client library names process metrics, so the usual Node.js dashboards work. The
 * self-monitoring rules and the prober-health dashboard read these.
 */
export const RUNTIME_METRICS = {
  cpuSeconds: 'process_cpu_seconds_total',
  residentMemory: 'process_resident_memory_bytes',
  startTime: 'process_start_time_seconds',
  openFds: 'process_open_fds',
  maxFds: 'process_max_fds',
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  externalMemory: 'nodejs_external_memory_bytes',
  gcDuration: 'nodejs_gc_duration_seconds',
  eventLoopLagP99: 'nodejs_eventloop_lag_p99_seconds',
  eventLoopLagMax: 'nodejs_eventloop_lag_max_seconds',
  activeHandles: 'nodejs_active_handles',
} as const;

/** Labels the store adds to every scraped series: the scrape target, which tells probers apart
 * in process-wide series. */
export const TARGET_LABELS = ['job', 'instance'] as const;

/** Every label any apimon series carries (load tests' too), plus `le` of the histogram buckets and the scrape target's. */
export type Label =
  | (typeof METRIC_DEFS)[MetricKey]['labels'][number]
  | (typeof LOADTEST_METRIC_DEFS)[LoadTestMetricKey]['labels'][number]
  | 'le'
  | (typeof TARGET_LABELS)[number];

/** The series of a histogram: name_bucket (with le), name_sum, name_count. */
export const bucket = (histogram: string) => `${histogram}_bucket`;
export const histogramSum = (histogram: string) => `${histogram}_sum`;
export const histogramCount = (histogram: string) => `${histogram}_count`;

/**
 * Load tests (`apimon loadtest`, docs/load-testing.md): results the CLI writes to the store by
 * Prometheus remote write, one sample per series per flush (so all are gauges). Per-stage series
 * carry LOADTEST_STAGE_LABELS; per-run ones LOADTEST_RUN_LABELS (no `stage`).
 */
export const LOADTEST_RUN_LABELS = ['run', 'api', 'endpoint', 'provider', 'location', 'profile'] as const;
export const LOADTEST_STAGE_LABELS = [...LOADTEST_RUN_LABELS, 'stage'] as const;

/** The quantiles `apimon_loadtest_latency_seconds` is written for. */
export const LOADTEST_QUANTILES = [0.5, 0.95, 0.99] as const;

/** step: hold each rate; ramp: rise linearly to each rate; spike: a baseline, jumps, recoveries. */
export const LOADTEST_PROFILES = ['step', 'ramp', 'spike'] as const;
export type LoadTestProfile = (typeof LOADTEST_PROFILES)[number];

/** A request the generator could not start on time (the concurrency cap was reached). */
export const LOADTEST_DROPPED = 'dropped';

/** Why a run stopped before its last stage ended (`reason` of apimon_loadtest_aborted). */
export const LOADTEST_ABORT_REASONS = ['error_ratio', 'rate_limited', 'interrupted'] as const;
export type LoadTestAbortReason = (typeof LOADTEST_ABORT_REASONS)[number];

const perStage = (...extra: string[]) => [...LOADTEST_STAGE_LABELS, ...extra] as const;
const perRun = (...extra: string[]) => [...LOADTEST_RUN_LABELS, ...extra] as const;

export const LOADTEST_METRIC_DEFS = {
  offeredRate: {
    name: 'apimon_loadtest_offered_rate',
    type: 'gauge',
    labels: perStage(),
    help: 'Requests per second the load-test stage scheduled (arrivals, dropped ones included).',
  },
  achievedRate: {
    name: 'apimon_loadtest_achieved_rate',
    type: 'gauge',
    labels: perStage(),
    help: 'Requests per second of the load-test stage that completed (any outcome) within its time.',
  },
  latency: {
    name: 'apimon_loadtest_latency_seconds',
    type: 'gauge',
    labels: perStage('quantile'),
    help: `Load-test latency from each request's intended start, by quantile (${LOADTEST_QUANTILES.join(', ')}).`,
  },
  requests: {
    name: 'apimon_loadtest_requests',
    type: 'gauge',
    labels: perStage('outcome'),
    help: `Requests of the load-test stage by outcome (the probe outcomes, plus ${LOADTEST_DROPPED}).`,
  },
  errorRatio: {
    name: 'apimon_loadtest_error_ratio',
    type: 'gauge',
    labels: perStage(),
    help: 'Failed share of the load-test stage: every outcome but ok, and dropped requests, over all scheduled.',
  },
  runStart: {
    name: 'apimon_loadtest_run_start_timestamp_seconds',
    type: 'gauge',
    labels: perRun(),
    help: 'Unix time the load-test run started its first stage.',
  },
  kneeRate: {
    name: 'apimon_loadtest_knee_rate',
    type: 'gauge',
    labels: perRun(),
    help: "The lowest planned stage rate whose p95 latency or error ratio crossed the API's threshold; absent when none did.",
  },
  thresholdLatency: {
    name: 'apimon_loadtest_threshold_latency_seconds',
    type: 'gauge',
    labels: perRun(),
    help: 'The p95 latency threshold the load-test knee was judged by, in seconds.',
  },
  thresholdErrorRatio: {
    name: 'apimon_loadtest_threshold_error_ratio',
    type: 'gauge',
    labels: perRun(),
    help: 'The error-ratio threshold the load-test knee was judged by.',
  },
  aborted: {
    name: 'apimon_loadtest_aborted',
    type: 'gauge',
    labels: perRun('reason'),
    help: `1 when a guardrail or Ctrl-C stopped the load-test run, by reason (${LOADTEST_ABORT_REASONS.join(', ')}).`,
  },
} as const satisfies Record<string, MetricDef>;

export type LoadTestMetricKey = keyof typeof LOADTEST_METRIC_DEFS;

/** Load-test series names by key: `LOADTEST_METRICS.offeredRate` is "apimon_loadtest_offered_rate". */
export const LOADTEST_METRICS = Object.fromEntries(
  Object.entries(LOADTEST_METRIC_DEFS).map(([key, def]) => [key, def.name])
) as { readonly [K in LoadTestMetricKey]: (typeof LOADTEST_METRIC_DEFS)[K]['name'] };

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
