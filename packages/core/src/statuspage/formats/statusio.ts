// status.io Public Status API (`https://api.status.io/1.0/status/<page id>`): an overall status,
// components with their containers (regions, data centres), active incidents and active or
// upcoming maintenances. Status codes: 100 operational, 200 planned maintenance, 300 degraded
// performance, 400 partial service disruption, 500 service disruption, 600 security event.
import type { StatusLevel } from '../../contract';
import { mergeComponents } from '../component';
import { buildIncident, compact, derivedIndicator } from '../incident';
import { decodeJson, PayloadError } from '../payload';
import { isObject, num, obj, objects, text, time, type Json } from '../read';
import type { ComponentStatus, Incident, ParsedStatusPage, StatusPageDocument } from '../types';
import { impactFromLevel, incidentStateFromStatusioCode, levelFromWord, STATUSIO_CODES } from '../vocabulary';

export function isStatusioPayload(data: unknown): boolean {
  return isObject(data) && isObject(data.result) && (isObject(data.result.status_overall) || Array.isArray(data.result.status));
}

function levelOf(entry: Json): StatusLevel {
  const code = num(entry.status_code ?? entry.status);
  const byCode = code !== undefined ? STATUSIO_CODES[code] : undefined;
  return byCode ?? levelFromWord(entry.status);
}

function affected(entry: Json): string[] {
  return objects(entry.components_affected).map((c) => text(c.name)).filter((n): n is string => !!n);
}

function latestMessage(entry: Json): Json {
  return objects(entry.messages).reduce<Json>((latest, m) => ((time(m.datetime) ?? 0) >= (time(latest.datetime) ?? 0) ? m : latest), {});
}

function incidentOf(entry: Json): Incident | null {
  const latest = latestMessage(entry);
  const level = levelOf({ status_code: latest.status ?? entry.status_code, status: entry.status });
  return buildIncident({
    id: entry._id ?? entry.id,
    title: entry.name,
    status: incidentStateFromStatusioCode(num(latest.state ?? entry.state)),
    impact: impactFromLevel(level),
    startedAt: entry.datetime_open,
    resolvedAt: entry.datetime_resolved,
    components: affected(entry),
    updates: objects(entry.messages).map((m) => ({ at: m.datetime, text: m.details })),
  });
}

function maintenanceOf(entry: Json, active: boolean): Incident | null {
  return buildIncident({
    id: entry._id ?? entry.id,
    title: entry.name,
    status: active ? 'in_progress' : 'scheduled',
    impact: 'maintenance',
    startedAt: entry.datetime_planned_start ?? entry.datetime_open,
    components: affected(entry),
    updates: objects(entry.messages).map((m) => ({ at: m.datetime, text: m.details })),
    scheduledUntil: entry.datetime_planned_end,
  });
}

export function parseStatusio(docs: StatusPageDocument[]): ParsedStatusPage {
  const main = docs.find((d) => d.role === 'main');
  if (!main) {
    throw new PayloadError('no status document');
  }
  const data = decodeJson(main);
  if (!isStatusioPayload(data)) {
    throw new PayloadError(`${main.url}: not a status.io payload (expected "result" with "status_overall" or "status")`);
  }
  const result = obj((data as Json).result);
  const comps: ComponentStatus[] = [];
  for (const c of objects(result.status)) {
    const name = text(c.name);
    if (!name) {
      continue;
    }
    const id = text(c.id);
    comps.push({ ...(id ? { id } : {}), name, status: levelOf(c) });
    // A container (region) is shared by many components: its id is not the component's.
    for (const container of objects(c.containers)) {
      const cname = text(container.name);
      if (cname) {
        comps.push({ name: cname, status: levelOf(container), group: name });
      }
    }
  }
  const components = mergeComponents(comps);
  const incidents = compact(objects(result.incidents).map(incidentOf));
  const maintenance = obj(result.maintenance);
  const maintenances = [
    ...compact(objects(maintenance.active).map((m) => maintenanceOf(m, true))),
    ...compact(objects(maintenance.upcoming).map((m) => maintenanceOf(m, false))),
  ];
  const stated = isObject(result.status_overall) ? levelOf(result.status_overall) : 'unknown';
  return {
    format: 'statusio',
    indicator: stated !== 'unknown' ? stated : derivedIndicator(components, incidents, maintenances),
    components,
    incidents,
    maintenances,
  };
}
