// Polls every provider's advisory feeds (security notices, changelogs) with the status pages'
// machinery: the same schedule, back-off and Retry-After (PollLoop), the same fetch with its
// timeout, size cap and conditional requests (fetchDocument), the same rule that a failed
// fetch keeps the last good items. Items published within the advisory window and not
// acknowledged in the catalog are "new": they become series (annotations), the
// /api/v1/advisories answer and provider_advisory findings.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import {
  itemTime,
  newAdvisories,
  parseAdvisoryFeed,
  PROBER_API,
  type AdvisoriesBody,
  type AdvisoryFeed,
  type AdvisoryFeedFormatName,
  type AdvisoryItem,
  type Catalog,
} from '@apimon/core';
import type { Logger } from '../logger';
import { refuseWrite, routePath, sendJson } from '../server';
import { fetchDocument, type CachedDocument, type FetchFn } from '../statuspage/fetch';
import { PollLoop, type PollOutcome } from '../statuspage/poll-loop';
import { AdvisoryMetrics } from './metrics';

export interface AdvisoryMonitorOptions {
  registry: Registry;
  logger: Logger;
  now?: () => number;
  fetch?: FetchFn;
  maxBackoffMs?: number;
}

interface FeedState {
  provider: string;
  feed: AdvisoryFeed;
  loop: PollLoop;
  cache: CachedDocument | undefined;
  items: AdvisoryItem[];
  format: AdvisoryFeedFormatName | null;
  fetchedAt: number | null;
  error: string | null;
  lastWarnings: string;
}

const feedKey = (provider: string, url: string) => `${provider}\u0000${url}`;
const sameFeed = (a: AdvisoryFeed, b: AdvisoryFeed) =>
  a.url === b.url &&
  a.format === b.format &&
  a.intervalMs === b.intervalMs &&
  a.timeoutMs === b.timeoutMs &&
  a.maxBytes === b.maxBytes;

export class AdvisoryMonitor {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly metrics: AdvisoryMetrics;
  private readonly feeds = new Map<string, FeedState>();
  /** When apimon first saw each item (by provider and id): the time of undated items. */
  private readonly firstSeen = new Map<string, Map<string, number>>();
  private catalog: Catalog | null = null;
  /** Providers with advisory feeds in the running catalog. */
  private providers = new Set<string>();
  private started = false;

  constructor(private readonly options: AdvisoryMonitorOptions) {
    this.log = options.logger.child({ module: 'advisories' });
    this.now = options.now ?? Date.now;
    this.metrics = new AdvisoryMetrics(options.registry);
  }

  updateCatalog(catalog: Catalog): void {
    this.catalog = catalog;
    const wanted = new Map<string, { provider: string; feed: AdvisoryFeed }>();
    for (const p of catalog.providers) {
      for (const feed of p.advisories) {
        wanted.set(feedKey(p.name, feed.url), { provider: p.name, feed });
      }
    }
    for (const [key, state] of this.feeds) {
      const next = wanted.get(key);
      if (!next || !sameFeed(next.feed, state.feed)) {
        state.loop.stop();
        this.feeds.delete(key);
        this.metrics.removeFeed(state.provider, state.feed.url);
      } else {
        // Acknowledgements may have changed: they are read from here at every refresh.
        state.feed = next.feed;
      }
    }
    for (const [key, { provider, feed }] of wanted) {
      if (!this.feeds.has(key)) {
        const state: FeedState = {
          provider,
          feed,
          cache: undefined,
          items: [],
          format: null,
          fetchedAt: null,
          error: null,
          lastWarnings: '',
          loop: new PollLoop({
            intervalMs: feed.intervalMs,
            now: this.now,
            maxBackoffMs: this.options.maxBackoffMs,
            attempt: () => this.pollNow(state),
          }),
        };
        this.feeds.set(key, state);
        if (this.started) {
          state.loop.start(0);
        }
      }
    }
    const withFeeds = new Set([...wanted.values()].map((w) => w.provider));
    for (const provider of this.providers) {
      if (!withFeeds.has(provider)) {
        this.firstSeen.delete(provider);
        this.metrics.removeProvider(provider);
      }
    }
    this.providers = withFeeds;
    for (const provider of withFeeds) {
      this.refresh(provider);
    }
  }

  start(): void {
    this.started = true;
    for (const state of this.feeds.values()) {
      state.loop.start(0);
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const state of this.feeds.values()) {
      state.loop.stop();
    }
    await Promise.all([...this.feeds.values()].map((s) => s.loop.settled()));
  }

  /** One fetch of every feed (the CLI's way). */
  async pollOnce(): Promise<void> {
    await Promise.all(
      [...this.feeds.values()].map(async (state) => {
        await state.loop.settled();
        await state.loop.poll();
      })
    );
  }

  /** New items per provider (in the window, unacknowledged), newest first. */
  newItems(): Map<string, AdvisoryItem[]> {
    const out = new Map<string, AdvisoryItem[]>();
    for (const provider of new Set([...this.feeds.values()].map((s) => s.provider))) {
      const items = this.newFor(provider);
      if (items.length > 0) {
        out.set(provider, items);
      }
    }
    return out;
  }

  /** Serves GET /api/v1/advisories. */
  async handleRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = routePath(url);
    if (path !== PROBER_API.advisories) {
      return false;
    }
    if (refuseWrite(req, res)) {
      return true;
    }
    sendJson(res, 200, this.body());
    return true;
  }

  body(): AdvisoriesBody {
    const providers = new Map<string, AdvisoriesBody['providers'][number]>();
    for (const s of this.feeds.values()) {
      const entry = providers.get(s.provider) ?? { provider: s.provider, feeds: [], new: this.newFor(s.provider) };
      entry.feeds.push({
        url: s.feed.url,
        format: s.format,
        fetchedAt: s.fetchedAt,
        stale: s.error !== null && s.fetchedAt !== null,
        error: s.error,
        items: s.items.length,
      });
      providers.set(s.provider, entry);
    }
    return { windowMs: this.catalog?.prober.advisoryWindowMs ?? 0, providers: [...providers.values()] };
  }

  private newFor(provider: string): AdvisoryItem[] {
    const states = [...this.feeds.values()].filter((s) => s.provider === provider);
    const seen = this.firstSeen.get(provider) ?? new Map<string, number>();
    const byId = new Map<string, AdvisoryItem>();
    for (const s of states) {
      for (const item of newAdvisories(s.items, {
        nowMs: this.now(),
        windowMs: this.catalog?.prober.advisoryWindowMs ?? 0,
        acknowledged: s.feed.acknowledged,
        firstSeen: seen,
      })) {
        byId.set(item.id, item);
      }
    }
    return [...byId.values()].sort((a, b) => (itemTime(b, seen) ?? 0) - (itemTime(a, seen) ?? 0));
  }

  /** Rewrites the provider's series from its feeds' items. */
  private refresh(provider: string): void {
    const seen = this.firstSeen.get(provider) ?? new Map<string, number>();
    this.metrics.setNew(provider, this.catalog?.location ?? '', this.newFor(provider), (i) => itemTime(i, seen));
  }

  private async pollNow(state: FeedState): Promise<PollOutcome> {
    const outcome = await fetchDocument(state.feed.url, {
      timeoutMs: state.feed.timeoutMs,
      maxBytes: state.feed.maxBytes,
      cached: state.cache,
      fetch: this.options.fetch,
    });
    if (this.feeds.get(feedKey(state.provider, state.feed.url)) !== state) {
      return { ok: outcome.kind !== 'error' };
    }
    const location = this.catalog?.location ?? '';
    let error: string | null = null;
    if (outcome.kind === 'error') {
      error = outcome.error;
    } else if (outcome.kind === 'fresh' || state.fetchedAt === null) {
      const parsed = parseAdvisoryFeed(
        { url: state.feed.url, body: outcome.document.body, contentType: outcome.document.contentType },
        state.feed.format
      );
      if (parsed.ok) {
        state.items = parsed.items;
        state.format = parsed.format;
        state.cache = outcome.document;
        const warnings = parsed.warnings.join('\n');
        if (warnings && warnings !== state.lastWarnings) {
          this.log.warn(
            { provider: state.provider, feed: state.feed.url, warnings: parsed.warnings },
            'advisory feed read with warnings'
          );
        }
        state.lastWarnings = warnings;
      } else {
        error = parsed.error;
        // Do not answer the next request with 304 for a body we could not read.
        state.cache = undefined;
      }
    }
    const failedBefore = state.error !== null;
    if (error === null) {
      const now = this.now();
      state.fetchedAt = now;
      const seen = this.firstSeen.get(state.provider) ?? new Map<string, number>();
      for (const item of state.items) {
        if (!seen.has(item.id)) {
          seen.set(item.id, now);
        }
      }
      this.firstSeen.set(state.provider, seen);
      if (failedBefore) {
        this.log.info({ provider: state.provider, feed: state.feed.url }, 'advisory feed readable again');
      }
    } else if (error !== state.error) {
      this.log.warn(
        { provider: state.provider, feed: state.feed.url, error, lastGoodAt: state.fetchedAt },
        'advisory feed fetch failed; keeping the last good items'
      );
    }
    state.error = error;
    this.metrics.feedFetched(state.provider, location, state.feed.url, error === null);
    this.refresh(state.provider);
    return { ok: error === null, retryAfterMs: outcome.kind === 'error' ? outcome.retryAfterMs : undefined };
  }
}
