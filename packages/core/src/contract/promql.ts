// PromQL building blocks over the metric contract, written once: the query engine, the
// dashboards, the alert rules and the recording rules compose their expressions from these,
// so what "error ratio", "p95 latency" or "the API's own threshold" means cannot drift.
import { METRICS, PROBER_SCRAPE_JOB, PROVIDER_FAILURE_OUTCOMES, TARGET_LABELS, type Label, type Outcome } from './metrics';

/** Escapes a string for a double-quoted PromQL string literal. */
export function promString(value: string): string {
  let out = '"';
  for (const ch of value) {
    if (ch === '\\' || ch === '"') {
      out += `\\${ch}`;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

/** `metric{m1, m2}`; `metric` alone without matchers. */
export function selector(metric: string, matchers: readonly string[], separator = ', '): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(separator)}}`;
}

/** ` by (a, b)`, or nothing for no labels. */
export function by(labels: readonly Label[]): string {
  return labels.length === 0 ? '' : ` by (${labels.join(', ')})`;
}

/** `sum by (labels) (expr)`. */
export const sumBy = (labels: readonly Label[], expr: string) => `sum${by(labels)} (${expr})`;

// The endpoint="" convention: the prober exports each threshold once per API without an
// endpoint label (PromQL reads a missing label as "") and once per endpoint, where an endpoint
// may override the API's value. These matchers pick one or the other.
/** Selects the API-level threshold series. */
export const API_LEVEL = 'endpoint=""';
/** Selects the per-endpoint threshold series. */
export const ENDPOINT_LEVEL = 'endpoint!=""';

/** A probe that did not end ok. */
export const FAILED_OUTCOME = 'outcome!="ok"';

/** `outcome=~"a|b"`. */
export const outcomeIn = (outcomes: readonly Outcome[]) => `outcome=~${promString(outcomes.join('|'))}`;

/** The provider failed us: timeouts, DNS, connect, TLS and 5xx (see PROVIDER_FAILURE_OUTCOMES). */
export const PROVIDER_FAILED_OUTCOME = outcomeIn(PROVIDER_FAILURE_OUTCOMES);

/** The quantile of the latency thresholds, alerts, summaries and recording rules. */
export const LATENCY_QUANTILE = 0.95;

/** `histogram_quantile(q, sum by (labels) (inner))`; `labels` must include le. */
export function histogramQuantile(q: number, labels: readonly Label[], inner: string): string {
  return `histogram_quantile(${q}, ${sumBy(labels, inner)})`;
}

/** The two sums an error ratio divides: failed probes and all probes, per `labels`. */
export interface RatioTerms {
  failed: string;
  all: string;
}

/**
 * Error-ratio terms over apimon_probe_requests_total; `rate(extraMatchers)` writes the rate
 * (or recorded rate) of that counter with the extra matchers.
 */
export function errorRatioTerms(
  rate: (extraMatchers: string[]) => string,
  labels: readonly Label[],
  failed: string = FAILED_OUTCOME
): RatioTerms {
  return { failed: sumBy(labels, rate([failed])), all: sumBy(labels, rate([])) };
}

/** Error-ratio terms on the raw counter: `rate(apimon_probe_requests_total{...}[window])`. */
export function rawErrorRatioTerms(
  window: string,
  labels: readonly Label[],
  options: { failed?: string; matchers?: readonly string[] } = {}
): RatioTerms {
  const matchers = options.matchers ?? [];
  return errorRatioTerms(
    (extra) => `rate(${selector(METRICS.probeRequests, [...extra, ...matchers])}[${window}])`,
    labels,
    options.failed
  );
}

/**
 * Failed / all probes. Three spellings of the one ratio, for three readers:
 * - `zeroFilled`: 0 (not absent) when nothing failed; what the query engine graphs;
 * - `probedOnly`: also 0 when nothing failed, and absent for APIs without probes in the
 *   window; what dashboards and recording rules store (`block` lays it out over lines for a
 *   rule file);
 * - `plain`: absent when nothing failed; alert rules compare it with a threshold, where absent
 *   and 0 give the same answer.
 */
export const errorRatio = {
  zeroFilled: (t: RatioTerms) => `(${t.failed} or ${t.all} * 0) / ${t.all}`,
  probedOnly: (t: RatioTerms, layout: 'inline' | 'block' = 'inline') =>
    layout === 'inline'
      ? `((${t.failed} or ${t.all} * 0) / (${t.all} > 0))`
      : `(\n  ${t.failed}\n  or ${t.all} * 0\n)\n/ (${t.all} > 0)\n`,
  plain: (t: RatioTerms, separator = ' ') => `${t.failed}${separator}/ ${t.all}`,
};

/**
 * The headroom of each policy series: remaining / limit where a limit is known (limit 0 means
 * none), and 0 for a spent policy without one. Remaining-only conventions (Azure Resource
 * Manager) and a quota first seen already spent (its limit never announced) have no limit
 * series, so the ratio alone would drop them and an exhausted quota would never read 0.
 * A policy with requests left but no limit has no ratio: unknown is not zero.
 */
export const headroomExpr = (remaining: string, limit: string) =>
  `(${remaining} / (${limit} > 0) or ${remaining} == 0)`;

/** The raw headroom series: headroomExpr over apimon_ratelimit_remaining and apimon_ratelimit_limit. */
export const RAW_HEADROOM = headroomExpr(METRICS.rateLimitRemaining, METRICS.rateLimitLimit);

/** A catalog threshold per API (`level` "api") or per endpoint, from its selector expression. */
export function thresholdBy(level: 'api' | 'endpoint', expr: string): string {
  return level === 'api' ? `max by (api) (${expr})` : `max by (api, endpoint) (${expr})`;
}

/** The threshold series of one level, with extra matchers before the level matcher. */
export function thresholdSelector(metric: string, level: 'api' | 'endpoint', matchers: readonly string[] = []): string {
  return selector(metric, [...matchers, level === 'api' ? API_LEVEL : ENDPOINT_LEVEL]);
}

/** Each API's own threshold: `max by (api) (metric{endpoint=""})`. */
export const apiThreshold = (metric: string) => thresholdBy('api', thresholdSelector(metric, 'api'));

/**
 * Each API's status on its provider's page, per api and provider: apimon_api_provider_status,
 * the worst of the components its statusComponents name (or of the whole page without them;
 * -1 unknown when none of them is on the page). Provider-outage alerts and the verdict read
 * this, so an outage of a component an API does not use never pages for that API.
 */
export function apiProviderLevel(matchers: readonly string[] = []): string {
  return `max by (api, provider) (${selector(METRICS.apiProviderStatus, matchers)})`;
}

/** apiProviderLevel() over every API. */
export const API_PROVIDER_LEVEL = apiProviderLevel();

// The prober's own health. Process-wide series (prom-client's process_* and nodejs_*, the
// scheduler gauges) carry only the scrape target's job and instance; apimon_build_info adds
// the location, and joining on it keeps only apimon's targets among every job's process_*.

/** Scrape health of every prober: `up{job="apimon"}`. */
export const PROBER_UP = `up{job=${promString(PROBER_SCRAPE_JOB)}}`;

/** Per-target series of apimon probers only, with each one's location (`matchers` filter the
 * build info, e.g. dashboard variables). */
export function withProberLocation(matchers: readonly string[] = []): string {
  const target = TARGET_LABELS.join(', ');
  return `* on (${target}) group_left (location) max by (${target}, location) (${selector(METRICS.buildInfo, matchers)})`;
}

// Several probers, one store (docs/topologies.md): each location judges on its own and the
// verdict counts locations. A location's shards sum together (their series differ only in
// instance), and the catalog's series that every prober exports are read through max by, so
// N probers neither multiply a join nor make it ambiguous.

/** The locations with probes per group of `labels` over `window`, counted on `counter` (the
 * probe counter; for latency, the duration histogram's count: the locations with durations). */
export function locationsProbing(labels: readonly Label[], window: string, counter: string = METRICS.probeRequests): string {
  return `count${by(labels)} (${sumBy([...labels, 'location'], `increase(${counter}[${window}])`)} > 0)`;
}

/**
 * `breach` (one series per `labels` and location, only where the location breaches) reduced to
 * the groups that breach from a majority of the locations probing them: the smallest value
 * among those locations, the one a majority reaches (as the verdict's majorityValue).
 */
export function fromMajority(breach: string, labels: readonly Label[], window: string, counter?: string): string {
  const on = labels.join(', ');
  return `min by (${on}) (${breach})\nand on (${on}) (\n  count by (${on}) (${breach}) * 2 > ${locationsProbing(labels, window, counter)}\n)`;
}

/** `failing` (one series per `labels` and location) kept where fewer than half of the locations fail: a regional problem. */
export function fromMinority(failing: string, labels: readonly Label[], window: string): string {
  const on = labels.join(', ');
  return `${failing}\nand on (${on}) (\n  count by (${on}) (${failing}) * 2 <= ${locationsProbing(labels, window)}\n)`;
}
