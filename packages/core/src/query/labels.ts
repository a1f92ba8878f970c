// Values of a label for template variables, narrowed by the other filters: from the series
// that carry the label (/api/v1/label/<name>/values?match[]=...).
import { METRICS, selector } from '../contract';
import { describedGet } from './context';
import { filterMatchers, regexEscape, regexMatcher } from './matchers';
import type { QueryFilters } from './model';
import { QueryError } from './response';
import type { TimeRange, Transport } from './types';

const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The metric whose series carry a label, for /api/v1/label/<name>/values?match[]=. */
const LABEL_SOURCES: Record<string, string> = {
  api: METRICS.apiInfo,
  provider: METRICS.apiInfo,
  criticality: METRICS.apiInfo,
  owner: METRICS.apiInfo,
  endpoint: METRICS.probeRequests,
  location: METRICS.probeRequests,
  code: METRICS.probeRequests,
  outcome: METRICS.probeRequests,
  policy: METRICS.rateLimitLimit,
  phase: `${METRICS.probePhaseDuration}_count`,
  component: METRICS.providerComponentStatus,
};

const seconds = (ms: number) => String(ms / 1000);

export async function labelValues(
  transport: Transport,
  label: string,
  filters: QueryFilters = {},
  range?: Pick<TimeRange, 'fromMs' | 'toMs'>
): Promise<string[]> {
  const get = describedGet(transport);
  if (!LABEL_RE.test(label)) {
    throw new QueryError(`"${label}" is not a label name`, 'prometheus', label);
  }
  const source = LABEL_SOURCES[label] ?? METRICS.probeRequests;
  // A variable is narrowed by the others, never by itself.
  const others: QueryFilters = { ...filters, [label]: undefined };
  const timeParams: Record<string, string> = range ? { start: seconds(range.fromMs), end: seconds(range.toMs) } : {};
  const values = async (name: string, match: string): Promise<string[]> => {
    const path = `/api/v1/label/${name}/values`;
    const body = await get('prometheus', path, { 'match[]': match, ...timeParams }, `${path}?match[]=${match}`);
    const data = (body as { status?: unknown; data?: unknown } | null)?.data;
    if ((body as { status?: unknown } | null)?.status !== 'success' || !Array.isArray(data)) {
      throw new QueryError(
        `malformed response from the store for ${path}: expected {"status":"success","data":[...]}`,
        'prometheus',
        path
      );
    }
    return data.filter((v): v is string => typeof v === 'string' && v !== '');
  };
  let matchers: string[];
  if (source === METRICS.apiInfo) {
    matchers = filterMatchers(others, ['api', 'provider', 'location']);
    const crit = regexMatcher('criticality', others.criticality);
    if (crit) {
      matchers.push(crit);
    }
  } else {
    matchers = filterMatchers(others);
    const crit = regexMatcher('criticality', others.criticality);
    if (crit) {
      // Selectors cannot join: turn the criticality into the APIs that have it.
      const apiMatchers = [...filterMatchers(others, ['api', 'provider']), crit];
      const apis = await values('api', selector(METRICS.apiInfo, apiMatchers));
      if (apis.length === 0) {
        return [];
      }
      matchers = matchers.filter((m) => !m.startsWith('api=~'));
      matchers.unshift(`api=~${JSON.stringify(apis.map(regexEscape).join('|'))}`);
    }
  }
  const found = await values(label, selector(source, matchers));
  return [...new Set(found)].sort();
}
