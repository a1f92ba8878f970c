// The demo platform's OpenTelemetry setup, as any Node service would have it: the metrics SDK,
// the Prometheus exporter (pull, served on the platform's /metrics) and the standard HTTP
// client instrumentations: undici for fetch (stable conventions) and http for node:http (old,
// stable or both, by OTEL_SEMCONV_STABILITY_OPT_IN). No apimon code is involved: apimon reads
// the standard series. What no Node instrumentation records (url.template, body sizes), the
// platform records itself with the OTel API (AppHttpMetrics), as the conventions allow.
import { createRequire } from 'node:module';
import { ValueType, type Attributes, type Histogram } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** Which HTTP semantic conventions the platform emits; maps to OTEL_SEMCONV_STABILITY_OPT_IN. */
export const SEMCONV_MODES = ['old', 'stable', 'both'] as const;
export type SemconvMode = (typeof SEMCONV_MODES)[number];

const OPT_IN: Record<SemconvMode, string> = { old: '', stable: 'http', both: 'http/dup' };

/** The mode OTEL_SEMCONV_STABILITY_OPT_IN asks for (http/dup wins over http, as the spec says). */
export function semconvModeFromEnv(value: string | undefined): SemconvMode {
  const parts = (value ?? '').split(',').map((s) => s.trim());
  return parts.includes('http/dup') ? 'both' : parts.includes('http') ? 'stable' : 'old';
}

/** Requests the app marks with this header were recorded by the app; the instrumentations skip them. */
export const APP_RECORDED_HEADER = 'x-platform-recorded-by-app';

const STABLE_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const OLD_DURATION_BUCKETS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
const SIZE_BUCKETS = [0, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000];

export interface CallRecord {
  method: string;
  url: URL;
  /** 0: no response. */
  status: number;
  errorType?: string;
  durationMs: number;
  responseBytes: number;
  urlTemplate?: string;
}

/** The platform's own HTTP-client metrics, in the conventions the mode asks for. */
export class AppHttpMetrics {
  private readonly stableDuration: Histogram;
  private readonly stableSize: Histogram;
  private readonly oldDuration: Histogram;
  private readonly oldSize: Histogram;

  constructor(
    meterProvider: MeterProvider,
    private readonly mode: SemconvMode
  ) {
    const meter = meterProvider.getMeter('apimon-sandbox-platform');
    this.stableDuration = meter.createHistogram('http.client.request.duration', {
      description: 'Duration of HTTP client requests.',
      unit: 's',
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: STABLE_DURATION_BUCKETS },
    });
    this.stableSize = meter.createHistogram('http.client.response.body.size', {
      description: 'Size of HTTP client response bodies.',
      unit: 'By',
      valueType: ValueType.INT,
      advice: { explicitBucketBoundaries: SIZE_BUCKETS },
    });
    this.oldDuration = meter.createHistogram('http.client.duration', {
      description: 'Measures the duration of outbound HTTP requests.',
      unit: 'ms',
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: OLD_DURATION_BUCKETS },
    });
    this.oldSize = meter.createHistogram('http.client.response.size', {
      description: 'Measures the size of HTTP response messages (compressed).',
      unit: 'By',
      valueType: ValueType.INT,
      advice: { explicitBucketBoundaries: SIZE_BUCKETS },
    });
  }

  /** Records a call: its duration only when `withDuration` (an instrumentation did not). */
  record(call: CallRecord, withDuration: boolean): void {
    const port = Number(call.url.port || (call.url.protocol === 'https:' ? 443 : 80));
    if (this.mode !== 'old') {
      const attrs: Attributes = {
        'http.request.method': call.method,
        'server.address': call.url.hostname,
        'server.port': port,
        'url.scheme': call.url.protocol.replace(':', ''),
      };
      if (call.status > 0) {
        attrs['http.response.status_code'] = call.status;
      }
      if (call.errorType) {
        attrs['error.type'] = call.errorType;
      }
      if (call.urlTemplate) {
        attrs['url.template'] = call.urlTemplate;
      }
      if (withDuration) {
        this.stableDuration.record(call.durationMs / 1000, attrs);
      }
      if (call.status > 0) {
        this.stableSize.record(call.responseBytes, attrs);
      }
    }
    if (this.mode !== 'stable') {
      // The old conventions have neither error.type nor url.template.
      const attrs: Attributes = { 'http.method': call.method, 'net.peer.name': call.url.hostname, 'net.peer.port': port };
      if (call.status > 0) {
        attrs['http.status_code'] = call.status;
      }
      if (withDuration) {
        this.oldDuration.record(call.durationMs, attrs);
      }
      if (call.status > 0) {
        this.oldSize.record(call.responseBytes, attrs);
      }
    }
  }
}

export interface PlatformTelemetry {
  exporter: PrometheusExporter;
  meterProvider: MeterProvider;
  app: AppHttpMetrics;
  mode: SemconvMode;
  shutdown(): Promise<void>;
}

let registered = false;

/**
 * Starts the SDK and the instrumentations. Once per process: instrumentations patch global
 * modules, so a second platform in the same process would count every call twice.
 */
export function startTelemetry(mode: SemconvMode, serviceName: string): PlatformTelemetry {
  if (registered) {
    throw new Error('the platform telemetry is already running in this process (run one platform per process)');
  }
  registered = true;
  // instrumentation-http reads the opt-in when it is constructed.
  process.env.OTEL_SEMCONV_STABILITY_OPT_IN = OPT_IN[mode];
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    readers: [exporter],
  });
  const appRecorded = (headers: unknown) => {
    if (Array.isArray(headers)) {
      return headers.some((h, i) => i % 2 === 0 && String(h).toLowerCase() === APP_RECORDED_HEADER);
    }
    if (typeof headers === 'string') {
      return headers.toLowerCase().includes(`${APP_RECORDED_HEADER}:`);
    }
    return headers !== null && typeof headers === 'object' && Object.keys(headers).some((k) => k.toLowerCase() === APP_RECORDED_HEADER);
  };
  const unregister = registerInstrumentations({
    meterProvider,
    instrumentations: [
      new HttpInstrumentation({
        // The platform's own /metrics and admin API are not the subject.
        ignoreIncomingRequestHook: () => true,
        ignoreOutgoingRequestHook: (options) => appRecorded(options.headers),
      }),
      new UndiciInstrumentation({ ignoreRequestHook: (request) => appRecorded(request.headers) }),
    ],
  });
  // node:http was loaded before the instrumentation: requiring it again lets it patch the
  // module in place, so every holder of the module sees the instrumented request().
  const load = createRequire(__filename);
  load('node:http');
  load('node:https');
  return {
    exporter,
    meterProvider,
    app: new AppHttpMetrics(meterProvider, mode),
    mode,
    async shutdown() {
      unregister();
      await meterProvider.shutdown();
      registered = false;
    },
  };
}
