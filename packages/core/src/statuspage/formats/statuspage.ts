// Atlassian Statuspage v2 public API (also served by many other tools): /api/v2/summary.json
// gives the page indicator, components, unresolved incidents and upcoming or in-progress
// scheduled maintenances; /api/v2/incidents.json adds the recently resolved incidents. A
// catalog may point at status.json (page and indicator only) or components.json (page and
// components) instead: both are the same shape with parts left out. Components are keyed by
// id: groups (rows with "group": true, members naming them in "group_id") often reuse child
// names, and a component is only told apart by its group.
import { componentLabel, mergeComponents } from '../component';
import { buildIncident, compact, derivedIndicator } from '../incident';
import { decodeJson, PayloadError } from '../payload';
import { absoluteUrl, isObject, obj, objects, text, type Json } from '../read';
import type { ComponentStatus, Incident, ParsedStatusPage, StatusPageDocument } from '../types';
import { impactFromWord, incidentStateFromWord, levelFromIndicator, levelFromWord } from '../vocabulary';

export function isStatuspagePayload(data: unknown): boolean {
  if (!isObject(data) || !isObject(data.page)) {
    return false;
  }
  return isObject(data.status) || Array.isArray(data.components) || Array.isArray(data.incidents) || Array.isArray(data.scheduled_maintenances);
}

/** What the page says about its components: every component keyed by id, with its group's name. */
interface ComponentIndex {
  components: ComponentStatus[];
  /** Component id -> label, to name an incident's affected components the same way. */
  labels: Map<string, string>;
  /** Group id -> group name. */
  groups: Map<string, string>;
}

function componentIndex(data: Json): ComponentIndex {
  const entries = objects(data.components);
  const groups = new Map<string, string>();
  const referencedGroups = new Set<string>();
  for (const c of entries) {
    const id = text(c.id);
    const name = text(c.name);
    if (c.group === true && id && name) {
      groups.set(id, name);
    }
    const groupId = text(c.group_id);
    if (groupId) {
      referencedGroups.add(groupId);
    }
  }
  const out: ComponentStatus[] = [];
  for (const c of entries) {
    const name = text(c.name);
    const id = text(c.id);
    // A group's own row only repeats its members' worst status; keep it when it has none listed.
    if (!name || (c.group === true && id && referencedGroups.has(id))) {
      continue;
    }
    const group = groups.get(text(c.group_id) ?? '');
    out.push({ ...(id ? { id } : {}), name, status: levelFromWord(c.status), ...(group ? { group } : {}) });
  }
  const components = mergeComponents(out);
  const labels = new Map(components.filter((c) => c.id !== undefined).map((c) => [c.id!, componentLabel(c)]));
  return { components, labels, groups };
}

/** An incident's affected component as the page's component list names it; its own name and
 * group as a fallback (incidents.json alone, or a component since removed from the page). */
function affectedLabel(ref: Json, index: ComponentIndex): string | undefined {
  const id = text(ref.id);
  const known = id ? index.labels.get(id) : undefined;
  if (known) {
    return known;
  }
  const name = text(ref.name);
  const group = index.groups.get(text(ref.group_id) ?? '');
  return name && componentLabel({ name, group });
}

function incidentOf(entry: Json, pageUrl: string | undefined, maintenance: boolean, index: ComponentIndex): Incident | null {
  const id = text(entry.id);
  return buildIncident({
    id,
    title: entry.name,
    status: incidentStateFromWord(entry.status),
    impact: maintenance && text(entry.impact) === undefined ? 'maintenance' : impactFromWord(entry.impact),
    startedAt: maintenance ? (entry.scheduled_for ?? entry.started_at ?? entry.created_at) : (entry.started_at ?? entry.created_at),
    resolvedAt: entry.resolved_at,
    // Statuspage links maintenances under /incidents/ too.
    url:
      absoluteUrl(entry.shortlink) ??
      (pageUrl && id ? absoluteUrl(`incidents/${encodeURIComponent(id)}`, `${pageUrl.replace(/\/+$/, '')}/`) : undefined),
    components: objects(entry.components).map((c) => affectedLabel(c, index)),
    updates: objects(entry.incident_updates).map((u) => ({ at: u.display_at ?? u.created_at, status: u.status, text: u.body })),
    ...(maintenance ? { scheduledUntil: entry.scheduled_until } : {}),
  });
}

/** Merge incident lists by id; later lists (incidents.json) complete earlier ones. */
function mergeById(lists: Incident[][]): Incident[] {
  const byId = new Map<string, Incident>();
  for (const items of lists) {
    for (const i of items) {
      const seen = byId.get(i.id);
      byId.set(i.id, seen && seen.updates.length > i.updates.length ? seen : i);
    }
  }
  return [...byId.values()].sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
}

export function parseStatuspage(docs: StatusPageDocument[]): ParsedStatusPage {
  const main = docs.find((d) => d.role === 'main');
  if (!main) {
    throw new PayloadError('no summary document');
  }
  const data = decodeJson(main);
  if (!isStatuspagePayload(data)) {
    throw new PayloadError(`${main.url}: not a Statuspage v2 payload (expected an object with "page" and "status", "components" or "incidents")`);
  }
  const summary = data as Json;
  const pageUrl = text(obj(summary.page).url);
  const index = componentIndex(summary);
  const comps = index.components;
  const extra = docs.find((d) => d.role === 'incidents');
  let history: Incident[] = [];
  if (extra) {
    const more = decodeJson(extra);
    if (isObject(more)) {
      history = compact(objects(more.incidents).map((e) => incidentOf(e, pageUrl, false, index)));
    }
  }
  const incidents = mergeById([compact(objects(summary.incidents).map((e) => incidentOf(e, pageUrl, false, index))), history]);
  const maintenances = mergeById([compact(objects(summary.scheduled_maintenances).map((e) => incidentOf(e, pageUrl, true, index)))]);
  const stated = isObject(summary.status) ? levelFromIndicator(summary.status.indicator) : 'unknown';
  return {
    format: 'statuspage',
    indicator: stated !== 'unknown' ? stated : derivedIndicator(comps, incidents, maintenances),
    components: comps,
    incidents,
    maintenances,
  };
}
