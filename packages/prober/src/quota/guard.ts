// Keeps apimon's own probes within a share of each provider's rate limit and backs off when a
// provider pushes back. One guard serves the whole prober; state is kept per API, because a
// provider's limit covers every endpoint of the API (see docs/rate-limits.md).
//
// The scheduler asks `decide` before every probe and reports every result to `record`. An
// allowed decision spends one request of the API's budget at once, so endpoints probed at the
// same moment cannot overrun the budget together before their results arrive.
//
// The budget is a sliding window, exact: in any stretch of time as long as the provider's window
// apimon sends at most floor(share × limit) probes. When the share is less than one probe per
// window, probes are spaced window / (share × limit) apart, so the share holds on average.
import type { Api, Catalog, QuotaSkipReason } from '@apimon/core';
import type { ProbeResult, RateLimitObservation } from '../probe/types';

export type { QuotaSkipReason };

export type QuotaDecision = { allow: true } | { allow: false; reason: QuotaSkipReason; untilMs: number };

/** What the guard reads from a probe result; `windowSeconds` is used when the probe passes it on. */
export type QuotaObservation = Pick<ProbeResult, 'code' | 'retryAfterSeconds'> & {
  rateLimits: RateLimitObservation[];
};

export interface QuotaBudget {
  /** The provider's limit per window and the share of it apimon may use. */
  limit: number;
  windowMs: number;
  share: number;
  /** `catalog`: the documented limit; `headers`: the shortest-window policy the provider sent. */
  source: 'catalog' | 'headers';
  /** share × limit: probes per window apimon may send (may be fractional). */
  perWindow: number;
  /** Probes allowed in any `spacingWindowMs`: floor(perWindow), or 1 when perWindow < 1. */
  capacity: number;
  /** The provider's window, or window / perWindow when perWindow < 1. */
  spacingWindowMs: number;
}

export interface QuotaGuardOptions {
  /** First back-off after a 429 without Retry-After; doubles with every further 429. */
  baseBackoffMs?: number;
  /** The back-off never grows beyond this. */
  maxBackoffMs?: number;
  /**
   * Longest wait honoured from a provider (Retry-After, a reset time). A wait of days is more
   * likely a provider's bug (or a reset read in the wrong unit) than a plan; after this long
   * one probe goes out to ask again.
   */
  maxWaitMs?: number;
}

export const DEFAULT_BASE_BACKOFF_MS = 30_000;
export const DEFAULT_MAX_BACKOFF_MS = 15 * 60_000;
export const DEFAULT_MAX_WAIT_MS = 24 * 3_600_000;

interface ApiState {
  documented: { limit: number; windowMs: number } | null;
  share: number;
  observed: { limit: number; windowMs: number } | null;
  /** Times of the allowed probes still inside the spacing window, oldest first; at most `capacity`. */
  sent: number[];
  blockedUntilMs: number;
  blockReason: QuotaSkipReason;
  consecutive429: number;
}

/** Computes the budget for a limit and share (exported for the catalog-load check and tests). */
export function budgetOf(
  limit: number,
  windowMs: number,
  share: number,
  source: QuotaBudget['source']
): QuotaBudget | null {
  if (!(limit > 0) || !(windowMs > 0) || !(share > 0)) {
    return null;
  }
  const perWindow = share * limit;
  return perWindow >= 1
    ? { limit, windowMs, share, source, perWindow, capacity: Math.floor(perWindow), spacingWindowMs: windowMs }
    : { limit, windowMs, share, source, perWindow, capacity: 1, spacingWindowMs: Math.ceil(windowMs / perWindow) };
}

export class QuotaGuard {
  private readonly states = new Map<string, ApiState>();
  private defaultShare: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxWaitMs: number;

  constructor(catalog: Pick<Catalog, 'apis' | 'prober'>, options: QuotaGuardOptions = {}) {
    this.baseBackoffMs = options.baseBackoffMs ?? DEFAULT_BASE_BACKOFF_MS;
    this.maxBackoffMs = Math.max(this.baseBackoffMs, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.maxWaitMs = Math.max(this.maxBackoffMs, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
    this.defaultShare = catalog.prober.probeShare;
    this.configure(catalog);
  }

  /**
   * Applies a (re)loaded catalog. APIs that stay keep their counts and back-off, so a reload
   * cannot be used to reset a budget; APIs that are gone are forgotten.
   */
  configure(catalog: Pick<Catalog, 'apis' | 'prober'>): void {
    this.defaultShare = catalog.prober.probeShare;
    const names = new Set(catalog.apis.map((a) => a.name));
    for (const name of this.states.keys()) {
      if (!names.has(name)) {
        this.states.delete(name);
      }
    }
    for (const api of catalog.apis) {
      const state = this.stateOf(api.name);
      state.documented = api.rateLimit ? { limit: api.rateLimit.limit, windowMs: api.rateLimit.windowMs } : null;
      state.share = api.rateLimit?.probeShare ?? this.defaultShare;
    }
  }

  /** The budget in force for an API, or null when neither the catalog nor the headers give a limit. */
  budget(api: string): QuotaBudget | null {
    const state = this.states.get(api);
    return state ? this.budgetOfState(state) : null;
  }

  /**
   * apimon's probes of an API in the last window of its limit, or null without a budget: with
   * the documented limit, the observed count behind `documentedReading` in @apimon/core.
   */
  probesInWindow(api: string, nowMs: number): number | null {
    const state = this.states.get(api);
    const budget = state && this.budgetOfState(state);
    return budget ? state.sent.filter((t) => t > nowMs - budget.windowMs && t <= nowMs).length : null;
  }

  /** Whether a probe of `api` may go out now. An allowed probe is counted against the budget. */
  decide(api: string, nowMs: number): QuotaDecision {
    const state = this.stateOf(api);
    if (nowMs < state.blockedUntilMs) {
      return { allow: false, reason: state.blockReason, untilMs: state.blockedUntilMs };
    }
    const budget = this.budgetOfState(state);
    if (budget) {
      const sent = state.sent;
      while (sent.length > 0 && sent[0] <= nowMs - budget.spacingWindowMs) {
        sent.shift();
      }
      if (sent.length >= budget.capacity) {
        // Room again once the oldest probe in the window has left it.
        return {
          allow: false,
          reason: 'quota_guard',
          untilMs: sent[sent.length - budget.capacity] + budget.spacingWindowMs,
        };
      }
      sent.push(nowMs);
    }
    return { allow: true };
  }

  /** Learns from a probe's response: Retry-After, 429s, and the rate-limit headers. */
  record(api: string, nowMs: number, result: QuotaObservation): void {
    const state = this.stateOf(api);
    this.learnObservedLimit(state, result.rateLimits);

    const exhaustedWait = this.exhaustedWaitMs(state, result.rateLimits);
    if (result.code === 429) {
      state.consecutive429++;
      const backoff = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.min(30, state.consecutive429 - 1));
      const wait = result.retryAfterSeconds !== null ? result.retryAfterSeconds * 1000 : (exhaustedWait ?? backoff);
      this.block(state, 'retry_after', nowMs, wait);
      return;
    }
    state.consecutive429 = 0;
    if (result.retryAfterSeconds !== null && result.code === 503) {
      this.block(state, 'retry_after', nowMs, result.retryAfterSeconds * 1000);
    }
    if (exhaustedWait !== null) {
      this.block(state, 'quota_guard', nowMs, exhaustedWait);
    }
  }

  private stateOf(api: string): ApiState {
    let state = this.states.get(api);
    if (!state) {
      state = {
        documented: null,
        share: this.defaultShare,
        observed: null,
        sent: [],
        blockedUntilMs: 0,
        blockReason: 'quota_guard',
        consecutive429: 0,
      };
      this.states.set(api, state);
    }
    return state;
  }

  private budgetOfState(state: ApiState): QuotaBudget | null {
    if (state.documented) {
      return budgetOf(state.documented.limit, state.documented.windowMs, state.share, 'catalog');
    }
    if (state.observed) {
      return budgetOf(state.observed.limit, state.observed.windowMs, state.share, 'headers');
    }
    return null;
  }

  /** Without a documented limit, the shortest-window request policy the provider sent is the limit. */
  private learnObservedLimit(state: ApiState, readings: QuotaObservation['rateLimits']): void {
    let best: { limit: number; windowMs: number } | null = null;
    for (const r of readings) {
      if (r.limit !== null && r.limit > 0 && r.windowSeconds) {
        const windowMs = r.windowSeconds * 1000;
        if (!best || windowMs < best.windowMs) {
          best = { limit: r.limit, windowMs };
        }
      }
    }
    if (best && (state.observed?.limit !== best.limit || state.observed?.windowMs !== best.windowMs)) {
      state.observed = best;
    }
  }

  /**
   * When a policy is spent, or down to the share apimon would use (that last part is left to
   * the platform's real traffic), how long until it resets; null while every policy has room.
   */
  private exhaustedWaitMs(state: ApiState, readings: QuotaObservation['rateLimits']): number | null {
    let longest: number | null = null;
    for (const r of readings) {
      if (r.remaining === null) {
        continue;
      }
      const reserve = r.limit !== null ? Math.max(0, Math.floor(r.limit * state.share)) : 0;
      if (r.remaining > reserve) {
        continue;
      }
      const waitMs =
        r.resetSeconds !== null ? r.resetSeconds * 1000 : r.windowSeconds ? r.windowSeconds * 1000 : this.baseBackoffMs;
      // A reset of 0 while nothing is left still means "not now": wait at least a second.
      longest = Math.max(longest ?? 0, 1000, waitMs);
    }
    return longest;
  }

  private block(state: ApiState, reason: QuotaSkipReason, nowMs: number, waitMs: number): void {
    const untilMs = nowMs + Math.min(Math.max(0, waitMs), this.maxWaitMs);
    if (untilMs > state.blockedUntilMs) {
      state.blockedUntilMs = untilMs;
      state.blockReason = reason;
    }
  }
}

/** One API whose probe plan cannot fit its budget. */
export interface QuotaFitIssue {
  api: string;
  probesPerWindow: number;
  budgetPerWindow: number;
  windowMs: number;
  /** Shortest common interval at which every endpoint's probes would fit. */
  minIntervalMs: number;
  message: string;
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) {
    return `${ms / 3_600_000}h`;
  }
  if (ms % 60_000 === 0) {
    return `${ms / 60_000}m`;
  }
  if (ms % 1000 === 0) {
    return `${ms / 1000}s`;
  }
  return `${ms}ms`;
}

/**
 * At catalog load: for every API with a documented limit, whether its endpoints at their
 * intervals fit the probe budget. Those that do not are returned with a message naming the API,
 * for the service to log; the guard will skip their excess probes as `quota_guard`.
 */
export function checkQuotaFit(catalog: Pick<Catalog, 'apis' | 'prober'>): QuotaFitIssue[] {
  const issues: QuotaFitIssue[] = [];
  for (const api of catalog.apis) {
    const issue = quotaFitOf(api, catalog.prober.probeShare);
    if (issue) {
      issues.push(issue);
    }
  }
  return issues;
}

/**
 * Room a plan must leave below the budget: the scheduler moves each run by up to 5% of its
 * interval, so two runs can come 10% closer than planned and a plan exactly at budget would
 * lose some probes to the guard.
 */
export const JITTER_MARGIN = 0.1;

export function quotaFitOf(
  api: Pick<Api, 'name' | 'rateLimit' | 'endpoints'>,
  defaultShare: number
): QuotaFitIssue | null {
  if (!api.rateLimit || api.endpoints.length === 0) {
    return null;
  }
  const { limit, windowMs } = api.rateLimit;
  const share = api.rateLimit.probeShare ?? defaultShare;
  const budget = budgetOf(limit, windowMs, share, 'catalog');
  // What the guard lets through per window: whole probes, or the spaced-out fraction below one.
  const budgetPerWindow = budget ? (budget.capacity * windowMs) / budget.spacingWindowMs : 0;
  const probesPerWindow = api.endpoints.reduce((sum, e) => sum + windowMs / e.intervalMs, 0);
  if (probesPerWindow * (1 + JITTER_MARGIN) <= budgetPerWindow * (1 + 1e-9)) {
    return null;
  }
  const minIntervalMs =
    budgetPerWindow > 0
      ? Math.ceil((api.endpoints.length * windowMs * (1 + JITTER_MARGIN)) / budgetPerWindow / 1000) * 1000
      : Number.POSITIVE_INFINITY;
  const percent = `${+(share * 100).toFixed(2)}%`;
  const over = probesPerWindow > budgetPerWindow;
  const fix = Number.isFinite(minIntervalMs)
    ? `probe every ${formatMs(minIntervalMs)} or less often, or raise rateLimit.probeShare`
    : 'raise rateLimit.probeShare above 0';
  return {
    api: api.name,
    probesPerWindow,
    budgetPerWindow,
    windowMs,
    minIntervalMs,
    message:
      `API "${api.name}": ${api.endpoints.length} endpoint(s) at their intervals make ${+probesPerWindow.toFixed(2)} probes ` +
      `per ${formatMs(windowMs)}, and ${percent} of the documented limit of ${limit} per ${formatMs(windowMs)} allows ` +
      `${+budgetPerWindow.toFixed(2)}; ` +
      (over
        ? 'the excess probes will be skipped (quota_guard). '
        : `that leaves less than the ${JITTER_MARGIN * 100}% margin scheduling jitter needs, so some probes will be skipped (quota_guard). `) +
      `To fit, ${fix}.`,
  };
}
