// What RSS and Atom items share once read: a feed has no components and no structured status.
// Where the body lists updates under headings (Statuspage and the many feeds that copy it:
// stamp, "<strong>Resolved</strong> - ..."), the headings decide: the newest heading that
// names a state is the state ("Postmortem" is resolved, "Update" changes nothing), the stamps
// give the start (earliest) and the end (the Resolved or Completed update, not the item's
// <updated>, which moves when a postmortem is added days later), and the headings and the
// title say whether it is an incident or a maintenance. Only items without headings (AWS-style
// free text) fall back to lifecycle words in the title, then the text. An item that never says
// it is over is taken as over at its last update once that is older than FEED_OPEN_WINDOW_MS:
// feeds keep old items for months.
import type { IncidentImpact, StatusLevel } from '../../contract';
import { mergeComponents } from '../component';
import { buildIncident, compact, incidentLevel, isOpenIncident } from '../incident';
import { htmlToText, time } from '../read';
import type { ComponentStatus, Incident, ParsedStatusPage, StatusPageFormatName } from '../types';
import { worstLevel, type IncidentState } from '../vocabulary';
import { parseFeedBody, type FeedUpdate } from './feedbody';

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

/** The lifecycle word that appears first in free text, or unknown. For items without headings. */
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

/** Impact of an incident from its words; feeds publish no impact field. */
export function feedImpact(text: string): IncidentImpact {
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

/** A title that announces planned work: "Scheduled maintenance: ...", "Planned upgrade", "[Maintenance] ...". */
const MAINTENANCE_TITLE = /\bmaintenance\b|\bplanned (work|upgrade|migration|outage)\b|\bscheduled (work|upgrade|migration|downtime|event)\b/i;

/** Incident or maintenance: headings first, then the scheduled-event window, then the title. Never the body's free text. */
function isMaintenanceItem(title: string, updates: FeedUpdate[], hasWindow: boolean): boolean {
  const incidentHeadings = updates.some((u) => u.kind === 'incident');
  const maintenanceHeadings = updates.some((u) => u.kind === 'maintenance');
  if (incidentHeadings !== maintenanceHeadings) {
    return maintenanceHeadings;
  }
  return hasWindow || MAINTENANCE_TITLE.test(title);
}

/** Newest first: by stamp when every update has one, else as the body lists them. */
function newestFirst(updates: FeedUpdate[]): FeedUpdate[] {
  return updates.every((u) => u.at !== null) ? [...updates].sort((a, b) => b.at! - a.at!) : updates;
}

function feedIncident(item: FeedItem, now: number): Incident | null {
  const title = htmlToText(item.title ?? '', 300);
  const published = time(item.published);
  const itemDate = time(item.updated) ?? published;
  const body = parseFeedBody(item.body ?? '', itemDate ?? now);
  const updates = newestFirst(body.updates);
  const maintenance = isMaintenanceItem(title, updates, body.window !== null);
  const stamps = updates.map((u) => u.at).filter((t): t is number => t !== null);

  let state: IncidentState;
  if (updates.length > 0) {
    // Lifecycle from headings only; words in the text ("we will keep monitoring") do not count.
    state = updates.find((u) => u.state !== null)?.state ?? feedState(title);
  } else {
    const titleState = feedState(title);
    state = titleState !== 'unknown' ? titleState : feedState(body.text);
  }
  if (state === 'unknown' && maintenance) {
    state = 'scheduled';
  }
  const closed = state === 'resolved' || state === 'completed';
  const windowEnd = body.window?.end ?? null;
  // reduce, not Math.max(...): a hostile body may hold more stamps than a call takes arguments.
  const earliest = stamps.length > 0 ? stamps.reduce((a, b) => Math.min(a, b)) : null;
  const lastActivity = stamps.length > 0 ? stamps.reduce((a, b) => Math.max(a, b), itemDate ?? 0) : itemDate;
  let resolvedAt: number | null = null;
  if (closed) {
    const closing = updates.find((u) => u.at !== null && (u.heading === 'resolved' || u.heading === 'completed'));
    resolvedAt = closing?.at ?? lastActivity;
  } else if (maintenance && windowEnd !== null) {
    // Announced work is open until its window has passed.
    resolvedAt = now > windowEnd ? windowEnd : null;
  } else if (lastActivity !== null && now - lastActivity > FEED_OPEN_WINDOW_MS) {
    resolvedAt = lastActivity;
  }
  const windowStart = body.window?.start ?? null;
  const startedAt = maintenance && windowStart !== null ? windowStart : (earliest ?? published ?? itemDate);

  return buildIncident({
    id: item.id ?? item.link ?? item.title,
    title: item.title,
    status: state,
    impact: maintenance ? 'maintenance' : feedImpact(`${title}\n${body.text}`),
    startedAt,
    resolvedAt,
    url: item.link,
    components: item.categories,
    updates:
      updates.length > 0
        ? updates.map((u) => ({ at: u.at ?? itemDate, status: u.heading, text: u.text }))
        : body.text
          ? [{ at: itemDate, text: body.text }]
          : [],
    ...(maintenance && body.window ? { scheduledUntil: body.window.end } : {}),
  });
}

export function feedToPage(format: StatusPageFormatName, items: FeedItem[], now: number): ParsedStatusPage {
  const all = compact(items.map((item) => feedIncident(item, now)));
  const incidents = all.filter((i) => i.impact !== 'maintenance');
  const maintenances = all.filter((i) => i.impact === 'maintenance');
  const levels = new Map<string, StatusLevel>();
  for (const i of all) {
    for (const name of i.components) {
      // Announced maintenance leaves its components operational until it starts.
      const level: StatusLevel = !isOpenIncident(i)
        ? 'operational'
        : i.impact !== 'maintenance'
          ? incidentLevel(i)
          : i.status === 'in_progress'
            ? 'maintenance'
            : 'operational';
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
