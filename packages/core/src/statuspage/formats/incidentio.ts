// incident.io public status pages, through their widget API (`<page>/api/v1/summary`): three
// lists (ongoing_incidents, in_progress_maintenances, scheduled_maintenances), each event
// naming its affected components. The widget API lists no healthy components, so components
// are those named by an event: at the event's worst impact, or at their own current_status
// when the page sends one.
import type { StatusLevel } from '../../contract';
import { componentLabel, mergeComponents } from '../component';
import { buildIncident, compact, derivedIndicator } from '../incident';
import { decodeJson, PayloadError } from '../payload';
import { absoluteUrl, isObject, objects, text, type Json } from '../read';
import type { ComponentStatus, Incident, ParsedStatusPage, StatusPageDocument } from '../types';
import { impactFromLevel, incidentStateFromWord, levelFromWord } from '../vocabulary';

const LISTS = ['ongoing_incidents', 'in_progress_maintenances', 'scheduled_maintenances'] as const;

export function isIncidentioPayload(data: unknown): boolean {
  return isObject(data) && !isObject(data.page) && LISTS.some((k) => Array.isArray(data[k]));
}

/** An affected component's identity: its id, name and group. */
function componentRef(c: Json): Omit<ComponentStatus, 'status'> | null {
  const name = text(c.name);
  if (!name) {
    return null;
  }
  const id = text(c.id);
  const group = text(c.group_name);
  return { ...(id ? { id } : {}), name, ...(group ? { group } : {}) };
}

function eventOf(entry: Json, level: StatusLevel | null, base: string): Incident | null {
  const impactLevel = level ?? levelFromWord(entry.current_worst_impact);
  return buildIncident({
    id: entry.id,
    title: entry.name,
    status: incidentStateFromWord(entry.status),
    impact: impactFromLevel(impactLevel),
    startedAt: entry.started_at ?? entry.starts_at ?? entry.published_at ?? entry.last_update_at,
    resolvedAt: entry.resolved_at,
    url: absoluteUrl(entry.url, base),
    components: objects(entry.affected_components).map((c) => {
      const ref = componentRef(c);
      return ref && componentLabel(ref);
    }),
    updates: [{ at: entry.last_update_at, status: entry.status, text: entry.last_update_message }],
    ...(level === 'maintenance' ? { scheduledUntil: entry.scheduled_end_at ?? entry.ends_at } : {}),
  });
}

export function parseIncidentio(docs: StatusPageDocument[]): ParsedStatusPage {
  const main = docs.find((d) => d.role === 'main');
  if (!main) {
    throw new PayloadError('no summary document');
  }
  const data = decodeJson(main);
  if (!isIncidentioPayload(data)) {
    throw new PayloadError(
      `${main.url}: not an incident.io widget payload (expected "ongoing_incidents", "in_progress_maintenances" or "scheduled_maintenances")`
    );
  }
  const summary = data as Json;
  const base = text(summary.page_url) ?? main.url;
  const comps: ComponentStatus[] = [];
  const incidents = compact(
    objects(summary.ongoing_incidents).map((entry) => {
      const eventLevel = levelFromWord(entry.current_worst_impact);
      for (const c of objects(entry.affected_components)) {
        const ref = componentRef(c);
        if (ref) {
          const own = levelFromWord(c.current_status ?? c.status);
          comps.push({ ...ref, status: own !== 'unknown' ? own : eventLevel });
        }
      }
      return eventOf(entry, null, base);
    })
  );
  const inProgress = compact(
    objects(summary.in_progress_maintenances).map((entry) => {
      for (const c of objects(entry.affected_components)) {
        const ref = componentRef(c);
        if (ref) {
          comps.push({ ...ref, status: 'maintenance' });
        }
      }
      const m = eventOf(entry, 'maintenance', base);
      return m && { ...m, status: m.status === 'unknown' ? 'in_progress' : m.status };
    })
  );
  const scheduled = compact(
    objects(summary.scheduled_maintenances).map((entry) => {
      const m = eventOf(entry, 'maintenance', base);
      return m && { ...m, status: m.status === 'unknown' ? 'scheduled' : m.status };
    })
  );
  // An incident that also touches a component under maintenance: the worse of the two wins.
  const components = mergeComponents(comps);
  const maintenances = [...inProgress, ...scheduled];
  return {
    format: 'incidentio',
    indicator: derivedIndicator(components, incidents, maintenances),
    components,
    incidents,
    maintenances,
  };
}
