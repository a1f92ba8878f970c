// The built panel (dist/panel/module.js), loaded as Grafana loads it (AMD, Grafana's shared
// modules from a real package set): a working PanelPlugin with its options, rendering a board.
// Runs against Grafana 13 (project "plugin") and Grafana 12 (project "plugin-grafana-12").
import '../test-support/dom';
import React from 'react';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, render, screen, within } from '@testing-library/react';
import { PanelOptionsEditorBuilder, PanelPlugin, standardEditorsRegistry, type PanelProps } from '@grafana/data';
import { DIST_DIR, REPO_ROOT, loadAmdModule } from '../../test/helpers/grafana-amd';
import { currentPackageSet, describeSet } from '../../test/helpers/grafana-packages';
import { panelData, panelProps, recordedFrames } from './test-support/board';

const PANEL_MODULE = join(DIST_DIR, 'panel', 'module.js');
const packages = currentPackageSet();

beforeAll(() => {
  // Grafana fills this registry with its option editors at startup; the builder looks them up by id.
  standardEditorsRegistry.setInit(() =>
    ['radio', 'multi-select', 'number', 'text'].map((id) => ({ id, name: id, editor: () => null }))
  );
  if (!existsSync(PANEL_MODULE)) {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 300_000 });
  }
}, 300_000);

describe(`dist/panel as ${describeSet(packages)} loads it`, () => {
  it('ships the nested panel plugin.json, listed by the app, with its logo', () => {
    const app = JSON.parse(readFileSync(join(DIST_DIR, 'plugin.json'), 'utf8'));
    const panel = JSON.parse(readFileSync(join(DIST_DIR, 'panel', 'plugin.json'), 'utf8'));
    expect(panel).toMatchObject({ id: 'apimon-healthboard-panel', type: 'panel' });
    expect(panel.info.version).not.toContain('%VERSION%');
    expect(app.includes).toEqual(expect.arrayContaining([{ type: 'panel', name: panel.name }]));
    expect(existsSync(join(DIST_DIR, 'panel', panel.info.logos.small))).toBe(true);
  });

  it('exports a PanelPlugin whose options have defaults and whose panel renders the board', () => {
    const loaded = loadAmdModule(PANEL_MODULE, { distDir: DIST_DIR, appId: 'apimon-apimon-app', packages });
    const { exports, deps } = loaded;
    expect(deps).toEqual(expect.arrayContaining(['@grafana/data', '@grafana/ui', 'react']));
    const plugin = exports.plugin as PanelPlugin;
    expect(plugin).toBeInstanceOf(PanelPlugin);
    // What Grafana's panel editor would list, with each option's default.
    const builder = new PanelOptionsEditorBuilder<Record<string, unknown>>();
    plugin.getPanelOptionsSupplier()(builder, { data: [] });
    const editorItems = builder.getItems();
    expect(editorItems.map((i) => i.path)).toEqual([
      'layout',
      'kpis',
      'minTileWidth',
      'latencyThresholdSeconds',
      'errorThreshold',
      'headroomThreshold',
      'linkTemplate',
    ]);
    const defaults = Object.fromEntries(editorItems.map((i) => [i.path, i.defaultValue]));
    expect(defaults).toMatchObject({ layout: 'grid', minTileWidth: 260, linkTemplate: '/d/apimon-api?var-api=${api}' });
    expect(defaults.kpis).toEqual(['latency', 'sparkline', 'errors', 'headroom', 'traffic', 'provider', 'tls']);
    expect(defaults.latencyThresholdSeconds).toBeUndefined();

    const Panel = plugin.panel as React.ComponentType<PanelProps>;
    render(<Panel {...(panelProps(panelData(recordedFrames())) as PanelProps)} />);
    const items = within(screen.getByRole('list', { name: /API health/ })).getAllByRole('listitem');
    expect(items).toHaveLength(9);
    expect(items[0].firstElementChild).toHaveAttribute('data-api', 'ad-feed');
    expect(loaded.missingNames()).toEqual([]);
  });

  it('opens the tile tooltip on keyboard focus, on an anchor no one can focus, with no React warning', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { exports } = loadAmdModule(PANEL_MODULE, { distDir: DIST_DIR, appId: 'apimon-apimon-app', packages });
      const Panel = (exports.plugin as PanelPlugin).panel as React.ComponentType<PanelProps>;
      render(<Panel {...(panelProps(panelData(recordedFrames())) as PanelProps)} />);
      const board = screen.getByRole('list', { name: /API health/ });
      act(() => (board.querySelector('[data-api="pay-slow"]') as HTMLElement).focus());
      expect(await screen.findByRole('tooltip')).toHaveTextContent('pay-slow');
      // The Tooltip's trigger is an invisible box over the tile: inert in React 18 and 19 alike.
      const anchor = board.parentElement!.querySelector(':scope > [aria-hidden="true"]');
      expect(anchor).toHaveAttribute('inert');
      expect(errors.mock.calls.map((args) => String(args[0]))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });
});
