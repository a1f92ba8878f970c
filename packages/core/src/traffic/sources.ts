// Where a store keeps the platform's OpenTelemetry HTTP-client metrics: which metric names and
// label names, in which convention. The same request duration reaches Prometheus under
// different names depending on the convention the instrumentation emits (old: ms, stable: s)
// and the route (the OTel Prometheus exporter adds no unit suffix; OTLP translation in the
// Collector or the store adds one; UTF-8 stores may keep the dotted names). docs/real-traffic.md
// has the full table and where each name comes from.
import { TRAFFIC_LABELS } from '../contract/metrics';

export const TRAFFIC_CONVENTIONS = ['stable', 'old'] as const;
export type TrafficConvention = (typeof TRAFFIC_CONVENTIONS)[number];

/** Label names of one source, by meaning. Absent: the source does not carry it. */
export interface TrafficSourceLabels {
  serverAddress: string;
  serverPort: string;
  method: string;
  statusCode: string;
  errorType?: string;
  urlTemplate?: string;
}

export interface TrafficSource {
  /** A preset name, or the name a catalog gave a custom source (for messages). */
  name: string;
  convention: TrafficConvention;
  /** Base name of the request-duration histogram (_bucket, _count and _sum are appended). */
  duration: string;
  /** Unit of that histogram's values and bucket bounds. */
  durationUnit: 's' | 'ms';
  /** Base name of the response-body-size histogram in bytes, when the source has one. */
  responseSize?: string;
  labels: TrafficSourceLabels;
}

export interface TrafficSettings {
  /** In order of preference: for one emitter and host, the first source with series wins. */
  sources: TrafficSource[];
  /** Labels that tell emitters apart (one process and instrumentation library). */
  identityLabels: string[];
}

const STABLE_LABELS: TrafficSourceLabels = {
  serverAddress: TRAFFIC_LABELS.serverAddress,
  serverPort: TRAFFIC_LABELS.serverPort,
  method: TRAFFIC_LABELS.method,
  statusCode: TRAFFIC_LABELS.statusCode,
  errorType: TRAFFIC_LABELS.errorType,
  urlTemplate: TRAFFIC_LABELS.urlTemplate,
};

const STABLE_DOTTED_LABELS: TrafficSourceLabels = {
  serverAddress: 'server.address',
  serverPort: 'server.port',
  method: 'http.request.method',
  statusCode: 'http.response.status_code',
  errorType: 'error.type',
  urlTemplate: 'url.template',
};

/** The old conventions (semconv <= 1.20) have no error.type and no url.template. */
const OLD_LABELS: TrafficSourceLabels = {
  serverAddress: 'net_peer_name',
  serverPort: 'net_peer_port',
  method: 'http_method',
  statusCode: 'http_status_code',
};

const OLD_DOTTED_LABELS: TrafficSourceLabels = {
  serverAddress: 'net.peer.name',
  serverPort: 'net.peer.port',
  method: 'http.method',
  statusCode: 'http.status_code',
};

/**
 * Built-in sources. `stable`/`old`: the OTel Prometheus exporter (and OTLP translation without
 * suffixes); `-otlp`: OTLP translated with unit suffixes (the Collector's Prometheus exporters,
 * Prometheus' OTLP receiver by default); `-utf8`: stores keeping the dotted names
 * (Prometheus 3 translation_strategy NoTranslation); `-utf8-otlp`: dotted names with unit
 * suffixes (NoUTF8EscapingWithSuffixes).
 */
export const TRAFFIC_SOURCE_PRESETS = {
  stable: {
    name: 'stable',
    convention: 'stable',
    duration: 'http_client_request_duration',
    durationUnit: 's',
    responseSize: 'http_client_response_body_size',
    labels: STABLE_LABELS,
  },
  'stable-otlp': {
    name: 'stable-otlp',
    convention: 'stable',
    duration: 'http_client_request_duration_seconds',
    durationUnit: 's',
    responseSize: 'http_client_response_body_size_bytes',
    labels: STABLE_LABELS,
  },
  old: {
    name: 'old',
    convention: 'old',
    duration: 'http_client_duration',
    durationUnit: 'ms',
    responseSize: 'http_client_response_size',
    labels: OLD_LABELS,
  },
  'old-otlp': {
    name: 'old-otlp',
    convention: 'old',
    duration: 'http_client_duration_milliseconds',
    durationUnit: 'ms',
    responseSize: 'http_client_response_size_bytes',
    labels: OLD_LABELS,
  },
  'stable-utf8': {
    name: 'stable-utf8',
    convention: 'stable',
    duration: 'http.client.request.duration',
    durationUnit: 's',
    responseSize: 'http.client.response.body.size',
    labels: STABLE_DOTTED_LABELS,
  },
  'stable-utf8-otlp': {
    name: 'stable-utf8-otlp',
    convention: 'stable',
    duration: 'http.client.request.duration_seconds',
    durationUnit: 's',
    responseSize: 'http.client.response.body.size_bytes',
    labels: STABLE_DOTTED_LABELS,
  },
  'old-utf8': {
    name: 'old-utf8',
    convention: 'old',
    duration: 'http.client.duration',
    durationUnit: 'ms',
    responseSize: 'http.client.response.size',
    labels: OLD_DOTTED_LABELS,
  },
  'old-utf8-otlp': {
    name: 'old-utf8-otlp',
    convention: 'old',
    duration: 'http.client.duration_milliseconds',
    durationUnit: 'ms',
    responseSize: 'http.client.response.size_bytes',
    labels: OLD_DOTTED_LABELS,
  },
} as const satisfies Record<string, TrafficSource>;

export type TrafficSourcePreset = keyof typeof TRAFFIC_SOURCE_PRESETS;
export const TRAFFIC_SOURCE_PRESET_NAMES = Object.keys(TRAFFIC_SOURCE_PRESETS) as TrafficSourcePreset[];

/** What a catalog reads when it says nothing: both conventions, exporter and OTLP names. */
export const DEFAULT_TRAFFIC_SOURCES: readonly TrafficSourcePreset[] = ['stable', 'stable-otlp', 'old', 'old-otlp'];

/**
 * Scrape targets carry job and instance (OTLP ingestion sets them from service.name and
 * service.instance.id); the OTel exporter and the Collector add otel_scope_name, the
 * instrumentation library, so one process mixing libraries and conventions is read right.
 */
export const DEFAULT_IDENTITY_LABELS: readonly string[] = ['job', 'instance', 'otel_scope_name'];

export function presetSource(name: TrafficSourcePreset): TrafficSource {
  const p = TRAFFIC_SOURCE_PRESETS[name];
  return { ...p, labels: { ...p.labels } };
}

/** Default labels for a custom source of a convention (the exporter's underscore names). */
export function conventionLabels(convention: TrafficConvention): TrafficSourceLabels {
  return { ...(convention === 'stable' ? STABLE_LABELS : OLD_LABELS) };
}

export const DEFAULT_TRAFFIC_SETTINGS: TrafficSettings = {
  sources: DEFAULT_TRAFFIC_SOURCES.map(presetSource),
  identityLabels: [...DEFAULT_IDENTITY_LABELS],
};
