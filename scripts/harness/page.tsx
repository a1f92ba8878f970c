// The harness page: the real panel and editors, inside @grafana/ui's theme, fed by the harness
// server (recorded or live engine results, turned into frames by the data source's own code).
// URL parameters: theme=dark|light, layout=grid|list|compact, width, height, fixture, apis,
// kpis=latency,errors..., minTileWidth, link, view=panel|editors|reports, bench=1 (render only when asked).
// view=reports: the app's Reports page over the harness's store proxy (live mode), with
// kind=monthly|incident, month=YYYY-MM and now=<epoch ms> (the page's clock).
// view=snapshot: the monthly dashboard's panels drawn from snapshot frames only (from, to: epoch ms).
import React, { useState } from 'react';
import { flushSync } from 'react-dom';
import { MemoryRouter } from 'react-router-dom';
import { createRoot, type Root } from 'react-dom/client';
import {
  createTheme,
  dateTime,
  EventBusSrv,
  FieldType,
  LoadingState,
  ThemeContext,
  type DataFrame,
  type DataSourceInstanceSettings,
  type DataSourceSettings,
  type GrafanaTheme2,
  type PanelData,
  type PanelProps,
} from '@grafana/data';
import { Sparkline } from '@grafana/ui';
import { DATASOURCE_UIDS, DEFAULT_SCRAPE_INTERVAL, PLUGIN_IDS, TransportError, type Transport } from '@apimon/core';
import { SparklineSvg } from '../../src/panel/components/SparklineSvg';
import { HealthBoardPanel } from '../../src/panel/components/HealthBoardPanel';
import { DEFAULT_OPTIONS, KPIS, LAYOUTS, type HealthBoardOptions, type Kpi, type Layout } from '../../src/panel/types';
import { resultToFrames } from '../../src/datasource/frames';
import { ApimonDataSource } from '../../src/datasource/datasource';
import { QueryEditor } from '../../src/datasource/components/QueryEditor';
import { ConfigEditor } from '../../src/datasource/components/ConfigEditor';
import type { ApimonDataQuery, ApimonOptions, ApimonSecureOptions } from '../../src/datasource/types';
import { ReportsPage, type ReportKind } from '../../src/components/Reports/ReportsPage';
import { SnapshotView } from './snapshot-view';
import type { RecordedResult } from './fixtures';

interface HarnessApi {
  ready: boolean;
  /** The React the page was bundled with (the package set's). */
  reactVersion: string;
  /** The theme the page renders in: createTheme() of the package set's @grafana/data. */
  theme: GrafanaTheme2;
  /** Milliseconds from render() to a laid-out DOM, for the last (re)mount. */
  renderMs: number;
  /** Unmounts the panel and mounts it again, timing the first render. */
  remount(): number;
  error?: string;
}

declare global {
  interface Window {
    __harness: HarnessApi;
  }
}

const params = new URLSearchParams(window.location.search);
const theme: GrafanaTheme2 = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });
const width = Number(params.get('width') ?? 1200);
const height = Number(params.get('height') ?? 720);

function panelOptions(): HealthBoardOptions {
  const layout = params.get('layout') as Layout | null;
  const kpis = params
    .get('kpis')
    ?.split(',')
    .filter((k): k is Kpi => (KPIS as readonly string[]).includes(k));
  return {
    ...DEFAULT_OPTIONS,
    ...(layout && LAYOUTS.includes(layout) ? { layout } : {}),
    ...(kpis ? { kpis } : {}),
    ...(params.has('minTileWidth') ? { minTileWidth: Number(params.get('minTileWidth')) } : {}),
    ...(params.has('link') ? { linkTemplate: params.get('link')! } : {}),
  };
}

function panelData(rec: RecordedResult | undefined, error: string | undefined): PanelData {
  const to = dateTime(rec?.range.toMs ?? Date.now());
  const from = dateTime(rec?.range.fromMs ?? Date.now() - 3_600_000);
  const timeRange = { from, to, raw: { from: 'now-1h', to: 'now' } };
  if (!rec) {
    return { state: LoadingState.Error, series: [], errors: [{ message: error, refId: 'A' }], timeRange };
  }
  return {
    state: LoadingState.Done,
    series: resultToFrames(rec.result, { refId: 'A', stepMs: rec.range.stepMs }),
    timeRange,
  };
}

function Chrome({ title, children, w }: { title: string; children: React.ReactNode; w: number }) {
  const c = theme.colors;
  return (
    <section
      aria-label={title}
      style={{
        width: w,
        background: c.background.primary,
        border: `1px solid ${c.border.weak}`,
        borderRadius: theme.shape.radius.default,
        padding: 8,
        boxSizing: 'border-box',
      }}
    >
      <h2
        style={{
          margin: '0 0 8px',
          fontSize: theme.typography.h5.fontSize,
          fontWeight: theme.typography.fontWeightMedium,
          color: c.text.primary,
        }}
      >
        {title}
      </h2>
      {children}
    </section>
  );
}

function PanelView({ data }: { data: PanelData }) {
  const inner = { width: width - 18, height: height - 44 };
  const props = {
    id: 1,
    data,
    timeRange: data.timeRange,
    timeZone: 'utc',
    options: panelOptions(),
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    ...inner,
    renderCounter: 0,
    title: 'API health',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => {},
    onFieldConfigChange: () => {},
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  } as PanelProps<HealthBoardOptions>;
  return (
    <Chrome title="API health" w={width}>
      <HealthBoardPanel {...props} />
    </Chrome>
  );
}

/**
 * The bench's peer: n sparklines as the panel draws them (one SVG path) or with @grafana/ui's
 * Sparkline (uPlot on a canvas), from the same series, at the panel's sparkline size.
 */
function SparklinesView({ frames, impl }: { frames: DataFrame[]; impl: 'svg' | 'grafana' }) {
  const series = frames.filter((f) => f.fields.length === 2 && f.fields[0].type === FieldType.time);
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, 120px)', gap: 4 }}>
      {series.map((f, i) => {
        const [time, value] = f.fields;
        const values = value.values as Array<number | null>;
        if (impl === 'svg') {
          return (
            <SparklineSvg
              key={i}
              width={120}
              height={22}
              data={{ timestamps: time.values as number[], values }}
              threshold={null}
              color={theme.colors.text.secondary}
              thresholdColor={theme.colors.text.disabled}
            />
          );
        }
        const nums = values.filter((v): v is number => v !== null);
        const min = Math.min(...nums);
        const max = Math.max(...nums);
        const y = { ...value, config: {}, state: { range: { min, max, delta: max - min } } };
        return <Sparkline key={i} width={120} height={22} theme={theme} sparkline={{ x: time, y }} />;
      })}
    </div>
  );
}

/** The editors' data source reaches the harness server as it would Grafana's data proxy. */
const browserTransport: Transport = {
  async get(target, path, query) {
    const res = await fetch(`/proxy/${target}${path}?${new URLSearchParams(query).toString()}`);
    const body = (await res.json()) as unknown;
    if (!res.ok) {
      throw new TransportError(`HTTP ${res.status}`, target, res.status, body);
    }
    return body;
  },
};

const DS_SETTINGS: DataSourceSettings<ApimonOptions, ApimonSecureOptions> = {
  id: 1,
  uid: DATASOURCE_UIDS.apimon,
  orgId: 1,
  name: 'apimon',
  type: PLUGIN_IDS.datasource,
  typeName: 'apimon',
  typeLogoUrl: '',
  access: 'proxy',
  url: 'http://prometheus:9090',
  user: '',
  database: '',
  basicAuth: false,
  basicAuthUser: '',
  isDefault: true,
  jsonData: { proberUrl: 'http://apimon-prober:9464', scrapeInterval: DEFAULT_SCRAPE_INTERVAL },
  secureJsonFields: { proberToken: true },
  readOnly: false,
  withCredentials: false,
};

function EditorsView() {
  const [settings, setSettings] = useState(DS_SETTINGS);
  const [query, setQuery] = useState<ApimonDataQuery>({ refId: 'A', kind: 'summary', criticality: 'critical' });
  const [datasource] = useState(
    () =>
      new ApimonDataSource(
        { ...settings, meta: { id: settings.type } } as unknown as DataSourceInstanceSettings<ApimonOptions>,
        {
          transport: browserTransport,
          templateSrv: () => ({ replace: (s?: string) => s ?? '', getVariables: () => [] }),
        }
      )
  );
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16, width }}>
      <Chrome title="Query editor" w={width}>
        <QueryEditor
          datasource={datasource}
          query={query}
          onChange={setQuery}
          onRunQuery={() => {}}
          range={panelData(undefined, '').timeRange}
        />
      </Chrome>
      <Chrome title="Data source settings" w={width}>
        <ConfigEditor options={settings} onOptionsChange={setSettings} />
      </Chrome>
    </div>
  );
}

function Page({ children }: { children: React.ReactNode }) {
  return (
    <ThemeContext.Provider value={theme}>
      <div
        style={{
          padding: 16,
          minHeight: '100vh',
          boxSizing: 'border-box',
          background: theme.colors.background.canvas,
          color: theme.colors.text.primary,
          fontFamily: theme.typography.fontFamily,
          fontSize: theme.typography.fontSize,
        }}
      >
        {children}
      </div>
    </ThemeContext.Provider>
  );
}

async function main() {
  document.body.style.background = theme.colors.background.canvas;
  const root: Root = createRoot(document.getElementById('root')!);
  const harness: HarnessApi = { ready: false, reactVersion: React.version, theme, renderMs: NaN, remount: () => NaN };
  window.__harness = harness;
  if (params.get('view') === 'reports') {
    const nowMs = params.has('now') ? Number(params.get('now')) : Date.now();
    root.render(
      <Page>
        <div style={{ width }}>
          <ReportsPage
            connect={async () => ({ transport: browserTransport, proberConfigured: true, name: 'apimon (harness)' })}
            now={() => nowMs}
            initialMonth={params.get('month') ?? undefined}
            initialKind={(params.get('kind') as ReportKind | null) ?? 'monthly'}
          />
        </div>
      </Page>
    );
    harness.ready = true;
    return;
  }
  if (params.get('view') === 'snapshot') {
    const res = await fetch(`/api/snapshot?from=${params.get('from')}&to=${params.get('to')}`);
    const body = (await res.json()) as unknown;
    root.render(
      <Page>
        <SnapshotView body={body} theme={theme} width={width} />
      </Page>
    );
    harness.ready = true;
    return;
  }
  if (params.get('view') === 'editors') {
    root.render(
      <Page>
        {/* Grafana renders editors inside its router; some @grafana/ui links need one. */}
        <MemoryRouter>
          <EditorsView />
        </MemoryRouter>
      </Page>
    );
    harness.ready = true;
    return;
  }
  const res = await fetch(`/api/result?${params.toString()}`);
  const body = (await res.json()) as RecordedResult | { error: string };
  const data = 'error' in body ? panelData(undefined, body.error) : panelData(body, undefined);
  const view = params.get('view');
  const content =
    view === 'sparklines' ? (
      <SparklinesView frames={data.series} impl={params.get('impl') === 'grafana' ? 'grafana' : 'svg'} />
    ) : (
      <PanelView data={data} />
    );
  const render = (): number => {
    const t0 = performance.now();
    flushSync(() => root.render(<Page>{content}</Page>));
    // Force style and layout, so the number covers what the first frame needs.
    document.body.getBoundingClientRect();
    void document.body.offsetHeight;
    return performance.now() - t0;
  };
  harness.remount = () => {
    flushSync(() => root.render(<Page>{null}</Page>));
    harness.renderMs = render();
    return harness.renderMs;
  };
  if (params.get('prelude') === 'editors') {
    // In Grafana, its own @grafana/ui views have rendered before a panel mounts: React and the
    // shared styles are warm, the panel's code and styles are not. The editors stand in for them.
    flushSync(() =>
      root.render(
        <Page>
          <MemoryRouter>
            <EditorsView />
          </MemoryRouter>
        </Page>
      )
    );
    document.body.getBoundingClientRect();
    flushSync(() => root.render(<Page>{null}</Page>));
  }
  harness.renderMs = render();
  harness.ready = true;
}

main().catch((err: Error) => {
  window.__harness = { ready: true, reactVersion: React.version, theme, renderMs: NaN, remount: () => NaN, error: err.message };
  throw err;
});
