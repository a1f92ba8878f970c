// The Prometheus queries of dashboards, with Grafana's variables replaced the way Grafana
// would for one API and "All" filters, so they can run on a real Prometheus.
import type { Dashboard, PromTarget } from '../../scripts/provisioning/dashboard-kit';

export interface DashboardPromTarget {
  dashboard: string;
  panelId: number;
  refId: string;
  expr: string;
  instant: boolean;
}

export function dashboardPromTargets(dashboards: Dashboard[]): DashboardPromTarget[] {
  const out: DashboardPromTarget[] = [];
  for (const d of dashboards) {
    for (const panel of d.panels) {
      for (const target of panel.targets ?? []) {
        if (target.datasource.type === 'prometheus') {
          const t = target as PromTarget;
          out.push({ dashboard: d.uid, panelId: panel.id, refId: t.refId, expr: t.expr, instant: t.instant });
        }
      }
    }
  }
  return out;
}

export function substituteVariables(expr: string, vars: { api: string; rangeSeconds: number; rateInterval?: string }): string {
  return expr
    .replace(/\$__range_s/g, String(vars.rangeSeconds))
    .replace(/\$__range/g, `${vars.rangeSeconds}s`)
    .replace(/\$__rate_interval/g, vars.rateInterval ?? '1m')
    .replace(/\$__interval/g, '1m')
    .replace(/\$criticality/g, '.*')
    .replace(/\$provider/g, '.*')
    .replace(/\$location/g, '.*')
    .replace(/\$instance/g, '.*')
    .replace(/\$api/g, vars.api);
}
