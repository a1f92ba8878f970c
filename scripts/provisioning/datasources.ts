// The provisioned data sources (provisioning/datasources/apimon.yaml). Fixed uids (the
// contract's DATASOURCE_UIDS): the alert rules and dashboards reference them, and
// test/provisioning checks every reference resolves.
import { DATASOURCE_UIDS, DEFAULT_SCRAPE_INTERVAL, PLUGIN_IDS } from '@apimon/core';

/** Service URLs inside docker compose (docker-compose.yaml). */
export const COMPOSE_PROMETHEUS_URL = 'http://prometheus:9090';
export const COMPOSE_PROBER_URL = 'http://prober:9464';

export function datasourcesFile(): unknown {
  return {
    apiVersion: 1,
    deleteDatasources: [],
    datasources: [
      {
        name: 'apimon Prometheus',
        type: 'prometheus',
        uid: DATASOURCE_UIDS.prometheus,
        orgId: 1,
        access: 'proxy',
        url: COMPOSE_PROMETHEUS_URL,
        isDefault: true,
        editable: false,
        jsonData: {
          httpMethod: 'POST',
          // Matches the scrape interval in prometheus/prometheus.yml, so $__rate_interval is right.
          timeInterval: DEFAULT_SCRAPE_INTERVAL,
          prometheusType: 'Prometheus',
          prometheusVersion: '3.5.0',
          cacheLevel: 'Low',
          incrementalQuerying: true,
        },
      },
      {
        name: 'apimon',
        type: PLUGIN_IDS.datasource,
        uid: DATASOURCE_UIDS.apimon,
        orgId: 1,
        access: 'proxy',
        url: COMPOSE_PROMETHEUS_URL,
        isDefault: false,
        editable: false,
        // url is the store; the prober's JSON API is reached through the plugin's `prober` route.
        jsonData: {
          proberUrl: COMPOSE_PROBER_URL,
          // The compose prober runs without --api-token-env: no Authorization header at all.
          // With a token, set secureJsonData.proberToken and this to true.
          proberTokenSet: false,
          scrapeInterval: DEFAULT_SCRAPE_INTERVAL,
        },
      },
    ],
  };
}
