// What the RSS and Atom renderers share: one feed item per incident or maintenance, its
// updates newest first in the HTML body the way Statuspage-generated feeds write them
// ("<p><small>Nov 24, 02:10 UTC</small><br><strong>Identified</strong> - ...</p>").
import {
  byNewest,
  htmlEscape,
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

function shortTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

function body(updates: Array<{ at: number; status: string; body: string }>): string {
  return updates
    .map(
      (u) =>
        `<p><small>${shortTime(u.at)}</small><br><strong>${statusTitle(u.status)}</strong> - ${htmlEscape(u.body)}</p>`
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
    categories: i.components,
  };
}

function maintenanceEntry(model: StatusModel, m: ModelMaintenance): FeedEntry {
  const window = `Scheduled maintenance from ${shortTime(m.scheduledFor)} to ${shortTime(m.scheduledUntil)}.`;
  return {
    id: `${model.pageUrl}/incidents/${m.id}`,
    title: m.name.toLowerCase().includes('maintenance') ? m.name : `Scheduled maintenance: ${m.name}`,
    link: `${model.pageUrl}/incidents/${m.id}`,
    html: `${body(m.updates)}<p>${htmlEscape(window)}</p>`,
    published: m.updates[m.updates.length - 1]?.at ?? m.scheduledFor,
    updated: latestUpdateAt(m),
    categories: m.components,
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
