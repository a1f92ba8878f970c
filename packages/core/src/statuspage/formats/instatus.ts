// Instatus public data: `<page>/summary.json` (page status, active incidents and maintenances)
// and `<page>/v2/components.json` (every component with its status). Instatus writes times
// as ISO strings or as JavaScript Date strings; a maintenance gives its duration in minutes.
import { componentLabel, mergeComponents } from '../component';
import { buildIncident, compact, derivedIndicator } from '../incident';
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
      const id = text(c.id);
      if (name) {
        out.push({ ...(id ? { id } : {}), name, status: levelFromWord(c.status), ...(groupName ? { group: groupName } : {}) });
      }
    }
  };
  walk(objects(isObject(data) ? data.components : data));
  return mergeComponents(out);
}

/** Component id -> label, so incidents name their components as the component list does. */
type Labels = ReadonlyMap<string, string>;

function affected(entry: Json, labels: Labels): Array<string | undefined> {
  return objects(entry.components).map((c) => labels.get(text(c.id) ?? '') ?? text(c.name));
}

function incidentOf(entry: Json, base: string, labels: Labels): Incident | null {
  return buildIncident({
    id: entry.id ?? entry.url,
    title: entry.name,
    status: incidentStateFromWord(entry.status),
    impact: impactFromWord(entry.impact),
    startedAt: entry.started,
    resolvedAt: entry.resolved,
    url: absoluteUrl(entry.url, base),
    components: affected(entry, labels),
    updates: [{ at: entry.updatedAt ?? entry.started, status: entry.status, text: entry.message ?? '' }],
  });
}

function maintenanceOf(entry: Json, base: string, labels: Labels): Incident | null {
  const start = time(entry.start);
  const minutes = num(entry.duration);
  return buildIncident({
    id: entry.id ?? entry.url,
    title: entry.name,
    status: incidentStateFromWord(entry.status),
    impact: 'maintenance',
    startedAt: entry.start,
    url: absoluteUrl(entry.url, base),
    components: affected(entry, labels),
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
  const labels = new Map(components.filter((c) => c.id !== undefined).map((c) => [c.id!, componentLabel(c)]));
  const incidents = compact(objects(summary.activeIncidents).map((e) => incidentOf(e, base, labels)));
  const maintenances = compact(objects(summary.activeMaintenances).map((e) => maintenanceOf(e, base, labels)));
  const stated = levelFromWord(obj(summary.page).status);
  const derived = derivedIndicator(components, incidents, maintenances);
  // "HASISSUES" says something is wrong, not how wrong: the components and incidents tell.
  const indicator = stated === 'degraded' ? worstLevel([stated, derived]) : stated !== 'unknown' ? stated : derived;
  return { format: 'instatus', indicator, components, incidents, maintenances };
}
