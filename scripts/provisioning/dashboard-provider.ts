// provisioning/dashboards/apimon.yaml: Grafana's file provider for the apimon dashboards.
import { GRAFANA_FOLDER } from '@apimon/core';

/** Where docker compose mounts dashboards/ in the Grafana container (docker-compose.yaml). */
export const DASHBOARDS_MOUNT = '/var/lib/grafana/dashboards/apimon';

/**
 * provisioning/dashboards/apimon.yaml: the file provider that loads dashboards/ into the apimon
 * folder. By title, not folderUid: Grafana's alert-rule provisioning finds or creates the
 * folder by its title with a random uid, and a provider with a folderUid looks the folder up by
 * uid, so on a fresh Grafana the two would make two "apimon" folders (or fail where titles must
 * be unique). By title, whichever provisioner runs first creates it and the other finds it.
 */
export function dashboardProvidersFile(): unknown {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'apimon',
        orgId: 1,
        folder: GRAFANA_FOLDER,
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: { path: DASHBOARDS_MOUNT, foldersFromFilesStructure: false },
      },
    ],
  };
}

/** Service URLs inside docker compose (docker-compose.yaml). */
export const COMPOSE_PROMETHEUS_URL = 'http://prometheus:9090';
export const COMPOSE_PROBER_URL = 'http://prober:9464';
