// The built plugin (dist/), loaded the way Grafana loads it: each module.js as an AMD module
// whose dependencies are Grafana's shared externals, mapped to the real packages. Proves the
// artifact, not just the sources, exports working AppPlugin, DataSourcePlugin and PanelPlugin.
import './test-support/dom';
import React from 'react';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import {
  AppPlugin,
  CoreApp,
  DataSourcePlugin,
  PanelPlugin,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourcePluginMeta,
  type DataSourceSettings,
} from '@grafana/data';
import { DIST_DIR, ensureBuilt, loadAmdModule } from '../test/helpers/grafana-amd';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ getList: () => [{ uid: 'ds1', name: 'apimon (prod)', type: 'apimon-apimon-datasource' }] }),
  getTemplateSrv: () => ({ replace: (s: string) => s, getVariables: () => [] }),
}));

const APP_ID = 'apimon-apimon-app';
const readJson = (file: string) => JSON.parse(readFileSync(join(DIST_DIR, file), 'utf8'));
const router = (node: React.ReactNode) => (
  <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{node}</MemoryRouter>
);

beforeAll(() => {
  ensureBuilt();
}, 300_000);

describe('dist/ as Grafana loads it', () => {
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
    expect(app.dependencies.grafanaDependency).toBe(ds.dependencies.grafanaDependency);
    if (existsSync(join(DIST_DIR, 'panel', 'plugin.json'))) {
      const panel = readJson('panel/plugin.json');
      expect(panel).toMatchObject({ id: 'apimon-healthboard-panel', type: 'panel' });
      expect(app.includes).toEqual(expect.arrayContaining([{ type: 'panel', name: panel.name }]));
      expect(existsSync(join(DIST_DIR, 'panel', panel.info.logos.small))).toBe(true);
    }
  });

  it('exports a working AppPlugin with the setup page', () => {
    const { exports, deps } = loadAmdModule(join(DIST_DIR, 'module.js'), APP_ID);
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
  });

  it('exports a working DataSourcePlugin: editors render and the class constructs', () => {
    const { exports, deps } = loadAmdModule(join(DIST_DIR, 'datasource', 'module.js'), `${APP_ID}/datasource`);
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
  });

  const panelModule = join(DIST_DIR, 'panel', 'module.js');
  (existsSync(panelModule) ? it : it.skip)('exports a working PanelPlugin (dist/panel)', () => {
    const { exports } = loadAmdModule(panelModule, `${APP_ID}/panel`);
    expect(exports.plugin).toBeInstanceOf(PanelPlugin);
    expect(typeof (exports.plugin as PanelPlugin).panel).toBe('function');
  });
});
