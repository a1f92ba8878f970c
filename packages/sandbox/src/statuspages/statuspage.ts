// Atlassian Statuspage v2 public API, served under the page's base URL:
// /api/v2/summary.json (page, status, components, unresolved incidents, upcoming and active
// maintenances), status.json, components.json, incidents.json (recent incidents, resolved too),
// incidents/unresolved.json and scheduled-maintenances[/upcoming|/active].json.
import { json, type StatusDocument } from './document';
import {
  byNewest,
  componentsByRef,
  indicatorOf,
  isActiveMaintenance,
  isOpen,
  isUpcomingMaintenance,
  iso,
  slug,
  type Level,
  type ModelComponent,
  type ModelIncident,
  type ModelMaintenance,
  type RenderContext,
  type StatusModel,
} from './model';

const COMPONENT_WORDS: Record<Level, string> = {
  operational: 'operational',
  maintenance: 'under_maintenance',
  degraded: 'degraded_performance',
  partial_outage: 'partial_outage',
  major_outage: 'major_outage',
};

const INDICATORS: Record<Level, { indicator: string; description: string }> = {
  operational: { indicator: 'none', description: 'All Systems Operational' },
  maintenance: { indicator: 'maintenance', description: 'Service Under Maintenance' },
  degraded: { indicator: 'minor', description: 'Minor Service Outage' },
  partial_outage: { indicator: 'major', description: 'Partial System Outage' },
  major_outage: { indicator: 'critical', description: 'Major System Outage' },
};

function page(model: StatusModel) {
  return {
    id: model.pageId,
    name: model.pageName,
    url: model.pageUrl,
    time_zone: 'Etc/UTC',
    updated_at: iso(model.updatedAt),
  };
}

function componentRows(model: StatusModel): Array<Record<string, unknown>> {
  const created = iso(model.updatedAt - 400 * 86400_000);
  const rows: Array<Record<string, unknown>> = [];
  const groups = new Map<string, ModelComponent[]>();
  for (const c of model.components) {
    if (c.group) {
      groups.set(c.group, [...(groups.get(c.group) ?? []), c]);
    }
  }
  let position = 1;
  const emitted = new Set<string>();
  for (const c of model.components) {
    if (c.group && !emitted.has(c.group)) {
      emitted.add(c.group);
      const members = groups.get(c.group) ?? [];
      const worstMember = members.reduce<Level>((w, m) => (rank(m.status) > rank(w) ? m.status : w), 'operational');
      rows.push({
        id: `grp-${slug(c.group)}`,
        name: c.group,
        status: COMPONENT_WORDS[worstMember],
        created_at: created,
        updated_at: iso(model.updatedAt),
        position: position++,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: model.pageId,
        group: true,
        only_show_if_degraded: false,
        components: members.map((m) => m.id),
      });
    }
    rows.push({
      id: c.id,
      name: c.name,
      status: COMPONENT_WORDS[c.status],
      created_at: created,
      updated_at: iso(model.updatedAt),
      position: position++,
      description: c.description ?? null,
      showcase: true,
      start_date: null,
      group_id: c.group ? `grp-${slug(c.group)}` : null,
      page_id: model.pageId,
      group: false,
      only_show_if_degraded: false,
    });
  }
  return rows;
}

function rank(level: Level): number {
  return ['operational', 'maintenance', 'degraded', 'partial_outage', 'major_outage'].indexOf(level);
}

/** An incident's components as Statuspage lists them: the full component objects, group_id included. */
function componentRefs(model: StatusModel, refs: string[]) {
  const rows = componentRows(model);
  return refs.flatMap((ref) => {
    const found = componentsByRef(model, ref);
    return found.length > 0 ? found.map((c) => rows.find((r) => r.id === c.id)!) : [{ id: slug(ref), name: ref }];
  });
}

/** Statuspage's incident status: "postmortem" once one is published on a resolved incident. */
function incidentStatus(i: ModelIncident): string {
  return i.status === 'resolved' && i.updates[0]?.status === 'postmortem' ? 'postmortem' : i.status;
}

function incidentRow(model: StatusModel, i: ModelIncident) {
  const monitoring = i.updates.find((u) => u.status === 'monitoring');
  return {
    id: i.id,
    name: i.name,
    status: incidentStatus(i),
    created_at: iso(i.startedAt),
    updated_at: iso(i.updates[0]?.at ?? i.startedAt),
    monitoring_at: monitoring ? iso(monitoring.at) : null,
    resolved_at: i.resolvedAt === null ? null : iso(i.resolvedAt),
    impact: i.impact,
    shortlink: `${model.pageUrl}/incidents/${i.id}`,
    started_at: iso(i.startedAt),
    page_id: model.pageId,
    incident_updates: i.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: componentRefs(model, i.components),
    reminder_intervals: null,
  };
}

function maintenanceRow(model: StatusModel, m: ModelMaintenance) {
  return {
    id: m.id,
    name: m.name,
    status: m.status,
    created_at: iso(m.updates[m.updates.length - 1]?.at ?? m.scheduledFor),
    updated_at: iso(m.updates[0]?.at ?? m.scheduledFor),
    monitoring_at: null,
    resolved_at: m.status === 'completed' ? iso(m.scheduledUntil) : null,
    impact: 'maintenance',
    shortlink: `${model.pageUrl}/incidents/${m.id}`,
    started_at: iso(m.scheduledFor),
    page_id: model.pageId,
    incident_updates: m.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: m.id,
      created_at: iso(u.at),
      updated_at: iso(u.at),
      display_at: iso(u.at),
    })),
    components: componentRefs(model, m.components),
    scheduled_for: iso(m.scheduledFor),
    scheduled_until: iso(m.scheduledUntil),
  };
}

/** `path` is relative to the page base, e.g. "/api/v2/summary.json"; null when not a document. */
export function renderStatuspage(model: StatusModel, _ctx: RenderContext, path: string): StatusDocument | null {
  const status = INDICATORS[indicatorOf(model)];
  const incidents = byNewest(model.incidents);
  const maintenances = byNewest(model.maintenances);
  const unresolved = incidents.filter(isOpen).map((i) => incidentRow(model, i));
  const openMaintenances = maintenances.filter((m) => isActiveMaintenance(m) || isUpcomingMaintenance(m));
  switch (path.replace(/\/+$/, '')) {
    case '/api/v2/summary.json':
      return json({
        page: page(model),
        components: componentRows(model),
        incidents: unresolved,
        scheduled_maintenances: openMaintenances.map((m) => maintenanceRow(model, m)),
        status,
      });
    case '/api/v2/status.json':
      return json({ page: page(model), status });
    case '/api/v2/components.json':
      return json({ page: page(model), components: componentRows(model) });
    case '/api/v2/incidents.json':
      return json({ page: page(model), incidents: incidents.slice(0, 50).map((i) => incidentRow(model, i)) });
    case '/api/v2/incidents/unresolved.json':
      return json({ page: page(model), incidents: unresolved });
    case '/api/v2/scheduled-maintenances.json':
      return json({
        page: page(model),
        scheduled_maintenances: maintenances.slice(0, 50).map((m) => maintenanceRow(model, m)),
      });
    case '/api/v2/scheduled-maintenances/upcoming.json':
      return json({
        page: page(model),
        scheduled_maintenances: maintenances.filter(isUpcomingMaintenance).map((m) => maintenanceRow(model, m)),
      });
    case '/api/v2/scheduled-maintenances/active.json':
      return json({
        page: page(model),
        scheduled_maintenances: maintenances.filter(isActiveMaintenance).map((m) => maintenanceRow(model, m)),
      });
    default:
      return null;
  }
}
