import React, { useEffect } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import {
  AdvancedHttpSettings,
  Auth,
  AuthMethod,
  ConfigSection,
  ConnectionSettings,
  convertLegacyAuthProps,
  DataSourceDescription,
} from '@grafana/plugin-ui';
import { Alert, Divider, Field, Input, SecretInput, TextLink } from '@grafana/ui';
import { APP_SETUP_PATH, DEFAULT_SCRAPE_INTERVAL } from '@apimon/core';
import type { ApimonOptions, ApimonSecureOptions } from '../types';

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<ApimonOptions, ApimonSecureOptions>;
type Settings = ConfigEditorProps['options'];

/** The app's setup page (src/components/AppConfig), which explains configuration and alerting. */
export const SETUP_PAGE = APP_SETUP_PATH;
const BEARER_METHOD = 'custom-bearer' as const;
const AUTH_HEADER = 'Authorization';

/** Settings without the bearer token: a bearer token is an `Authorization` custom header. */
function withoutBearer(options: Settings): Settings {
  const hasHeader = Object.entries(options.jsonData).some(([k, v]) => k.startsWith('httpHeaderName') && v === AUTH_HEADER);
  if (!hasHeader && options.jsonData.storeAuth === undefined) {
    return options;
  }
  let next = options;
  const auth = convertLegacyAuthProps({ config: options, onChange: (c) => (next = c) });
  // plugin-ui renumbers the remaining headers; configured ones keep their stored values.
  const kept = (auth.customHeaders?.headers ?? []).filter((h) => h.name !== AUTH_HEADER).map((h) => ({ ...h, value: '' }));
  auth.customHeaders?.onChange(kept);
  const { storeAuth: _dropped, ...jsonData } = next.jsonData;
  return { ...next, jsonData };
}

function bearerConfigured(options: Settings): boolean {
  return Object.entries(options.jsonData).some(
    ([k, v]) => k.startsWith('httpHeaderName') && v === AUTH_HEADER && options.secureJsonFields[k.replace('Name', 'Value')]
  );
}

export function ConfigEditor({ options, onOptionsChange }: ConfigEditorProps) {
  const { jsonData, secureJsonFields } = options;
  // The flag that picks the prober route (with or without the token) follows the stored token;
  // a data source saved before the flag existed gets it here.
  useEffect(() => {
    if (jsonData.proberTokenSet === undefined) {
      onOptionsChange({ ...options, jsonData: { ...jsonData, proberTokenSet: Boolean(secureJsonFields.proberToken) } });
    }
  }, [jsonData, secureJsonFields, options, onOptionsChange]);
  const isBearer = jsonData.storeAuth === 'bearer';
  const authProps = convertLegacyAuthProps({ config: options, onChange: onOptionsChange });

  const selectAuthMethod = (method: AuthMethod | `custom-${string}`) => {
    const cleared = withoutBearer(options);
    if (method === BEARER_METHOD) {
      onOptionsChange({
        ...cleared,
        basicAuth: false,
        withCredentials: false,
        jsonData: { ...cleared.jsonData, oauthPassThru: false, storeAuth: 'bearer' },
      });
      return;
    }
    convertLegacyAuthProps({ config: cleared, onChange: onOptionsChange }).onAuthMethodSelect(method);
  };

  const setBearerToken = (token: string) => {
    const cleared = withoutBearer(options);
    const headers = convertLegacyAuthProps({ config: cleared, onChange: () => {} }).customHeaders?.headers ?? [];
    convertLegacyAuthProps({
      config: cleared,
      onChange: (c) => onOptionsChange({ ...c, jsonData: { ...c.jsonData, storeAuth: 'bearer' } }),
    }).customHeaders?.onChange([
      ...headers.map((h) => ({ ...h, value: '' })),
      { name: AUTH_HEADER, value: `Bearer ${token}`, configured: false },
    ]);
  };

  const resetBearerToken = () => {
    const cleared = withoutBearer(options);
    onOptionsChange({ ...cleared, jsonData: { ...cleared.jsonData, storeAuth: 'bearer' } });
  };

  const bearerTokenField = (
    <Field label="Bearer token" description="Sent as Authorization: Bearer <token> to the store.">
      <SecretInput
        id="apimon-store-bearer"
        width={40}
        isConfigured={bearerConfigured(options)}
        placeholder="token"
        onChange={(e) => setBearerToken(e.currentTarget.value)}
        onReset={resetBearerToken}
      />
    </Field>
  );

  const visibleHeaders = authProps.customHeaders && {
    ...authProps.customHeaders,
    headers: authProps.customHeaders.headers.filter((h) => !(isBearer && h.name === AUTH_HEADER)),
  };

  const setJson = (patch: Partial<ApimonOptions>) => onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  return (
    <>
      <DataSourceDescription
        dataSourceName="apimon"
        docsLink={SETUP_PAGE}
        hasRequiredFields
      />
      <Divider />
      <ConnectionSettings
        config={options}
        onChange={onOptionsChange}
        urlLabel="Store URL"
        urlPlaceholder="http://prometheus:9090"
        urlTooltip="Any store that speaks the Prometheus HTTP API and holds the prober's metrics: Prometheus (http://host:9090), Mimir (http://host/prometheus), Grafana Cloud (https://prometheus-…grafana.net/api/prom). Grafana's server reaches it through the data proxy."
        description="The Prometheus-compatible store that scrapes the apimon prober."
      />
      <Divider />
      <Auth
        {...authProps}
        customHeaders={visibleHeaders}
        selectedMethod={isBearer ? BEARER_METHOD : authProps.selectedMethod}
        onAuthMethodSelect={selectAuthMethod}
        visibleMethods={[AuthMethod.NoAuth, AuthMethod.BasicAuth, BEARER_METHOD, AuthMethod.OAuthForward]}
        customMethods={[
          {
            id: BEARER_METHOD,
            label: 'Bearer token',
            description: 'A token sent as an Authorization header (e.g. a Mimir or proxy token).',
            component: bearerTokenField,
          },
        ]}
        defaultOptionsOverrides={{
          [AuthMethod.BasicAuth]: {
            label: 'Basic authentication',
            description: 'User and password. Grafana Cloud: the instance ID as user, an access-policy token with metrics:read as password.',
          },
        }}
      />
      <Divider />
      <ConfigSection
        title="Prober API"
        description="The apimon prober's read-only JSON API: provider status pages, incidents (annotations) and the catalog. Reached through Grafana's data proxy."
      >
        <Field
          label="Prober URL"
          description="Base URL of the prober, without /api/v1, as Grafana's server sees it."
        >
          <Input
            id="apimon-prober-url"
            width={40}
            value={jsonData.proberUrl ?? ''}
            placeholder="http://apimon-prober:9464"
            onChange={(e) => setJson({ proberUrl: e.currentTarget.value.trim() })}
          />
        </Field>
        <Field
          label="Prober token"
          description="Only if the prober runs with --api-token-env: sent as Authorization: Bearer <token> to the prober API."
        >
          <SecretInput
            id="apimon-prober-token"
            width={40}
            isConfigured={Boolean(secureJsonFields.proberToken)}
            placeholder="token"
            onChange={(e) => {
              const token = e.currentTarget.value;
              onOptionsChange({
                ...options,
                jsonData: { ...jsonData, proberTokenSet: token !== '' },
                secureJsonData: { ...options.secureJsonData, proberToken: token },
              });
            }}
            onReset={() =>
              onOptionsChange({
                ...options,
                jsonData: { ...jsonData, proberTokenSet: false },
                secureJsonData: { ...options.secureJsonData, proberToken: '' },
                secureJsonFields: { ...secureJsonFields, proberToken: false },
              })
            }
          />
        </Field>
      </ConfigSection>
      <Divider />
      <ConfigSection title="Queries">
        <Field
          label="Scrape interval"
          description="How often the store scrapes the prober (e.g. 15s, 1m). Rate windows are never shorter than four of these."
          invalid={!isValidInterval(jsonData.scrapeInterval)}
          error="Use a duration such as 15s, 30s or 1m"
        >
          <Input
            id="apimon-scrape-interval"
            width={20}
            value={jsonData.scrapeInterval ?? ''}
            placeholder={DEFAULT_SCRAPE_INTERVAL}
            onChange={(e) => setJson({ scrapeInterval: e.currentTarget.value.trim() })}
          />
        </Field>
      </ConfigSection>
      <Divider />
      <AdvancedHttpSettings config={options} onChange={onOptionsChange} />
      <Divider />
      <Alert severity="info" title="Alerting uses the built-in Prometheus data source">
        This data source runs in the browser only, and Grafana-managed alert rules are evaluated on the server, so alert
        rules cannot use it. The provisioned apimon alert rules query the same store through Grafana&apos;s built-in
        Prometheus data source: add one pointing at the same store URL. See{' '}
        <TextLink href={SETUP_PAGE}>
          the apimon setup page
        </TextLink>
        .
      </Alert>
    </>
  );
}

export function isValidInterval(value: string | undefined): boolean {
  return value === undefined || value === '' || /^\d+(ms|s|m|h)$/.test(value);
}
