// The harness's view=snapshot: the monthly dashboard laid out on its grid, each panel drawn only
// from the frames a snapshot stores for it (restored with toDataFrame, shown with @grafana/ui's
// Table as Grafana's "Inspect, Data" shows them). A panel without frames would be empty here as it
// would be in the snapshot.
import React from 'react';
import {
  applyFieldOverrides,
  FieldType,
  toDataFrame,
  type DataFrame,
  type DataFrameDTO,
  type GrafanaTheme2,
} from '@grafana/data';
import { PanelChrome, Table } from '@grafana/ui';
import type { SnapshotPanel } from './snapshot';

const ROW_PX = 30;

/** Time series frames (one per API) as one table: time, then one column per series. */
function joinByTime(frames: DataFrame[]): DataFrame {
  const times = [...new Set(frames.flatMap((f) => f.fields[0].values as number[]))].sort((a, b) => a - b);
  return {
    length: times.length,
    fields: [
      { name: 'Time', type: FieldType.time, config: {}, values: times },
      ...frames.map((f) => {
        const value = f.fields[1];
        const byTime = new Map((f.fields[0].values as number[]).map((t, i) => [t, value.values[i]]));
        return {
          ...value,
          name: value.labels?.api ?? value.name,
          labels: undefined,
          values: times.map((t) => byTime.get(t) ?? null),
        };
      }),
    ],
  };
}

function PanelBody({
  panel,
  width,
  height,
  theme,
}: {
  panel: SnapshotPanel;
  width: number;
  height: number;
  theme: GrafanaTheme2;
}) {
  const frames = panel.frames.map((dto: DataFrameDTO) => toDataFrame(dto)).filter((f) => f.fields.length > 0);
  if (panel.type === 'text') {
    return (
      <div style={{ padding: 8, color: theme.colors.text.secondary }}>
        Text panel: its content is in the dashboard JSON.
      </div>
    );
  }
  if (frames.length === 0) {
    return <div style={{ padding: 8, color: theme.colors.error.text }}>No data in the snapshot</div>;
  }
  const timeSeries =
    frames.length > 2 && frames.every((f) => f.fields[0]?.type === FieldType.time && f.fields.length === 2);
  const shown = timeSeries ? [joinByTime(frames)] : frames.slice(0, 2);
  const each = Math.floor(height / shown.length);
  const processed = applyFieldOverrides({
    data: shown,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (v: string) => v,
    theme,
    timeZone: 'utc',
  });
  return (
    <div>
      {processed.map((f, i) => (
        <Table key={i} data={f} width={width} height={each} />
      ))}
    </div>
  );
}

export function SnapshotView({ body, theme, width }: { body: unknown; theme: GrafanaTheme2; width: number }) {
  if (!Array.isArray(body)) {
    return <div style={{ color: theme.colors.error.text }}>{(body as { error?: string })?.error ?? 'no snapshot'}</div>;
  }
  const panels = body as SnapshotPanel[];
  const col = width / 24;
  const rows = Math.max(...panels.map((p) => p.gridPos.y + p.gridPos.h));
  return (
    <div style={{ position: 'relative', width, height: rows * ROW_PX }} aria-label="Monthly report snapshot">
      {panels.map((p) => {
        const w = p.gridPos.w * col - 8;
        const h = p.gridPos.h * ROW_PX - 8;
        return (
          <div
            key={p.id}
            style={{ position: 'absolute', left: p.gridPos.x * col, top: p.gridPos.y * ROW_PX, width: w, height: h }}
            data-panel={p.id}
          >
            <PanelChrome title={`${p.title} (${p.type})`} width={w} height={h}>
              {(innerWidth, innerHeight) => (
                <PanelBody panel={p} width={innerWidth} height={innerHeight} theme={theme} />
              )}
            </PanelChrome>
          </div>
        );
      })}
    </div>
  );
}
