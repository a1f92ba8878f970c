// Polls every provider's status page on its own interval, keeps the last good snapshot of
// each (marked stale, with the error, when a fetch fails), writes the status-page metrics,
// records incident history and serves the read-only JSON API under /api/v1. The prober
// service plugs it in as a module; the `status-pages` CLI uses pollOnce.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import {
  apiProviderStatus,
  autoCandidates,
  normalizeStatusPage,
  statusPageRequests,
  type Catalog,
  type NormalizeResult,
  type Provider,
  type ProviderSnapshot,
  type StatusLevel,
  type StatusPageDocument,
  type StatusPageFormat,
  type StatusPageRequest,
  type ComponentStatus,
  type AmbiguousComponentName,
  componentLabel,
} from '@apimon/core';
import type { Logger } from '../logger';
import { handleStatusPageApi } from './api';
import { fetchDocument, type CachedDocument, type FetchFn } from './fetch';
import { IncidentHistory } from './history';
import { MAX_COMPONENT_SERIES, StatusPageMetrics } from './metrics';

export const HISTORY_FILE = 'status-page-history.json';
/** Back-off never waits longer than this (or the interval, if that is longer). */
export const MAX_BACKOFF_MS = 10 * 60_000;
/** A provider's Retry-After is honoured up to this long. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export interface StatusPageMonitorOptions {
  registry: Registry;
  logger: Logger;
  /** Directory of the history file; null keeps history in memory (one-shot CLI runs). */
  dataDir: string | null;
  now?: () => number;
  fetch?: FetchFn;
  maxBackoffMs?: number;
}

export interface ApiStatus {
  api: string;
  status: StatusLevel;
  /** The components named by the API's statusComponents, as found on the page. */
  components: ComponentStatus[];
  /** statusComponents names the page does not have. */
  unmatched: string[];
  /** Bare statusComponents names that several groups share, with the labels to choose from. */
  ambiguous: AmbiguousComponentName[];
}

interface ProviderState {
  provider: Provider;
  /** The fixed plan of requests, once `auto` discovered where the API lives. */
  discovered: { format: StatusPageFormat; requests: StatusPageRequest[] } | null;
  cache: Map<string, CachedDocument>;
  snapshot: ProviderSnapshot;
  failures: number;
  lastAttemptAt: number | null;
  nextPollAt: number | null;
  timer: ReturnType<typeof setTimeout> | null;
  inFlight: Promise<void> | null;
  lastWarnings: string;
  /** The page asked us (Retry-After) to wait at least this long before the next poll. */
  retryAfterMs: number;
  /** The series-limit warning is logged once per provider configuration. */
  warnedSeriesCap: boolean;
}

const emptySnapshot = (provider: string): ProviderSnapshot => ({
  provider,
  format: null,
  indicator: 'unknown',
  components: [],
  incidents: [],
  maintenances: [],
  fetchedAt: null,
  stale: false,
  error: null,
});

const sameStatusPage = (a: Provider['statusPage'], b: Provider['statusPage']) =>
  !!a && !!b && a.url === b.url && a.format === b.format && a.intervalMs === b.intervalMs && a.timeoutMs === b.timeoutMs && a.maxBytes === b.maxBytes;

export class StatusPageMonitor {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly metrics: StatusPageMetrics;
  private readonly history: IncidentHistory;
  private readonly states = new Map<string, ProviderState>();
  private catalog: Catalog | null = null;
  private started = false;
  private loading: Promise<void> | null = null;
  private readonly warnedUnmatched = new Set<string>();

  constructor(private readonly options: StatusPageMonitorOptions) {
    this.log = options.logger.child({ module: 'status-pages' });
    this.now = options.now ?? Date.now;
    this.metrics = new StatusPageMetrics(options.registry);
    this.history = new IncidentHistory({
      file: options.dataDir === null ? null : join(options.dataDir, HISTORY_FILE),
      retentionMs: 90 * 86_400_000,
      logger: this.log,
    });
  }

  /** Follows the catalog: new providers are polled at once, changed ones start afresh, removed ones lose their series. */
  updateCatalog(catalog: Catalog): void {
    const relocated = this.catalog !== null && this.catalog.location !== catalog.location;
    this.catalog = catalog;
    this.history.setRetention(catalog.prober.historyRetentionMs);
    const wanted = new Map(catalog.providers.filter((p) => p.statusPage).map((p) => [p.name, p]));
    for (const [name, state] of this.states) {
      const next = wanted.get(name);
      if (!next || !sameStatusPage(state.provider.statusPage, next.statusPage)) {
        this.clearTimer(state);
        this.states.delete(name);
        this.metrics.removeProvider(name);
      } else {
        state.provider = next;
        // The location label moved: rewrite the last known values under it now, not at the next poll.
        if (relocated && state.snapshot.fetchedAt !== null) {
          this.metrics.recordSuccess(catalog.location, state.snapshot);
          if (state.snapshot.stale) {
            this.metrics.recordFailure(catalog.location, name);
          }
        }
      }
    }
    for (const [name, provider] of wanted) {
      if (!this.states.has(name)) {
        const state: ProviderState = {
          provider,
          discovered: null,
          cache: new Map(),
          snapshot: emptySnapshot(name),
          failures: 0,
          lastAttemptAt: null,
          nextPollAt: null,
          timer: null,
          inFlight: null,
          lastWarnings: '',
          retryAfterMs: 0,
          warnedSeriesCap: false,
        };
        this.states.set(name, state);
        if (this.started) {
          this.schedule(state, 0);
        }
      }
    }
    // Which APIs a provider has, and the components they name, may have changed: rewrite their
    // status from the last good snapshot now rather than at the next poll.
    for (const state of this.states.values()) {
      if (state.snapshot.fetchedAt !== null) {
        this.recordApiStatuses(state.provider.name);
      }
    }
  }

  /** Loads the history, then polls every provider now and on its interval. */
  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    void this.ensureLoaded().then(() => {
      if (!this.started) {
        return;
      }
      for (const state of this.states.values()) {
        this.schedule(state, 0);
      }
    });
  }

  /** Stops polling, waits for fetches in flight and saves the history. */
  async stop(): Promise<void> {
    this.started = false;
    for (const state of this.states.values()) {
      this.clearTimer(state);
    }
    await Promise.all([...this.states.values()].map((s) => s.inFlight?.catch(() => undefined)));
    await this.loading;
    await this.history.save(true);
  }

  /** One fetch of every status page (waiting for any poll in flight first); resolves with the snapshots. */
  async pollOnce(): Promise<ProviderSnapshot[]> {
    await this.ensureLoaded();
    const states = [...this.states.values()];
    await Promise.all(
      states.map(async (state) => {
        await state.inFlight?.catch(() => undefined);
        await this.poll(state);
      })
    );
    await this.history.save();
    return states.map((s) => s.snapshot);
  }

  snapshot(provider: string): ProviderSnapshot | undefined {
    return this.states.get(provider)?.snapshot;
  }

  /** Serves GET /api/v1/providers, /api/v1/providers/{name} and /api/v1/incidents. */
  handleRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    return handleStatusPageApi(this, req, res, url);
  }

  /** Saves the history now (tests, shutdown). */
  flush(): Promise<void> {
    return this.history.save();
  }

  // -- views used by the JSON API --------------------------------------------------------

  get currentCatalog(): Catalog | null {
    return this.catalog;
  }

  get incidentHistory(): IncidentHistory {
    return this.history;
  }

  currentTime(): number {
    return this.now();
  }

  pollState(provider: string): { lastAttemptAt: number | null; nextPollAt: number | null; failures: number } | undefined {
    const s = this.states.get(provider);
    return s && { lastAttemptAt: s.lastAttemptAt, nextPollAt: s.nextPollAt, failures: s.failures };
  }

  /** Each API of the provider with its status on the provider's page (worst of its statusComponents). */
  apiStatuses(provider: string): ApiStatus[] {
    const snapshot = this.states.get(provider)?.snapshot ?? emptySnapshot(provider);
    return (this.catalog?.apis ?? [])
      .filter((a) => a.provider === provider)
      .map((a) => {
        const r = apiProviderStatus(a.statusComponents, snapshot);
        return { api: a.name, status: r.status, components: r.components, unmatched: r.unmatched, ambiguous: r.ambiguous };
      });
  }

  private recordApiStatuses(provider: string): void {
    this.metrics.recordApiStatuses(this.catalog?.location ?? '', provider, this.apiStatuses(provider));
  }

  // -- polling ---------------------------------------------------------------------------

  private ensureLoaded(): Promise<void> {
    this.loading ??= this.history.load(this.now()).catch((err: unknown) => {
      this.log.error({ error: err instanceof Error ? err.message : String(err) }, 'cannot load the status-page history; starting empty');
    });
    return this.loading;
  }

  private clearTimer(state: ProviderState): void {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = null;
    }
    state.nextPollAt = null;
  }

  private schedule(state: ProviderState, delayMs: number): void {
    this.clearTimer(state);
    state.nextPollAt = this.now() + delayMs;
    state.timer = setTimeout(() => {
      state.timer = null;
      void this.poll(state).then(() => {
        // Still the running configuration for this provider?
        if (this.started && this.states.get(state.provider.name) === state) {
          this.schedule(state, this.nextDelay(state));
        }
      });
    }, delayMs);
    state.timer.unref?.();
  }

  /** The interval after success; doubling per consecutive failure, capped. */
  private nextDelay(state: ProviderState): number {
    const interval = state.provider.statusPage!.intervalMs;
    if (state.failures === 0) {
      return interval;
    }
    const cap = Math.max(interval, this.options.maxBackoffMs ?? MAX_BACKOFF_MS);
    // A Retry-After is honoured up to an hour, even beyond the back-off cap.
    return Math.max(Math.min(interval * 2 ** Math.min(state.failures, 20), cap), Math.min(state.retryAfterMs, MAX_RETRY_AFTER_MS));
  }

  private poll(state: ProviderState): Promise<void> {
    state.inFlight ??= this.pollNow(state).finally(() => {
      state.inFlight = null;
    });
    return state.inFlight;
  }

  private async pollNow(state: ProviderState): Promise<void> {
    const name = state.provider.name;
    const page = state.provider.statusPage!;
    state.lastAttemptAt = this.now();
    let result: NormalizeResult;
    try {
      result = await this.fetchAndNormalize(state);
    } catch (err) {
      result = { ok: false, html: false, error: `status-page poll failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    // The catalog may have replaced this provider while we were fetching.
    if (this.states.get(name) !== state) {
      return;
    }
    const now = this.now();
    const location = this.catalog?.location ?? '';
    if (result.ok) {
      const recovered = state.failures > 0;
      state.failures = 0;
      state.snapshot = {
        provider: name,
        format: result.page.format,
        indicator: result.page.indicator,
        components: result.page.components,
        incidents: result.page.incidents,
        maintenances: result.page.maintenances,
        fetchedAt: now,
        stale: false,
        error: null,
      };
      const leftOut = this.metrics.recordSuccess(location, state.snapshot);
      this.recordApiStatuses(name);
      if (leftOut > 0 && !state.warnedSeriesCap) {
        state.warnedSeriesCap = true;
        this.log.warn(
          { provider: name, url: page.url, components: state.snapshot.components.length, leftOut, limit: MAX_COMPONENT_SERIES },
          'status page has more components than the series limit; the rest get no apimon_provider_component_status series'
        );
      }
      this.history.record(name, result.page.incidents, result.page.maintenances, now);
      void this.history.save();
      const warnings = result.warnings.join('\n');
      if (warnings && warnings !== state.lastWarnings) {
        this.log.warn({ provider: name, warnings: result.warnings }, 'status page read with warnings');
      }
      state.lastWarnings = warnings;
      if (recovered) {
        this.log.info({ provider: name, url: page.url }, 'status page readable again');
      }
      this.warnUnmatchedComponents(name);
    } else {
      const changed = state.snapshot.error !== result.error;
      state.failures++;
      state.snapshot = { ...state.snapshot, stale: true, error: result.error };
      this.metrics.recordFailure(location, name);
      if (changed) {
        this.log.warn(
          { provider: name, url: page.url, error: result.error, lastGoodAt: state.snapshot.fetchedAt },
          'status page fetch failed; keeping the last good snapshot'
        );
      }
    }
  }

  private async fetchAndNormalize(state: ProviderState): Promise<NormalizeResult> {
    const page = state.provider.statusPage!;
    if (state.discovered) {
      return this.fetchPlan(state, state.discovered.format, state.discovered.requests);
    }
    const first = await this.fetchPlan(state, page.format, statusPageRequests(page.url, page.format));
    if (first.ok || page.format !== 'auto' || !first.html) {
      return first;
    }
    // `auto` pointed at the human page: try the APIs that live under a base URL.
    for (const candidate of autoCandidates(page.url)) {
      const attempt = await this.fetchPlan(state, candidate.format, candidate.requests);
      if (attempt.ok) {
        state.discovered = candidate;
        this.log.info({ provider: state.provider.name, format: candidate.format, url: candidate.requests[0].url }, 'status page format discovered');
        return attempt;
      }
    }
    return { ...first, error: `${first.error}; no ${autoCandidates(page.url).map((c) => c.format).join(', ')} API found under it either` };
  }

  private async fetchPlan(state: ProviderState, format: StatusPageFormat, requests: StatusPageRequest[]): Promise<NormalizeResult> {
    const page = state.provider.statusPage!;
    const outcomes = await Promise.all(
      requests.map(async (request) => ({
        request,
        outcome: await fetchDocument(request.url, {
          timeoutMs: page.timeoutMs,
          maxBytes: page.maxBytes,
          cached: state.cache.get(request.url),
          fetch: this.options.fetch,
        }),
      }))
    );
    const documents: StatusPageDocument[] = [];
    const warnings: string[] = [];
    state.retryAfterMs = Math.max(0, ...outcomes.map(({ outcome }) => (outcome.kind === 'error' ? (outcome.retryAfterMs ?? 0) : 0)));
    for (const { request, outcome } of outcomes) {
      if (outcome.kind === 'error') {
        if (!request.optional) {
          return { ok: false, html: false, error: outcome.error };
        }
        warnings.push(`${outcome.error} (optional; left out)`);
        continue;
      }
      if (outcome.kind === 'fresh') {
        state.cache.set(request.url, outcome.document);
      }
      documents.push({ role: request.role, url: request.url, body: outcome.document.body, contentType: outcome.document.contentType });
    }
    const result = normalizeStatusPage(format, documents, { now: this.now() });
    if (!result.ok) {
      // Do not answer the next request with 304 for a body we could not read.
      for (const request of requests) {
        state.cache.delete(request.url);
      }
      return result;
    }
    return { ...result, warnings: [...warnings, ...result.warnings] };
  }

  /** statusComponents that name nothing, or a name several groups share: once per API and name. */
  private warnUnmatchedComponents(provider: string): void {
    const once = (api: string, name: string, kind: string) => {
      const key = `${api}\u0000${name}\u0000${kind}`;
      if (this.warnedUnmatched.has(key)) {
        return false;
      }
      this.warnedUnmatched.add(key);
      return true;
    };
    for (const status of this.apiStatuses(provider)) {
      for (const name of status.unmatched) {
        if (once(status.api, name, 'unmatched')) {
          this.log.warn(
            { api: status.api, provider, component: name, components: this.states.get(provider)?.snapshot.components.map(componentLabel) },
            'statusComponents names a component the status page does not have'
          );
        }
      }
      for (const { name, candidates } of status.ambiguous) {
        if (once(status.api, name, 'ambiguous')) {
          this.log.warn(
            { api: status.api, provider, component: name, candidates },
            `statusComponents name "${name}" matches components in ${candidates.length} groups; name one as "Group / Name" (e.g. "${candidates[0]}")`
          );
        }
      }
    }
  }
}
