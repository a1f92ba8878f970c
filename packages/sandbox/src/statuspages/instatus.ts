// Instatus public data: `<page>/summary.json` (page status UP | HASISSUES | UNDERMAINTENANCE,
// active incidents and maintenances) and `<page>/v2/components.json` (every component).
// Instatus writes times as JavaScript Date strings and maintenance durations in minutes.
import { json, type StatusDocument } from './document';
import {
  byNewest,
  indicatorOf,
  isActiveMaintenance,
  isOpen,
  isUpcomingMaintenance,
  slug,
  type IncidentImpactWord,
  type Level,
  type RenderContext,
  type StatusModel,
} from './model';

const COMPONENT_WORDS: Record<Level, string> = {
  operational: 'OPERATIONAL',
  maintenance: 'UNDERMAINTENANCE',
  degraded: 'DEGRADEDPERFORMANCE',
  partial_outage: 'PARTIALOUTAGE',
  major_outage: 'MAJOROUTAGE',
};

const IMPACT_WORDS: Record<IncidentImpactWord, string> = {
  none: 'DEGRADEDPERFORMANCE',
  minor: 'DEGRADEDPERFORMANCE',
  major: 'PARTIALOUTAGE',
  critical: 'MAJOROUTAGE',
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Date#toString()` of a server running in UTC, whatever zone this process runs in. */
export function jsDateString(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes()
  )}:${pad(d.getUTCSeconds())} GMT+0000 (Coordinated Universal Time)`;
}

function pageStatus(model: StatusModel): string {
  const level = indicatorOf(model);
  return level === 'operational' ? 'UP' : level === 'maintenance' ? 'UNDERMAINTENANCE' : 'HASISSUES';
}

export function renderInstatus(model: StatusModel, _ctx: RenderContext, path: string): StatusDocument | null {
  switch (path.replace(/\/+$/, '')) {
    case '/summary.json':
      return json({
        page: { name: model.pageName, url: model.pageUrl, status: pageStatus(model) },
        activeIncidents: byNewest(model.incidents)
          .filter(isOpen)
          .map((i) => ({
            id: i.id,
            name: i.name,
            started: jsDateString(i.startedAt),
            status: i.status.toUpperCase(),
            impact: IMPACT_WORDS[i.impact],
            url: `${model.pageUrl}/incident/${i.id}`,
            updatedAt: jsDateString(i.updates[0]?.at ?? i.startedAt),
          })),
        activeMaintenances: model.maintenances
          .filter((m) => isActiveMaintenance(m) || isUpcomingMaintenance(m))
          .map((m) => ({
            id: m.id,
            name: m.name,
            start: jsDateString(m.scheduledFor),
            status: m.status === 'in_progress' ? 'INPROGRESS' : 'NOTSTARTEDYET',
            duration: String(Math.round((m.scheduledUntil - m.scheduledFor) / 60_000)),
            url: `${model.pageUrl}/maintenance/${m.id}`,
            updatedAt: jsDateString(m.updates[0]?.at ?? m.scheduledFor),
          })),
      });
    case '/v2/components.json':
      return json({
        components: model.components.map((c) => ({
          id: c.id,
          name: c.name,
          nameTranslationId: null,
          description: c.description ?? '',
          descriptionTranslationId: null,
          status: COMPONENT_WORDS[c.status],
          order: model.components.indexOf(c),
          showUptime: true,
          ...(c.group ? { group: { id: `grp-${slug(c.group)}`, name: c.group } } : { group: null }),
          isParent: false,
          isCollapsed: false,
        })),
      });
    default:
      return null;
  }
}
