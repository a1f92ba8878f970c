// EngineResult -> Grafana DataFrames. Time series come out the way Grafana's Prometheus data
// source shapes them (one frame per series: a "Time" field and a "Value" field carrying the
// labels, displayNameFromDS, unit, thresholds and links; meta.type timeseries-multi), so
// every panel, transformation and alert-style threshold works as users expect.
import {
  createDataFrame,
  DataFrameType,
  DataTopic,
  FieldType,
  MappingType,
  ThresholdsMode,
  type DataFrame,
  type DataLink,
  type FieldConfig,
  type QueryResultMeta,
  type QueryResultMetaNotice,
  type ThresholdsConfig,
  type ValueMapping,
} from '@grafana/data';
import type {
  ColumnType,
  EngineAnnotation,
  EngineColumn,
  EngineResult,
  EngineSeries,
  EngineTable,
  Link,
  SeriesThreshold,
  ValueText,
} from '@apimon/core';

export interface FrameOptions {
  refId: string;
  /** Step in ms, as the Prometheus data source reports it on the time field. */
  stepMs?: number;
}

export function resultToFrames(result: EngineResult, options: FrameOptions): DataFrame[] {
  const executedQueryString = result.executed.join('\n') || undefined;
  const frames: DataFrame[] = [
    ...result.series.map((s) => seriesToFrame(s, options, executedQueryString)),
    ...result.tables.map((t) => tableToFrame(t, options.refId, executedQueryString)),
  ];
  const notices: QueryResultMetaNotice[] = result.warnings.map((text) => ({ severity: 'warning', text }));
  if (notices.length > 0) {
    if (frames.length === 0) {
      frames.push(createDataFrame({ refId: options.refId, fields: [], meta: { executedQueryString } }));
    }
    frames[0].meta = { ...frames[0].meta, notices: [...(frames[0].meta?.notices ?? []), ...notices] };
  }
  return frames;
}

export function seriesToFrame(series: EngineSeries, options: FrameOptions, executed?: string): DataFrame {
  const meta: QueryResultMeta = {
    type: DataFrameType.TimeSeriesMulti,
    typeVersion: [0, 1],
    executedQueryString: series.expr ?? executed,
  };
  return createDataFrame({
    refId: options.refId,
    name: series.name,
    meta,
    fields: [
      {
        name: 'Time',
        type: FieldType.time,
        values: series.timestamps,
        config: options.stepMs ? { interval: options.stepMs } : {},
      },
      {
        name: 'Value',
        type: FieldType.number,
        values: series.values,
        labels: { ...series.labels },
        config: {
          displayNameFromDS: series.displayName,
          unit: series.unit,
          ...thresholdsConfig(series.thresholds),
          ...linksConfig(series.links),
          ...mappingsConfig(series.valueMappings),
        },
      },
    ],
  });
}

export function tableToFrame(table: EngineTable, refId: string, executed?: string): DataFrame {
  return createDataFrame({
    refId,
    name: table.name,
    meta: { preferredVisualisationType: 'table', executedQueryString: executed },
    fields: table.columns.map((column) => ({
      name: column.name,
      type: fieldType(column.type),
      values: column.values,
      config: columnConfig(column),
    })),
  });
}

/** Incidents as an annotations frame: Grafana's standard annotation processing reads these field names. */
export function annotationsToFrame(annotations: EngineAnnotation[], refId: string): DataFrame {
  return createDataFrame({
    refId,
    name: 'incidents',
    meta: { dataTopic: DataTopic.Annotations },
    fields: [
      { name: 'time', type: FieldType.time, values: annotations.map((a) => a.timeMs) },
      { name: 'timeEnd', type: FieldType.time, values: annotations.map((a) => a.timeEndMs ?? null) },
      { name: 'title', type: FieldType.string, values: annotations.map((a) => a.title) },
      { name: 'text', type: FieldType.string, values: annotations.map(annotationText) },
      { name: 'tags', type: FieldType.other, values: annotations.map((a) => a.tags) },
      { name: 'isRegion', type: FieldType.boolean, values: annotations.map((a) => a.timeEndMs !== undefined) },
      { name: 'color', type: FieldType.string, values: annotations.map(impactColor) },
    ],
  });
}

/** Annotation colours by incident impact; others keep the annotation query's colour. */
export const IMPACT_COLORS: Record<string, string> = {
  critical: 'red',
  major: 'orange',
  minor: 'yellow',
  maintenance: 'blue',
};

function impactColor(annotation: EngineAnnotation): string | undefined {
  const tag = annotation.tags.find((t) => t.startsWith('impact:'));
  return tag ? IMPACT_COLORS[tag.slice('impact:'.length)] : undefined;
}

function annotationText(annotation: EngineAnnotation): string {
  const text = escapeHtml(annotation.text);
  if (!annotation.url) {
    return text;
  }
  const href = escapeHtml(annotation.url);
  return `${text}<br/><a href="${href}" target="_blank" rel="noopener noreferrer">Provider incident page</a>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fieldType(type: ColumnType): FieldType {
  switch (type) {
    case 'number':
      return FieldType.number;
    case 'time':
      return FieldType.time;
    case 'boolean':
      return FieldType.boolean;
    case 'string':
      return FieldType.string;
    default:
      return FieldType.other;
  }
}

function columnConfig(column: EngineColumn): FieldConfig {
  return {
    ...(column.unit ? { unit: column.unit } : {}),
    ...(column.displayName ? { displayName: column.displayName } : {}),
    ...thresholdsConfig(column.thresholds),
    ...linksConfig(column.links),
  };
}

/** Grafana wants an absolute base step (-Infinity); the catalog gives only the breaking points. */
export function thresholdsConfig(thresholds?: SeriesThreshold[]): { thresholds?: ThresholdsConfig } {
  if (!thresholds || thresholds.length === 0) {
    return {};
  }
  const sorted = [...thresholds].sort((a, b) => a.value - b.value);
  const steps = sorted[0].value === -Infinity ? sorted : [{ value: -Infinity, color: 'green' }, ...sorted];
  return { thresholds: { mode: ThresholdsMode.Absolute, steps } };
}

function linksConfig(links?: Link[]): { links?: DataLink[] } {
  if (!links || links.length === 0) {
    return {};
  }
  return { links: links.map((l) => ({ title: l.title, url: l.url })) };
}

/** Coded values (provider status 0..4) shown as text, as a value mapping would in the panel editor. */
export function mappingsConfig(mappings?: ValueText[]): { mappings?: ValueMapping[] } {
  if (!mappings || mappings.length === 0) {
    return {};
  }
  const options: Record<string, { text: string; color?: string; index: number }> = {};
  mappings.forEach((m, index) => {
    options[String(m.value)] = { text: m.text, ...(m.color ? { color: m.color } : {}), index };
  });
  return { mappings: [{ type: MappingType.ValueToText, options }] };
}
