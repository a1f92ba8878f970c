// status: what each provider's status page says (overall indicator and components), over time,
// and, for a query that names APIs, each API's own status on the page (its statusComponents).
import { apiProviderLevel, METRICS, selector, STATUS_SCALE_TEXT } from '../../contract';
import { filterMatchers, regexMatcher } from '../matchers';
import type { QueryFilters } from '../model';
import type { PlannedExpr } from '../plan';
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

/** Each named API's status on its provider's page: what the provider-outage alerts judge it by. */
function apiStatusExpr(query: QueryFilters): PlannedExpr {
  const crit = regexMatcher('criticality', query.criticality);
  const level = apiProviderLevel(filterMatchers(query, ['api', 'provider', 'location']));
  return {
    id: 'api',
    expr: crit ? `(${level} and on(api) ${selector(METRICS.apiInfo, [crit])})` : level,
    instant: false,
    name: 'api_provider_status',
    legend: '{{api}} (its components)',
    meaning: `each API's status on its provider's page: the worst of the components its statusComponents name, or of the whole page without them (same scale)`,
    unit: 'none',
  };
}

export const status = promqlKind(({ query }) => {
  const provider = filterMatchers(query, ['provider', 'location']);
  return {
    groupLabels: ['provider'],
    exprs: [
      ...(query.api ? [apiStatusExpr(query)] : []),
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
