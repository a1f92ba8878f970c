// An ApimonDataSource as Grafana would create it for one saved instance, wired to real
// servers through the test data proxy. Call from tests that mock @grafana/runtime's
// getBackendSrv/getTemplateSrv to return `backendSrv` / `templateSrv`.
import { join } from 'node:path';
import type { DataSourceInstanceSettings, DataSourcePluginMeta } from '@grafana/data';
import type { ApimonOptions } from '../../src/datasource/types';
import { createDataProxyBackendSrv, type FakeBackendSrv } from './data-proxy';
import { httpFetch } from './http-fetch';
import { routesFromPluginJson } from './plugin-routes';

export const PROXY_BASE = '/api/datasources/proxy/uid/apimon-test';
export const DATASOURCE_PLUGIN_JSON = join(__dirname, '..', '..', 'src', 'datasource', 'plugin.json');

export interface InstanceOptions {
  storeUrl: string;
  proberUrl?: string;
  proberToken?: string;
  jsonData?: Partial<ApimonOptions>;
}

export function instanceSettings(jsonData: ApimonOptions): DataSourceInstanceSettings<ApimonOptions> {
  return {
    uid: 'apimon-test',
    type: 'apimon-apimon-datasource',
    name: 'apimon',
    access: 'proxy',
    url: PROXY_BASE,
    jsonData,
    readOnly: false,
    meta: { id: 'apimon-apimon-datasource', name: 'apimon', type: 'datasource' } as DataSourcePluginMeta,
  } as DataSourceInstanceSettings<ApimonOptions>;
}

/** The data proxy for an instance: the store URL, and the routes of our plugin.json rendered for it. */
export function dataProxyFor({ storeUrl, proberUrl, proberToken = '', jsonData = {} }: InstanceOptions): {
  proxy: FakeBackendSrv;
  jsonData: ApimonOptions;
} {
  const data: ApimonOptions = { proberUrl, scrapeInterval: '1s', ...jsonData };
  const proxy = createDataProxyBackendSrv({
    proxyBase: PROXY_BASE,
    url: storeUrl,
    fetchImpl: httpFetch as unknown as typeof fetch,
    routes: routesFromPluginJson(DATASOURCE_PLUGIN_JSON, data as Record<string, unknown>, { proberToken }),
  });
  return { proxy, jsonData: data };
}
