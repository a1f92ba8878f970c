// The release zip as Grafana receives it: `npm run package`'s packaging step (the build is
// dist/, which `npm test` builds first) writes the zip, the zip is unpacked into a fresh
// folder as `grafana cli` or an admin would, and each module.js in it is loaded the way Grafana
// loads plugins (test/helpers/grafana-amd.ts) to prove the shipped files are working plugins.
import './test-support/dom';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { AppPlugin, DataSourcePlugin, PanelPlugin, type DataSourceApi } from '@grafana/data';
import { ensureBuilt, loadAmdModule, REPO_ROOT } from '../test/helpers/grafana-amd';
import { currentPackageSet } from '../test/helpers/grafana-packages';

const APP_ID = 'apimon-apimon-app';
const packages = currentPackageSet();
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('the release zip, unpacked, as Grafana loads it', () => {
  let work: string;
  let pluginDir: string;
  let report: string;

  beforeAll(() => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'apimon-zip-'));
    const env = { ...process.env };
    delete env.GRAFANA_ACCESS_POLICY_TOKEN;
    delete env.GRAFANA_API_KEY;
    report = execFileSync(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [join(REPO_ROOT, 'scripts', 'package-plugin.ts'), '--out', work],
      { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 }
    );
    const entries = unzipSync(readFileSync(join(work, `${APP_ID}-${VERSION}.zip`)));
    const unpacked = join(work, 'plugins');
    for (const [name, data] of Object.entries(entries)) {
      const target = join(unpacked, name);
      if (name.endsWith('/')) {
        mkdirSync(target, { recursive: true });
      } else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, data);
      }
    }
    pluginDir = join(unpacked, APP_ID);
  }, 300_000);
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('reports the zip, its checksums and that it is unsigned', () => {
    expect(report).toContain(`${APP_ID} ${VERSION}:`);
    expect(report).toMatch(/sha1 [0-9a-f]{40}/);
    expect(report).toMatch(/md5 +[0-9a-f]{32}/);
    expect(report).toContain('unsigned');
  });

  it('exports the AppPlugin from the top folder', () => {
    const { exports } = loadAmdModule(join(pluginDir, 'module.js'), { distDir: pluginDir, appId: APP_ID, packages });
    const plugin = exports.plugin as AppPlugin;
    expect(plugin).toBeInstanceOf(AppPlugin);
    expect(plugin.configPages?.map((p) => p.id)).toContain('setup');
  });

  it('exports the nested DataSourcePlugin with its editors', () => {
    const { exports } = loadAmdModule(join(pluginDir, 'datasource', 'module.js'), { distDir: pluginDir, appId: APP_ID, packages });
    const plugin = exports.plugin as DataSourcePlugin<DataSourceApi>;
    expect(plugin).toBeInstanceOf(DataSourcePlugin);
    expect(plugin.components.ConfigEditor).toBeDefined();
    expect(plugin.components.QueryEditor).toBeDefined();
  });

  it('exports the nested PanelPlugin', () => {
    const { exports } = loadAmdModule(join(pluginDir, 'panel', 'module.js'), { distDir: pluginDir, appId: APP_ID, packages });
    const plugin = exports.plugin as PanelPlugin;
    expect(plugin).toBeInstanceOf(PanelPlugin);
    expect(plugin.panel).toBeDefined();
  });
});
