import { PanelPlugin, type SelectableValue } from '@grafana/data';
import { HealthBoardPanel } from './components/HealthBoardPanel';
import { DEFAULT_OPTIONS, KPI_LABELS, KPIS, LAYOUTS, type HealthBoardOptions, type Kpi } from './types';

const LAYOUT_LABELS = { grid: 'Grid', list: 'List', compact: 'Compact' } as const;

export const plugin = new PanelPlugin<HealthBoardOptions>(HealthBoardPanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'layout',
      name: 'Layout',
      description: 'Tiles in a grid, one line per API, or small cells for hundreds of APIs',
      defaultValue: DEFAULT_OPTIONS.layout,
      settings: { options: LAYOUTS.map((value) => ({ value, label: LAYOUT_LABELS[value] })) },
    })
    .addMultiSelect({
      path: 'kpis',
      name: 'KPIs',
      description: 'What each tile shows (the compact layout shows the worst reason only)',
      defaultValue: DEFAULT_OPTIONS.kpis,
      // The builder types a multi-select's options with the option's (array) type; each entry is one KPI.
      settings: {
        options: KPIS.map((value) => ({ value, label: KPI_LABELS[value] })) as unknown as Array<SelectableValue<Kpi[]>>,
      },
      showIf: (o) => o.layout !== 'compact',
    })
    .addNumberInput({
      path: 'minTileWidth',
      name: 'Minimum tile width',
      description: 'In pixels; the grid fits as many columns as this allows',
      defaultValue: DEFAULT_OPTIONS.minTileWidth,
      settings: { min: 120, max: 800, integer: true },
      showIf: (o) => o.layout !== 'list',
    })
    .addNumberInput({
      path: 'latencyThresholdSeconds',
      name: 'p95 latency threshold (s)',
      description: "Overrides every API's catalog threshold; empty keeps the catalog's",
      category: ['Threshold overrides'],
      settings: { min: 0, placeholder: 'from the catalog' },
    })
    .addNumberInput({
      path: 'errorThreshold',
      name: 'Error ratio threshold',
      description: "A ratio, e.g. 0.01 for 1%; empty keeps the catalog's",
      category: ['Threshold overrides'],
      settings: { min: 0, max: 1, step: 0.001, placeholder: 'from the catalog' },
    })
    .addNumberInput({
      path: 'headroomThreshold',
      name: 'Minimum rate-limit headroom',
      description: "A ratio of the limit, e.g. 0.2; empty keeps the catalog's",
      category: ['Threshold overrides'],
      settings: { min: 0, max: 1, step: 0.01, placeholder: 'from the catalog' },
    })
    .addTextInput({
      path: 'linkTemplate',
      name: 'Tile link',
      description: '${api} and ${provider} are replaced, then dashboard variables; empty: tiles are not links',
      defaultValue: DEFAULT_OPTIONS.linkTemplate,
      category: ['Links'],
    })
);
