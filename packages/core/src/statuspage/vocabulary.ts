// One vocabulary for every status page: each provider's words for component health, page
// indicators, incident impact and incident lifecycle are mapped here, and only here. A word
// we have never seen becomes `unknown`; it is data, never an error.
import { STATUS_LEVELS, type IncidentImpact, type StatusLevel } from '../contract';

/** Lower-case and drop everything but letters and digits: "Degraded Performance",
 * "degraded_performance" and "DEGRADEDPERFORMANCE" all become "degradedperformance". */
export function wordKey(word: unknown): string {
  return typeof word === 'string' ? word.toLowerCase().replace(/[^a-z0-9]/g, '') : '';
}

/** Component / page health words of every supported format, by wordKey. */
export const LEVEL_WORDS: Readonly<Record<string, StatusLevel>> = {
  // Atlassian Statuspage component status
  operational: 'operational',
  undermaintenance: 'maintenance',
  degradedperformance: 'degraded',
  partialoutage: 'partial_outage',
  majoroutage: 'major_outage',
  // incident.io
  fulloutage: 'major_outage',
  // Instatus page and component status
  up: 'operational',
  hasissues: 'degraded',
  minoroutage: 'partial_outage',
  // status.io status text
  plannedmaintenance: 'maintenance',
  partialservicedisruption: 'partial_outage',
  servicedisruption: 'major_outage',
  securityevent: 'major_outage',
  // Google Cloud status_impact / update status
  available: 'operational',
  serviceinformation: 'degraded',
  serviceoutage: 'major_outage',
  // the normal form itself and common words of smaller pages
  maintenance: 'maintenance',
  degraded: 'degraded',
  outage: 'major_outage',
  down: 'major_outage',
  ok: 'operational',
};

/** status.io numeric status codes (its public API documents 100..600). */
export const STATUSIO_CODES: Readonly<Record<number, StatusLevel>> = {
  100: 'operational',
  200: 'maintenance',
  300: 'degraded',
  400: 'partial_outage',
  500: 'major_outage',
  600: 'major_outage',
};

/** Statuspage page indicator / incident impact -> level, and the same words used by others. */
const IMPACT_TO_LEVEL: Readonly<Record<IncidentImpact, StatusLevel>> = {
  none: 'operational',
  minor: 'degraded',
  major: 'partial_outage',
  critical: 'major_outage',
  maintenance: 'maintenance',
  unknown: 'unknown',
};

const LEVEL_TO_IMPACT: Readonly<Record<StatusLevel, IncidentImpact>> = {
  operational: 'none',
  maintenance: 'maintenance',
  degraded: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
  unknown: 'unknown',
};

/** Any health word -> level; unknown words (and non-strings) -> 'unknown'. */
export function levelFromWord(word: unknown): StatusLevel {
  return LEVEL_WORDS[wordKey(word)] ?? 'unknown';
}

export function levelFromImpact(impact: IncidentImpact): StatusLevel {
  return IMPACT_TO_LEVEL[impact];
}

export function impactFromLevel(level: StatusLevel): IncidentImpact {
  return LEVEL_TO_IMPACT[level];
}

/** Impact words: Statuspage's none/minor/major/critical/maintenance, or any health word. */
export function impactFromWord(word: unknown): IncidentImpact {
  const key = wordKey(word);
  switch (key) {
    case 'none':
    case 'minor':
    case 'major':
    case 'critical':
    case 'maintenance':
      return key;
    // Google Cloud severity
    case 'low':
      return 'minor';
    case 'medium':
      return 'major';
    case 'high':
      return 'critical';
  }
  const level = LEVEL_WORDS[key];
  return level ? impactFromLevel(level) : 'unknown';
}

/** Statuspage page indicator -> level (none, minor, major, critical, maintenance). */
export function levelFromIndicator(word: unknown): StatusLevel {
  const key = wordKey(word);
  if (key === 'none' || key === 'minor' || key === 'major' || key === 'critical' || key === 'maintenance') {
    return levelFromImpact(key);
  }
  return levelFromWord(word);
}

export const INCIDENT_STATES = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
  'scheduled',
  'in_progress',
  'completed',
  'unknown',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

const STATE_WORDS: Readonly<Record<string, IncidentState>> = {
  investigating: 'investigating',
  identified: 'identified',
  monitoring: 'monitoring',
  resolved: 'resolved',
  postmortem: 'resolved',
  closed: 'resolved',
  scheduled: 'scheduled',
  notstartedyet: 'scheduled',
  maintenancescheduled: 'scheduled',
  inprogress: 'in_progress',
  maintenanceinprogress: 'in_progress',
  verifying: 'in_progress',
  completed: 'completed',
  maintenancecomplete: 'completed',
};

/** Lifecycle words of every format (Statuspage, incident.io, Instatus) -> normal form. */
export function incidentStateFromWord(word: unknown): IncidentState {
  return STATE_WORDS[wordKey(word)] ?? 'unknown';
}

/** status.io message state codes: 100 investigating, 200 identified, 300 monitoring. */
export function incidentStateFromStatusioCode(code: unknown): IncidentState {
  return code === 100 ? 'investigating' : code === 200 ? 'identified' : code === 300 ? 'monitoring' : 'unknown';
}

const SEVERITY: Readonly<Record<StatusLevel, number>> = {
  operational: 0,
  maintenance: 1,
  degraded: 2,
  partial_outage: 3,
  major_outage: 4,
  unknown: -1,
};

/** The worst known level; 'unknown' only when nothing known is given; operational for none. */
export function worstLevel(levels: Iterable<StatusLevel>): StatusLevel {
  let worst: StatusLevel | null = null;
  let sawUnknown = false;
  for (const level of levels) {
    if (level === 'unknown') {
      sawUnknown = true;
    } else if (worst === null || SEVERITY[level] > SEVERITY[worst]) {
      worst = level;
    }
  }
  return worst ?? (sawUnknown ? 'unknown' : 'operational');
}

export function levelSeverity(level: StatusLevel): number {
  return SEVERITY[level];
}

export function isStatusLevel(value: unknown): value is StatusLevel {
  return value === 'unknown' || (STATUS_LEVELS as readonly unknown[]).includes(value);
}
