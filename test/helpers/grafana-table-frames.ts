// What a panel gets from Grafana's Prometheus data source for instant queries in table format,
// and what the panel's transformations make of it, with the real @grafana/data transformers.
// The frame shape follows the data source's table conversion (transformDFToTable in
// @grafana/prometheus): per query one frame of Time, one string field per label (sorted by
// name), then the value, named "Value #<refId>" when several queries returned data, else "Value".
import { firstValueFrom } from 'rxjs';
import {
  FieldType,
  getFieldDisplayName,
  standardTransformers,
  standardTransformersRegistry,
  toDataFrame,
  transformDataFrame,
  type DataFrame,
  type DataTransformerConfig,
} from '@grafana/data';
import type { VectorSample } from './prometheus';

export function tableFrames(results: Array<{ refId: string; samples: VectorSample[] }>, timeMs: number): DataFrame[] {
  const answered = results.filter((r) => r.samples.length > 0);
  return answered.map(({ refId, samples }) => {
    const labels = [...new Set(samples.flatMap((s) => Object.keys(s.metric)))].sort();
    return toDataFrame({
      refId,
      fields: [
        { name: 'Time', type: FieldType.time, values: samples.map(() => timeMs) },
        ...labels.map((label) => ({
          name: label,
          type: FieldType.string,
          values: samples.map((s) => s.metric[label] ?? ''),
        })),
        {
          name: answered.length > 1 ? `Value #${refId}` : 'Value',
          type: FieldType.number,
          values: samples.map((s) => s.value),
        },
      ],
    });
  });
}

let registered = false;

/** Runs a panel's transformations as Grafana does (Grafana's core transformers from @grafana/data). */
export async function applyTransformations(
  transformations: DataTransformerConfig[],
  frames: DataFrame[]
): Promise<DataFrame[]> {
  if (!registered) {
    // One entry per id (the list exports a few transformers under two names). Grafana 13's
    // registry loads a transformer on first use: `transformation` returns it.
    const byId = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
    standardTransformersRegistry.setInit(() =>
      // The editor and images are the transformation picker's, which no test renders.
      [...byId.values()].map((t) => ({
        id: t.id,
        aliasIds: t.aliasIds,
        name: t.name,
        transformation: () => Promise.resolve(t),
        editor: () => null,
        imageDark: '',
        imageLight: '',
      }))
    );
    registered = true;
  }
  // In a browser Grafana asks `window` whether it runs in a scene; Node has no window, and the
  // server code under test shares this process, so it exists only while the transformers run.
  const global = globalThis as { window?: unknown };
  const hadWindow = 'window' in global;
  global.window ??= {};
  try {
    return await firstValueFrom(transformDataFrame(transformations, frames));
  } finally {
    if (!hadWindow) {
      delete global.window;
    }
  }
}

/** A frame's columns by the name a panel shows and matches them by (organize renames set displayName). */
export function columns(frame: DataFrame): Record<string, { type: FieldType; values: unknown[] }> {
  return Object.fromEntries(
    frame.fields.map((f) => [getFieldDisplayName(f, frame), { type: f.type, values: [...f.values] }])
  );
}
