// The monthly dashboard as a Grafana snapshot holds it: for every panel, the data frames its
// queries returned, serialized (toDataFrameDTO, JSON). Built here from a live store the way the
// two data sources frame their answers: the built-in Prometheus data source's table and time
// series frames for PromQL targets, the apimon data source's own frames (src/datasource/frames.ts)
// for apimon targets. The harness's view=snapshot draws each panel from these frames alone.
import { FieldType, toDataFrameDTO, type DataFrameDTO } from '@grafana/data';
import { parseMatrix, parseVector, type ApimonQuery, type QueryEngine, type Transport } from '@apimon/core';
import type { PromTarget } from '../provisioning/dashboard-kit';
import { monthly } from '../provisioning/dashboards';
import { resultToFrames } from '../../src/datasource/frames';

export interface SnapshotPanel {
  id: number;
  title: string;
  type: string;
  gridPos: { x: number; y: number; w: number; h: number };
  frames: DataFrameDTO[];
}

const vars = (expr: string, rangeSeconds: number) =>
  expr
    .replace(/\$__range_s/g, String(rangeSeconds))
    .replace(/\$__range/g, `${rangeSeconds}s`)
    .replace(/\$__rate_interval/g, '1h')
    .replace(/\$__interval/g, '1d')
    .replace(/\$(criticality|provider|api)\b/g, '.*');

/** A Prometheus answer framed as Grafana's Prometheus data source frames it. */
async function promFrames(transport: Transport, t: PromTarget, fromMs: number, toMs: number): Promise<DataFrameDTO[]> {
  const expr = vars(t.expr, Math.round((toMs - fromMs) / 1000));
  if (t.instant) {
    const samples = parseVector(
      await transport.get('prometheus', '/api/v1/query', { query: expr, time: String(toMs / 1000) }),
      expr
    );
    const labels = [...new Set(samples.flatMap((s) => Object.keys(s.labels)))].sort();
    return [
      {
        refId: t.refId,
        fields: [
          { name: 'Time', type: FieldType.time, values: samples.map((s) => s.timeMs) },
          ...labels.map((l) => ({ name: l, type: FieldType.string, values: samples.map((s) => s.labels[l] ?? '') })),
          { name: `Value #${t.refId}`, type: FieldType.number, values: samples.map((s) => s.value) },
        ],
      },
    ];
  }
  const series = parseMatrix(
    await transport.get('prometheus', '/api/v1/query_range', {
      query: expr,
      start: String(fromMs / 1000),
      end: String(toMs / 1000),
      step: '86400',
    }),
    expr
  );
  return series.map((s) => ({
    refId: t.refId,
    fields: [
      { name: 'Time', type: FieldType.time, values: s.timestamps },
      { name: 'Value', type: FieldType.number, values: s.values, labels: s.labels },
    ],
  }));
}

export async function monthlySnapshot(
  transport: Transport,
  engine: QueryEngine,
  fromMs: number,
  toMs: number
): Promise<SnapshotPanel[]> {
  const panels: SnapshotPanel[] = [];
  for (const panel of monthly().panels) {
    const frames: DataFrameDTO[] = [];
    for (const target of panel.targets ?? []) {
      if (target.datasource.type === 'prometheus') {
        frames.push(...(await promFrames(transport, target as PromTarget, fromMs, toMs)));
      } else {
        const { refId, datasource: _ds, ...query } = target as ApimonQuery & { refId: string; datasource: unknown };
        const q = JSON.parse(JSON.stringify(query).replace(/\$criticality|\$provider|\$api/g, '.*')) as ApimonQuery;
        const result = await engine.run(q, { fromMs, toMs, stepMs: 86_400_000, maxDataPoints: 60 });
        frames.push(...resultToFrames(result, { refId, stepMs: 86_400_000 }).map((f) => toDataFrameDTO(f)));
      }
    }
    // What a snapshot stores: JSON.
    panels.push({
      id: panel.id,
      title: panel.title,
      type: panel.type,
      gridPos: panel.gridPos,
      frames: JSON.parse(JSON.stringify(frames)),
    });
  }
  return panels;
}
