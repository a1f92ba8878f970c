// What the RSS and Atom renderers share: one feed item per incident or maintenance, its
// updates newest first in the HTML body the way Statuspage-generated feeds write them
// ("<p><small>Nov 24, 02:10 UTC</small><br><strong>Identified</strong> - ...</p>", a
// postmortem as the newest update, a maintenance opening with "THIS IS A SCHEDULED EVENT").
// The item's date is its newest update, so it moves when a postmortem is added.
import {
  byNewest,
  htmlEscape,
  labelsOf,
  latestUpdateAt,
  statusTitle,
  type ModelIncident,
  type ModelMaintenance,
  type StatusModel,
} from './model';

export interface FeedEntry {
  id: string;
  title: string;
  link: string;
  html: string;
  published: number;
  updated: number;
  categories: string[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: Date) => `${MONTHS[d.getUTCMonth()]} <var data-var='date'>${d.getUTCDate()}</var>`;
const clock = (d: Date) => `<var data-var='time'>${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}</var>`;

/** "Nov 24, 02:10 UTC" as Statuspage marks it up: no year, the page's zone. */
function shortTime(ms: number): string {
  const d = new Date(ms);
  return `${day(d)}, ${clock(d)} UTC`;
}

/** "Nov 28, 22:00 - 02:00 UTC", or with the end's date when the window crosses midnight. */
function windowText(from: number, until: number): string {
  const a = new Date(from);
  const b = new Date(until);
  const sameDay = a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);
  return `${day(a)}, ${clock(a)} - ${sameDay ? '' : `${day(b)}, `}${clock(b)} UTC`;
}

function body(updates: Array<{ at: number; status: string; body: string }>): string {
  return updates
    .map(
      (u) =>
        `<p><small>${shortTime(u.at)}</small><br><strong>${statusTitle(u.status)}</strong> - ${htmlEscape(u.body).replace(/\n/g, '<br>')}</p>`
    )
    .join('');
}

function incidentEntry(model: StatusModel, i: ModelIncident): FeedEntry {
  return {
    id: `${model.pageUrl}/incidents/${i.id}`,
    title: i.name,
    link: `${model.pageUrl}/incidents/${i.id}`,
    html: body(i.updates),
    published: i.startedAt,
    updated: latestUpdateAt(i),
    categories: labelsOf(model, i.components),
  };
}

function maintenanceEntry(model: StatusModel, m: ModelMaintenance): FeedEntry {
  return {
    id: `${model.pageUrl}/incidents/${m.id}`,
    title: m.name,
    link: `${model.pageUrl}/incidents/${m.id}`,
    html: `<p><strong>THIS IS A SCHEDULED EVENT ${windowText(m.scheduledFor, m.scheduledUntil)}</strong></p>${body(m.updates)}`,
    published: m.updates[m.updates.length - 1]?.at ?? m.scheduledFor,
    updated: latestUpdateAt(m),
    categories: labelsOf(model, m.components),
  };
}

/** Newest activity first, at most 25 entries, as status feeds keep a recent history only. */
export function feedEntries(model: StatusModel): FeedEntry[] {
  const entries = [
    ...byNewest(model.incidents).map((i) => incidentEntry(model, i)),
    ...byNewest(model.maintenances).map((m) => maintenanceEntry(model, m)),
  ];
  return entries.sort((a, b) => b.updated - a.updated).slice(0, 25);
}
