// Template variables in filter fields. Filters are anchored PromQL regexes, so a multi-value
// or "All" variable becomes an alternation of regex-escaped values ("pay\.v2|geo"), exactly as
// Grafana's Prometheus data source formats variables inside =~ matchers. A single-value
// variable that is neither multi nor "All" (e.g. a text box) passes through, so users can type
// a regex into it on purpose.
import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import type { QueryFilters } from '@apimon/core';

export const FILTER_KEYS = ['api', 'provider', 'criticality', 'endpoint', 'location'] as const satisfies ReadonlyArray<
  keyof QueryFilters
>;

export function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

interface VariableLike {
  multi?: boolean;
  includeAll?: boolean;
}

export function regexVariableFormat(value: string | string[], variable?: VariableLike): string {
  if (Array.isArray(value)) {
    return value.length === 1 ? escapeRegex(value[0]) : value.map(escapeRegex).join('|');
  }
  return variable?.multi || variable?.includeAll ? escapeRegex(value) : value;
}

/** Returns a copy of `filters` with every filter field interpolated. */
export function interpolateFilters<T extends QueryFilters>(
  filters: T,
  templateSrv: Pick<TemplateSrv, 'replace'>,
  scopedVars?: ScopedVars
): T {
  const out = { ...filters };
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (typeof value === 'string' && value !== '') {
      out[key] = templateSrv.replace(value, scopedVars, regexVariableFormat);
    }
  }
  return out;
}
