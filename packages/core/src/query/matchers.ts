// Filters (anchored regexes, as Grafana interpolates multi-value variables for Prometheus)
// turned into PromQL label matchers. An "all" value means no matcher at all, so series
// without the label still match and the store does less work.
import { promString } from '../contract';
import type { QueryFilters } from './model';

/** Probe-series labels a filter may constrain directly (criticality lives on apimon_api_info). */
export const DIRECT_FILTER_LABELS = ['api', 'provider', 'endpoint', 'location'] as const;
export type DirectFilterLabel = (typeof DIRECT_FILTER_LABELS)[number];

/** Values that mean "every value": unset, empty, ".*", Grafana's "$__all" and its "All" text. */
export function isAllValue(value: string | undefined | null): boolean {
  if (value === undefined || value === null) {
    return true;
  }
  const v = value.trim();
  return v === '' || v === '.*' || v === '$__all' || v === '(.*)' || v === '^.*$';
}

/** Escapes every regex metacharacter so a literal value can be matched with =~. */
export function regexEscape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex matcher `label=~"..."`, or undefined when the value means all. */
export function regexMatcher(label: string, value: string | undefined): string | undefined {
  if (isAllValue(value)) {
    return undefined;
  }
  // Grafana wraps multi-values as "(a|b)"; either form is an anchored RE2 regex for Prometheus.
  return `${label}=~${promString(value!.trim())}`;
}

/** Matchers for the direct filters, in a stable order. */
export function filterMatchers(
  filters: QueryFilters,
  labels: readonly DirectFilterLabel[] = DIRECT_FILTER_LABELS
): string[] {
  const out: string[] = [];
  for (const label of labels) {
    const m = regexMatcher(label, filters[label]);
    if (m) {
      out.push(m);
    }
  }
  return out;
}

/** True when the filters constrain criticality (needs a join through apimon_api_info). */
export function hasCriticalityFilter(filters: QueryFilters): boolean {
  return !isAllValue(filters.criticality);
}

/**
 * A JavaScript RegExp that matches like a Prometheus anchored regex, for filtering data that
 * does not come from the store (the prober's incidents and catalog). Undefined means all;
 * an invalid pattern throws a message naming the filter.
 */
export function filterRegExp(label: string, value: string | undefined): RegExp | undefined {
  if (isAllValue(value)) {
    return undefined;
  }
  try {
    return new RegExp(`^(?:${value!.trim()})$`);
  } catch (err) {
    throw new Error(`filter ${label}: "${value}" is not a valid regular expression (${(err as Error).message})`);
  }
}
