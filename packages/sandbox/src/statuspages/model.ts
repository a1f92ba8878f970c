// One status model per provider (indicator, components, incidents with updates, maintenances),
// rendered into each real status-page format by the other files of this folder. Levels use the
// vocabulary of @apimon/core's contract; times are epoch milliseconds.
import { componentLabel, type StatusLevel } from '@apimon/core';

export type Level = Exclude<StatusLevel, 'unknown'>;
export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';
export type IncidentImpactWord = 'none' | 'minor' | 'major' | 'critical';
export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'completed';

export interface ModelComponent {
  id: string;
  name: string;
  status: Level;
  group?: string;
  description?: string;
}

/** A postmortem is published on a resolved incident, often days later; it leaves it resolved. */
export type UpdateStatus = IncidentStatus | MaintenanceStatus | 'postmortem';

export interface ModelUpdate {
  id: string;
  at: number;
  status: UpdateStatus;
  body: string;
}

export interface ModelIncident {
  id: string;
  name: string;
  status: IncidentStatus;
  impact: IncidentImpactWord;
  startedAt: number;
  resolvedAt: number | null;
  /** Component references: `Group / Name`, or a name (every component of that name). */
  components: string[];
  /** Newest first. */
  updates: ModelUpdate[];
}

export interface ModelMaintenance {
  id: string;
  name: string;
  status: MaintenanceStatus;
  scheduledFor: number;
  scheduledUntil: number;
  components: string[];
  updates: ModelUpdate[];
}

export interface StatusModel {
  pageId: string;
  pageName: string;
  /** The human status page (also the base of the API paths for Statuspage-like formats). */
  pageUrl: string;
  /** Set directly by the admin API; null derives it from components, incidents and maintenances. */
  indicator: Level | null;
  components: ModelComponent[];
  incidents: ModelIncident[];
  maintenances: ModelMaintenance[];
  updatedAt: number;
}

/** Everything a renderer needs besides the model. */
export interface RenderContext {
  /** The sandbox's own origin, e.g. http://127.0.0.1:8480. */
  origin: string;
  /** The URL of the document being served. */
  selfUrl: string;
  now: number;
  provider: string;
  displayName: string;
}

const SEVERITY: Record<Level, number> = {
  operational: 0,
  maintenance: 1,
  degraded: 2,
  partial_outage: 3,
  major_outage: 4,
};

export function worst(levels: Level[]): Level {
  return levels.reduce<Level>((w, l) => (SEVERITY[l] > SEVERITY[w] ? l : w), 'operational');
}

export function impactLevel(impact: IncidentImpactWord): Level {
  return impact === 'critical'
    ? 'major_outage'
    : impact === 'major'
      ? 'partial_outage'
      : impact === 'minor'
        ? 'degraded'
        : 'operational';
}

export function levelImpact(level: Level): IncidentImpactWord {
  return level === 'major_outage'
    ? 'critical'
    : level === 'partial_outage'
      ? 'major'
      : level === 'degraded'
        ? 'minor'
        : 'none';
}

export const isOpen = (i: ModelIncident) => i.status !== 'resolved';
export const isActiveMaintenance = (m: ModelMaintenance) => m.status === 'in_progress';
export const isUpcomingMaintenance = (m: ModelMaintenance) => m.status === 'scheduled';

/** The page indicator: the one set directly, else the worst of components, open incidents and
 * maintenances in progress. */
export function indicatorOf(model: StatusModel): Level {
  if (model.indicator) {
    return model.indicator;
  }
  const levels: Level[] = model.components.map((c) => c.status);
  for (const i of model.incidents.filter(isOpen)) {
    levels.push(impactLevel(i.impact));
  }
  if (model.maintenances.some(isActiveMaintenance)) {
    levels.push('maintenance');
  }
  return worst(levels);
}

/** The components a reference means: the one labelled `Group / Name` as apimon labels it,
 * else every component of that name (so one name can take down a platform in every group). */
export function componentsByRef(model: StatusModel, ref: string): ModelComponent[] {
  const byLabel = model.components.filter((c) => componentLabel(c) === ref);
  return byLabel.length > 0 ? byLabel : model.components.filter((c) => c.name === ref);
}

/** Labels of the components the references mean; a reference to no component stays as written. */
export function labelsOf(model: StatusModel, refs: string[]): string[] {
  const labels = refs.flatMap((ref) => {
    const found = componentsByRef(model, ref);
    return found.length > 0 ? found.map(componentLabel) : [ref];
  });
  return [...new Set(labels)];
}

/** Incidents newest first. */
export function byNewest<T extends { startedAt?: number; scheduledFor?: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => (b.startedAt ?? b.scheduledFor ?? 0) - (a.startedAt ?? a.scheduledFor ?? 0));
}

export function latestUpdateAt(item: { updates: ModelUpdate[]; startedAt?: number; scheduledFor?: number }): number {
  return item.updates.reduce((t, u) => Math.max(t, u.at), item.startedAt ?? item.scheduledFor ?? 0);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function htmlEscape(text: string): string {
  return xmlEscape(text);
}

/** Statuspage-style update words, capitalised as the feeds and HTML pages show them. */
export function statusTitle(status: string): string {
  return status
    .split('_')
    .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/** A text id from a name, stable across renders: used where a format wants ids for components. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
