// status: what each provider's status page says (overall indicator and components), over time.
import { METRICS, selector, STATUS_SCALE_TEXT } from '../../contract';
import { filterMatchers, regexMatcher } from '../matchers';
import type { QueryFilters } from '../model';
import { promqlKind } from './handler';

/** Provider series are filtered by provider directly and by api/criticality through apimon_api_info. */
function providerFilter(query: QueryFilters, expr: string): string {
  const matchers = filterMatchers(query, ['api']);
  const crit = regexMatcher('criticality', query.criticality);
  if (crit) {
    matchers.push(crit);
  }
  if (matchers.length === 0) {
    return expr;
  }
  return `(${expr} and on(provider) ${selector(METRICS.apiInfo, matchers)})`;
}

export const status = promqlKind(({ query }) => {
  const provider = filterMatchers(query, ['provider', 'location']);
  return {
    groupLabels: ['provider'],
    exprs: [
      {
        id: 'indicator',
        expr: `max by (provider) (${providerFilter(query, selector(METRICS.providerStatus, provider))})`,
        instant: false,
        name: 'provider_status',
        legend: '{{provider}}',
        meaning: `provider status page indicator: ${STATUS_SCALE_TEXT}`,
        unit: 'none',
      },
      {
        id: 'components',
        expr: `max by (provider, component) (${providerFilter(query, selector(METRICS.providerComponentStatus, provider))})`,
        instant: false,
        name: 'component_status',
        legend: '{{provider}} / {{component}}',
        meaning: 'status of each component on the provider status page (same scale)',
        unit: 'none',
      },
    ],
  };
});
