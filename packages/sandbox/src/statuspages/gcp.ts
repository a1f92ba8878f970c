// Google Cloud Service Health's public incident history (`status.cloud.google.com/incidents.json`):
// one JSON array of incidents, open and resolved, newest first. Each names its affected products,
// a status_impact (SERVICE_INFORMATION, SERVICE_DISRUPTION, SERVICE_OUTAGE), a severity
// (low, medium, high) and its updates. There is no component list and no maintenance.
import { json, type StatusDocument } from './document';
import {
  byNewest,
  iso,
  labelsOf,
  latestUpdateAt,
  slug,
  type IncidentImpactWord,
  type ModelIncident,
  type RenderContext,
  type StatusModel,
} from './model';

const IMPACTS: Record<IncidentImpactWord, { status_impact: string; severity: string }> = {
  none: { status_impact: 'SERVICE_INFORMATION', severity: 'low' },
  minor: { status_impact: 'SERVICE_INFORMATION', severity: 'low' },
  major: { status_impact: 'SERVICE_DISRUPTION', severity: 'medium' },
  critical: { status_impact: 'SERVICE_OUTAGE', severity: 'high' },
};

const LOCATIONS = [
  { title: 'Belgium (europe-west1)', id: 'europe-west1' },
  { title: 'South Carolina (us-east1)', id: 'us-east1' },
];

/** A GCP-style number: digits only, stable for an incident id. */
function numberOf(id: string): string {
  let n = 7;
  for (const ch of id) {
    n = (n * 31 + ch.charCodeAt(0)) % 1e12;
  }
  return String(n).padStart(12, '0');
}

function incident(model: StatusModel, i: ModelIncident, productPrefix: string) {
  const impact = IMPACTS[i.impact];
  const products = labelsOf(model, i.components).map((name) => ({
    title: `${productPrefix}${name}`,
    id: slug(`${model.pageId}-${name}`),
  }));
  const updates = i.updates.map((u) => ({
    created: iso(u.at),
    modified: iso(u.at),
    when: iso(u.at),
    text: u.body,
    status: u.status === 'resolved' ? 'AVAILABLE' : impact.status_impact,
    affected_locations: LOCATIONS,
  }));
  const open = i.resolvedAt === null && i.status !== 'resolved';
  return {
    id: i.id,
    number: numberOf(i.id),
    begin: iso(i.startedAt),
    created: iso(i.startedAt),
    end: open ? null : iso(i.resolvedAt ?? latestUpdateAt(i)),
    modified: iso(latestUpdateAt(i)),
    external_desc: i.name,
    updates,
    most_recent_update: updates[0] ?? null,
    status_impact: impact.status_impact,
    severity: impact.severity,
    service_key: products[0]?.id ?? model.pageId,
    service_name: products[0]?.title ?? model.pageName,
    affected_products: products,
    uri: `incidents/${i.id}`,
    currently_affected_locations: open ? LOCATIONS : [],
    previously_affected_locations: open ? [] : LOCATIONS,
  };
}

/** One provider's incidents, products named after its components. */
export function renderGcp(model: StatusModel, _ctx: RenderContext): StatusDocument {
  return json(byNewest(model.incidents).map((i) => incident(model, i, '')));
}

/** Every provider in one document, as Google Cloud lists all its products in one: products are
 * named "<provider> <component>". */
export function renderGcpAll(models: Array<{ model: StatusModel; displayName: string }>): StatusDocument {
  const all = models.flatMap(({ model, displayName }) =>
    model.incidents.map((i) => ({ i, startedAt: i.startedAt, row: incident(model, i, `${displayName} `) }))
  );
  return json(byNewest(all).map((x) => x.row));
}
