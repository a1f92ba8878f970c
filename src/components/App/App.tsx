import React from 'react';
import { css } from '@emotion/css';
import type { AppRootProps, GrafanaTheme2 } from '@grafana/data';
import { Card, LinkButton, useStyles2 } from '@grafana/ui';
import { DASHBOARDS, dashboardUrl } from '@apimon/core';

/** The app's home page: where to go for each question apimon answers. */
export default function App(_props: AppRootProps) {
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
      <LinkButton variant="secondary" href="/connections/datasources" icon="database">
        Configure the apimon data source
      </LinkButton>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 960, display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  list: css({ listStyle: 'none', padding: 0, margin: 0 }),
});
