// The provisioned dashboards (see dashboards/ and provisioning/dashboards/). Stable uids, so
// links from the app, the data source and alert annotations keep working.
export const DASHBOARDS = [
  { uid: 'apimon-overview', title: 'API health overview', description: 'Every third-party API at a glance: health board, worst offenders, provider status.' },
  { uid: 'apimon-api', title: 'API detail', description: 'One API: latency against its threshold, phases, errors, rate-limit headroom, TLS, provider incidents.' },
  { uid: 'apimon-ratelimits', title: 'Rate limits', description: 'Headroom, consumption trend and time to exhaustion of every API.' },
  { uid: 'apimon-providers', title: 'Providers', description: 'What each provider\'s status page says, and where it disagrees with our probes.' },
  { uid: 'apimon-monthly', title: 'Monthly report', description: 'Last 30 days: p95 against threshold, availability, errors, rate-limit peaks, incidents.' },
] as const;

export function dashboardUrl(uid: string, vars: Record<string, string> = {}): string {
  const query = new URLSearchParams(Object.entries(vars).map(([k, v]) => [`var-${k}`, v])).toString();
  return `/d/${uid}${query ? `?${query}` : ''}`;
}
