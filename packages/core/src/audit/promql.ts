// The PromQL the audit runs over a window: probe histograms and counters, the endpoint facts
// the prober exports, and the platform's real traffic (traffic/promql.ts). Facts are read as
// they are now, falling back to their last value in the window for endpoints the prober no
// longer reports (a stopped prober, a store being queried after the fact).
import { bucket, METRICS, promString, selector } from '../contract';
import { createTrafficQueries, type TrafficQueries } from '../traffic/promql';
import type { TrafficSettings } from '../traffic/sources';

const ENDPOINT = ['api', 'endpoint'];

/** `max by (labels) (metric)` now, or its last value in the window where nothing is reported now. */
export function current(metric: string, extraLabels: readonly string[], window: string): string {
  const by = [...ENDPOINT, ...extraLabels].join(', ');
  return `max by (${by}) (${metric}) or on (api, endpoint) max by (${by}) (last_over_time(${metric}[${window}]))`;
}

export interface AuditQueryOptions {
  /** The audit window, PromQL duration ("30d", "2592000s"). */
  window: string;
  /** Resolution and rate window of the retry comparison ("1m"). */
  step: string;
  /** Rate window of the usage peak ("5m"). */
  rateWindow: string;
}

export function auditQueries(o: AuditQueryOptions, traffic: TrafficSettings | TrafficQueries = createTrafficQueries()) {
  const q = 'attributed' in traffic ? traffic : createTrafficQueries(traffic);
  const w = o.window;
  const all = q.requestsPerSecond(o.step);
  const bad = `(sum by (api) (${q.attributed(q.requestRate(o.step, 'errors'))}) or ${all} * 0) + (${q.throttledPerSecond(o.step)} or ${all} * 0)`;
  const errorSteps = `(${bad}) > 0`;
  return {
    latencyBuckets: `sum by (api, endpoint, le) (increase(${bucket(METRICS.probeDuration)}[${w}]))`,
    timeouts: `sum by (api, endpoint) (increase(${selector(METRICS.probeRequests, [`outcome=${promString('timeout')}`])}[${w}]))`,
    responseP95Bytes: `histogram_quantile(0.95, sum by (api, endpoint, le) (increase(${bucket(METRICS.probeResponseBytes)}[${w}])))`,
    cacheInfo: current(
      METRICS.endpointCacheInfo,
      ['no_store', 'no_cache', 'private', 'etag', 'last_modified', 'expires', 'vary'],
      w
    ),
    cacheFreshness: current(METRICS.endpointCacheFreshness, [], w),
    bodyCompared: `sum by (api, endpoint, result) (increase(${METRICS.probeBodyCompared}[${w}]))`,
    contentEncoding: current(METRICS.endpointContentEncoding, ['encoding', 'requested'], w),
    wireBytes: current(METRICS.endpointBodyWireBytes, [], w),
    decodedBytes: current(METRICS.endpointBodyDecodedBytes, [], w),
    plainHttp: `max by (api, endpoint) (max_over_time(${METRICS.endpointPlainHttp}[${w}]))`,
    tlsInfo: current(METRICS.endpointTlsInfo, ['protocol', 'cipher'], w),
    tlsVerifyError: current(METRICS.endpointTlsVerifyError, ['reason'], w),
    hstsMaxAge: current(METRICS.endpointHstsMaxAge, [], w),
    credential: current(METRICS.endpointCredentialInfo, ['format', 'alg'], w),
    probesOk: `sum by (api) (increase(${selector(METRICS.probeRequests, [`outcome=${promString('ok')}`])}[${w}]))`,
    probesAll: `sum by (api) (increase(${METRICS.probeRequests}[${w}]))`,
    misconfigured: `max by (api, reason) (${METRICS.apiMisconfigured} == 1)`,
    minHeadroom: `min by (api) (min_over_time(${METRICS.rateLimitRemaining}[${w}]) / (max_over_time(${METRICS.rateLimitLimit}[${w}]) > 0))`,
    // Real traffic: calls per second over the window, the usage peak, and the retry comparison.
    trafficRate: q.requestsPerSecond(w),
    usagePeak: q.usagePeakRatio(o.rateWindow, w, o.step),
    rateDuringErrors: `avg_over_time((${all} and on (api) (${errorSteps}))[${w}:${o.step}])`,
    rateOtherwise: `avg_over_time((${all} unless on (api) (${errorSteps}))[${w}:${o.step}])`,
    errorSteps: `count_over_time((${errorSteps})[${w}:${o.step}])`,
    errorShareDuringErrors: `sum_over_time((${errorSteps})[${w}:${o.step}]) / sum_over_time((${all} and on (api) (${errorSteps}))[${w}:${o.step}])`,
  };
}

export type AuditQueries = ReturnType<typeof auditQueries>;
