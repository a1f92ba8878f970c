// The prober service: loads the catalog, schedules every endpoint's probe, turns results into
// metrics and logs, serves /metrics and the JSON API, and swaps in a new catalog on reload
// while the old one keeps running until the new one is known to be good.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CRITICALITIES,
  documentedReading,
  errorBody,
  formatIssue,
  PROBER_API,
  PROBER_ERRORS,
  parseCatalog,
  placeCatalog,
  placementProblem,
  redactCatalog,
  type Api,
  type Catalog,
  type CatalogBody,
  type CatalogIssue,
  type Endpoint,
  type Placement,
  type QuotaSkipReason,
} from '@apimon/core';
import { readInputText } from './catalog/load';
import type { Logger } from './logger';
import { ProberMetrics, type ProbeIdentity } from './metrics';
import { MisconfiguredError, ProbeAbortedError } from './probe/errors';
import type { ProbeOptions } from './probe/options';
import { probeEndpoint, userAgentIn } from './probe/probe';
import { PolicyLimitMemory } from './probe/ratelimit';
import type { ProbeResult, RateLimitObservation } from './probe/types';
import { openFileLimit, slotsWithin } from './open-files';
import { checkQuotaFit, QuotaGuard } from './quota';
import { Scheduler, systemClock, type Clock, type JobSpec, type SaturationEvent } from './scheduler';
import { close, createServer, listen, sendJson, sendStream, type Route, type RouteModule } from './server';
import { watchCatalogFile, type CatalogWatcher } from './reload';

export type ProbeFn = (api: Api, endpoint: Endpoint, options: ProbeOptions) => Promise<ProbeResult>;

/**
 * Keeps apimon's own probes within their share of each provider's rate limit and backs off on
 * 429/Retry-After (QuotaGuard in quota/guard.ts; tests may pass their own).
 */
export interface QuotaGate {
  configure(catalog: Catalog): void;
  decide(api: string, nowMs: number): { allow: true } | { allow: false; reason: QuotaSkipReason; policy?: string };
  record(api: string, nowMs: number, result: ProbeResult): void;
  /** apimon's probes of the API in its budget window, or null when it has no budget. */
  probesInWindow(api: string, nowMs: number): number | null;
}

/** A part of the service that follows the catalog and may serve routes (the status-page monitor). */
export interface ServiceModule extends Partial<RouteModule> {
  updateCatalog(catalog: Catalog): void;
  start(): void;
  stop(): void | Promise<void>;
}

export interface ProberServiceOptions {
  configFile: string;
  logger: Logger;
  metrics?: ProberMetrics;
  probe?: ProbeFn;
  /** Default: a QuotaGuard for the catalog. */
  quota?: QuotaGate;
  /** Created once the first catalog is loaded (they register metrics on `metrics.registry`). */
  modules?: (catalog: Catalog, metrics: ProberMetrics) => ServiceModule[];
  /** Passed to every probe (CA certificates, resolver) besides the signal and env. */
  probeOptions?: Omit<ProbeOptions, 'signal' | 'env'>;
  env?: Record<string, string | undefined>;
  clock?: Clock;
  random?: () => number;
  apiToken?: string;
  /** Reload when the catalog file changes. Default true. */
  watch?: boolean;
  watchDebounceMs?: number;
  /** The open-file limit that caps the probe slots. Default: the process's own (Linux). */
  openFileLimit?: number;
  /**
   * Where this prober runs among several (`--location`, `--shard`; docs/topologies.md). The
   * location defaults to the catalog's defaults.location, the shard to the whole location.
   */
  placement?: { location?: string; shard?: Placement['shard'] };
}

export class CatalogRejectedError extends Error {
  constructor(readonly issues: CatalogIssue[]) {
    super(`the catalog was not accepted (${issues.length} problem(s))`);
  }
}

interface ProbeJob {
  api: Api;
  endpoint: Endpoint;
}

const jobKey = (api: string, endpoint: string) => `${api}/${endpoint}`;

export class ProberService {
  readonly metrics: ProberMetrics;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly probe: ProbeFn;
  private readonly scheduler: Scheduler<ProbeJob>;
  private readonly server: Server;
  /** The catalog as this prober probes it (placeCatalog): its location, shard and share. */
  private catalog: Catalog | undefined;
  /** The catalog's APIs by name: looked up on every probe, so never a scan of the catalog. */
  private apisByName = new Map<string, Api>();
  /** The whole catalog, as the JSON API serves it. */
  private fullCatalog: Catalog | undefined;
  private modules: ServiceModule[] = [];
  private quota: QuotaGate | undefined;
  private readonly policyLimits = new PolicyLimitMemory();
  private watcher: CatalogWatcher | undefined;
  private lastAttemptedText: string | undefined;
  private reloading: Promise<boolean> = Promise.resolve(true);
  private ready = false;
  private stopping: Promise<void> | undefined;
  private readonly openFileLimit: number | undefined;
  /** Slots last applied, to say once when the open-file limit lowers them. */
  private slots: number | undefined;

  constructor(private readonly options: ProberServiceOptions) {
    this.log = options.logger;
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics ?? new ProberMetrics();
    this.probe = options.probe ?? probeEndpoint;
    this.openFileLimit = options.openFileLimit ?? openFileLimit();
    this.scheduler = new Scheduler<ProbeJob>({
      concurrency: 1,
      clock: this.clock,
      random: options.random,
      run: (job, signal) => this.runProbe(job, signal),
      onDue: (job) => this.metrics.recordDue(this.identity(job)),
      onStart: (job, delayMs) =>
        this.metrics.recordStartDelay(this.identity(job), job.api.criticality, delayMs / 1000),
      onSkip: (job, reason) => {
        this.metrics.recordSkip(this.identity(job), reason);
        this.log.debug(
          { api: job.api.name, endpoint: job.endpoint.name, reason },
          reason === 'overlap'
            ? 'probe skipped: the previous one is still running'
            : 'probe skipped: the previous one is still waiting for a free slot'
        );
      },
      onSaturation: (event) => this.logSaturation(event),
      onDeadline: (job) =>
        this.log.warn(
          { api: job.api.name, endpoint: job.endpoint.name },
          'probe outlived its deadline and was aborted'
        ),
      onError: (job, err) =>
        this.log.error(
          { api: job.api.name, endpoint: job.endpoint.name, error: err instanceof Error ? err.message : String(err) },
          'probe crashed'
        ),
    });
    this.server = createServer({
      routes: this.routes(),
      modules: () =>
        this.modules.filter((m): m is ServiceModule & RouteModule => typeof m.handleRequest === 'function'),
      apiToken: options.apiToken,
      logger: this.log,
    });
    this.metrics.observeScheduler(() => this.scheduler.snapshot());
  }

  /** The running catalog (undefined before the first successful load). */
  get current(): Catalog | undefined {
    return this.catalog;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /**
   * Loads the catalog (rejecting with CatalogRejectedError and every issue when it is bad),
   * listens, then schedules the first probe round.
   */
  async start(host: string, port: number): Promise<AddressInfo> {
    const result = await this.readCatalog();
    if (!result.ok) {
      // The caller reports the issues (the CLI prints them on stderr and exits 2).
      this.metrics.catalogRejected();
      throw new CatalogRejectedError(result.issues);
    }
    const address = await listen(this.server, host, port);
    this.modules = this.options.modules?.(result.catalog, this.metrics) ?? [];
    this.apply(result.catalog, result.full);
    this.log.info(
      { file: this.options.configFile, ...this.counts(result.catalog), listen: `${address.address}:${address.port}` },
      'catalog loaded'
    );
    this.scheduler.start();
    for (const module of this.modules) {
      module.start();
    }
    if (this.options.watch ?? true) {
      this.watcher = watchCatalogFile(
        this.options.configFile,
        () => void this.reload('file change'),
        this.options.watchDebounceMs
      );
    }
    this.ready = true;
    return address;
  }

  /**
   * Reads the catalog file again. A valid catalog replaces the running one (unchanged
   * endpoints keep their schedule and state); an invalid one is logged issue by issue and the
   * old catalog keeps running. Resolves true when the new catalog is running.
   */
  reload(trigger: 'signal' | 'file change' | 'request'): Promise<boolean> {
    // Reloads run one after another, never interleaved.
    this.reloading = this.reloading.then(() =>
      this.reloadNow(trigger).catch((err: unknown) => {
        // A bug, not a bad catalog: say so, keep the old catalog, and let the next reload run.
        this.log.error({ trigger, error: err instanceof Error ? err.message : String(err) }, 'catalog reload failed');
        this.metrics.catalogRejected();
        return false;
      })
    );
    return this.reloading;
  }

  /** Stops scheduling, waits (at most graceMs) for probes in flight, closes the server. */
  stop(graceMs = 10_000): Promise<void> {
    this.stopping ??= (async () => {
      this.ready = false;
      this.watcher?.close();
      await Promise.all(this.modules.map((m) => m.stop()));
      await this.scheduler.stop(graceMs);
      await close(this.server);
      if (this.catalog) {
        this.log.info('stopped');
      }
    })();
    return this.stopping;
  }

  private async reloadNow(trigger: string): Promise<boolean> {
    if (this.stopping || !this.catalog) {
      return false;
    }
    const previousText = this.lastAttemptedText;
    const result = await this.readCatalog();
    if (trigger === 'file change' && this.lastAttemptedText === previousText) {
      // A touch, a chmod or an editor's swap file: nothing to do.
      return true;
    }
    if (trigger === 'file change' && this.lastAttemptedText === undefined) {
      // Mid-replacement (deleted, not yet renamed into place): the rename brings another event.
      this.lastAttemptedText = previousText;
      return false;
    }
    if (!result.ok) {
      for (const issue of result.issues) {
        this.log.error(
          { issue: formatIssue(issue), trigger },
          'catalog reload rejected; the previous catalog keeps running'
        );
      }
      this.metrics.catalogRejected();
      return false;
    }
    const before = new Set(this.scheduler.keys());
    this.apply(result.catalog, result.full);
    const after = new Set(this.scheduler.keys());
    this.log.info(
      {
        file: this.options.configFile,
        trigger,
        ...this.counts(result.catalog),
        added: [...after].filter((k) => !before.has(k)),
        removed: [...before].filter((k) => !after.has(k)),
      },
      'catalog reloaded'
    );
    return true;
  }

  private async readCatalog(): Promise<{ ok: true; catalog: Catalog; full: Catalog } | { ok: false; issues: CatalogIssue[] }> {
    const file = this.options.configFile;
    const read = await readInputText(file);
    this.lastAttemptedText = read.ok ? read.text : undefined;
    const parsed = read.ok ? parseCatalog(read.text, file) : read;
    if (!parsed.ok) {
      return parsed;
    }
    const placement: Placement = {
      location: this.options.placement?.location ?? parsed.catalog.location,
      shard: this.options.placement?.shard ?? { index: 1, count: 1 },
    };
    const problem = placementProblem(parsed.catalog, placement);
    if (problem) {
      return { ok: false, issues: [{ file, path: problem.path, message: problem.message }] };
    }
    return { ok: true, catalog: placeCatalog(parsed.catalog, placement), full: parsed.catalog };
  }

  private apply(catalog: Catalog, full: Catalog): void {
    this.catalog = catalog;
    this.apisByName = new Map(catalog.apis.map((a) => [a.name, a]));
    this.fullCatalog = full;
    this.metrics.applyCatalog(catalog, this.clock.now());
    this.quota ??= this.options.quota ?? new QuotaGuard(catalog);
    this.quota.configure(catalog);
    for (const issue of checkQuotaFit(catalog)) {
      this.log.warn(
        { api: issue.api, probesPerWindow: issue.probesPerWindow, budgetPerWindow: issue.budgetPerWindow },
        issue.message
      );
    }
    const jobs: Array<JobSpec<ProbeJob>> = catalog.apis.flatMap((api) =>
      api.endpoints.map((endpoint) => ({
        key: jobKey(api.name, endpoint.name),
        intervalMs: endpoint.intervalMs,
        group: api.provider,
        priority: CRITICALITIES.indexOf(api.criticality),
        // The probe enforces its own timeout (an OAuth2 token fetch may precede the request);
        // this is the backstop that frees the slot if it ever does not.
        deadlineMs: endpoint.timeoutMs * 2 + 1_000,
        data: { api, endpoint },
      }))
    );
    const slots = slotsWithin(catalog.prober.concurrency, this.openFileLimit);
    if (slots < catalog.prober.concurrency && slots !== this.slots) {
      this.log.warn(
        { concurrency: catalog.prober.concurrency, openFileLimit: this.openFileLimit, slots },
        'prober.concurrency lowered to fit the open-file limit (raise it with ulimit -n or LimitNOFILE)'
      );
    }
    this.slots = slots;
    this.scheduler.update(jobs, slots);
    this.policyLimits.retain(new Set(jobs.map((j) => j.key)));
    for (const module of this.modules) {
      module.updateCatalog(catalog);
    }
  }

  private logSaturation(event: SaturationEvent): void {
    if (event.kind === 'start') {
      const { kind: _kind, busiest, ...counts } = event;
      this.log.warn(
        { ...counts, busiest: busiest.map((b) => ({ provider: b.group, inFlight: b.inFlight })) },
        'probe scheduler saturated: due probes wait for a free slot'
      );
    } else {
      const { kind: _kind, ...counts } = event;
      this.log.info(counts, 'probe scheduler no longer saturated');
    }
  }

  private counts(catalog: Catalog) {
    const shard = this.options.placement?.shard;
    return {
      location: catalog.location,
      ...(shard && shard.count > 1 ? { shard: `${shard.index}/${shard.count}` } : {}),
      apis: catalog.apis.length, endpoints: catalog.apis.reduce((n, a) => n + a.endpoints.length, 0),
    };
  }

  private identity(job: ProbeJob): ProbeIdentity {
    return {
      api: job.api.name,
      endpoint: job.endpoint.name,
      provider: job.api.provider,
      location: this.catalog?.location ?? '',
    };
  }

  /** Still in the running catalog, under the same provider? Results of removed endpoints are dropped. */
  private isCurrent(job: ProbeJob): boolean {
    const api = this.apisByName.get(job.api.name);
    return (
      api !== undefined && api.provider === job.api.provider && api.endpoints.some((e) => e.name === job.endpoint.name)
    );
  }

  private async runProbe(job: ProbeJob, signal: AbortSignal): Promise<void> {
    const id = this.identity(job);
    const quota = this.quota!;
    const decision = quota.decide(job.api.name, this.clock.now());
    if (!decision.allow) {
      this.metrics.recordSkip(id, decision.reason);
      this.log.debug(
        { api: id.api, endpoint: id.endpoint, reason: decision.reason, policy: decision.policy },
        'probe skipped'
      );
      return;
    }
    let result: ProbeResult;
    try {
      result = await this.probe(job.api, job.endpoint, {
        userAgent: userAgentIn(id.location),
        ...this.options.probeOptions,
        signal,
        env: this.options.env ?? process.env,
      });
    } catch (err) {
      if (err instanceof ProbeAbortedError || signal.aborted) {
        return;
      }
      if (err instanceof MisconfiguredError) {
        if (this.isCurrent(job)) {
          this.metrics.recordSkip(id, 'misconfigured');
          this.markMisconfigured(job.api.name, err);
        }
        return;
      }
      throw err;
    }
    if (!this.isCurrent(job)) {
      return;
    }
    this.markMisconfigured(job.api.name, undefined);
    const rateLimits = this.policyLimits.complete(jobKey(id.api, id.endpoint), result.rateLimits);
    result = { ...result, rateLimits, rateLimit: rateLimits[0] ?? null };
    const now = this.clock.now();
    quota.record(job.api.name, now, result);
    // A probe the blocked event loop kept waiting longer than the tolerance measured the
    // prober, not the provider: its duration stays out of the latency the verdict and alerts read.
    const degraded = result.loopDelayMs > (this.catalog?.prober.timingToleranceMs ?? Infinity);
    this.metrics.recordProbe(id, result, this.documentedEstimate(job.api, now), { degraded });
    if (degraded) {
      this.log.debug(
        {
          api: id.api,
          endpoint: id.endpoint,
          durationMs: Math.round(result.durationMs * 10) / 10,
          loopDelayMs: Math.round(result.loopDelayMs * 10) / 10,
        },
        'probe timing degraded: the event loop kept it waiting; its duration is left out'
      );
    }
    if (result.outcome !== 'ok') {
      this.log.warn(
        {
          api: id.api,
          endpoint: id.endpoint,
          outcome: result.outcome,
          code: result.code,
          error: result.error,
          durationMs: Math.round(result.durationMs * 10) / 10,
        },
        'probe failed'
      );
    }
  }

  /** For providers that send no rate-limit headers: the documented limit less apimon's own probes in the window. */
  private documentedEstimate(api: Api, nowMs: number): RateLimitObservation[] {
    const used = this.quota?.probesInWindow(api.name, nowMs);
    if (!api.rateLimit || used === null || used === undefined) {
      return [];
    }
    const reading = documentedReading(api.rateLimit, used);
    return [
      {
        policy: reading.policy,
        limit: reading.limit,
        remaining: reading.remaining,
        resetSeconds: reading.resetSeconds,
      },
    ];
  }

  private markMisconfigured(api: string, err: MisconfiguredError | undefined): void {
    const reason =
      err === undefined ? undefined : err.variable ? `missing env ${err.variable}` : 'invalid request settings';
    if (!this.metrics.setMisconfigured(api, reason)) {
      return;
    }
    if (err) {
      this.log.error(
        { api, variable: err.variable, error: err.message },
        'API misconfigured: it is not probed until this is fixed'
      );
    } else {
      this.log.info({ api }, 'API configuration is usable again');
    }
  }

  private routes(): Route[] {
    return [
      {
        path: '/',
        handle: (_req, res) =>
          sendJson(res, 200, {
            service: 'apimon prober',
            paths: ['/metrics', '/healthz', '/readyz', PROBER_API.catalog],
          }),
      },
      {
        path: '/metrics',
        handle: async (req, res) =>
          sendStream(req, res, this.metrics.expositionChunks(), this.metrics.registry.contentType),
      },
      { path: '/healthz', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
      {
        path: '/readyz',
        handle: (_req, res) =>
          this.ready
            ? sendJson(res, 200, { status: 'ready', endpoints: this.scheduler.keys().length })
            : sendJson(res, 503, {
                status: 'not ready',
                reason: this.stopping ? 'shutting down' : 'catalog not loaded yet',
              }),
      },
      {
        path: PROBER_API.catalog,
        handle: (_req, res) =>
          this.fullCatalog
            ? sendJson(res, 200, redactCatalog(this.fullCatalog) satisfies CatalogBody)
            : sendJson(res, 503, errorBody(PROBER_ERRORS.notReady, 'catalog not loaded yet')),
      },
    ];
  }
}
