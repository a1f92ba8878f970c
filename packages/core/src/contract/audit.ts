// The audit's vocabulary: the finding kinds and severities `apimon audit` reports, the metric
// exports (apimon_audit_finding{kind, severity}), the dashboard and docs/audit.md describe. A
// kind is a stable name: dashboards, alert routes and the monthly report key on it.

/** How much a finding matters, least first. `info` is an inventory line, not a problem. */
export const AUDIT_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

export const AUDIT_CATEGORIES = ['optimisation', 'security', 'advisory'] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

/** Every finding kind with its category and a short title (the dashboard's and the docs' wording). */
export const AUDIT_KINDS = {
  timeout_too_long: { category: 'optimisation', title: 'Timeout longer than the API needs' },
  timeout_too_short: { category: 'optimisation', title: 'Timeout cuts off normal responses' },
  cacheable: { category: 'optimisation', title: 'Responses could be cached' },
  large_payload: { category: 'optimisation', title: 'Large responses' },
  uncompressed: { category: 'optimisation', title: 'Responses not compressed' },
  near_limit_batchable: { category: 'optimisation', title: 'Near the rate limit; the API batches' },
  retry_storm: { category: 'optimisation', title: 'Retry bursts after 429 or 5xx' },
  no_fallback: { category: 'optimisation', title: 'Critical API without a fallback' },
  plain_http: { category: 'security', title: 'Plain HTTP' },
  credentials_in_url: { category: 'security', title: 'Credentials in the URL' },
  basic_auth: { category: 'security', title: 'HTTP Basic authentication' },
  tls_old_protocol: { category: 'security', title: 'Old TLS protocol' },
  tls_weak_cipher: { category: 'security', title: 'Weak TLS cipher' },
  tls_chain_problem: { category: 'security', title: 'Certificate chain does not verify' },
  hsts_missing: { category: 'security', title: 'No HSTS' },
  secret_missing: { category: 'security', title: 'Secret not set' },
  auth_method: { category: 'security', title: 'Authentication method (inventory)' },
  provider_advisory: { category: 'advisory', title: 'Unacknowledged provider advisory' },
} as const satisfies Record<string, { category: AuditCategory; title: string }>;

export type AuditKind = keyof typeof AUDIT_KINDS;
export const AUDIT_KIND_NAMES = Object.keys(AUDIT_KINDS) as AuditKind[];

/** Severity order for sorting and thresholds: critical > high > medium > low > info. */
export const severityRank = (s: AuditSeverity): number => AUDIT_SEVERITIES.indexOf(s);

/** Grafana colour of each severity. */
export const AUDIT_SEVERITY_COLORS: Record<AuditSeverity, string> = {
  info: 'blue',
  low: 'green',
  medium: 'yellow',
  high: 'orange',
  critical: 'red',
};
