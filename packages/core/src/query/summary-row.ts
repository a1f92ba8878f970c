// The summary row, one per API, defined once: its columns, their types and units, which ones
// `apimon status --json` prints and which ones the health-board panel needs. The engine's row
// type, the summary table (the data source's frame), the CLI's JSON and the panel's reader
// all derive from SUMMARY_COLUMNS, so a new field is one line here.
// Ratios are in [0, 1]; durations in seconds; timestamps in epoch milliseconds.
import type { ApiState, LocationInput } from '../verdict';
import type { Unit } from './types';

/** How a column's values are written and read back (from a frame, a CSV, a JSON source). */
export type SummaryValueKind =
  /** a name; "" when missing */
  | 'text'
  /** a text that may be absent: null */
  | 'optionalText'
  /** a measurement or threshold: null when missing */
  | 'number'
  /** a count: 0 when missing */
  | 'count'
  /** epoch ms (or an ISO date from another source): null when missing */
  | 'time'
  /** a status level; "unknown" when missing */
  | 'providerStatus'
  /** the verdict */
  | 'state'
  /** each location's p95 and error ratio (LocationInput[]); a frame carries it as JSON text */
  | 'locations';

export interface SummaryColumn {
  name: string;
  kind: SummaryValueKind;
  /** Column title in Grafana. */
  displayName: string;
  unit?: Unit;
  /** Printed by `apimon status --json` (state last, after the numbers it judges). */
  statusJson: boolean;
  /** The panel names it when a frame lacks it (its KPI stays blank). */
  kpi: boolean;
  /** May be missing from a row (rows built by hand, frames from elsewhere). */
  optional: boolean;
}

export const SUMMARY_COLUMNS = [
  { name: 'api', kind: 'text', displayName: 'API', statusJson: true, kpi: false, optional: false },
  { name: 'provider', kind: 'text', displayName: 'Provider', statusJson: true, kpi: true, optional: false },
  { name: 'criticality', kind: 'text', displayName: 'Criticality', statusJson: true, kpi: true, optional: false },
  { name: 'owner', kind: 'text', displayName: 'Owner', statusJson: false, kpi: false, optional: true },
  { name: 'state', kind: 'state', displayName: 'State', statusJson: true, kpi: false, optional: false },
  {
    name: 'latencyP95Seconds',
    kind: 'number',
    displayName: 'p95',
    unit: 's',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'latencyThresholdSeconds',
    kind: 'number',
    displayName: 'p95 threshold',
    unit: 's',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'errorRatio',
    kind: 'number',
    displayName: 'Errors',
    unit: 'percentunit',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'errorThreshold',
    kind: 'number',
    displayName: 'Error threshold',
    unit: 'percentunit',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'headroomRatio',
    kind: 'number',
    displayName: 'Headroom',
    unit: 'percentunit',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'headroomThreshold',
    kind: 'number',
    displayName: 'Headroom threshold',
    unit: 'percentunit',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'rateLimitRemaining',
    kind: 'number',
    displayName: 'Remaining',
    unit: 'short',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'rateLimitLimit',
    kind: 'number',
    displayName: 'Limit',
    unit: 'short',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'exhaustionSeconds',
    kind: 'number',
    displayName: 'Exhausted in',
    unit: 's',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'providerStatus',
    kind: 'providerStatus',
    displayName: 'Provider status',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'openIncidents',
    kind: 'count',
    displayName: 'Open incidents',
    unit: 'short',
    statusJson: true,
    kpi: false,
    optional: false,
  },
  {
    name: 'incidentTitle',
    kind: 'optionalText',
    displayName: 'Incident',
    statusJson: false,
    kpi: true,
    optional: true,
  },
  {
    name: 'tlsExpiresAt',
    kind: 'time',
    displayName: 'TLS expires',
    unit: 'dateTimeAsIso',
    statusJson: true,
    kpi: true,
    optional: false,
  },
  {
    name: 'timingDegradedRatio',
    kind: 'number',
    displayName: 'Degraded timings',
    unit: 'percentunit',
    statusJson: true,
    kpi: false,
    optional: true,
  },
  // Several probers (docs/topologies.md): how many locations probe the API, and the ones it
  // fails from while the API as a whole does not (the verdict's regional problem).
  { name: 'locations', kind: 'locations', displayName: 'Locations', statusJson: true, kpi: false, optional: true },
  {
    name: 'failingLocations',
    kind: 'optionalText',
    displayName: 'Regional problem',
    statusJson: true,
    kpi: false,
    optional: true,
  },
  // No KPI depends on it, and frames from elsewhere rarely know it.
  { name: 'notProbed', kind: 'optionalText', displayName: 'Not probed', statusJson: true, kpi: false, optional: true },
  // The platform's real calls (docs/real-traffic.md): null without traffic data. Informational:
  // the verdict judges the probes; the panel shows them when present and nothing otherwise.
  {
    name: 'trafficRequestsPerSecond',
    kind: 'number',
    displayName: 'Real calls/s',
    unit: 'reqps',
    statusJson: true,
    kpi: false,
    optional: true,
  },
  {
    name: 'trafficErrorRatio',
    kind: 'number',
    displayName: 'Real errors',
    unit: 'percentunit',
    statusJson: true,
    kpi: false,
    optional: true,
  },
  {
    name: 'trafficRateLimitedPerSecond',
    kind: 'number',
    displayName: 'Real 429/s',
    unit: 'reqps',
    statusJson: true,
    kpi: false,
    optional: true,
  },
  {
    name: 'trafficLatencyP95Seconds',
    kind: 'number',
    displayName: 'Real p95',
    unit: 's',
    statusJson: true,
    kpi: false,
    optional: true,
  },
  {
    name: 'trafficUsageRatio',
    kind: 'number',
    displayName: 'Usage of limit',
    unit: 'percentunit',
    statusJson: true,
    kpi: false,
    optional: true,
  },
] as const satisfies readonly SummaryColumn[];

type Columns = (typeof SUMMARY_COLUMNS)[number];
export type SummaryField = Columns['name'];

interface KindValues {
  text: string;
  optionalText: string | null;
  number: number | null;
  count: number;
  time: number | null;
  providerStatus: string;
  state: ApiState;
  locations: LocationInput[];
}

/** One row of the summary: what `apimon status --json` prints per API. */
export type ApiSummary = {
  [C in Columns as C['optional'] extends true ? never : C['name']]: KindValues[C['kind']];
} & {
  [C in Columns as C['optional'] extends true ? C['name'] : never]?: KindValues[C['kind']];
};

/** Field names of the summary frame, by name (`SUMMARY_FIELDS.api` is "api"). */
export const SUMMARY_FIELDS = Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c.name, c.name])) as {
  readonly [N in SummaryField]: N;
};

/** The fields `apimon status --json` prints, in the documented order. */
export const STATUS_JSON_FIELDS: readonly SummaryField[] = [
  ...SUMMARY_COLUMNS.filter((c) => c.statusJson && c.kind !== 'state').map((c) => c.name),
  'state',
];

/** The fields the panel's tiles read; each one missing blanks its KPI. */
export const KPI_FIELDS: readonly SummaryField[] = SUMMARY_COLUMNS.filter((c) => c.kpi).map((c) => c.name);

const num = (v: unknown): number | null => {
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : null;
  }
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
};

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/**
 * A cell of a summary column as its kind reads it, from whatever a frame carries: numbers as
 * numbers or numeric strings, times as epoch ms or ISO strings (a CSV or JSON source).
 */
export function readSummaryCell(kind: SummaryValueKind, v: unknown): string | number | LocationInput[] | null {
  switch (kind) {
    case 'text':
      return str(v);
    case 'optionalText':
    case 'state':
      return str(v) || null;
    case 'number':
      return num(v);
    case 'count':
      return num(v) ?? 0;
    case 'time':
      if (typeof v === 'string' && !/^-?\d+(\.\d+)?$/.test(v.trim())) {
        const t = Date.parse(v);
        return Number.isNaN(t) ? null : t;
      }
      return num(v);
    case 'providerStatus':
      return str(v) || 'unknown';
    case 'locations':
      return readLocations(v);
  }
}

/** Per-location numbers from an array or its JSON text; anything malformed is left out. */
function readLocations(v: unknown): LocationInput[] {
  let list: unknown = v;
  if (typeof v === 'string') {
    try {
      list = JSON.parse(v);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) {
    return [];
  }
  return list.flatMap((item: unknown) => {
    const o = item as Record<string, unknown> | null;
    return o && typeof o === 'object' && typeof o.location === 'string'
      ? [{ location: o.location, latencyP95Seconds: num(o.latencyP95Seconds), errorRatio: num(o.errorRatio) }]
      : [];
  });
}
