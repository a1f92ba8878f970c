// Data links of the engine's series and tables.
import { apiDashboardLink } from '../contract';
import type { Link } from './types';

/** The API detail dashboard for an API name, or for a Grafana template such as ${__value.raw}; keeps the time range. */
export function apiLink(api: string): Link {
  const template = api.startsWith('${');
  return {
    title: `API details: ${template ? '${__value.text}' : api}`,
    url: apiDashboardLink(template ? api : encodeURIComponent(api), { keepTime: true }),
  };
}
