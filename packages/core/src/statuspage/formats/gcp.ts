// Google Cloud's public incident history (`https://status.cloud.google.com/incidents.json`):
// a JSON array of incidents, each with begin/end, a description, updates, a status_impact
// (SERVICE_INFORMATION, SERVICE_DISRUPTION, SERVICE_OUTAGE), a severity and the affected
// products. There is no component list, so components are the products named by incidents:
// at the impact of their open incidents, operational otherwise. GCP publishes no lifecycle
// word, so an open incident's status is "unknown" and a closed one "resolved".
import type { StatusLevel } from '../../contract';
import { mergeComponents } from '../component';
import { buildIncident, compact, incidentLevel, isOpenIncident } from '../incident';
import { decodeJson, PayloadError } from '../payload';
import { absoluteUrl, isObject, list, obj, objects, text, type Json } from '../read';
import type { ComponentStatus, Incident, ParsedStatusPage, StatusPageDocument } from '../types';
import { impactFromLevel, impactFromWord, levelFromWord, worstLevel } from '../vocabulary';

export function isGcpPayload(data: unknown): boolean {
  return Array.isArray(data) && data.every((e) => isObject(e) && ('external_desc' in e || 'service_name' in e || 'begin' in e));
}

// Google's own scale: information < disruption < outage. (status.io's "Service Disruption"
// is its worst level; here a disruption is the middle one.)
const GCP_IMPACT: Readonly<Record<string, StatusLevel>> = {
  SERVICE_INFORMATION: 'degraded',
  SERVICE_DISRUPTION: 'partial_outage',
  SERVICE_OUTAGE: 'major_outage',
  AVAILABLE: 'operational',
};

function gcpLevel(word: unknown): StatusLevel {
  return (typeof word === 'string' ? GCP_IMPACT[word.trim().toUpperCase()] : undefined) ?? levelFromWord(word);
}

function productsOf(entry: Json): string[] {
  const products = objects(entry.affected_products).map((p) => text(p.title)).filter((t): t is string => !!t);
  const service = text(entry.service_name);
  return products.length > 0 ? products : service ? [service] : [];
}

function incidentOf(entry: Json, base: string): Incident | null {
  const latest = obj(entry.most_recent_update);
  const level = gcpLevel(entry.status_impact);
  const impact = level !== 'unknown' ? impactFromLevel(level) : impactFromWord(entry.severity);
  const ended = text(entry.end) !== undefined;
  const updates = objects(entry.updates).length > 0 ? objects(entry.updates) : Object.keys(latest).length > 0 ? [latest] : [];
  return buildIncident({
    id: entry.id ?? entry.number,
    title: entry.external_desc,
    status: ended ? 'resolved' : 'unknown',
    impact,
    startedAt: entry.begin ?? entry.created,
    resolvedAt: entry.end,
    url: absoluteUrl(entry.uri, base) ?? absoluteUrl(`incidents/${text(entry.id) ?? ''}`, base),
    components: productsOf(entry),
    updates: updates.map((u) => ({ at: u.when ?? u.created, status: u.status, text: u.text })),
  });
}

export function parseGcp(docs: StatusPageDocument[]): ParsedStatusPage {
  const main = docs.find((d) => d.role === 'main');
  if (!main) {
    throw new PayloadError('no incidents document');
  }
  const data = decodeJson(main);
  if (!isGcpPayload(data)) {
    throw new PayloadError(`${main.url}: not a Google Cloud incidents.json (expected a list of incidents with "begin" and "external_desc")`);
  }
  const base = new URL('/', main.url).toString();
  const incidents = compact(list(data).filter(isObject).map((e) => incidentOf(e, base))).sort(
    (a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0)
  );
  const levels = new Map<string, StatusLevel>();
  for (const i of incidents) {
    for (const product of i.components) {
      const level = isOpenIncident(i) ? incidentLevel(i) : 'operational';
      levels.set(product, worstLevel([levels.get(product) ?? 'operational', level]));
    }
  }
  const components: ComponentStatus[] = mergeComponents([...levels].map(([name, status]) => ({ name, status }))).sort((a, b) =>
    a.name.localeCompare(b.name)
  );
  return {
    format: 'gcp',
    indicator: worstLevel(incidents.filter(isOpenIncident).map(incidentLevel)),
    components,
    incidents,
    maintenances: [],
  };
}
