// What RSS and Atom items share once read: a feed has no components and no structured
// status, so an item's lifecycle and impact come from its words. Statuspage-style feeds put
// the newest update first ("<strong>Resolved</strong> - ..."), so the first lifecycle word
// found is the current one. An item that never says it is over is taken as over at its last
// update once that is older than FEED_OPEN_WINDOW_MS: feeds keep old items for months.
import type { IncidentImpact, StatusLevel } from '../../contract';
import { mergeComponents } from '../component';
import { buildIncident, compact, incidentLevel, isOpenIncident } from '../incident';
import { htmlToText, time } from '../read';
import type { ComponentStatus, ParsedStatusPage, StatusPageFormatName } from '../types';
import { worstLevel, type IncidentState } from '../vocabulary';

export const FEED_OPEN_WINDOW_MS = 24 * 3600_000;

export interface FeedItem {
  id?: string;
  title?: string;
  link?: string;
  /** HTML or text. */
  body?: string;
  published?: string;
  updated?: string;
  categories: string[];
}

const STATE_PATTERNS: Array<[RegExp, IncidentState]> = [
  [/\bresolved\b|\boperating normally\b|\bfully recovered\b|\bhas been mitigated\b|\[?\bclosed\b\]?/i, 'resolved'],
  [/\bcompleted\b|\bmaintenance (is )?complete\b/i, 'completed'],
  [/\bmonitoring\b/i, 'monitoring'],
  [/\bidentified\b/i, 'identified'],
  [/\binvestigating\b/i, 'investigating'],
  [/\bin progress\b|\bverifying\b/i, 'in_progress'],
  [/\bscheduled\b|\bupcoming\b/i, 'scheduled'],
];

/** The lifecycle word that appears first in the text (newest update first), or unknown. */
export function feedState(text: string): IncidentState {
  let best: { at: number; state: IncidentState } | null = null;
  for (const [re, state] of STATE_PATTERNS) {
    const m = re.exec(text);
    if (m && (best === null || m.index < best.at)) {
      best = { at: m.index, state };
    }
  }
  return best?.state ?? 'unknown';
}

export function feedImpact(text: string): IncidentImpact {
  if (/\bmaintenance\b/i.test(text)) {
    return 'maintenance';
  }
  if (/\b(major|complete|full|total) (service )?outage\b|\bunavailable\b|\bis down\b|\bservice disruption\b/i.test(text)) {
    return 'critical';
  }
  if (/\bpartial (service )?outage\b|\boutage\b|\bdisruption\b|\bfailures?\b/i.test(text)) {
    return 'major';
  }
  if (/\bdegraded\b|\belevated\b|\bincreased\b|\blatency\b|\bdelay(s|ed)?\b|\bslow(ness)?\b|\berrors?\b|\binformational\b/i.test(text)) {
    return 'minor';
  }
  return 'unknown';
}

export function feedToPage(format: StatusPageFormatName, items: FeedItem[], now: number): ParsedStatusPage {
  const all = compact(
    items.map((item) => {
      const title = htmlToText(item.title ?? '', 300);
      const body = htmlToText(item.body ?? '');
      // The title says what happened; a body of past updates may mention older states.
      const titleState = feedState(title);
      const state = titleState !== 'unknown' ? titleState : feedState(body);
      const impact = feedImpact(`${title}\n${body}`);
      const last = time(item.updated) ?? time(item.published);
      const isMaintenance = impact === 'maintenance';
      let resolvedAt: number | null = null;
      if (state === 'resolved' || state === 'completed') {
        resolvedAt = last;
      } else if (last !== null && now - last > FEED_OPEN_WINDOW_MS) {
        resolvedAt = last;
      }
      const incident = buildIncident({
        id: item.id ?? item.link ?? item.title,
        title: item.title,
        status: state === 'unknown' && isMaintenance ? 'scheduled' : state,
        impact,
        startedAt: item.published ?? item.updated,
        resolvedAt,
        url: item.link,
        components: item.categories,
        updates: body ? [{ at: item.updated ?? item.published, text: body }] : [],
      });
      return incident;
    })
  );
  const incidents = all.filter((i) => i.impact !== 'maintenance');
  const maintenances = all.filter((i) => i.impact === 'maintenance');
  const levels = new Map<string, StatusLevel>();
  for (const i of all) {
    for (const name of i.components) {
      const level: StatusLevel = isOpenIncident(i) ? (i.impact === 'maintenance' ? 'maintenance' : incidentLevel(i)) : 'operational';
      levels.set(name, worstLevel([levels.get(name) ?? 'operational', level]));
    }
  }
  const components: ComponentStatus[] = mergeComponents([...levels].map(([name, status]) => ({ name, status })));
  const open = incidents.filter(isOpenIncident).map(incidentLevel);
  if (maintenances.some((m) => isOpenIncident(m) && m.status === 'in_progress')) {
    open.push('maintenance');
  }
  return { format, indicator: worstLevel(open), components, incidents, maintenances };
}
