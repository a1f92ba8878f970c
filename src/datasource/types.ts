// The data source's own shapes: the panel query (the engine's domain query plus Grafana's
// DataQuery fields), the variable query, and the settings stored by the config editor.
import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import type { ApimonQuery, QueryFilters } from '@apimon/core';

export interface ApimonDataQuery extends DataQuery, Partial<ApimonQuery> {
  /** Set by the annotation support: return incidents as annotation events, not a table. */
  asAnnotations?: boolean;
}

/** Labels a template variable can list. */
export const VARIABLE_LABELS = ['api', 'provider', 'criticality', 'endpoint', 'location'] as const;
export type VariableLabel = (typeof VARIABLE_LABELS)[number];

export interface ApimonVariableQuery extends DataQuery, QueryFilters {
  /** Which label's values the variable lists. */
  label: VariableLabel;
}

export type StoreAuthMethod = 'bearer';

export interface ApimonOptions extends DataSourceJsonData {
  /** Base URL of the prober's JSON API, reached through a prober route of plugin.json. */
  proberUrl?: string;
  /**
   * Whether a prober token is stored (the config editor keeps it in step): with one, prober
   * requests take the route that adds `Authorization: Bearer <token>`, without one the route
   * that adds nothing. Unset (a data source saved before this existed): the token route.
   */
  proberTokenSet?: boolean;
  /** The store's scrape interval of the prober, e.g. "15s": the shortest rate window the engine uses. */
  scrapeInterval?: string;
  /** Set when the store uses a bearer token (kept as a custom Authorization header). */
  storeAuth?: StoreAuthMethod;
  /** Grafana's "Forward OAuth identity" (set by the Auth component). */
  oauthPassThru?: boolean;
  /** Custom HTTP headers Grafana adds to store requests (Grafana's own convention). */
  [key: `httpHeaderName${number}`]: string | undefined;
}

export interface ApimonSecureOptions {
  proberToken?: string;
  basicAuthPassword?: string;
  [key: `httpHeaderValue${number}`]: string | undefined;
}

/** Route paths of the prober API in plugin.json: requests to `<ds url>/<route>/...`. Grafana's data
 * proxy sets a route's headers whatever their value, so a data source without a prober token
 * takes the route without the Authorization header. Neither path is a prefix of the other. */
export const PROBER_ROUTES = { token: 'prober-token', anonymous: 'prober-anonymous' } as const;
export type ProberRoute = (typeof PROBER_ROUTES)[keyof typeof PROBER_ROUTES];

export function proberRouteFor(jsonData: Pick<ApimonOptions, 'proberTokenSet'> | undefined): ProberRoute {
  return jsonData?.proberTokenSet === false ? PROBER_ROUTES.anonymous : PROBER_ROUTES.token;
}
