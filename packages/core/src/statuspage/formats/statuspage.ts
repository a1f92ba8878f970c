// Atlassian Statuspage v2 public API (also served by many other tools): /api/v2/summary.json
// gives the page indicator, components, unresolved incidents and upcoming or in-progress
// scheduled maintenances; /api/v2/incidents.json adds the recently resolved incidents.
import { buildIncident, compact, derivedIndicator, mergeComponents } from '../incident';
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

function components(data: Json): ComponentStatus[] {
  const entries = objects(data.components);
  const groupNames = new Map<string, string>();
  const referencedGroups = new Set<string>();
  for (const c of entries) {
    const id = text(c.id);
    const name = text(c.name);
    if (c.group === true && id && name) {
      groupNames.set(id, name);
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
    const group = groupNames.get(text(c.group_id) ?? '');
    out.push({ name, status: levelFromWord(c.status), ...(group ? { group } : {}) });
  }
  return mergeComponents(out);
}

function incidentOf(entry: Json, pageUrl: string | undefined, maintenance: boolean): Incident | null {
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
    components: objects(entry.components).map((c) => c.name),
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
  const extra = docs.find((d) => d.role === 'incidents');
  let history: Incident[] = [];
  if (extra) {
    const more = decodeJson(extra);
    if (isObject(more)) {
      history = compact(objects(more.incidents).map((e) => incidentOf(e, pageUrl, false)));
    }
  }
  const comps = components(summary);
  const incidents = mergeById([compact(objects(summary.incidents).map((e) => incidentOf(e, pageUrl, false))), history]);
  const maintenances = mergeById([compact(objects(summary.scheduled_maintenances).map((e) => incidentOf(e, pageUrl, true)))]);
  const stated = isObject(summary.status) ? levelFromIndicator(summary.status.indicator) : 'unknown';
  return {
    format: 'statuspage',
    indicator: stated !== 'unknown' ? stated : derivedIndicator(comps, incidents, maintenances),
    components: comps,
    incidents,
    maintenances,
  };
}
