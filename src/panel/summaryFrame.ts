// Reads the panel's input: a frame with the summary's field names (one row per API; the apimon
// data source's `summary` query gives it, any query renamed to these fields works too) and the
// per-API p95 series the summary sends along for sparklines.
import { FieldType, type DataFrame, type Field } from '@grafana/data';
import {
  KPI_FIELDS,
  readSummaryCell,
  SUMMARY_COLUMNS,
  SUMMARY_FIELDS,
  type ApiSummary,
  type SummaryField,
} from '@apimon/core';

export type { SummaryField };

/** Without these there is nothing to draw: the panel explains and stops. */
export const REQUIRED_FIELDS: SummaryField[] = ['api'];

export { KPI_FIELDS };

export interface Sparkline {
  timestamps: number[];
  values: Array<number | null>;
}

export interface BoardRow extends Omit<ApiSummary, 'state' | 'owner'> {
  owner: string;
  /**
   * The state of a frame that carries a `state` but none of the probe numbers (another source's
   * verdict), used when there is nothing else to judge; null for a frame with the numbers, which
   * the panel judges itself (with its overrides).
   */
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

const num = (v: unknown): number | null => readSummaryCell('number', v) as number | null;

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

  const verdictOnly =
    fields.has(SUMMARY_FIELDS.state) &&
    !fields.has(SUMMARY_FIELDS.latencyP95Seconds) &&
    !fields.has(SUMMARY_FIELDS.errorRatio);
  const rows: BoardRow[] = [];
  for (let i = 0; i < table.length; i++) {
    const row: Record<string, unknown> = {};
    for (const c of SUMMARY_COLUMNS) {
      row[c.name] = readSummaryCell(c.kind, get(c.name, i));
    }
    if (row.api === '') {
      continue;
    }
    const { state, ...values } = row;
    rows.push({
      ...(values as Omit<BoardRow, 'sourceState' | 'sparkline'>),
      sourceState: verdictOnly ? (state as string | null) : null,
      sparkline: sparklines.get(row.api as string),
    });
  }
  return { kind: 'rows', rows, missing };
}
