import React from 'react';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { Alert, LinkButton, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';
import { DASHBOARDS, dashboardUrl, PLUGIN_IDS } from '@apimon/core';

export const DATASOURCE_TYPE = PLUGIN_IDS.datasource;

type Props = PluginConfigPageProps<AppPluginMeta>;

/** The app's "Setup" tab: how the pieces connect, and links to the data source and dashboards. */
export function AppConfig(_props: Props) {
  const styles = useStyles2(getStyles);
  const instances = getDataSourceSrv().getList({ type: DATASOURCE_TYPE });

  return (
    <div className={styles.page}>
      <Text element="h3">Set up apimon</Text>
      <ol className={styles.steps}>
        <li>
          Run the prober with your catalog: <code>apimon run --config catalog.yaml --listen 0.0.0.0:9464</code>. It serves{' '}
          <code>/metrics</code> and a read-only JSON API under <code>/api/v1</code> (add{' '}
          <code>--api-token-env NAME</code> to require a bearer token).
        </li>
        <li>
          Make your Prometheus-compatible store (Prometheus, Mimir, Grafana Cloud) scrape the prober&apos;s{' '}
          <code>/metrics</code>.
        </li>
        <li>
          Add an <strong>apimon</strong> data source: the store&apos;s URL and credentials, the prober URL and token, the scrape
          interval. <em>Save &amp; test</em> checks each hop and says what to fix.
        </li>
        <li>
          For alerting, add Grafana&apos;s built-in <strong>Prometheus</strong> data source for the same store: the provisioned
          alert rules use it, because Grafana-managed alert rules cannot use a browser-only data source like apimon&apos;s.
        </li>
      </ol>

      <Stack direction="column" gap={1}>
        <Text element="h4">Data source</Text>
        {instances.length === 0 ? (
          <Alert severity="warning" title="No apimon data source yet">
            Dashboards stay empty until you add one.
          </Alert>
        ) : (
          <ul aria-label="apimon data sources" className={styles.list}>
            {instances.map((ds) => (
              <li key={ds.uid}>
                <TextLink href={`/connections/datasources/edit/${ds.uid}`}>{ds.name}</TextLink>
              </li>
            ))}
          </ul>
        )}
        <div>
          <LinkButton icon="plus" variant="secondary" href={`/connections/datasources/new`}>
            Add a data source
          </LinkButton>
        </div>
      </Stack>

      <Stack direction="column" gap={1}>
        <Text element="h4">Dashboards</Text>
        <ul aria-label="apimon dashboards" className={styles.list}>
          {DASHBOARDS.map((d) => (
            <li key={d.uid}>
              <TextLink href={dashboardUrl(d.uid)}>{d.title}</TextLink> <Text color="secondary">{d.description}</Text>
            </li>
          ))}
        </ul>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 960, display: 'flex', flexDirection: 'column', gap: theme.spacing(3) }),
  steps: css({ paddingLeft: theme.spacing(3), display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  list: css({ margin: 0, paddingLeft: theme.spacing(2) }),
});
