// The prober's Prometheus series: names and labels from the contract in @apimon/core. Probe
// results, skips and catalog facts land here; when the catalog changes, every series of an API
// or endpoint that is gone (or moved to another provider or location) is removed, so dashboards
// and alert rules never see ghosts. The prober's own health (process and Node.js runtime,
// build, reloads, event-loop delay of probes, render time) is here too (docs/self-monitoring.md).
import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  CATALOG_RELOAD_RESULTS,
  DURATION_BUCKETS,
  LOOP_DELAY_BUCKETS,
  METRIC_DEFS,
  PHASE_BUCKETS,
  PHASES,
  RENDER_BUCKETS,
  SIZE_BUCKETS,
  START_DELAY_BUCKETS,
  type BodyComparison,
  type Catalog,
  type Criticality,
  type MetricDef,
  type ProbeIdentity,
  type SkipReason,
} from '@apimon/core';
import { version } from '../package.json';
import { TextHistogram } from './histogram';
import { TextFamily, TextSeries, type Labels } from './text-family';
import { memoryLimitBytes } from './memory-limit';
import { TrafficMappingMetrics } from './traffic-metrics';
import type { ProbeResult, RateLimitObservation } from './probe/types';
import type { SchedulerSnapshot } from './scheduler';

export type { ProbeIdentity };

/** A label set is still valid while its API exists with the same provider and location and,
 * for endpoint series, the endpoint exists too. */
type Validity = (labels: Labels) => boolean;

/**
 * One series per endpoint whose labels carry facts (protocol, encoding, ...): writing new facts
 * removes the endpoint's previous series, found by key rather than by scanning every series.
 */
class EndpointInfo {
  private readonly last = new Map<string, Labels>();

  constructor(readonly set: TextSeries) {}

  write(endpoint: string, labels: Labels, value = 1): void {
    const kept = this.set.set(labels, value);
    const previous = this.last.get(endpoint);
    if (previous && previous !== kept) {
      this.set.remove(previous);
    }
    this.last.set(endpoint, kept);
  }

  clear(endpoint: string): void {
    const previous = this.last.get(endpoint);
    if (previous) {
      this.set.remove(previous);
      this.last.delete(endpoint);
    }
  }

  /** Forgets endpoints whose series the catalog change removed. */
  retain(valid: (labels: Labels) => boolean): void {
    for (const [endpoint, labels] of this.last) {
      if (!valid(labels)) {
        this.last.delete(endpoint);
      }
    }
  }
}

const endpointKey = (api: string, endpoint: string) => `${api}\u0000${endpoint}`;

/** Series per piece of a streamed exposition: 1–2 MB of text, a few milliseconds each. */
const HISTOGRAMS_PER_CHUNK = 500;
const SERIES_PER_CHUNK = 10_000;

/** Lets timers and I/O (probes) run between two pieces of the exposition. setImmediate is
 * Node's; the fallback is for the data source's tests, which run the prober's metrics in jsdom. */
const nextTurn = () =>
  new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

export interface ProberMetricsOptions {
  /** Register prom-client's process and Node.js metrics (process_*, nodejs_*). Default true. */
  processMetrics?: boolean;
}

/** How a probe's timing was judged (its loop delay against prober.timingTolerance). */
export interface ProbeTiming {
  /** The event loop kept the probe's events waiting longer than the tolerance: its duration is
   * not the target's, so it stays out of the duration and phase histograms. */
  degraded: boolean;
}

export class ProberMetrics {
  readonly registry = new Registry();

  private readonly duration: TextHistogram;
  private readonly phaseDuration: TextHistogram;
  private readonly requests: TextSeries;
  private readonly responseBytes: TextHistogram;
  private readonly skipped: TextSeries;
  private readonly timingDegraded: TextSeries;
  private readonly due: TextSeries;
  private readonly startDelay: TextHistogram;
  private readonly rateLimitLimit: TextSeries;
  private readonly rateLimitRemaining: TextSeries;
  private readonly rateLimitReset: TextSeries;
  private readonly tlsExpiry: TextSeries;
  private readonly apiInfo: TextSeries;
  private readonly misconfigured: TextSeries;
  private readonly plainHttp: TextSeries;
  private readonly thresholdLatency: TextSeries;
  private readonly thresholdErrorRatio: TextSeries;
  private readonly thresholdHeadroom: TextSeries;
  // What the audit reads about each endpoint's last response (docs/audit.md).
  private readonly cacheInfo: EndpointInfo;
  private readonly cacheFreshness: TextSeries;
  private readonly bodyCompared: TextSeries;
  private readonly contentEncoding: EndpointInfo;
  private readonly wireBytes: TextSeries;
  private readonly decodedBytes: TextSeries;
  private readonly tlsInfo: EndpointInfo;
  private readonly tlsVerifyError: EndpointInfo;
  private readonly hstsMaxAge: TextSeries;
  private readonly credentialInfo: EndpointInfo;
  private readonly all: Array<TextFamily<{ labels: Labels }>>;
  private readonly traffic: TrafficMappingMetrics;

  private readonly reloadSuccess: Gauge;
  private readonly reloadTimestamp: Gauge;
  private readonly reloads: Counter;
  private readonly catalogApis: Gauge;
  private readonly catalogEndpoints: Gauge;
  private readonly buildInfo: Gauge;
  private readonly loopDelay: Histogram;
  private readonly renderDuration: Histogram;

  /** Rate-limit policies last exported per endpoint, to remove those a provider stops sending. */
  private readonly policies = new Map<string, Set<string>>();
  /** Endpoints whose last probe ended on plain http (a redirect can downgrade an https URL). */
  private readonly observedPlainHttp = new Map<string, boolean>();
  /** Hash of each endpoint's last complete 2xx body, to count repeats; never the body. */
  private readonly lastBodyHash = new Map<string, string>();
  /** The audit facts last written per endpoint: unchanged facts (the usual case) are not
   * written again, which keeps them off the per-probe cost. */
  private readonly lastFacts = new Map<string, string>();
  /** Current misconfiguration reason per API (undefined: fine). */
  private readonly misconfiguredReason = new Map<string, string | undefined>();
  private catalog: Catalog | undefined;
  /** The catalog's APIs by name: looked up on every probe, so never a scan of the catalog. */
  private apisByName = new Map<string, Catalog['apis'][number]>();
  /** Reads the scheduler's state at scrape time. */
  private scheduler: (() => SchedulerSnapshot) | undefined;

  constructor(options: ProberMetricsOptions = {}) {
    const registers = [this.registry];
    // Names, help texts and label names are the contract's (METRIC_DEFS in @apimon/core).
    const histogram = (def: MetricDef, buckets: number[]) => new TextHistogram(def.name, def.help, buckets, def.labels);
    const counter = (def: MetricDef) => new TextSeries(def.name, def.help, 'counter', def.labels);
    const gauge = (def: MetricDef) => new TextSeries(def.name, def.help, 'gauge', def.labels);
    const plainGauge = (def: MetricDef) => new Gauge({ name: def.name, help: def.help, registers });

    this.duration = histogram(METRIC_DEFS.probeDuration, DURATION_BUCKETS);
    this.phaseDuration = histogram(METRIC_DEFS.probePhaseDuration, PHASE_BUCKETS);
    this.requests = counter(METRIC_DEFS.probeRequests);
    this.responseBytes = histogram(METRIC_DEFS.probeResponseBytes, SIZE_BUCKETS);
    this.skipped = counter(METRIC_DEFS.probeSkipped);
    this.timingDegraded = counter(METRIC_DEFS.probeTimingDegraded);
    this.due = counter(METRIC_DEFS.probeDue);
    this.startDelay = histogram(METRIC_DEFS.probeStartDelay, START_DELAY_BUCKETS);
    this.rateLimitLimit = gauge(METRIC_DEFS.rateLimitLimit);
    this.rateLimitRemaining = gauge(METRIC_DEFS.rateLimitRemaining);
    this.rateLimitReset = gauge(METRIC_DEFS.rateLimitReset);
    this.tlsExpiry = gauge(METRIC_DEFS.tlsCertExpiry);
    this.apiInfo = gauge(METRIC_DEFS.apiInfo);
    this.misconfigured = gauge(METRIC_DEFS.apiMisconfigured);
    this.plainHttp = gauge(METRIC_DEFS.endpointPlainHttp);
    this.thresholdLatency = gauge(METRIC_DEFS.thresholdLatency);
    this.thresholdErrorRatio = gauge(METRIC_DEFS.thresholdErrorRatio);
    this.thresholdHeadroom = gauge(METRIC_DEFS.thresholdHeadroom);
    this.cacheInfo = new EndpointInfo(gauge(METRIC_DEFS.endpointCacheInfo));
    this.cacheFreshness = gauge(METRIC_DEFS.endpointCacheFreshness);
    this.bodyCompared = counter(METRIC_DEFS.probeBodyCompared);
    this.contentEncoding = new EndpointInfo(gauge(METRIC_DEFS.endpointContentEncoding));
    this.wireBytes = gauge(METRIC_DEFS.endpointBodyWireBytes);
    this.decodedBytes = gauge(METRIC_DEFS.endpointBodyDecodedBytes);
    this.tlsInfo = new EndpointInfo(gauge(METRIC_DEFS.endpointTlsInfo));
    this.tlsVerifyError = new EndpointInfo(gauge(METRIC_DEFS.endpointTlsVerifyError));
    this.hstsMaxAge = gauge(METRIC_DEFS.endpointHstsMaxAge);
    this.credentialInfo = new EndpointInfo(gauge(METRIC_DEFS.endpointCredentialInfo));
    this.all = [
      this.duration,
      this.phaseDuration,
      this.requests,
      this.responseBytes,
      this.skipped,
      this.timingDegraded,
      this.due,
      this.startDelay,
      this.rateLimitLimit,
      this.rateLimitRemaining,
      this.rateLimitReset,
      this.tlsExpiry,
      this.apiInfo,
      this.misconfigured,
      this.plainHttp,
      this.thresholdLatency,
      this.thresholdErrorRatio,
      this.thresholdHeadroom,
      this.cacheInfo.set,
      this.cacheFreshness,
      this.bodyCompared,
      this.contentEncoding.set,
      this.wireBytes,
      this.decodedBytes,
      this.tlsInfo.set,
      this.tlsVerifyError.set,
      this.hstsMaxAge,
      this.credentialInfo.set,
    ];

    this.traffic = new TrafficMappingMetrics(this.registry);

    this.reloadSuccess = plainGauge(METRIC_DEFS.catalogReloadSuccess);
    this.reloadTimestamp = plainGauge(METRIC_DEFS.catalogReloadTimestamp);
    this.catalogApis = plainGauge(METRIC_DEFS.catalogApis);
    this.catalogEndpoints = plainGauge(METRIC_DEFS.catalogEndpoints);
    this.reloads = new Counter({
      name: METRIC_DEFS.catalogReloads.name,
      help: METRIC_DEFS.catalogReloads.help,
      labelNames: [...METRIC_DEFS.catalogReloads.labels],
      registers,
    });
    for (const result of CATALOG_RELOAD_RESULTS) {
      this.reloads.inc({ result }, 0); // both series from the start, so rate() sees the first reload
    }

    // The prober's own health.
    this.buildInfo = new Gauge({
      name: METRIC_DEFS.buildInfo.name,
      help: METRIC_DEFS.buildInfo.help,
      labelNames: [...METRIC_DEFS.buildInfo.labels],
      registers,
    });
    const plainHistogram = (def: MetricDef, buckets: number[]) =>
      new Histogram({ name: def.name, help: def.help, buckets, registers });
    this.loopDelay = plainHistogram(METRIC_DEFS.probeLoopDelay, LOOP_DELAY_BUCKETS);
    this.renderDuration = plainHistogram(METRIC_DEFS.metricsRenderDuration, RENDER_BUCKETS);
    new Gauge({
      name: METRIC_DEFS.processMemoryLimit.name,
      help: METRIC_DEFS.processMemoryLimit.help,
      registers,
      collect() {
        this.set(memoryLimitBytes());
      },
    });

    // The scheduler's state, read when scraped.
    const metrics = this;
    const schedulerGauge = (def: MetricDef, value: (s: SchedulerSnapshot | undefined) => number) =>
      new Gauge({
        name: def.name,
        help: def.help,
        registers,
        collect() {
          this.set(value(metrics.scheduler?.()));
        },
      });
    schedulerGauge(METRIC_DEFS.schedulerQueueLength, (s) => s?.queued ?? 0);
    schedulerGauge(METRIC_DEFS.schedulerSlots, (s) => s?.slots ?? 0);
    schedulerGauge(METRIC_DEFS.schedulerSaturated, (s) => (s?.saturated ? 1 : 0));
    new Gauge({
      name: METRIC_DEFS.schedulerInFlight.name,
      help: METRIC_DEFS.schedulerInFlight.help,
      labelNames: [...METRIC_DEFS.schedulerInFlight.labels],
      registers,
      collect() {
        this.reset();
        const byProvider = metrics.scheduler?.().inFlightByGroup ?? new Map<string, number>();
        // Every provider of the catalog, holding slots or not, so a panel shows it at zero.
        const providers = metrics.catalog?.apis.map((a) => a.provider) ?? [];
        for (const provider of new Set([...providers, ...byProvider.keys()])) {
          this.set({ provider }, byProvider.get(provider) ?? 0);
        }
      },
    });

    if (options.processMetrics ?? true) {
      // Unprefixed (process_cpu_seconds_total, nodejs_heap_size_used_bytes, ...), as every
      // Prometheus client names them: the usual Node.js dashboards and rules read these names.
      collectDefaultMetrics({ register: this.registry });
      // prom-client names these gauges *_total, which Prometheus reserves for counters
      // (promtool check metrics rejects them); the same numbers are in nodejs_active_*.
      for (const misnamed of [
        'nodejs_active_handles_total',
        'nodejs_active_requests_total',
        'nodejs_active_resources_total',
      ]) {
        this.registry.removeSingleMetric(misnamed);
      }
    }
  }

  /** Exports the catalog's facts and thresholds and removes every series the catalog no longer backs. */
  applyCatalog(catalog: Catalog, nowMs: number): void {
    this.catalog = catalog;
    const location = catalog.location;
    const apis = new Map(catalog.apis.map((a) => [a.name, a]));
    this.apisByName = apis;
    const valid: Validity = (labels) => {
      const api = apis.get(labels.api);
      if (!api || api.provider !== labels.provider || location !== labels.location) {
        return false;
      }
      return labels.endpoint === undefined || api.endpoints.some((e) => e.name === labels.endpoint);
    };
    // The start delay is kept per provider and criticality while some API still has both.
    const queues = new Set(catalog.apis.map((a) => `${a.provider}\u0000${a.criticality}`));
    const validQueue: Validity = (l) => l.location === location && queues.has(`${l.provider}\u0000${l.criticality}`);
    for (const set of this.all) {
      set.removeWhere((labels) => !(set === this.startDelay ? validQueue(labels) : valid(labels)));
    }
    for (const info of [this.cacheInfo, this.contentEncoding, this.tlsInfo, this.tlsVerifyError, this.credentialInfo]) {
      info.retain(valid);
    }
    this.lastFacts.clear();
    for (const key of [...this.policies.keys(), ...this.observedPlainHttp.keys(), ...this.lastBodyHash.keys()]) {
      const [api, endpoint] = key.split('\u0000');
      if (!valid({ api, endpoint, provider: apis.get(api)?.provider ?? '', location })) {
        this.policies.delete(key);
        this.observedPlainHttp.delete(key);
        this.lastBodyHash.delete(key);
      }
    }
    for (const name of this.misconfiguredReason.keys()) {
      if (!apis.has(name)) {
        this.misconfiguredReason.delete(name);
      }
    }

    // Facts can change for an API that stays (owner, criticality, auth): rewrite them all.
    this.apiInfo.removeWhere(() => true);
    for (const api of catalog.apis) {
      const base = { api: api.name, provider: api.provider, location };
      this.apiInfo.set({ ...base, criticality: api.criticality, owner: api.owner, auth: api.auth.type }, 1);
      this.setThresholds(base, api.thresholds);
      // Rewritten too: an API that moved to another provider or location keeps its state.
      const reason = this.misconfiguredReason.get(api.name);
      this.misconfiguredReason.set(api.name, reason);
      this.misconfigured.removeWhere((l) => l.api === api.name);
      this.misconfigured.set(reason === undefined ? base : { ...base, reason }, reason === undefined ? 0 : 1);
      for (const endpoint of api.endpoints) {
        const id = { ...base, endpoint: endpoint.name };
        this.setThresholds(id, endpoint.thresholds);
        const observed = this.observedPlainHttp.get(endpointKey(api.name, endpoint.name));
        const plain = observed ?? new URL(endpoint.url).protocol === 'http:';
        this.plainHttp.set(id, plain ? 1 : 0);
      }
    }
    this.traffic.apply(catalog);
    this.catalogApis.set(catalog.apis.length);
    this.catalogEndpoints.set(catalog.apis.reduce((n, a) => n + a.endpoints.length, 0));
    this.reloadSuccess.set(1);
    this.reloadTimestamp.set(nowMs / 1000);
    this.reloads.inc({ result: 'accepted' });
    // The location is the catalog's: rewritten when it moves.
    this.buildInfo.reset();
    this.buildInfo.set({ version, node_version: process.version, location }, 1);
  }

  /** A new catalog was rejected: the old one keeps running. */
  catalogRejected(): void {
    this.reloadSuccess.set(0);
    this.reloads.inc({ result: 'rejected' });
  }

  /**
   * Records one probe. `fallbackRateLimits` are exported when the response carried no
   * rate-limit headers (the catalog's documented limit with an estimated remaining). A probe
   * whose timing is degraded counts in apimon_probe_timing_degraded_total instead of the
   * duration and phase histograms; its outcome, status code and headers are facts all the same.
   */
  recordProbe(
    id: ProbeIdentity,
    result: ProbeResult,
    fallbackRateLimits: RateLimitObservation[] = [],
    timing: ProbeTiming = { degraded: false }
  ): void {
    const labels = { ...id };
    this.loopDelay.observe(result.loopDelayMs / 1000);
    if (timing.degraded) {
      this.timingDegraded.inc(labels);
    } else {
      this.duration.observe(labels, result.durationMs / 1000);
      for (const phase of PHASES) {
        const ms = result.phases[phase];
        if (ms > 0) {
          this.phaseDuration.observe({ ...labels, phase }, ms / 1000);
        }
      }
    }
    this.requests.inc({ ...labels, code: String(result.code), outcome: result.outcome });
    const key = endpointKey(id.api, id.endpoint);
    if (result.code !== 0) {
      this.responseBytes.observe(labels, result.bytes);
      // Only a response says anything about the limits; a failed connection keeps the last values.
      this.setRateLimits(labels, key, result.rateLimits.length > 0 ? result.rateLimits : fallbackRateLimits);
    }
    if (result.tlsExpiresAt !== null) {
      this.tlsExpiry.set(labels, Math.floor(result.tlsExpiresAt / 1000));
    } else if (result.plainHttp) {
      this.tlsExpiry.remove(labels);
    }
    if (result.code !== 0) {
      this.observedPlainHttp.set(key, result.plainHttp);
      this.plainHttp.set(labels, result.plainHttp ? 1 : 0);
    }
    this.recordTransportFacts(labels, key, result);
    this.recordCredential(labels, key, result.credential);
    if (result.facts) {
      this.recordResponseFacts(labels, key, result.facts);
    }
  }

  /** The shape of the token the probe sent (JWT or opaque, the JWT's alg); gone when it sent none. */
  private recordCredential(labels: Labels, key: string, credential: ProbeResult['credential']): void {
    const signature = credential ? `${credential.format}\u0000${credential.alg ?? ''}` : 'none';
    const credentialKey = `${key}\u0000credential`;
    if (this.lastFacts.get(credentialKey) === signature) {
      return;
    }
    this.lastFacts.set(credentialKey, signature);
    if (credential) {
      this.credentialInfo.write(key, { ...labels, format: credential.format, alg: credential.alg ?? '' });
    } else {
      this.credentialInfo.clear(key);
    }
  }

  /** The handshake of the final hop; over plain http the TLS series go. */
  private recordTransportFacts(labels: Labels, key: string, result: ProbeResult): void {
    const signature = result.tls ? JSON.stringify(result.tls) : result.code !== 0 && result.plainHttp ? 'plain' : null;
    const tlsKey = `${key}\u0000tls`;
    if (signature === null || this.lastFacts.get(tlsKey) === signature) {
      return;
    }
    this.lastFacts.set(tlsKey, signature);
    if (result.tls) {
      this.tlsInfo.write(key, { ...labels, protocol: result.tls.protocol, cipher: result.tls.cipher });
      const reason = result.tls.verifyError;
      this.tlsVerifyError.write(key, reason ? { ...labels, reason } : labels, reason ? 1 : 0);
    } else if (result.code !== 0 && result.plainHttp) {
      this.tlsInfo.clear(key);
      this.tlsVerifyError.clear(key);
      this.hstsMaxAge.remove(labels);
    }
  }

  /** Cache directives, encoding and sizes of the response, and whether its body repeats. */
  private recordResponseFacts(labels: Labels, key: string, facts: NonNullable<ProbeResult['facts']>): void {
    if (facts.bodyHash !== null) {
      const previous = this.lastBodyHash.get(key);
      if (previous !== undefined) {
        const result: BodyComparison = previous === facts.bodyHash ? 'same' : 'changed';
        this.bodyCompared.inc({ ...labels, result });
      }
      this.lastBodyHash.set(key, facts.bodyHash);
    }
    const signature = JSON.stringify([
      facts.cache,
      facts.encoding,
      facts.compressionRequested,
      facts.wireBytes,
      facts.decodedBytes,
      facts.hstsMaxAgeSeconds,
    ]);
    if (this.lastFacts.get(key) === signature) {
      return;
    }
    this.lastFacts.set(key, signature);
    const bool = (b: boolean) => (b ? 'true' : 'false');
    const c = facts.cache;
    this.cacheInfo.write(key, {
      ...labels,
      no_store: bool(c.noStore),
      no_cache: bool(c.noCache),
      private: bool(c.private),
      etag: bool(c.etag),
      last_modified: bool(c.lastModified),
      expires: bool(c.expires),
      vary: c.vary,
    });
    this.cacheFreshness.set(labels, c.freshnessSeconds);
    this.contentEncoding.write(key, {
      ...labels,
      encoding: facts.encoding,
      requested: bool(facts.compressionRequested),
    });
    this.wireBytes.set(labels, facts.wireBytes);
    if (facts.decodedBytes !== null) {
      this.decodedBytes.set(labels, facts.decodedBytes);
    }
    if (facts.hstsMaxAgeSeconds !== null) {
      this.hstsMaxAge.set(labels, facts.hstsMaxAgeSeconds);
    }
  }

  recordSkip(id: ProbeIdentity, reason: SkipReason): void {
    this.skipped.inc({ ...id, reason });
  }

  /** A probe came due (it will be sent or skipped). */
  recordDue(id: ProbeIdentity): void {
    this.due.inc(id);
  }

  /** A probe of an API of `criticality` started `seconds` after it was due. */
  recordStartDelay(id: ProbeIdentity, criticality: Criticality, seconds: number): void {
    this.startDelay.observe({ provider: id.provider, criticality, location: id.location }, seconds);
  }

  /** The scheduler whose queue, slots and saturation the scheduler gauges report. */
  observeScheduler(snapshot: () => SchedulerSnapshot): void {
    this.scheduler = snapshot;
  }

  /**
   * Marks an API misconfigured with a reason (e.g. "missing env PAY_API_KEY") or fine again
   * (undefined). Returns true when the state changed, so the caller logs once per change.
   */
  setMisconfigured(api: string, reason: string | undefined): boolean {
    const apiConfig = this.apisByName.get(api);
    if (!apiConfig || this.misconfiguredReason.get(api) === reason) {
      return false;
    }
    this.misconfiguredReason.set(api, reason);
    this.misconfigured.removeWhere((l) => l.api === api);
    const base = { api, provider: apiConfig.provider, location: this.catalog!.location };
    this.misconfigured.set(reason === undefined ? base : { ...base, reason }, reason === undefined ? 0 : 1);
    return true;
  }

  misconfiguredReasonOf(api: string): string | undefined {
    return this.misconfiguredReason.get(api);
  }

  /**
   * The exposition, streamed: each registry family (gauges, counters, process and status-page
   * metrics), then the probe histograms a few hundred series at a time, waiting for the event
   * loop between pieces. At 10,000 endpoints the whole text is over 100 MB: built as one string
   * it held the event loop for seconds (every probe due meanwhile started late) and peaked the
   * prober's memory at several times its resting size. Its render time is observed once the last
   * piece is written, so a scrape shows the renders before it.
   */
  async *expositionChunks(): AsyncGenerator<string> {
    const started = performance.now();
    for (const metric of this.registry.getMetricsAsArray()) {
      yield `${await this.registry.getSingleMetricAsString(metric.name)}\n\n`;
      await nextTurn();
    }
    for (const family of this.all) {
      for (const chunk of family.renderChunks(family.type === 'histogram' ? HISTOGRAMS_PER_CHUNK : SERIES_PER_CHUNK)) {
        yield chunk;
        await nextTurn();
      }
    }
    this.renderDuration.observe((performance.now() - started) / 1000);
  }

  /** The whole exposition as one string (tests, and small catalogs). */
  async exposition(): Promise<string> {
    let text = '';
    for await (const chunk of this.expositionChunks()) {
      text += chunk;
    }
    return text;
  }

  private setThresholds(labels: Labels, t: { latencyP95Ms: number; errorRatio: number; headroomRatio: number }) {
    this.thresholdLatency.set(labels, t.latencyP95Ms / 1000);
    this.thresholdErrorRatio.set(labels, t.errorRatio);
    this.thresholdHeadroom.set(labels, t.headroomRatio);
  }

  private setRateLimits(labels: Labels, key: string, observations: RateLimitObservation[]) {
    const now = new Set<string>();
    const gauges = [
      [this.rateLimitLimit, 'limit'],
      [this.rateLimitRemaining, 'remaining'],
      [this.rateLimitReset, 'resetSeconds'],
    ] as const;
    for (const o of observations) {
      now.add(o.policy);
      const withPolicy = { ...labels, policy: o.policy };
      for (const [set, field] of gauges) {
        const value = o[field];
        if (value === null || !Number.isFinite(value)) {
          set.remove(withPolicy);
        } else {
          set.set(withPolicy, value);
        }
      }
    }
    for (const old of this.policies.get(key) ?? []) {
      if (!now.has(old)) {
        for (const [set] of gauges) {
          set.remove({ ...labels, policy: old });
        }
      }
    }
    this.policies.set(key, now);
  }
}
