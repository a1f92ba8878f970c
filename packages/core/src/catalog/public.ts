// The catalog as it may be shown to anyone: the prober's JSON API, the plugin, the docs.
// Auth keeps its method and the environment-variable *names* only (they are not secrets and
// tell an operator what to set); header values are dropped because a user may still have put
// something sensitive there that our literal-secret check did not recognise.
import type { Api, Catalog } from './types';

export type PublicEndpoint = Omit<Api['endpoints'][number], 'headers' | 'body'> & { headerNames: string[]; hasBody: boolean };
export type PublicApi = Omit<Api, 'endpoints'> & { endpoints: PublicEndpoint[] };
export type PublicCatalog = Omit<Catalog, 'apis'> & { apis: PublicApi[] };

export function redactCatalog(catalog: Catalog): PublicCatalog {
  return {
    ...catalog,
    apis: catalog.apis.map((api) => ({
      ...api,
      endpoints: api.endpoints.map(({ headers, body, ...rest }) => ({
        ...rest,
        headerNames: Object.keys(headers),
        hasBody: body !== undefined,
      })),
    })),
  };
}
