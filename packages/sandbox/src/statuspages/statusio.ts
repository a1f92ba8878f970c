// status.io Public Status API (`https://api.status.io/1.0/status/<page id>`): an overall
// status, components with their containers (here: the provider's regions), unresolved
// incidents with their messages, and active and upcoming maintenances. Status codes:
// 100 Operational, 200 Planned Maintenance, 300 Degraded Performance, 400 Partial Service
// Disruption, 500 Service Disruption. Message states: 100 investigating, 200 identified,
// 300 monitoring.
import { json, type StatusDocument } from './document';
import {
  byNewest,
  componentsByRef,
  impactLevel,
  indicatorOf,
  isActiveMaintenance,
  isOpen,
  isUpcomingMaintenance,
  iso,
  type IncidentStatus,
  type Level,
  type ModelMaintenance,
  type RenderContext,
  type StatusModel,
} from './model';

const CODES: Record<Level, { status: string; status_code: number }> = {
  operational: { status: 'Operational', status_code: 100 },
  maintenance: { status: 'Planned Maintenance', status_code: 200 },
  degraded: { status: 'Degraded Performance', status_code: 300 },
  partial_outage: { status: 'Partial Service Disruption', status_code: 400 },
  major_outage: { status: 'Service Disruption', status_code: 500 },
};

const STATES: Record<IncidentStatus, number> = { investigating: 100, identified: 200, monitoring: 300, resolved: 300 };

export const STATUSIO_CONTAINERS = ['EU-West', 'US-East'];

function containerId(component: string, container: string): string {
  return `${component}-${container}`.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function affected(model: StatusModel, refs: string[]) {
  return refs.flatMap((ref) => {
    const found = componentsByRef(model, ref);
    return found.length === 0 ? [{ _id: ref, name: ref }] : found.map((c) => ({ _id: c.id, name: c.name }));
  });
}

function containersAffected() {
  return STATUSIO_CONTAINERS.map((name) => ({ _id: name.toLowerCase(), name }));
}

function maintenance(model: StatusModel, m: ModelMaintenance) {
  return {
    _id: m.id,
    name: m.name,
    datetime_open: iso(m.updates[m.updates.length - 1]?.at ?? m.scheduledFor),
    datetime_planned_start: iso(m.scheduledFor),
    datetime_planned_end: iso(m.scheduledUntil),
    messages: m.updates.map((u) => ({ _id: u.id, details: u.body, datetime: iso(u.at), state: 100, status: 200 })),
    components_affected: affected(model, m.components),
    containers_affected: containersAffected(),
  };
}

export function renderStatusio(model: StatusModel, _ctx: RenderContext): StatusDocument {
  return json({
    result: {
      status_overall: { updated: iso(model.updatedAt), ...CODES[indicatorOf(model)] },
      status: model.components.map((c) => ({
        id: c.id,
        name: c.name,
        updated: iso(model.updatedAt),
        ...CODES[c.status],
        containers: STATUSIO_CONTAINERS.map((name) => ({
          id: containerId(c.id, name),
          name,
          updated: iso(model.updatedAt),
          ...CODES[c.status],
        })),
      })),
      incidents: byNewest(model.incidents)
        .filter(isOpen)
        .map((i) => ({
          _id: i.id,
          name: i.name,
          datetime_open: iso(i.startedAt),
          messages: [...i.updates].reverse().map((u) => ({
            _id: u.id,
            details: u.body,
            datetime: iso(u.at),
            state: STATES[u.status as IncidentStatus] ?? 100,
            status: CODES[impactLevel(i.impact)].status_code,
          })),
          components_affected: affected(model, i.components),
          containers_affected: containersAffected(),
        })),
      maintenance: {
        active: model.maintenances.filter(isActiveMaintenance).map((m) => maintenance(model, m)),
        upcoming: model.maintenances.filter(isUpcomingMaintenance).map((m) => maintenance(model, m)),
      },
    },
  });
}
