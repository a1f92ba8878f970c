// Loads a built plugin module (dist/**/module.js) the way Grafana does: as an AMD module
// whose dependencies are Grafana's shared externals. Each dependency is mapped to the real
// package (the same instances the test imports, so `instanceof AppPlugin` is meaningful);
// "module" is the AMD meta module Grafana passes, from which the bundle derives its public path.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
export const DIST_DIR = join(REPO_ROOT, 'dist');

/** Grafana's shared modules a plugin bundle may name, as in .config/bundler/externals.ts. */
export const GRAFANA_EXTERNALS: Record<string, () => unknown> = {
  react: () => require('react'),
  'react-dom': () => require('react-dom'),
  'react/jsx-runtime': () => require('react/jsx-runtime'),
  'react/jsx-dev-runtime': () => require('react/jsx-dev-runtime'),
  '@grafana/data': () => require('@grafana/data'),
  '@grafana/ui': () => require('@grafana/ui'),
  '@grafana/runtime': () => require('@grafana/runtime'),
  '@emotion/css': () => require('@emotion/css'),
  '@emotion/react': () => require('@emotion/react'),
  rxjs: () => require('rxjs'),
  lodash: () => require('lodash'),
  'react-router': () => require('react-router'),
  'react-router-dom': () => require('react-router-dom'),
  i18next: () => require('i18next'),
  moment: () => require('moment'),
};

export interface LoadedModule {
  /** Dependencies the bundle asked for, in order. */
  deps: string[];
  exports: Record<string, unknown>;
}

type Factory = (...args: unknown[]) => unknown;

/** Builds the plugin once if dist/ is missing (`npm test` builds before jest). */
export function ensureBuilt(): void {
  if (!existsSync(join(DIST_DIR, 'module.js')) || !existsSync(join(DIST_DIR, 'datasource', 'module.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 300_000 });
  }
}

/**
 * Evaluates `file` (an AMD bundle) with a `define` that resolves Grafana's externals and
 * returns what the factory exported. `pluginId` gives the AMD "module" its uri, as Grafana's
 * loader does (public/plugins/<id>/<path>/module.js); `distDir` is the plugin folder the file
 * is in (dist/ by default; an unpacked release zip's top folder for the package test).
 */
export function loadAmdModule(file: string, pluginId: string, distDir: string = DIST_DIR): LoadedModule {
  const code = readFileSync(file, 'utf8');
  const uri = `public/plugins/${pluginId}/${relative(distDir, file).replace(/\\/g, '/')}`;
  let captured: { deps: string[]; factory: Factory } | undefined;

  const define = (...args: unknown[]) => {
    const factory = args[args.length - 1];
    const deps = args.find((a): a is string[] => Array.isArray(a)) ?? [];
    if (typeof factory !== 'function') {
      throw new Error(`${file}: define() without a factory function`);
    }
    captured = { deps, factory: factory as Factory };
  };
  (define as unknown as { amd: object }).amd = {};

  // The bundle runs as a script would: define is the only global it needs from the loader.
  new Function('define', code)(define);
  if (!captured) {
    throw new Error(`${file} did not call define(): not an AMD bundle`);
  }

  const exportsObject: Record<string, unknown> = {};
  const resolved = captured.deps.map((dep) => {
    if (dep === 'module') {
      return { uri, id: uri };
    }
    if (dep === 'exports') {
      return exportsObject;
    }
    const external = GRAFANA_EXTERNALS[dep];
    if (!external) {
      throw new Error(`${file} depends on "${dep}", which Grafana does not provide to plugins`);
    }
    return external();
  });
  const returned = captured.factory(...resolved);
  const exports = (returned && typeof returned === 'object' ? returned : exportsObject) as Record<string, unknown>;
  return { deps: captured.deps, exports };
}
