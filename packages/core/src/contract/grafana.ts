// The Grafana side of the vocabulary: plugin ids, provisioned data-source uids, dashboard uids
// and the links between them, default intervals, and the colours of status levels and API
// states. The plugin, the provisioning generator and the CLI's links read them from here; the
// plugin.json files must agree (a test checks).
import { STATUS_LEVELS, type StatusLevel } from './metrics';

export const PLUGIN_IDS = {
  app: 'apimon-apimon-app',
  datasource: 'apimon-apimon-datasource',
  panel: 'apimon-healthboard-panel',
} as const;

/** Fixed uids of the provisioned data sources: dashboards and alert rules reference them. */
export const DATASOURCE_UIDS = {
  /** The apimon data source (frontend only). */
  apimon: 'apimon',
  /** Grafana's built-in Prometheus data source on the same store: alert rules and raw PromQL panels. */
  prometheus: 'apimon-prometheus',
} as const;

/** The app's setup page (Grafana's URL for an app plugin page). */
export const APP_SETUP_PATH = `/plugins/${PLUGIN_IDS.app}?page=setup`;

/** How often the store scrapes the prober unless configured otherwise (prometheus/prometheus.yml). */
export const DEFAULT_SCRAPE_INTERVAL = '15s';
export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;

/**
 * The Grafana folder of apimon's dashboards and alert rules, found (or created) by this title
 * by both provisioners: alert-rule provisioning can only name a folder by title (it creates a
 * missing one with a random uid), so the dashboard provider names it by title too.
 */
export const GRAFANA_FOLDER = 'apimon';

/** Auto-refresh of the live dashboards. */
export const DASHBOARD_REFRESH = '1m';

export const DASHBOARD_UIDS = {
  overview: 'apimon-overview',
  api: 'apimon-api',
  rateLimits: 'apimon-ratelimits',
  providers: 'apimon-providers',
  monthly: 'apimon-monthly',
  loadTests: 'apimon-loadtests',
  prober: 'apimon-prober',
  audit: 'apimon-audit',
} as const;

export type DashboardUid = (typeof DASHBOARD_UIDS)[keyof typeof DASHBOARD_UIDS];

/** The provisioned dashboards (dashboards/). Stable uids, so links from the app, the data
 * source, the panel and alert annotations keep working. */
export const DASHBOARDS: ReadonlyArray<{ uid: DashboardUid; title: string; description: string }> = [
  {
    uid: DASHBOARD_UIDS.overview,
    title: 'API health overview',
    description: 'Every third-party API at a glance: health board, worst offenders, provider status, real traffic, unmapped hosts.',
  },
  {
    uid: DASHBOARD_UIDS.api,
    title: 'API detail',
    description:
      'One API: latency against its threshold, phases, errors, rate-limit headroom, TLS, provider incidents, real traffic beside the probes.',
  },
  {
    uid: DASHBOARD_UIDS.rateLimits,
    title: 'Rate limits',
    description: 'Headroom, consumption trend and time to exhaustion of every API; real usage of the documented limits, daily peaks, 429s and the capacity forecast.',
  },
  {
    uid: DASHBOARD_UIDS.providers,
    title: 'Providers',
    description: "What each provider's status page says, and where it disagrees with our probes.",
  },
  {
    uid: DASHBOARD_UIDS.monthly,
    title: 'Monthly report',
    description: 'Last 30 days: p95 against threshold, availability, errors, rate-limit peaks, incidents.',
  },
  {
    uid: DASHBOARD_UIDS.loadTests,
    title: 'Load tests',
    description: 'apimon loadtest runs: latency and errors against offered rate per stage, the knee of every run.',
  },
  {
    uid: DASHBOARD_UIDS.prober,
    title: 'Prober health',
    description:
      'Watch the watcher: each prober up, CPU, memory, GC, event loop, degraded timings, scheduler, reloads, status-page polling.',
  },
  {
    uid: DASHBOARD_UIDS.audit,
    title: 'Audit',
    description: 'Findings of the optimisation and security audit: what to change per API and endpoint, with the evidence (docs/audit.md).',
  },
];

/** A dashboard's path with variables, values URL-encoded. */
export function dashboardUrl(uid: DashboardUid, vars: Record<string, string> = {}): string {
  const query = new URLSearchParams(Object.entries(vars).map(([k, v]) => [`var-${k}`, v])).toString();
  return `/d/${uid}${query ? `?${query}` : ''}`;
}

/** Grafana's template for the dashboard's current time range, appended to keep it. */
export const KEEP_TIME_RANGE = '${__url_time_range}';

/**
 * The API detail dashboard for one API. `api` is written as given, so it may be a template
 * that Grafana (`${__field.labels.api}`), the panel (`${api}`) or an alert (`{{ $labels.api }}`)
 * fills in; encode a literal name with encodeURIComponent first.
 */
export function apiDashboardLink(api: string, options: { keepTime?: boolean; location?: string } = {}): string {
  const location = options.location === undefined ? '' : `&var-location=${options.location}`;
  return `/d/${DASHBOARD_UIDS.api}?var-api=${api}${location}${options.keepTime ? `&${KEEP_TIME_RANGE}` : ''}`;
}

/** The load-test dashboard on one run; `run` is written as given (a template or an encoded id). */
export function loadTestRunLink(run: string, options: { keepTime?: boolean } = {}): string {
  return `/d/${DASHBOARD_UIDS.loadTests}?var-run=${run}${options.keepTime ? `&${KEEP_TIME_RANGE}` : ''}`;
}

/** The prober-health dashboard for one prober (its scrape `instance`); a template such as
 * `{{ $labels.instance }}` is written as given, like apiDashboardLink's. */
export function proberDashboardLink(instance: string): string {
  return `/d/${DASHBOARD_UIDS.prober}?var-instance=${instance}`;
}

/** Grafana colour names of the status levels (Statuspage's own colour scheme). */
export const STATUS_LEVEL_COLORS: Record<StatusLevel, string> = {
  operational: 'green',
  maintenance: 'blue',
  degraded: 'yellow',
  partial_outage: 'orange',
  major_outage: 'red',
  unknown: 'text',
};

/** Grafana value mappings text for each level: "partial outage". */
export const statusLevelText = (level: StatusLevel) => level.replace(/_/g, ' ');

/** The levels with their gauge values, in scale order, unknown (-1) last. */
export const STATUS_LEVEL_SCALE: ReadonlyArray<{ level: StatusLevel; value: number }> = [
  ...STATUS_LEVELS.map((level, value) => ({ level, value })),
  { level: 'unknown', value: -1 },
];
