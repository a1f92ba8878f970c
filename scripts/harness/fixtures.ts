// Recorded engine results the harness replays, shifted so they end "now", and synthetic boards
// of any size built from them (for the 200/500-API bench and the scroll test).
import type { ApimonQuery, EngineResult, EngineSeries, EngineTable } from '@apimon/core';

export const FIXTURE_DIR = `${__dirname}/fixtures`;

export interface RecordedResult {
  recordedAtMs: number;
  range: { fromMs: number; toMs: number; stepMs?: number };
  query: ApimonQuery;
  result: EngineResult;
}

/** Moves every timestamp by the same offset so a recording looks fresh (TLS days stay right). */
export function shiftRecording(rec: RecordedResult, toMs: number): RecordedResult {
  const d = toMs - rec.recordedAtMs;
  const shift = (v: unknown) => (typeof v === 'number' ? v + d : v);
  return {
    ...rec,
    recordedAtMs: toMs,
    range: { ...rec.range, fromMs: rec.range.fromMs + d, toMs: rec.range.toMs + d },
    result: {
      ...rec.result,
      series: rec.result.series.map((s) => ({ ...s, timestamps: s.timestamps.map((t) => t + d) })),
      tables: rec.result.tables.map((t) => ({
        ...t,
        columns: t.columns.map((c) => (c.type === 'time' ? { ...c, values: c.values.map(shift) } : c)),
      })),
    },
  };
}

/**
 * `count` APIs cycling through the recorded ones ("pay-slow-17"), each with its own
 * sparkline: a board the size of a big catalog with the recording's mix of states.
 */
export function scaleRecording(rec: RecordedResult, count: number): RecordedResult {
  const table = rec.result.tables[0];
  const apiCol = table.columns.find((c) => c.name === 'api')!;
  const n = apiCol.values.length;
  const pick = (i: number) => i % n;
  const name = (i: number) =>
    i < n ? String(apiCol.values[i]) : `${String(apiCol.values[pick(i)])}-${Math.floor(i / n)}`;
  const columns = table.columns.map((c) => ({
    ...c,
    values: Array.from({ length: count }, (_, i) => (c.name === 'api' ? name(i) : c.values[pick(i)])),
  }));
  const byApi = new Map(rec.result.series.map((s) => [s.labels.api, s]));
  const series: EngineSeries[] = [];
  for (let i = 0; i < count; i++) {
    const src = byApi.get(String(apiCol.values[pick(i)]));
    if (src) {
      series.push({ ...src, labels: { ...src.labels, api: name(i) }, displayName: name(i) });
    }
  }
  const scaled: EngineTable = { ...table, columns };
  return { ...rec, result: { ...rec.result, tables: [scaled], series } };
}
