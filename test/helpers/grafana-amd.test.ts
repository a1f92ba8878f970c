/**
 * @jest-environment jsdom
 */
// The artifact loader and the source-map import reader on small hand-written bundles: what they
// must catch (a name one Grafana lacks, a module it does not share) and what they must allow.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAmdModule, readAmdModule } from './grafana-amd';
import { packageSet } from './grafana-packages';
import { sharedImports } from './shared-imports';

const APP_ID = 'acme-test-app';
const grafana12 = packageSet('grafana-12');
const grafana13 = packageSet('grafana-13');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apimon-amd-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function bundle(file: string, code: string): string {
  const path = join(dir, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, code);
  return path;
}

// Reads React.use, which React 19 (Grafana 13) has and React 18 (Grafana 12) does not.
const USES_REACT_USE = `define(["react","module"], (React, m) => ({ version: React.version, hasUse: typeof React.use, uri: m.uri }));`;

describe('loadAmdModule', () => {
  it('resolves shared modules from the package set and gives the bundle its AMD uri', () => {
    const file = bundle('nested/module.js', USES_REACT_USE);
    const on13 = loadAmdModule(file, { distDir: dir, appId: APP_ID, packages: grafana13 });
    expect(on13.deps).toEqual(['react', 'module']);
    expect(on13.exports).toMatchObject({ hasUse: 'function', uri: `public/plugins/${APP_ID}/nested/module.js` });
    expect((on13.exports.version as string).split('.')[0]).toBe('19');
    expect(on13.missingNames()).toEqual([]);
  });

  it('reports each name the bundle read that the set does not export', () => {
    const file = bundle('module.js', USES_REACT_USE);
    const on12 = loadAmdModule(file, { distDir: dir, appId: APP_ID, packages: grafana12 });
    expect((on12.exports.version as string).split('.')[0]).toBe('18');
    expect(on12.exports.hasUse).toBe('undefined');
    expect(on12.missingNames()).toEqual(['react.use']);
  });

  it('refuses a module Grafana does not share, and one this Grafana does not share yet', () => {
    const unknown = bundle('a/module.js', `define(["left-pad"], () => ({}));`);
    expect(() => loadAmdModule(unknown, { distDir: dir, appId: APP_ID, packages: grafana13 })).toThrow(
      /depends on "left-pad", which is not among the modules Grafana shares with plugins/
    );
    const client = bundle('b/module.js', `define(["react-dom/client"], () => ({}));`);
    expect(() => loadAmdModule(client, { distDir: dir, appId: APP_ID, packages: grafana12 })).toThrow(
      /depends on "react-dom\/client", which Grafana 12 does not share with plugins \(since 13\)/
    );
  });

  it('says when a file is not an AMD bundle', () => {
    expect(() => readAmdModule(bundle('module.js', 'var x = 1;'))).toThrow(
      /did not call define\(\): not an AMD bundle/
    );
  });

  it('answers the <script> a bundle adds for a chunk with the file from the plugin folder', async () => {
    bundle('chunk-1.js', 'self.apimonChunkLoaded = (self.apimonChunkLoaded || 0) + 1;');
    loadAmdModule(bundle('module.js', USES_REACT_USE), { distDir: dir, appId: APP_ID, packages: grafana13 });
    const load = (src: string) =>
      new Promise<string>((resolve) => {
        const script = document.createElement('script');
        script.onload = () => resolve('load');
        script.onerror = () => resolve('error');
        script.src = src;
        document.head.appendChild(script);
      });
    expect(await load(`public/plugins/${APP_ID}/chunk-1.js?_cache=abc`)).toBe('load');
    expect((globalThis as { apimonChunkLoaded?: number }).apimonChunkLoaded).toBe(1);
    expect(await load(`public/plugins/${APP_ID}/missing.js`)).toBe('error');
  });
});

describe('sharedImports', () => {
  it('lists value imports and re-exports by name from the shared modules, not types or other modules', () => {
    const map = {
      version: 3,
      sources: [
        'webpack://app/./components/Editor.tsx',
        'webpack://app/../node_modules/lib/dist/esm/index.js',
        'webpack://app/external amd "react"',
      ],
      sourcesContent: [
        [
          "import React, { useState } from 'react';",
          "import { Combobox as Picker, type ComboboxOption, Field } from '@grafana/ui';",
          "import type { GrafanaTheme2 } from '@grafana/data';",
          "import { helper } from './helper';",
          "import * as runtime from '@grafana/runtime';",
        ].join('\n'),
        "import '@grafana/ui';\nexport { Stack } from '@grafana/ui';\nexport type { IconName } from '@grafana/ui';",
        'module.exports = __WEBPACK_EXTERNAL_MODULE__1__;',
      ],
    };
    bundle('module.js.map', JSON.stringify(map));
    const found = sharedImports(dir, ['react', '@grafana/ui', '@grafana/data', '@grafana/runtime']);
    expect(found.map(({ module, name }) => `${module}.${name}`)).toEqual([
      'react.useState',
      '@grafana/ui.Combobox',
      '@grafana/ui.Field',
      '@grafana/ui.Stack',
    ]);
    expect(found[1].from).toBe('module.js.map ./components/Editor.tsx');
  });

  it('refuses a source map without the sources it needs', () => {
    bundle('module.js.map', JSON.stringify({ version: 3, sources: ['a.ts'] }));
    expect(() => sharedImports(dir, ['react'])).toThrow(/module\.js\.map has no sourcesContent/);
  });
});
