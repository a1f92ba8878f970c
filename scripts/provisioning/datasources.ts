// The provisioned data sources (provisioning/datasources/apimon.yaml). Fixed uids: the alert
// rules and dashboards reference them, and test/provisioning checks every reference resolves.

/** Grafana's built-in Prometheus data source: alert rules and raw-PromQL panels. */
export const PROMETHEUS_DATASOURCE_UID = 'apimon-prometheus';
/** The apimon data source (frontend-only, plugin id apimon-apimon-datasource). */
export const APIMON_DATASOURCE_UID = 'apimon';
export const APIMON_DATASOURCE_TYPE = 'apimon-apimon-datasource';

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
        uid: PROMETHEUS_DATASOURCE_UID,
        orgId: 1,
        access: 'proxy',
        url: COMPOSE_PROMETHEUS_URL,
        isDefault: true,
        editable: false,
        jsonData: {
          httpMethod: 'POST',
          // Matches the scrape interval in prometheus/prometheus.yml, so $__rate_interval is right.
          timeInterval: '15s',
          prometheusType: 'Prometheus',
          prometheusVersion: '3.5.0',
          cacheLevel: 'Low',
          incrementalQuerying: true,
        },
      },
      {
        name: 'apimon',
        type: APIMON_DATASOURCE_TYPE,
        uid: APIMON_DATASOURCE_UID,
        orgId: 1,
        access: 'proxy',
        url: COMPOSE_PROMETHEUS_URL,
        isDefault: false,
        editable: false,
        // url is the store; the prober's JSON API is reached through the plugin's `prober` route.
        jsonData: {
          proberUrl: COMPOSE_PROBER_URL,
          scrapeInterval: '15s',
        },
      },
    ],
  };
}
