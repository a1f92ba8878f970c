// The harness's view=snapshot: the monthly dashboard laid out on its grid, each panel drawn only
// from the frames a snapshot stores for it (restored with toDataFrame), shown as a table of the
// values as Grafana displays them (each field's display processor: its unit, decimals and value
// mappings), the way "Inspect, Data" shows a panel's frames. A panel without frames would be empty
// here as it is in the snapshot. (@grafana/ui's Table and PanelChrome need its custom scrollbar,
// which the harness's esbuild bundle cannot load, so the chrome and the table are plain HTML.)
import React from 'react';
import {
  applyFieldOverrides,
  FieldType,
  formattedValueToString,
  getFieldDisplayName,
  toDataFrame,
  type DataFrame,
  type DataFrameDTO,
  type GrafanaTheme2,
} from '@grafana/data';
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
  const processed = applyFieldOverrides({
    data: shown,
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (v: string) => v,
    theme,
    timeZone: 'utc',
  });
  const c = theme.colors;
  const cell = { padding: '2px 6px', borderBottom: `1px solid ${c.border.weak}`, whiteSpace: 'nowrap' as const };
  return (
    <div style={{ height, overflow: 'hidden', fontSize: 12 }}>
      {processed.map((f, i) => (
        <table key={i} style={{ borderCollapse: 'collapse', width: '100%', marginBottom: 6 }}>
          <thead>
            <tr>
              {f.fields.map((field) => (
                <th key={field.name} style={{ ...cell, textAlign: 'left', color: c.text.secondary, fontWeight: 500 }}>
                  {getFieldDisplayName(field, f, processed)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: Math.min(f.length, 12) }, (_, row) => (
              <tr key={row}>
                {f.fields.map((field) => (
                  <td key={field.name} style={cell}>
                    {field.display
                      ? formattedValueToString(field.display(field.values[row]))
                      : String(field.values[row] ?? '')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
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
            <section
              aria-label={p.title}
              style={{
                height: h,
                background: theme.colors.background.primary,
                border: `1px solid ${theme.colors.border.weak}`,
                borderRadius: theme.shape.radius.default,
                padding: 8,
                boxSizing: 'border-box',
              }}
            >
              <h2
                style={{ margin: '0 0 6px', fontSize: theme.typography.h6.fontSize, color: theme.colors.text.primary }}
              >
                {p.title} <span style={{ color: theme.colors.text.secondary, fontWeight: 400 }}>({p.type})</span>
              </h2>
              <PanelBody panel={p} width={w - 16} height={h - 40} theme={theme} />
            </section>
          </div>
        );
      })}
    </div>
  );
}
