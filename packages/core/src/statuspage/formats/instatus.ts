// Instatus public data: `<page>/summary.json` (page status, active incidents and maintenances)
// and `<page>/v2/components.json` (every component with its status). Instatus writes times
// as ISO strings or as JavaScript Date strings; a maintenance gives its duration in minutes.
import { buildIncident, compact, derivedIndicator, mergeComponents } from '../incident';
import { decodeJson, PayloadError } from '../payload';
import { absoluteUrl, isObject, num, obj, objects, text, time, type Json } from '../read';
import type { ComponentStatus, Incident, ParsedStatusPage, StatusPageDocument } from '../types';
import { impactFromWord, incidentStateFromWord, levelFromWord, worstLevel } from '../vocabulary';

export function isInstatusPayload(data: unknown): boolean {
  return (
    isObject(data) &&
    isObject(data.page) &&
    (Array.isArray(data.activeIncidents) || Array.isArray(data.activeMaintenances) || typeof data.page.status === 'string') &&
    !isObject(data.status)
  );
}

function componentsOf(data: unknown): ComponentStatus[] {
  const out: ComponentStatus[] = [];
  const walk = (entries: Json[], group?: string) => {
    for (const c of entries) {
      const name = text(c.name);
      const children = objects(c.children ?? c.components);
      if (name && children.length > 0) {
        walk(children, name);
        continue;
      }
      const groupName = group ?? (isObject(c.group) ? text(c.group.name) : text(c.group));
      if (name) {
        out.push({ name, status: levelFromWord(c.status), ...(groupName ? { group: groupName } : {}) });
      }
    }
  };
  walk(objects(isObject(data) ? data.components : data));
  return mergeComponents(out);
}

function incidentOf(entry: Json, base: string): Incident | null {
  return buildIncident({
    id: entry.id ?? entry.url,
    title: entry.name,
    status: incidentStateFromWord(entry.status),
    impact: impactFromWord(entry.impact),
    startedAt: entry.started,
    resolvedAt: entry.resolved,
    url: absoluteUrl(entry.url, base),
    components: objects(entry.components).map((c) => c.name),
    updates: [{ at: entry.updatedAt ?? entry.started, status: entry.status, text: entry.message ?? '' }],
  });
}

function maintenanceOf(entry: Json, base: string): Incident | null {
  const start = time(entry.start);
  const minutes = num(entry.duration);
  return buildIncident({
    id: entry.id ?? entry.url,
    title: entry.name,
    status: incidentStateFromWord(entry.status),
    impact: 'maintenance',
    startedAt: entry.start,
    url: absoluteUrl(entry.url, base),
    components: objects(entry.components).map((c) => c.name),
    updates: [],
    scheduledUntil: start !== null && minutes !== undefined ? start + minutes * 60_000 : null,
  });
}

export function parseInstatus(docs: StatusPageDocument[]): ParsedStatusPage {
  const main = docs.find((d) => d.role === 'main');
  if (!main) {
    throw new PayloadError('no summary document');
  }
  const data = decodeJson(main);
  if (!isInstatusPayload(data)) {
    throw new PayloadError(`${main.url}: not an Instatus summary (expected "page" with "activeIncidents" or "activeMaintenances")`);
  }
  const summary = data as Json;
  const base = text(obj(summary.page).url) ?? main.url;
  const componentsDoc = docs.find((d) => d.role === 'components');
  const components = componentsDoc ? componentsOf(decodeJson(componentsDoc)) : [];
  const incidents = compact(objects(summary.activeIncidents).map((e) => incidentOf(e, base)));
  const maintenances = compact(objects(summary.activeMaintenances).map((e) => maintenanceOf(e, base)));
  const stated = levelFromWord(obj(summary.page).status);
  const derived = derivedIndicator(components, incidents, maintenances);
  // "HASISSUES" says something is wrong, not how wrong: the components and incidents tell.
  const indicator = stated === 'degraded' ? worstLevel([stated, derived]) : stated !== 'unknown' ? stated : derived;
  return { format: 'instatus', indicator, components, incidents, maintenances };
}
