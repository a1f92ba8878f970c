// Options of the health-board panel. Every option has a default that suits a board fed by the
// apimon data source's summary query, so a new panel needs no configuration.
import { apiDashboardLink } from '@apimon/core';

export const LAYOUTS = ['grid', 'list', 'compact'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** The KPIs a tile can show, in display order. */
export const KPIS = ['latency', 'sparkline', 'errors', 'headroom', 'traffic', 'provider', 'tls'] as const;
export type Kpi = (typeof KPIS)[number];

export const KPI_LABELS: Record<Kpi, string> = {
  latency: 'p95 latency',
  sparkline: 'Latency sparkline',
  errors: 'Error ratio',
  headroom: 'Rate-limit headroom',
  traffic: 'Real traffic (calls/s, usage of the limit)',
  provider: 'Provider status',
  tls: 'TLS expiry',
};

export interface HealthBoardOptions {
  layout: Layout;
  kpis: Kpi[];
  /** Grid layout: the narrowest a tile may get before the grid drops a column (px). */
  minTileWidth: number;
  /** Overrides of the per-API thresholds the summary carries; undefined keeps the catalog's. */
  latencyThresholdSeconds?: number;
  errorThreshold?: number;
  headroomThreshold?: number;
  /** Where a tile leads; `${api}` and `${provider}` are replaced, then dashboard variables. Empty: tiles are not links. */
  linkTemplate: string;
}

export const DEFAULT_LINK_TEMPLATE = apiDashboardLink('${api}');

export const DEFAULT_OPTIONS: HealthBoardOptions = {
  layout: 'grid',
  kpis: [...KPIS],
  minTileWidth: 260,
  linkTemplate: DEFAULT_LINK_TEMPLATE,
};

/** Shows TLS expiry only when the certificate is this close to its end. */
export const TLS_SHOW_DAYS = 30;
