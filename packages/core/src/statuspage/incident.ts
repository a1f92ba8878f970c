// Helpers shared by every format parser: building incidents and components in the normal
// form, and deriving an overall indicator when a page does not publish one.
import type { IncidentImpact, StatusLevel } from '../contract';
import { htmlToText, text, time } from './read';
import type { ComponentStatus, Incident, IncidentUpdate } from './types';
import { levelFromImpact, worstLevel, type IncidentState } from './vocabulary';

const CLOSED_STATES = new Set(['resolved', 'completed']);

/** Open: not resolved and not closed by its lifecycle word. Scheduled maintenances count as open
 * (announced, not over); callers who need "in progress" check the status. */
export function isOpenIncident(incident: Incident): boolean {
  return incident.resolvedAt === null && !CLOSED_STATES.has(incident.status);
}

export interface IncidentInput {
  id: unknown;
  title: unknown;
  status: IncidentState;
  impact: IncidentImpact;
  startedAt: unknown;
  resolvedAt?: unknown;
  url?: string;
  components?: unknown[];
  updates?: Array<{ at: unknown; status?: unknown; text: unknown }>;
  scheduledUntil?: unknown;
}

/** Returns null for an entry with neither id nor title: nothing a user could recognise. */
export function buildIncident(input: IncidentInput): Incident | null {
  const title = htmlToText(input.title, 300) || undefined;
  const id = text(input.id) ?? title;
  if (!id) {
    return null;
  }
  const updates: IncidentUpdate[] = [];
  for (const u of input.updates ?? []) {
    const at = time(u.at);
    const body = htmlToText(u.text);
    if (at === null && !body) {
      continue;
    }
    const status = text(u.status);
    updates.push({ at: at ?? 0, ...(status ? { status } : {}), text: body });
  }
  updates.sort((a, b) => b.at - a.at);
  let resolvedAt = time(input.resolvedAt);
  const startedAt = time(input.startedAt) ?? (updates.length > 0 ? updates[updates.length - 1].at || null : null);
  // A page that says "resolved" without a time: the last update is the best end we have.
  if (resolvedAt === null && CLOSED_STATES.has(input.status) && updates.length > 0 && updates[0].at > 0) {
    resolvedAt = updates[0].at;
  }
  const components = [...new Set((input.components ?? []).map((c) => text(c)).filter((c): c is string => !!c))];
  const incident: Incident = {
    id,
    title: title ?? id,
    status: input.status,
    impact: input.impact,
    startedAt,
    resolvedAt,
    components,
    updates,
  };
  if (input.url) {
    incident.url = input.url;
  }
  if (input.scheduledUntil !== undefined) {
    incident.scheduledUntil = time(input.scheduledUntil);
  }
  return incident;
}

export function compact<T>(items: Array<T | null>): T[] {
  return items.filter((i): i is T => i !== null);
}

/** Level an open incident contributes to the page: its impact, at least degraded when unknown. */
export function incidentLevel(incident: Incident): StatusLevel {
  const level = levelFromImpact(incident.impact);
  return level === 'unknown' ? 'degraded' : level;
}

/** Worst of the components, the open incidents and any maintenance in progress. */
export function derivedIndicator(components: ComponentStatus[], incidents: Incident[], maintenances: Incident[]): StatusLevel {
  const levels: StatusLevel[] = components.map((c) => c.status);
  for (const i of incidents) {
    if (isOpenIncident(i)) {
      levels.push(incidentLevel(i));
    }
  }
  if (maintenances.some((m) => m.status === 'in_progress')) {
    levels.push('maintenance');
  }
  return worstLevel(levels);
}
