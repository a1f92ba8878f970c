// The built plugin (dist/), loaded the way Grafana loads it: each module.js as an AMD module
// whose dependencies are Grafana's shared modules, taken from a real package set. Jest runs this
// file against Grafana 13 (project "plugin") and Grafana 12 (project "plugin-grafana-12": React
// 18, @grafana/* 12.4): one artifact exports working AppPlugin, DataSourcePlugin and PanelPlugin
// on both, and reads no name from @grafana/* or React that either lacks.
import './test-support/dom';
import React from 'react';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, screen, within } from '@testing-library/react';
import { DASHBOARDS } from '@apimon/core';
import {
  AppPlugin,
  CoreApp,
  DataSourcePlugin,
  PanelPlugin,
  type AppPluginMeta,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourcePluginMeta,
  type DataSourceSettings,
} from '@grafana/data';
import { DIST_DIR, ensureBuilt, loadAmdModule, readAmdModule, requireShared } from '../test/helpers/grafana-amd';
import { sharedImports } from '../test/helpers/shared-imports';
import { currentPackageSet, describeSet, packageVersion } from '../test/helpers/grafana-packages';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ getList: () => [{ uid: 'ds1', name: 'apimon (prod)', type: 'apimon-apimon-datasource' }] }),
  getTemplateSrv: () => ({ replace: (s: string) => s, getVariables: () => [] }),
}));

const APP_ID = 'apimon-apimon-app';
const packages = currentPackageSet();
const load = (file: string) => loadAmdModule(join(DIST_DIR, file), { distDir: DIST_DIR, appId: APP_ID, packages });
const readJson = (file: string) => JSON.parse(readFileSync(join(DIST_DIR, file), 'utf8'));
// Grafana renders plugin pages inside its router: the one it shares as "react-router" (v6 API).
const { MemoryRouter } = requireShared<typeof import('react-router-dom')>('react-router', packages);
const router = (node: React.ReactNode) => (
  <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{node}</MemoryRouter>
);

beforeAll(() => {
  ensureBuilt();
}, 300_000);

describe(`dist/ as ${describeSet(packages)} loads it`, () => {
  it('runs against the package set it names (one React, one @grafana/data)', () => {
    expect(React.version).toBe(packageVersion(packages, 'react'));
    expect(React.version.split('.')[0]).toBe(packages.grafanaMajor === 12 ? '18' : '19');
    expect(require.resolve('@grafana/data')).toBe(require.resolve('@grafana/data', { paths: [packages.dir] }));
    expect(packageVersion(packages, '@grafana/data').split('.')[0]).toBe(String(packages.grafanaMajor));
  });

  it('nests the data source and panel in the app plugin, with their plugin.json and logos', () => {
    const app = readJson('plugin.json');
    expect(app.id).toBe(APP_ID);
    expect(app.type).toBe('app');
    expect(app.info.version).not.toContain('%VERSION%');
    const ds = readJson('datasource/plugin.json');
    expect(ds).toMatchObject({ id: 'apimon-apimon-datasource', type: 'datasource', metrics: true, annotations: true, alerting: false });
    // Two prober routes: with the token header, and without any (for a prober without a token).
    expect(ds.routes).toEqual([
      expect.objectContaining({ path: 'prober-token', url: '{{ .JsonData.proberUrl }}', headers: [expect.objectContaining({ name: 'Authorization' })] }),
      expect.not.objectContaining({ headers: expect.anything() }),
    ]);
    expect(ds.routes[1]).toMatchObject({ path: 'prober-anonymous', url: '{{ .JsonData.proberUrl }}' });
    expect(app.includes).toEqual(expect.arrayContaining([{ type: 'datasource', name: ds.name }]));
    expect(existsSync(join(DIST_DIR, 'datasource', ds.info.logos.small))).toBe(true);
    // Grafana 12 and 13, as this file proves with both package sets (docs/datasource.md).
    expect(app.dependencies.grafanaDependency).toBe('>=12.0.0');
    expect(ds.dependencies.grafanaDependency).toBe(app.dependencies.grafanaDependency);
    if (existsSync(join(DIST_DIR, 'panel', 'plugin.json'))) {
      const panel = readJson('panel/plugin.json');
      expect(panel).toMatchObject({ id: 'apimon-healthboard-panel', type: 'panel' });
      expect(panel.dependencies.grafanaDependency).toBe(app.dependencies.grafanaDependency);
      expect(app.includes).toEqual(expect.arrayContaining([{ type: 'panel', name: panel.name }]));
      expect(existsSync(join(DIST_DIR, 'panel', panel.info.logos.small))).toBe(true);
    }
  });

  it('imports from the modules Grafana shares only names this Grafana exports, in every bundled source', () => {
    const modules = ['module.js', 'datasource/module.js', 'panel/module.js'].map((f) => join(DIST_DIR, f));
    const shared = new Set(modules.flatMap((file) => readAmdModule(file).deps).filter((d) => d !== 'module'));
    expect([...shared].sort()).toEqual(['@emotion/css', '@grafana/data', '@grafana/runtime', '@grafana/ui', 'react', 'react-router', 'rxjs']);
    const imports = sharedImports(DIST_DIR, shared);
    // Ours and @grafana/plugin-ui's (bundled): e.g. Combobox, EditorField's Field, AppPlugin.
    expect(imports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ module: '@grafana/ui', name: 'Combobox' }),
        expect.objectContaining({ module: '@grafana/ui', name: 'Field', from: expect.stringContaining('@grafana/plugin-ui') }),
        expect.objectContaining({ module: '@grafana/data', name: 'AppPlugin' }),
      ])
    );
    const absent = imports
      .filter(({ module, name }) => !(name in requireShared<object>(module, packages)))
      .map(({ module, name, from }) => `${module}.${name} (${from})`);
    expect(absent).toEqual([]);
  });

  it('exports a working AppPlugin with the setup page and the lazily loaded home page', async () => {
    const loaded = load('module.js');
    const { exports, deps } = loaded;
    expect(deps).toEqual(expect.arrayContaining(['@grafana/data', 'react']));
    const plugin = exports.plugin as AppPlugin;
    expect(plugin).toBeInstanceOf(AppPlugin);
    expect(typeof plugin.root).toBe('function');
    const setup = plugin.configPages?.find((p) => p.id === 'setup');
    expect(setup).toBeDefined();
    const Body = setup!.body;
    render(router(<Body plugin={plugin} query={{}} />));
    expect(screen.getByRole('link', { name: 'apimon (prod)' })).toHaveAttribute('href', '/connections/datasources/edit/ds1');
    expect(screen.getByRole('link', { name: 'API detail' })).toHaveAttribute('href', '/d/apimon-api');

    // The home page is a separate chunk, fetched from the plugin's public path when first shown.
    const Root = plugin.root!;
    const meta = { id: APP_ID, name: 'apimon', type: 'app', baseUrl: `public/plugins/${APP_ID}` } as AppPluginMeta;
    // What Grafana passes an app's root page (path, query and onNavChanged are deprecated, still passed).
    const rootProps = { meta, basename: `/a/${APP_ID}`, path: `/a/${APP_ID}`, query: {}, onNavChanged: () => {} };
    render(router(<Root {...rootProps} />));
    const dashboards = await screen.findByRole('list', { name: 'apimon dashboards' });
    // Every provisioned dashboard, as the built artifact lists them: title and link.
    const links = within(dashboards).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual(DASHBOARDS.map((d) => [d.title, `/d/${d.uid}`]));
    expect((await screen.findByText('Monthly and incident reports')).closest('a')).toHaveAttribute('href', `/a/${APP_ID}/reports`);

    // The Reports page (its own chunk) under the app's reports path, as plugin.json includes it.
    render(
      <MemoryRouter initialEntries={['/reports']} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Root {...rootProps} />
      </MemoryRouter>
    );
    expect(await screen.findByRole('radio', { name: 'Monthly report' })).toBeChecked();
    expect(await screen.findByLabelText('Month')).toHaveAttribute('id', 'apimon-report-month');
    expect(loaded.missingNames()).toEqual([]);
  });

  it('exports a working DataSourcePlugin: editors render and the class constructs', () => {
    const loaded = load('datasource/module.js');
    const { exports, deps } = loaded;
    expect(deps).toEqual(expect.arrayContaining(['@grafana/data', '@grafana/runtime', '@grafana/ui', 'react']));
    const plugin = exports.plugin as DataSourcePlugin<DataSourceApi>;
    expect(plugin).toBeInstanceOf(DataSourcePlugin);
    expect(plugin.components.QueryEditor).toBeDefined();
    expect(plugin.components.QueryEditorHelp).toBeDefined();

    const ConfigEditor = plugin.components.ConfigEditor!;
    const options = {
      uid: 'x', name: 'apimon', type: 'apimon-apimon-datasource', access: 'proxy', url: '', basicAuth: false,
      basicAuthUser: '', withCredentials: false, jsonData: {}, secureJsonFields: {}, readOnly: false,
    } as unknown as DataSourceSettings;
    render(router(<ConfigEditor options={options} onOptionsChange={() => {}} />));
    expect(screen.getByText('Prober URL')).toBeInTheDocument();
    expect(screen.getByText(/Alerting uses the built-in Prometheus data source/)).toBeInTheDocument();

    const DataSourceClass = plugin.DataSourceClass as unknown as new (s: DataSourceInstanceSettings) => {
      getDefaultQuery(app: CoreApp): unknown;
      annotations?: unknown;
      variables?: unknown;
    };
    const ds = new DataSourceClass({
      uid: 'x', type: 'apimon-apimon-datasource', name: 'apimon', access: 'proxy', url: '/api/datasources/proxy/uid/x',
      jsonData: { scrapeInterval: '15s' }, readOnly: false,
      meta: { id: 'apimon-apimon-datasource' } as DataSourcePluginMeta,
    } as DataSourceInstanceSettings);
    expect(ds.getDefaultQuery(CoreApp.PanelEditor)).toEqual({ kind: 'latency', percentiles: ['p95'], groupBy: 'api' });
    expect(ds.annotations).toBeDefined();
    expect(ds.variables).toBeDefined();
    expect(loaded.missingNames()).toEqual([]);
  });

  const panelModule = join(DIST_DIR, 'panel', 'module.js');
  (existsSync(panelModule) ? it : it.skip)('exports a working PanelPlugin (dist/panel)', () => {
    const { exports } = load('panel/module.js');
    expect(exports.plugin).toBeInstanceOf(PanelPlugin);
    expect(typeof (exports.plugin as PanelPlugin).panel).toBe('function');
  });
});
