// A small typed builder for the Grafana dashboard JSON model (schemaVersion 41), just what the
// apimon dashboards use: time series, stat, bar gauge, table, state timeline, text and the
// health-board panel, with targets for the apimon data source (ApimonQuery objects verbatim)
// and for the built-in Prometheus data source (raw PromQL where it is the better tool).
import {
  CRITICALITIES,
  DASHBOARDS,
  DATASOURCE_UIDS,
  PLUGIN_IDS,
  STATUS_LEVEL_COLORS,
  STATUS_LEVEL_SCALE,
  STATUS_LEVELS,
  statusLevelText,
  type ApimonQuery,
  type ColorStep,
  type DashboardUid,
} from '@apimon/core';

export const SCHEMA_VERSION = 41;

/** A provisioned dashboard's uid, title and description, as the contract lists them. */
export function meta(uid: DashboardUid) {
  const d = DASHBOARDS.find((x) => x.uid === uid);
  if (!d) {
    throw new Error(`unknown dashboard uid ${uid}`);
  }
  return d;
}
export const HEALTHBOARD_PANEL_TYPE = PLUGIN_IDS.panel;

export const APIMON_DS = { type: PLUGIN_IDS.datasource, uid: DATASOURCE_UIDS.apimon } as const;
export const PROMETHEUS_DS = { type: 'prometheus', uid: DATASOURCE_UIDS.prometheus } as const;

export type Unit = 's' | 'percentunit' | 'reqps' | 'short' | 'none' | 'dateTimeAsIso' | 'bytes' | 'ms' | 'dtdurations' | 'd';

export interface ApimonTarget extends ApimonQuery {
  refId: string;
  datasource: typeof APIMON_DS;
  hide?: boolean;
}

export interface PromTarget {
  refId: string;
  datasource: typeof PROMETHEUS_DS;
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format: 'time_series' | 'table';
  editorMode: 'code';
  interval?: string;
  hide?: boolean;
}

export type Target = ApimonTarget | PromTarget;

/**
 * For every PromQL expression that reads recorded series (prometheus/recording.yml): the same
 * query on raw series. bench/dashboards.ts measures both; test/provisioning checks both agree.
 */
export const RAW_EQUIVALENTS = new Map<string, string>();

export function apimon(refId: string, query: ApimonQuery): ApimonTarget {
  return { refId, datasource: APIMON_DS, ...query };
}

export interface PromOptions {
  legend?: string;
  instant?: boolean;
  table?: boolean;
  interval?: string;
  /** The same query without recording rules (see RAW_EQUIVALENTS). */
  raw?: string;
}

export function prom(refId: string, expr: string, options: PromOptions = {}): PromTarget {
  if (options.raw) {
    RAW_EQUIVALENTS.set(expr, options.raw);
  }
  const instant = options.instant ?? false;
  return {
    refId,
    datasource: PROMETHEUS_DS,
    expr,
    legendFormat: options.legend ?? '__auto',
    range: !instant,
    instant,
    format: options.table ? 'table' : 'time_series',
    editorMode: 'code',
    ...(options.interval ? { interval: options.interval } : {}),
  };
}

export interface ThresholdStep {
  color: string;
  value: number | null;
}

export const steps = (...s: Array<[string, number | null]>): ThresholdStep[] => s.map(([color, value]) => ({ color, value }));

/** The verdict's colour steps (@apimon/core verdict/steps.ts) as dashboard JSON writes them. */
export const verdictColors = (colorSteps: ColorStep[]): ThresholdStep[] =>
  colorSteps.map(({ color, value }) => ({ color, value: Number.isFinite(value) ? value : null }));

export interface ValueMapping {
  type: 'value';
  options: Record<string, { text: string; color: string; index: number }>;
}

/** The status levels of the provider status series (the contract's STATUS_LEVELS), unknown first. */
export const STATUS_MAPPING: ValueMapping[] = [
  {
    type: 'value',
    options: Object.fromEntries(
      [STATUS_LEVEL_SCALE[STATUS_LEVEL_SCALE.length - 1], ...STATUS_LEVEL_SCALE.slice(0, -1)].map(({ level, value }, index) => [
        String(value),
        { text: statusLevelText(level), color: STATUS_LEVEL_COLORS[level], index },
      ])
    ),
  },
];

/** Colour steps over the status scale, each level its colour. */
export const STATUS_STEPS: ThresholdStep[] = STATUS_LEVELS.map((level, i) => ({
  color: STATUS_LEVEL_COLORS[level],
  value: i === 0 ? null : i,
}));

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FieldOverride {
  matcher: { id: 'byName' | 'byFrameRefID' | 'byRegexp'; options: string };
  properties: Array<{ id: string; value: unknown }>;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  description: string;
  gridPos: GridPos;
  datasource?: { type: string; uid: string } | { type: 'datasource'; uid: '-- Mixed --' };
  targets?: Target[];
  fieldConfig?: {
    defaults: Record<string, unknown>;
    overrides: FieldOverride[];
  };
  options?: Record<string, unknown>;
  transformations?: Array<{ id: string; options: Record<string, unknown> }>;
  links?: Array<{ title: string; url: string }>;
  interval?: string;
  maxDataPoints?: number;
}

interface PanelSpec {
  id: number;
  title: string;
  description: string;
  gridPos: GridPos;
  targets: Target[];
  unit?: Unit;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: ThresholdStep[];
  mappings?: ValueMapping[];
  overrides?: FieldOverride[];
  links?: Array<{ title: string; url: string }>;
  transformations?: Array<{ id: string; options: Record<string, unknown> }>;
  interval?: string;
  /** What the panel shows when the query returns nothing. */
  noValue?: string;
}

function panelDatasource(targets: Target[]): Panel['datasource'] {
  const kinds = new Set(targets.map((t) => t.datasource.uid));
  if (kinds.size > 1) {
    return { type: 'datasource', uid: '-- Mixed --' };
  }
  return targets[0] ? { ...targets[0].datasource } : undefined;
}

function defaults(spec: PanelSpec, custom: Record<string, unknown>, colorMode: string): Record<string, unknown> {
  return {
    unit: spec.unit ?? 'short',
    ...(spec.noValue !== undefined ? { noValue: spec.noValue } : {}),
    ...(spec.decimals !== undefined ? { decimals: spec.decimals } : {}),
    ...(spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    color: { mode: colorMode },
    thresholds: { mode: 'absolute', steps: spec.thresholds ?? steps(['green', null]) },
    mappings: spec.mappings ?? [],
    custom,
  };
}

function base(type: string, spec: PanelSpec, custom: Record<string, unknown>, options: Record<string, unknown>): Panel {
  const colorMode = type === 'timeseries' ? 'palette-classic' : 'thresholds';
  return {
    id: spec.id,
    type,
    title: spec.title,
    description: spec.description,
    gridPos: spec.gridPos,
    datasource: panelDatasource(spec.targets),
    targets: spec.targets,
    fieldConfig: { defaults: defaults(spec, custom, colorMode), overrides: spec.overrides ?? [] },
    options,
    ...(spec.transformations ? { transformations: spec.transformations } : {}),
    ...(spec.links ? { links: spec.links } : {}),
    ...(spec.interval ? { interval: spec.interval } : {}),
  };
}

const LEGEND = { showLegend: true, displayMode: 'table', placement: 'bottom', calcs: ['mean', 'max', 'lastNotNull'] };
const TOOLTIP = { mode: 'multi', sort: 'desc' };

export function timeseries(spec: PanelSpec & { stack?: boolean; thresholdStyle?: 'line' | 'dashed' | 'off' }): Panel {
  return base(
    'timeseries',
    spec,
    {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: spec.stack ? 30 : 10,
      showPoints: 'never',
      spanNulls: false,
      stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
      thresholdsStyle: { mode: spec.thresholdStyle ?? (spec.thresholds ? 'dashed' : 'off') },
    },
    { legend: LEGEND, tooltip: TOOLTIP }
  );
}

export function stat(spec: PanelSpec & { graph?: boolean }): Panel {
  return base(
    'stat',
    spec,
    {},
    {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: spec.graph ? 'area' : 'none',
      justifyMode: 'auto',
      textMode: 'value_and_name',
      orientation: 'auto',
    }
  );
}

export function bargauge(spec: PanelSpec): Panel {
  return base(
    'bargauge',
    spec,
    {},
    {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      orientation: 'horizontal',
      displayMode: 'gradient',
      showUnfilled: true,
      valueMode: 'color',
      namePlacement: 'left',
      minVizHeight: 16,
      maxVizHeight: 24,
    }
  );
}

export function table(spec: PanelSpec & { sortBy?: { displayName: string; desc: boolean } }): Panel {
  return base(
    'table',
    spec,
    { align: 'auto', cellOptions: { type: 'color-text' }, inspect: false, filterable: true },
    { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' }, sortBy: spec.sortBy ? [spec.sortBy] : [] }
  );
}

export function stateTimeline(spec: PanelSpec): Panel {
  return base(
    'state-timeline',
    spec,
    { lineWidth: 0, fillOpacity: 80 },
    { mergeValues: true, showValue: 'auto', alignValue: 'left', rowHeight: 0.9, legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'single', sort: 'none' } }
  );
}

/**
 * An XY chart (Grafana's core `xychart`, the same options in Grafana 12 and 13): one table frame,
 * `x` named, every other number field a series (auto mapping). `lines` names the series drawn as
 * a dashed line without points (a reference such as a threshold).
 */
export function xychart(spec: PanelSpec & { x: string; xUnit: Unit; lines?: string[] }): Panel {
  const panel = base(
    'xychart',
    spec,
    { show: 'points+lines', pointSize: { fixed: 6 }, lineWidth: 1, lineStyle: { fill: 'solid' }, fillOpacity: 50, axisPlacement: 'auto' },
    {
      mapping: 'auto',
      series: [{ x: { matcher: { id: 'byName', options: spec.x } } }],
      legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] },
      tooltip: { mode: 'single', sort: 'none' },
    }
  );
  panel.fieldConfig!.defaults.color = { mode: 'palette-classic' };
  panel.fieldConfig!.overrides.push(
    unitOverride(spec.x, spec.xUnit),
    ...(spec.lines ?? []).map((name) => ({
      matcher: { id: 'byName' as const, options: name },
      properties: [
        { id: 'custom.show', value: 'lines' },
        { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
        { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
      ],
    }))
  );
  return panel;
}

/** A bar chart (Grafana's core `barchart`): one table frame, bars per row keyed by the `x` field. */
export function barchart(spec: PanelSpec & { x: string; stack?: boolean }): Panel {
  const panel = base(
    'barchart',
    spec,
    { lineWidth: 1, fillOpacity: 80, gradientMode: 'none', axisPlacement: 'auto' },
    {
      xField: spec.x,
      orientation: 'auto',
      stacking: spec.stack ? 'normal' : 'none',
      showValue: 'auto',
      groupWidth: 0.7,
      barWidth: 0.9,
      barRadius: 0,
      fullHighlight: false,
      xTickLabelRotation: 0,
      xTickLabelMaxLength: 0,
      legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] },
      tooltip: { mode: 'multi', sort: 'none' },
    }
  );
  panel.fieldConfig!.defaults.color = { mode: 'palette-classic' };
  return panel;
}

export function text(id: number, title: string, gridPos: GridPos, content: string): Panel {
  return { id, type: 'text', title, description: '', gridPos, options: { mode: 'markdown', content, code: { language: 'plaintext', showLineNumbers: false, showMiniMap: false } } };
}

export function healthboard(id: number, title: string, description: string, gridPos: GridPos, query: ApimonQuery): Panel {
  return {
    id,
    type: HEALTHBOARD_PANEL_TYPE,
    title,
    description,
    gridPos,
    datasource: { ...APIMON_DS },
    targets: [apimon('A', query)],
    options: {},
  };
}

export const unitOverride = (name: string, unit: Unit, extra: Array<{ id: string; value: unknown }> = []): FieldOverride => ({
  matcher: { id: 'byName', options: name },
  properties: [{ id: 'unit', value: unit }, ...extra],
});

export const renameOverride = (name: string, displayName: string, extra: Array<{ id: string; value: unknown }> = []): FieldOverride => ({
  matcher: { id: 'byName', options: name },
  properties: [{ id: 'displayName', value: displayName }, ...extra],
});

export interface Variable {
  name: string;
  label: string;
  type: 'query' | 'custom';
  datasource?: typeof PROMETHEUS_DS;
  query: string | { query: string; refId: string; qryType?: number };
  definition?: string;
  multi: boolean;
  includeAll: boolean;
  allValue?: string;
  current: Record<string, unknown>;
  options: unknown[];
  refresh?: 1 | 2;
  sort?: number;
  hide: 0 | 2;
  regex?: string;
  description?: string;
}

/** A variable listing the values of a label of apimon_api_info, from the built-in Prometheus. */
export function labelVariable(
  name: string,
  label: string,
  selector: string,
  options: { multi: boolean; hide?: boolean; description: string }
): Variable {
  const definition = `label_values(${selector}, ${name})`;
  return {
    name,
    label,
    type: 'query',
    datasource: PROMETHEUS_DS,
    query: { query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    definition,
    multi: options.multi,
    includeAll: options.multi,
    ...(options.multi ? { allValue: '.*' } : {}),
    current: options.multi ? { text: ['All'], value: ['$__all'] } : {},
    options: [],
    refresh: 2,
    sort: 1,
    hide: options.hide ? 2 : 0,
    regex: '',
    description: options.description,
  };
}

export function criticalityVariable(): Variable {
  return {
    name: 'criticality',
    label: 'Criticality',
    type: 'custom',
    query: CRITICALITIES.join(','),
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { text: ['All'], value: ['$__all'] },
    options: [],
    hide: 0,
    description: 'How critical the API is to the platform (from the catalog).',
  };
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  timezone: 'browser';
  editable: boolean;
  graphTooltip: 1;
  schemaVersion: number;
  version: 1;
  refresh: string;
  time: { from: string; to: string };
  timepicker: Record<string, unknown>;
  fiscalYearStartMonth: 0;
  liveNow: false;
  /** Load every panel when the dashboard opens, not only those on screen (see dashboard()). */
  preload?: true;
  weekStart: '';
  templating: { list: Variable[] };
  annotations: { list: unknown[] };
  links: unknown[];
  panels: Panel[];
}

const BUILT_IN_ANNOTATION = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

export function dashboard(d: {
  uid: string;
  title: string;
  description: string;
  time: { from: string; to: string };
  refresh: string;
  variables: Variable[];
  annotations?: unknown[];
  panels: Panel[];
  /**
   * Query every panel when the dashboard opens. Grafana loads only the panels on screen, and a
   * snapshot (Share, Snapshot) keeps only the data panels have loaded: without this, the panels
   * below the fold are empty in the snapshot.
   */
  preload?: boolean;
}): Dashboard {
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ['apimon'],
    timezone: 'browser',
    editable: false,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    refresh: d.refresh,
    time: d.time,
    timepicker: {},
    fiscalYearStartMonth: 0,
    liveNow: false,
    ...(d.preload ? { preload: true as const } : {}),
    weekStart: '',
    templating: { list: d.variables },
    annotations: { list: [BUILT_IN_ANNOTATION, ...(d.annotations ?? [])] },
    links: [
      { title: 'apimon dashboards', type: 'dashboards', tags: ['apimon'], asDropdown: true, includeVars: false, keepTime: true, targetBlank: false, icon: 'external link', tooltip: '', url: '' },
    ],
    panels: d.panels,
  };
}
