// The normal form every status-page format is turned into (see DESIGN.md). Times are epoch
// milliseconds; levels use the one vocabulary of contract.ts.
import type { IncidentImpact, StatusLevel } from '../contract';
import type { StatusPageFormat } from '../catalog/schema';

export interface ComponentStatus {
  name: string;
  status: StatusLevel;
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
  components: string[];
  updates: IncidentUpdate[];
}

export interface ProviderSnapshot {
  provider: string;
  format: Exclude<StatusPageFormat, 'auto'> | null;
  indicator: StatusLevel;
  components: ComponentStatus[];
  incidents: Incident[];
  maintenances: Incident[];
  fetchedAt: number | null;
  /** True when the last fetch failed and this is the last good snapshot. */
  stale: boolean;
  error: string | null;
}
