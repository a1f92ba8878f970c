// Reads the panel's input: a frame with the summary's field names (one row per API; the apimon
// data source's `summary` query gives it, any query renamed to these fields works too) and the
// per-API p95 series the summary sends along for sparklines.
import { FieldType, type DataFrame, type Field } from '@grafana/data';
import { SUMMARY_FIELDS, type ApiSummary } from '@apimon/core';

export type SummaryField = keyof typeof SUMMARY_FIELDS;

/** Without these there is nothing to draw: the panel explains and stops. */
export const REQUIRED_FIELDS: SummaryField[] = ['api'];

/** The fields the tiles read; each one missing blanks its KPI (the panel names them). */
export const KPI_FIELDS: SummaryField[] = [
  'provider',
  'criticality',
  'latencyP95Seconds',
  'latencyThresholdSeconds',
  'errorRatio',
  'errorThreshold',
  'headroomRatio',
  'headroomThreshold',
  'rateLimitRemaining',
  'rateLimitLimit',
  'exhaustionSeconds',
  'providerStatus',
  'incidentTitle',
  'tlsExpiresAt',
];

export interface Sparkline {
  timestamps: number[];
  values: Array<number | null>;
}

export interface BoardRow extends Omit<ApiSummary, 'state' | 'owner'> {
  owner: string;
  /** The state the source computed, used only when the row carries no signal at all. */
  sourceState: string | null;
  sparkline?: Sparkline;
}

export type BoardInput =
  | { kind: 'none' }
  | { kind: 'missing'; frameNames: string[]; missing: SummaryField[]; seen: string[] }
  | { kind: 'rows'; rows: BoardRow[]; missing: SummaryField[] };

function fieldByName(frame: DataFrame): Map<string, Field> {
  const out = new Map<string, Field>();
  for (const f of frame.fields) {
    if (!out.has(f.name)) {
      out.set(f.name, f);
    }
  }
  return out;
}

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

/** Time fields may carry epoch ms as numbers or as ISO strings (a CSV or JSON source). */
const time = (v: unknown): number | null => {
  if (typeof v === 'string' && !/^-?\d+(\.\d+)?$/.test(v.trim())) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return num(v);
};

function isSparklineFrame(frame: DataFrame): { api: string; time: Field; value: Field } | undefined {
  const t = frame.fields.find((f) => f.type === FieldType.time);
  const v = frame.fields.find((f) => f.type === FieldType.number && f.labels?.api !== undefined);
  if (!t || !v || frame.fields.some((f) => f.name === SUMMARY_FIELDS.api)) {
    return undefined;
  }
  return { api: v.labels!.api, time: t, value: v };
}

/** Picks the first frame with an `api` field, and attaches the p95 series by their `api` label. */
export function readBoardInput(frames: DataFrame[] | undefined): BoardInput {
  if (!frames || frames.length === 0) {
    return { kind: 'none' };
  }
  const table = frames.find((f) => f.fields.some((x) => x.name === SUMMARY_FIELDS.api && x.type !== FieldType.time));
  if (!table) {
    if (frames.every((f) => f.fields.length === 0)) {
      return { kind: 'none' };
    }
    const seen = [...new Set(frames.flatMap((f) => f.fields.map((x) => x.name)))];
    return {
      kind: 'missing',
      frameNames: frames.map((f) => f.name ?? f.refId ?? '').filter(Boolean),
      missing: REQUIRED_FIELDS,
      seen,
    };
  }
  const fields = fieldByName(table);
  const missing = KPI_FIELDS.filter((name) => !fields.has(SUMMARY_FIELDS[name]));
  const get = (name: SummaryField, i: number): unknown => fields.get(SUMMARY_FIELDS[name])?.values[i];

  const sparklines = new Map<string, Sparkline>();
  for (const frame of frames) {
    const s = isSparklineFrame(frame);
    if (s && !sparklines.has(s.api)) {
      sparklines.set(s.api, { timestamps: s.time.values.map((x) => Number(x)), values: s.value.values.map(num) });
    }
  }

  const rows: BoardRow[] = [];
  for (let i = 0; i < table.length; i++) {
    const api = str(get('api', i));
    if (api === '') {
      continue;
    }
    rows.push({
      api,
      provider: str(get('provider', i)),
      criticality: str(get('criticality', i)),
      owner: str(get('owner', i)),
      sourceState: fields.has(SUMMARY_FIELDS.state) ? str(get('state', i)) || null : null,
      latencyP95Seconds: num(get('latencyP95Seconds', i)),
      latencyThresholdSeconds: num(get('latencyThresholdSeconds', i)),
      errorRatio: num(get('errorRatio', i)),
      errorThreshold: num(get('errorThreshold', i)),
      headroomRatio: num(get('headroomRatio', i)),
      headroomThreshold: num(get('headroomThreshold', i)),
      rateLimitRemaining: num(get('rateLimitRemaining', i)),
      rateLimitLimit: num(get('rateLimitLimit', i)),
      exhaustionSeconds: num(get('exhaustionSeconds', i)),
      providerStatus: str(get('providerStatus', i)) || 'unknown',
      openIncidents: num(get('openIncidents', i)) ?? 0,
      incidentTitle: str(get('incidentTitle', i)) || null,
      tlsExpiresAt: time(get('tlsExpiresAt', i)),
      // Optional: frames from elsewhere rarely know it, and no KPI depends on it.
      notProbed: str(get('notProbed', i)) || null,
      sparkline: sparklines.get(api),
    });
  }
  return { kind: 'rows', rows, missing };
}
