// The metric contract shared by the prober (which writes these series), the query engine,
// the dashboards and the alert rules (which read them). Change a name here only on purpose,
// and everywhere at once (see DESIGN.md).

export const METRIC_PREFIX = 'apimon_';

export const METRICS = {
  probeDuration: 'apimon_probe_duration_seconds',
  probePhaseDuration: 'apimon_probe_phase_duration_seconds',
  probeRequests: 'apimon_probe_requests_total',
  probeResponseBytes: 'apimon_probe_response_bytes',
  probeSkipped: 'apimon_probe_skipped_total',
  rateLimitLimit: 'apimon_ratelimit_limit',
  rateLimitRemaining: 'apimon_ratelimit_remaining',
  rateLimitReset: 'apimon_ratelimit_reset_seconds',
  tlsCertExpiry: 'apimon_tls_cert_expiry_timestamp_seconds',
  apiInfo: 'apimon_api_info',
  apiMisconfigured: 'apimon_api_misconfigured',
  endpointPlainHttp: 'apimon_endpoint_plain_http',
  thresholdLatency: 'apimon_threshold_latency_seconds',
  thresholdErrorRatio: 'apimon_threshold_error_ratio',
  thresholdHeadroom: 'apimon_threshold_headroom_ratio',
  providerComponentStatus: 'apimon_provider_component_status',
  providerIncidentsOpen: 'apimon_provider_incidents_open',
  providerStatus: 'apimon_provider_status',
  providerFetchSuccess: 'apimon_provider_fetch_success',
  providerFetchTimestamp: 'apimon_provider_fetch_timestamp_seconds',
  // The prober's own scheduling: is every probe starting on time?
  probeDue: 'apimon_probe_due_total',
  probeStartDelay: 'apimon_probe_start_delay_seconds',
  schedulerQueueLength: 'apimon_scheduler_queue_length',
  schedulerInFlight: 'apimon_scheduler_probes_in_flight',
  schedulerSlots: 'apimon_scheduler_slots',
  schedulerSaturated: 'apimon_scheduler_saturated',
} as const;

/** Labels every probe series carries. */
export const PROBE_LABELS = ['api', 'endpoint', 'provider', 'location'] as const;

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

/** `overlap`: the endpoint's previous probe was still running; `saturated`: it was still
 * waiting for a free slot (every slot of `prober.concurrency` was taken). */
export const SKIP_REASONS = ['quota_guard', 'retry_after', 'misconfigured', 'overlap', 'saturated'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Histogram buckets (seconds) for whole-probe and phase durations: fine below 1 s where
 * thresholds live (p95 < 200 ms for payments), coarse above. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10,
  20, 30, 60,
];

/** Histogram buckets (seconds) for a probe's start delay (start minus due time): timer and
 * event-loop lateness stays in the first buckets, waiting for a slot shows in the rest. */
export const START_DELAY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Histogram buckets (bytes) for response sizes. */
export const SIZE_BUCKETS = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];

/** One vocabulary for provider, component and API health (status pages and probes alike). */
export const STATUS_LEVELS = [
  'operational',
  'maintenance',
  'degraded',
  'partial_outage',
  'major_outage',
] as const;
export type StatusLevel = (typeof STATUS_LEVELS)[number] | 'unknown';

/** Gauge value of `apimon_provider_component_status` for each level; unknown is -1. */
export function statusLevelValue(level: StatusLevel): number {
  return level === 'unknown' ? -1 : STATUS_LEVELS.indexOf(level);
}

export function statusLevelFromValue(value: number): StatusLevel {
  return STATUS_LEVELS[value] ?? 'unknown';
}

export const CRITICALITIES = ['critical', 'standard', 'background'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical', 'maintenance', 'unknown'] as const;
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number];
