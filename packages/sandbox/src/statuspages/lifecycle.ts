// How a provider's status model starts (components, a little history, an upcoming
// maintenance), how an injected outage opens, changes and resolves the incident a provider
// that admits problems publishes, and how the admin API sets the model directly.
import { componentLabel } from '@apimon/core';
import { hashString } from '../random';
import type { ProviderDefinition } from '../provider';
import {
  impactLevel,
  levelImpact,
  type IncidentImpactWord,
  type IncidentStatus,
  type Level,
  type MaintenanceStatus,
  type ModelIncident,
  type ModelMaintenance,
  type ModelUpdate,
  type StatusModel,
  componentsByRef,
} from './model';

export type Outage = 'none' | 'degraded' | 'partial' | 'major';

const OUTAGE_LEVEL: Record<Exclude<Outage, 'none'>, Level> = {
  degraded: 'degraded',
  partial: 'partial_outage',
  major: 'major_outage',
};

export function idFor(provider: string, kind: string, seq: number | string): string {
  return `${hashString(`${provider}/${kind}/${seq}`).toString(36)}${typeof seq === 'number' ? seq.toString(36) : ''}`.slice(
    0,
    12
  );
}

function update(provider: string, at: number, status: ModelUpdate['status'], body: string, seq: number): ModelUpdate {
  return { id: idFor(provider, 'update', seq), at, status, body };
}

export function seedModel(def: ProviderDefinition, origin: string, now: number): StatusModel {
  const p = def.name;
  const minute = 60_000;
  const day = 86_400_000;
  // Whole minutes, so payloads look like what people type into a status page tool.
  const base = Math.floor(now / minute) * minute;
  let seq = 0;
  const incidents: ModelIncident[] = def.status.history.map((h, i) => {
    const startedAt = base - h.daysAgo * day - (37 + i * 11) * minute;
    const identifiedAt = startedAt + Math.round(h.minutes / 3) * minute;
    const resolvedAt = startedAt + h.minutes * minute;
    return {
      id: idFor(p, 'incident', i),
      name: h.name,
      status: 'resolved',
      impact: h.impact,
      startedAt,
      resolvedAt,
      components: h.components,
      updates: [
        update(p, resolvedAt, 'resolved', 'This incident has been resolved.', seq++),
        update(
          p,
          identifiedAt,
          'identified',
          `The issue has been identified: ${h.cause}. A fix is being implemented.`,
          seq++
        ),
        update(
          p,
          startedAt,
          'investigating',
          `We are investigating reports of problems with ${h.components.join(' and ')}.`,
          seq++
        ),
      ],
    };
  });
  const maintenances: ModelMaintenance[] = def.status.maintenance
    ? [
        {
          id: idFor(p, 'maintenance', 0),
          name: def.status.maintenance.name,
          status: 'scheduled',
          scheduledFor: base + def.status.maintenance.inDays * day,
          scheduledUntil: base + def.status.maintenance.inDays * day + def.status.maintenance.minutes * minute,
          components: def.status.maintenance.components,
          updates: [
            update(
              p,
              base - 2 * day,
              'scheduled',
              `${def.status.maintenance.components.join(' and ')} will undergo planned work; short interruptions are possible.`,
              seq++
            ),
          ],
        },
      ]
    : [];
  return {
    pageId: `${hashString(p).toString(36)}${hashString(`${p}/page`).toString(36)}`.slice(0, 12),
    pageName: def.displayName,
    pageUrl: `${origin}/${p}/status`,
    indicator: null,
    components: def.status.components.map((c) => ({
      id: idFor(p, 'component', componentLabel(c)),
      name: c.name,
      status: 'operational',
      ...(c.group ? { group: c.group } : {}),
      ...(c.description ? { description: c.description } : {}),
    })),
    incidents,
    maintenances,
    updatedAt: base,
  };
}

function outageText(def: ProviderDefinition, outage: Exclude<Outage, 'none'>): { name: string; body: string } {
  const service = def.status.serviceName;
  const target = def.status.outageComponents.join(' and ');
  switch (outage) {
    case 'degraded':
      return {
        name: `Degraded performance: elevated response times for ${service}`,
        body: `We are investigating elevated response times for requests to ${target}.`,
      };
    case 'partial':
      return {
        name: `Partial outage: elevated error rates for ${service}`,
        body: `Some requests to ${target} are failing. We are investigating.`,
      };
    case 'major':
      return {
        name: `Major outage: ${service} unavailable`,
        body: `${target} is unavailable and requests fail. We are investigating.`,
      };
  }
}

function setComponents(model: StatusModel, refs: string[], level: Level): void {
  for (const ref of refs) {
    for (const c of componentsByRef(model, ref)) {
      c.status = level;
    }
  }
}

/**
 * Bring the provider's own outage incident in line with what it admits: open while
 * `admits && outage != none`, at the outage's level; resolved otherwise. Returns the id of the
 * incident it manages (kept by the caller across calls).
 */
export function reconcileOutage(
  model: StatusModel,
  def: ProviderDefinition,
  outage: Outage,
  admits: boolean,
  autoId: string | null,
  now: number,
  seq: () => number
): string | null {
  const current = autoId ? model.incidents.find((i) => i.id === autoId && i.status !== 'resolved') : undefined;
  const wanted = admits && outage !== 'none' ? outage : null;
  if (!wanted) {
    if (current) {
      current.status = 'resolved';
      current.resolvedAt = now;
      current.updates.unshift(
        update(def.name, now, 'resolved', 'This incident has been resolved. We will keep monitoring.', seq())
      );
      setComponents(model, current.components, 'operational');
      model.updatedAt = now;
    }
    return null;
  }
  const level = def.outageLevel?.[wanted] ?? OUTAGE_LEVEL[wanted];
  const impact = levelImpact(level);
  const text = outageText(def, wanted);
  if (current) {
    if (impactLevel(current.impact) !== level) {
      current.impact = impact;
      current.name = text.name;
      current.status = 'identified';
      current.updates.unshift(
        update(
          def.name,
          now,
          'identified',
          `The impact has changed: ${text.body.replace(/ We are investigating\.$/, '')}`,
          seq()
        )
      );
      setComponents(model, current.components, level);
      model.updatedAt = now;
    }
    return current.id;
  }
  const n = seq();
  const incident: ModelIncident = {
    id: idFor(def.name, 'outage', n),
    name: text.name,
    status: 'investigating',
    impact,
    startedAt: now,
    resolvedAt: null,
    components: [...def.status.outageComponents],
    updates: [update(def.name, now, 'investigating', text.body, seq())],
  };
  model.incidents.unshift(incident);
  setComponents(model, incident.components, level);
  model.updatedAt = now;
  return incident.id;
}

/** The admin API's direct edit of a status page (already validated). */
export interface StatusPagePatch {
  indicator?: Level | null;
  components?: Array<{ name: string; status: Level; group?: string }>;
  incidents?: Array<{
    id?: string;
    name: string;
    status: IncidentStatus;
    impact: IncidentImpactWord;
    startedAt?: number;
    resolvedAt?: number | null;
    components?: string[];
    updates?: Array<{ status: IncidentStatus | 'postmortem'; body: string; at?: number }>;
  }>;
  maintenances?: Array<{
    id?: string;
    name: string;
    status: MaintenanceStatus;
    scheduledFor: number;
    scheduledUntil: number;
    components?: string[];
    body?: string;
  }>;
}

/** Components are merged: with a group, the one of that name in that group (or a new one in
 * it); without, every component of that name (or a new ungrouped one). Incidents and
 * maintenances, when given, replace the lists. */
export function applyStatusPagePatch(
  model: StatusModel,
  provider: string,
  patch: StatusPagePatch,
  now: number,
  seq: () => number
): void {
  if (patch.indicator !== undefined) {
    model.indicator = patch.indicator;
  }
  for (const c of patch.components ?? []) {
    const existing = model.components.filter((x) => x.name === c.name && (c.group === undefined || x.group === c.group));
    for (const x of existing) {
      x.status = c.status;
    }
    if (existing.length === 0) {
      model.components.push({
        id: idFor(provider, 'component', componentLabel(c)),
        name: c.name,
        status: c.status,
        ...(c.group ? { group: c.group } : {}),
      });
    }
  }
  if (patch.incidents) {
    model.incidents = patch.incidents.map((i) => {
      const startedAt = i.startedAt ?? now;
      const resolvedAt = i.resolvedAt ?? (i.status === 'resolved' ? now : null);
      const updates = (
        i.updates && i.updates.length > 0
          ? i.updates
          : [{ status: i.status, body: i.name, at: resolvedAt ?? startedAt }]
      )
        .map((u) => update(provider, u.at ?? startedAt, u.status, u.body, seq()))
        .sort((a, b) => b.at - a.at);
      return {
        id: i.id ?? idFor(provider, 'incident', seq()),
        name: i.name,
        status: i.status,
        impact: i.impact,
        startedAt,
        resolvedAt,
        components: i.components ?? [],
        updates,
      };
    });
  }
  if (patch.maintenances) {
    model.maintenances = patch.maintenances.map((m) => ({
      id: m.id ?? idFor(provider, 'maintenance', seq()),
      name: m.name,
      status: m.status,
      scheduledFor: m.scheduledFor,
      scheduledUntil: m.scheduledUntil,
      components: m.components ?? [],
      updates: [update(provider, Math.min(now, m.scheduledFor), m.status, m.body ?? m.name, seq())],
    }));
  }
  model.updatedAt = now;
}
