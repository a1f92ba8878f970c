// The normal form every status-page format is turned into (docs/status-pages.md). Times are epoch
// milliseconds; levels use the one vocabulary of the contract (contract/metrics.ts).
import type { IncidentImpact, StatusLevel } from '../contract';
import type { StatusPageFormat } from '../catalog/schema';

/** A concrete format; `auto` resolves to one of these. */
export type StatusPageFormatName = Exclude<StatusPageFormat, 'auto'>;

export interface ComponentStatus {
  /** The page's own id for the component, where the format gives one; unique on the page. */
  id?: string;
  /** The component's own name. Not unique: pages reuse names across groups. */
  name: string;
  status: StatusLevel;
  /** The group (Statuspage group, Instatus parent, status.io component) it belongs to. */
  group?: string;
}

export interface IncidentUpdate {
  at: number;
  status?: string;
  text: string;
}

export interface Incident {
  id: string;
  title: string;
  /** Provider's own lifecycle word, normalised: investigating | identified | monitoring | resolved | scheduled | in_progress | completed | unknown. */
  status: string;
  impact: IncidentImpact;
  startedAt: number | null;
  resolvedAt: number | null;
  url?: string;
  /** Affected components by label (`Group / Name` for a grouped one, see componentLabel). */
  components: string[];
  /** Newest first. */
  updates: IncidentUpdate[];
  /** Maintenances only: the announced end of the window. */
  scheduledUntil?: number | null;
}

export interface ProviderSnapshot {
  provider: string;
  format: StatusPageFormatName | null;
  indicator: StatusLevel;
  components: ComponentStatus[];
  incidents: Incident[];
  maintenances: Incident[];
  fetchedAt: number | null;
  /** True when the last fetch failed and this is the last good snapshot. */
  stale: boolean;
  error: string | null;
}

/** One fetched resource of a status page. `role` says which request of the plan it answers. */
export interface StatusPageDocument {
  role: StatusPageRole;
  url: string;
  body: string;
  contentType?: string;
}

/** main: the summary (or the feed, or the only document); the others complete it. */
export type StatusPageRole = 'main' | 'incidents' | 'components';

export interface StatusPageRequest {
  role: StatusPageRole;
  url: string;
  /** A failed optional request leaves its part out instead of failing the snapshot. */
  optional: boolean;
}

/** What a page says, before the prober adds provider, fetch time and staleness. */
export interface ParsedStatusPage {
  format: StatusPageFormatName;
  indicator: StatusLevel;
  components: ComponentStatus[];
  incidents: Incident[];
  maintenances: Incident[];
}

export type NormalizeResult =
  | { ok: true; page: ParsedStatusPage; warnings: string[] }
  | { ok: false; error: string; /** The payload was an HTML page (an error page or the human status page). */ html: boolean };
