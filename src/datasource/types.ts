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
  /** Base URL of the prober's JSON API, reached through the `prober` route in plugin.json. */
  proberUrl?: string;
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

/** Route path of the prober API in plugin.json: requests to `<ds url>/prober/...`. */
export const PROBER_ROUTE = 'prober';
