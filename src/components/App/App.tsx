import React, { Suspense, lazy } from 'react';
import { Route, Routes } from 'react-router-dom';
import { css } from '@emotion/css';
import type { AppRootProps, GrafanaTheme2 } from '@grafana/data';
import { Card, LinkButton, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import { DASHBOARDS, dashboardUrl, PLUGIN_IDS } from '@apimon/core';

const ReportsPage = lazy(() => import('../Reports/ReportsPage'));

/** The app's pages: the home page and the Reports page (plugin.json includes both). */
export default function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route
        path="reports/*"
        element={
          <Suspense fallback={<LoadingPlaceholder text="Loading reports" />}>
            <ReportsPage />
          </Suspense>
        }
      />
      <Route path="*" element={<Home />} />
    </Routes>
  );
}

/** The app's home page: where to go for each question apimon answers. */
function Home() {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.page}>
      <p>apimon monitors the third-party APIs your platform depends on. Open a dashboard:</p>
      <ul className={styles.list} aria-label="apimon dashboards">
        {DASHBOARDS.map((d) => (
          <li key={d.uid}>
            <Card href={dashboardUrl(d.uid)}>
              <Card.Heading>{d.title}</Card.Heading>
              <Card.Description>{d.description}</Card.Description>
            </Card>
          </li>
        ))}
      </ul>
      <Stack direction="row" gap={1}>
        <LinkButton variant="primary" href={`/a/${PLUGIN_IDS.app}/reports`} icon="file-alt">
          Monthly and incident reports
        </LinkButton>
        <LinkButton variant="secondary" href="/connections/datasources" icon="database">
          Configure the apimon data source
        </LinkButton>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 960, display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  list: css({ listStyle: 'none', padding: 0, margin: 0 }),
});
