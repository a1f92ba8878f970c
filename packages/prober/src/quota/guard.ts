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
// Without a documented limit, every request policy the headers announce with a window is a
// budget of its own (HubSpot: 10 a second, 100 per 10 seconds, 250,000 a day), all enforced.
import type { Api, Catalog, QuotaSkipReason } from '@apimon/core';
import type { ProbeResult, RateLimitObservation } from '../probe/types';

export type { QuotaSkipReason };

export type QuotaDecision =
  | { allow: true }
  /** `policy`: the spent (or nearly spent) policy the guard waits for, when that is the cause. */
  | { allow: false; reason: QuotaSkipReason; untilMs: number; policy?: string };

/** What the guard reads from a probe result; `windowSeconds` is used when the probe passes it on. */
export type QuotaObservation = Pick<ProbeResult, 'code' | 'retryAfterSeconds'> & {
  rateLimits: RateLimitObservation[];
};

export interface QuotaBudget {
  /** The provider's limit per window and the share of it apimon may use. */
  limit: number;
  windowMs: number;
  share: number;
  /** `catalog`: the documented limit; `headers`: the scarcest request policy the provider sent. */
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
  /** The catalog's share for the API, for all probers together. */
  share: number;
  /** How many probers probe the API (Api.probers): each one's budget is share / probers. */
  probers: number;
  /** Request policies with a window from the last response that had any, scarcest first. */
  observed: Array<{ limit: number; windowMs: number }>;
  /** Times of the allowed probes still inside the spacing window, oldest first; at most `capacity`. */
  sent: number[];
  blockedUntilMs: number;
  blockReason: QuotaSkipReason;
  blockPolicy: string | undefined;
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
      state.share = api.probeShare ?? api.rateLimit?.probeShare ?? this.defaultShare;
      state.probers = Math.max(1, api.probers ?? 1);
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
      return {
        allow: false,
        reason: state.blockReason,
        untilMs: state.blockedUntilMs,
        ...(state.blockPolicy === undefined ? {} : { policy: state.blockPolicy }),
      };
    }
    const budgets = this.budgetsOfState(state);
    if (budgets.length > 0) {
      const sent = state.sent;
      const horizon = Math.max(...budgets.map((b) => b.spacingWindowMs));
      while (sent.length > 0 && sent[0] <= nowMs - horizon) {
        sent.shift();
      }
      let untilMs: number | null = null;
      for (const budget of budgets) {
        const first = sent.findIndex((t) => t > nowMs - budget.spacingWindowMs);
        const inWindow = first < 0 ? 0 : sent.length - first;
        if (inWindow >= budget.capacity) {
          // Room again once the oldest probe in the window has left it.
          untilMs = Math.max(untilMs ?? 0, sent[sent.length - budget.capacity] + budget.spacingWindowMs);
        }
      }
      if (untilMs !== null) {
        return { allow: false, reason: 'quota_guard', untilMs };
      }
      sent.push(nowMs);
    }
    return { allow: true };
  }

  /** Learns from a probe's response: Retry-After, 429s, and the rate-limit headers. */
  record(api: string, nowMs: number, result: QuotaObservation): void {
    const state = this.stateOf(api);
    this.learnObservedLimit(state, result.rateLimits);

    const exhausted = this.exhaustedWait(state, result.rateLimits);
    if (result.code === 429) {
      state.consecutive429++;
      const backoff = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.min(30, state.consecutive429 - 1));
      if (result.retryAfterSeconds !== null) {
        this.block(state, 'retry_after', nowMs, result.retryAfterSeconds * 1000);
      } else if (exhausted !== null) {
        this.block(state, 'retry_after', nowMs, exhausted.waitMs, exhausted.policy);
      } else {
        this.block(state, 'retry_after', nowMs, backoff);
      }
      return;
    }
    state.consecutive429 = 0;
    if (result.retryAfterSeconds !== null && result.code === 503) {
      this.block(state, 'retry_after', nowMs, result.retryAfterSeconds * 1000);
    }
    if (exhausted !== null) {
      this.block(state, 'quota_guard', nowMs, exhausted.waitMs, exhausted.policy);
    }
  }

  private stateOf(api: string): ApiState {
    let state = this.states.get(api);
    if (!state) {
      state = {
        documented: null,
        share: this.defaultShare,
        probers: 1,
        observed: [],
        sent: [],
        blockedUntilMs: 0,
        blockReason: 'quota_guard',
        blockPolicy: undefined,
        consecutive429: 0,
      };
      this.states.set(api, state);
    }
    return state;
  }

  /** Every budget in force: the documented limit, or else each request policy the headers announce. */
  private budgetsOfState(state: ApiState): QuotaBudget[] {
    const limits = state.documented ? [state.documented] : state.observed;
    const source = state.documented ? 'catalog' : 'headers';
    return limits
      .map((l) => budgetOf(l.limit, l.windowMs, state.share / state.probers, source))
      .filter((b): b is QuotaBudget => b !== null);
  }

  /** The scarcest budget: the one allowing the fewest probes per second. */
  private budgetOfState(state: ApiState): QuotaBudget | null {
    const rate = (b: QuotaBudget) => b.capacity / b.spacingWindowMs;
    return this.budgetsOfState(state).reduce<QuotaBudget | null>(
      (best, b) => (best && rate(best) <= rate(b) ? best : b),
      null
    );
  }

  /**
   * Without a documented limit, every request policy the provider sent with a window is a
   * budget (scarcest first: HubSpot's 250,000 a day allow fewer probes than its 10 a second).
   * Token or point quotas do not count requests, so they give no probe budget. A response
   * without such policies keeps what was learned.
   */
  private learnObservedLimit(state: ApiState, readings: QuotaObservation['rateLimits']): void {
    const limits: Array<{ limit: number; windowMs: number }> = [];
    for (const r of readings) {
      if (r.limit !== null && r.limit > 0 && r.windowSeconds && (r.unit ?? 'requests') === 'requests') {
        limits.push({ limit: r.limit, windowMs: r.windowSeconds * 1000 });
      }
    }
    if (limits.length > 0) {
      state.observed = limits.sort((a, b) => a.limit / a.windowMs - b.limit / b.windowMs || a.windowMs - b.windowMs);
    }
  }

  /**
   * When a policy is spent, or down to the share apimon would use (that last part is left to
   * the platform's real traffic), how long until it resets, and which policy that is (the one
   * resetting last); null while every policy has room. Every policy counts, whatever its unit:
   * a spent token quota refuses requests too.
   */
  private exhaustedWait(
    state: ApiState,
    readings: QuotaObservation['rateLimits']
  ): { waitMs: number; policy: string } | null {
    let longest: { waitMs: number; policy: string } | null = null;
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
      const wait = Math.max(1000, waitMs);
      if (longest === null || wait > longest.waitMs) {
        longest = { waitMs: wait, policy: r.policy };
      }
    }
    return longest;
  }

  private block(state: ApiState, reason: QuotaSkipReason, nowMs: number, waitMs: number, policy?: string): void {
    const untilMs = nowMs + Math.min(Math.max(0, waitMs), this.maxWaitMs);
    if (untilMs > state.blockedUntilMs) {
      state.blockedUntilMs = untilMs;
      state.blockReason = reason;
      state.blockPolicy = policy;
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
  api: Pick<Api, 'name' | 'rateLimit' | 'endpoints' | 'probers'>,
  defaultShare: number
): QuotaFitIssue | null {
  if (!api.rateLimit || api.endpoints.length === 0) {
    return null;
  }
  const { limit, windowMs } = api.rateLimit;
  // Several probers split the share (placement.ts): this prober plans within its part.
  const share = (api.rateLimit.probeShare ?? defaultShare) / Math.max(1, api.probers ?? 1);
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
  const probers = Math.max(1, api.probers ?? 1);
  const percent =
    probers > 1
      ? `this prober's ${+(share * 100).toFixed(2)}% (${+(share * probers * 100).toFixed(2)}% split among the ${probers} probers that probe it)`
      : `${+(share * 100).toFixed(2)}%`;
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
