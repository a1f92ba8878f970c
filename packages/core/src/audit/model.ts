// A finding: what the audit found about one API (or one of its endpoints), how bad it is, the
// numbers behind it, what to do and what that would gain. The same object is printed by
// `apimon audit`, served by the prober at /api/v1/audit and exported as apimon_audit_finding;
// the monthly report reads the JSON shape.
import { AUDIT_KINDS, severityRank, type AuditCategory, type AuditKind, type AuditSeverity } from '../contract/audit';

/** Numbers (and a few names) behind a finding, by stable key; units are in the key's name. */
export type Evidence = Record<string, number | string | boolean | null>;

export interface EstimatedGain {
  /** The gain in words, with its numbers. */
  text: string;
  /** The same numbers by key (callsPerDay, bytesPerDay, seconds, ...). */
  values: Record<string, number>;
}

export interface Finding {
  api: string;
  /** Empty for a finding about the whole API. */
  endpoint: string;
  kind: AuditKind;
  severity: AuditSeverity;
  category: AuditCategory;
  /** One sentence saying what was found, with its numbers. */
  summary: string;
  evidence: Evidence;
  recommendation: string;
  estimatedGain: EstimatedGain | null;
}

/** A finding without its category, which its kind decides. */
export type FindingInput = Omit<Finding, 'category'>;

export function finding(input: FindingInput): Finding {
  return { ...input, category: AUDIT_KINDS[input.kind].category };
}

/** Worst first, then by API, endpoint and kind: the order every output lists them in. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.api.localeCompare(b.api) ||
      a.endpoint.localeCompare(b.endpoint) ||
      a.kind.localeCompare(b.kind)
  );
}

/** The documented JSON line of `apimon audit --json` (and each element of /api/v1/audit). */
export function findingJson(f: Finding) {
  return {
    api: f.api,
    endpoint: f.endpoint,
    kind: f.kind,
    severity: f.severity,
    category: f.category,
    summary: f.summary,
    evidence: f.evidence,
    recommendation: f.recommendation,
    estimatedGain: f.estimatedGain,
  };
}

export type FindingJson = ReturnType<typeof findingJson>;

/** Counts per severity, for summaries. */
export function countBySeverity(findings: Finding[]): Record<AuditSeverity, number> {
  const out: Record<AuditSeverity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const f of findings) {
    out[f.severity] += 1;
  }
  return out;
}
