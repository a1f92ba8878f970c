// incident.io public status page widget API (`<page>/api/v1/summary`): three lists of events
// (ongoing_incidents, in_progress_maintenances, scheduled_maintenances), each naming its affected
// components. Healthy components and resolved incidents are not listed: an all-clear page is
// three empty lists.
import { json, type StatusDocument } from './document';
import {
  byNewest,
  componentsByRef,
  isActiveMaintenance,
  isOpen,
  isUpcomingMaintenance,
  iso,
  latestUpdateAt,
  type IncidentImpactWord,
  type ModelMaintenance,
  type RenderContext,
  type StatusModel,
} from './model';

const IMPACT_WORDS: Record<IncidentImpactWord, string> = {
  none: 'degraded_performance',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'full_outage',
};

const COMPONENT_WORDS = {
  operational: 'operational',
  maintenance: 'under_maintenance',
  degraded: 'degraded_performance',
  partial_outage: 'partial_outage',
  major_outage: 'full_outage',
} as const;

function affected(model: StatusModel, refs: string[]) {
  return refs.flatMap((ref) => {
    const found = componentsByRef(model, ref);
    return found.length === 0
      ? [{ id: ref, name: ref }]
      : found.map((c) => ({
          id: c.id,
          name: c.name,
          ...(c.group ? { group_name: c.group } : {}),
          current_status: COMPONENT_WORDS[c.status],
        }));
  });
}

function maintenance(model: StatusModel, m: ModelMaintenance, active: boolean) {
  return {
    id: m.id,
    name: m.name,
    status: active ? 'maintenance_in_progress' : 'maintenance_scheduled',
    url: `${model.pageUrl}/incidents/${m.id}`,
    last_update_at: iso(latestUpdateAt(m)),
    last_update_message: m.updates[0]?.body ?? '',
    affected_components: affected(model, m.components),
    ...(active
      ? { started_at: iso(m.scheduledFor), scheduled_end_at: iso(m.scheduledUntil) }
      : { starts_at: iso(m.scheduledFor), ends_at: iso(m.scheduledUntil) }),
  };
}

export function renderIncidentio(model: StatusModel, _ctx: RenderContext, path: string): StatusDocument | null {
  if (path.replace(/\/+$/, '') !== '/api/v1/summary') {
    return null;
  }
  return json({
    page_title: model.pageName,
    page_url: model.pageUrl,
    ongoing_incidents: byNewest(model.incidents)
      .filter(isOpen)
      .map((i) => ({
        id: i.id,
        name: i.name,
        status: i.status,
        url: `${model.pageUrl}/incidents/${i.id}`,
        published_at: iso(i.startedAt),
        last_update_at: iso(latestUpdateAt(i)),
        last_update_message: i.updates[0]?.body ?? '',
        current_worst_impact: IMPACT_WORDS[i.impact],
        affected_components: affected(model, i.components),
      })),
    in_progress_maintenances: model.maintenances.filter(isActiveMaintenance).map((m) => maintenance(model, m, true)),
    scheduled_maintenances: model.maintenances.filter(isUpcomingMaintenance).map((m) => maintenance(model, m, false)),
  });
}
