// Loads a built plugin module (dist/**/module.js) the way Grafana does: as an AMD module whose
// dependencies are the shared modules Grafana gives plugins, each resolved from one package set
// (grafana-packages.ts: Grafana 12 or 13), so one dist/ is proved against both. Reusable for any
// unpacked plugin folder (dist/ or a release zip's content): pass its directory and the set.
// - "module" is the AMD meta module Grafana passes; its uri gives the bundle its public path.
// - Async chunks (React.lazy pages) are served from the plugin folder as Grafana serves
//   public/plugins/<app id>/: the <script> the bundle adds is answered with the file's code.
// - Every name the bundle reads from a shared module is checked against what the set exports,
//   so a bundle that uses an API one Grafana lacks fails the test that exercises it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { packageDir, REPO_ROOT, resolveFrom, resolveInSet, type GrafanaPackageSet } from './grafana-packages';

export { REPO_ROOT };
export const DIST_DIR = join(REPO_ROOT, 'dist');

interface SharedModule {
  /** Resolves the module's file in the set. */
  resolve(set: GrafanaPackageSet): string;
  /** The first Grafana major that shares it (sharedDependencies.ts: 12.4's lacks react-dom/client, later ones have it). */
  since?: number;
}

const fromSet = (request: string): SharedModule => ({ resolve: (set) => resolveInSet(set, request) });
/** Grafana shares its own copies of these, which its @grafana/ui depends on. */
const fromGrafanaUi = (request: string): SharedModule => ({
  resolve: (set) => resolveFrom(packageDir(set, '@grafana/ui'), request),
});

/**
 * The shared modules a plugin bundle may name (create-plugin's externals) that Grafana 12 and 13
 * provide, as Grafana maps them: `react-router` is react-router-dom-v5-compat (router v6),
 * `react-router-dom` is v5, `emotion` is @emotion/css.
 */
export const GRAFANA_SHARED_MODULES: Record<string, SharedModule> = {
  react: fromSet('react'),
  'react/jsx-runtime': fromSet('react/jsx-runtime'),
  'react/jsx-dev-runtime': fromSet('react/jsx-dev-runtime'),
  'react-dom': fromSet('react-dom'),
  'react-dom/client': { ...fromSet('react-dom/client'), since: 13 },
  '@grafana/data': fromSet('@grafana/data'),
  '@grafana/ui': fromSet('@grafana/ui'),
  '@grafana/runtime': fromSet('@grafana/runtime'),
  '@emotion/css': fromSet('@emotion/css'),
  '@emotion/react': fromSet('@emotion/react'),
  emotion: fromSet('@emotion/css'),
  rxjs: fromSet('rxjs'),
  'rxjs/operators': fromSet('rxjs/operators'),
  lodash: fromSet('lodash'),
  moment: fromSet('moment'),
  i18next: fromSet('i18next'),
  'react-router': fromGrafanaUi('react-router-dom-v5-compat'),
  'react-router-dom': fromGrafanaUi('react-router-dom'),
};

/** The set's copy of a module Grafana shares, e.g. the router Grafana renders plugin pages in. */
export function requireShared<T = unknown>(name: string, set: GrafanaPackageSet): T {
  const shared = GRAFANA_SHARED_MODULES[name];
  if (!shared) {
    throw new Error(`"${name}" is not among the modules Grafana shares with plugins`);
  }
  return require(shared.resolve(set)) as T;
}

/** Names bundles read from any module for interop, not APIs. */
const INTEROP_NAMES = new Set(['__esModule', 'default', 'then', 'toJSON', '$$typeof']);

export interface LoadOptions {
  /** The unpacked plugin folder (dist/ or a release zip's content): its module.js files and chunks. */
  distDir: string;
  /** The app plugin's id: Grafana serves the folder as public/plugins/<appId>/. */
  appId: string;
  packages: GrafanaPackageSet;
}

export interface LoadedModule {
  /** Dependencies the bundle asked for, in order. */
  deps: string[];
  exports: Record<string, unknown>;
  /**
   * "module.name" for every name the bundle has read (so far: loading, rendering) from a shared
   * module that the set does not export. Empty when the bundle only uses what this Grafana has.
   */
  missingNames(): string[];
}

type Factory = (...args: unknown[]) => unknown;

/** Builds the plugin once if dist/ is missing (`npm test` builds before jest). */
export function ensureBuilt(): void {
  if (!existsSync(join(DIST_DIR, 'module.js')) || !existsSync(join(DIST_DIR, 'datasource', 'module.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 300_000 });
  }
}

/** The shared module `name` from the set, watched for reads of names it does not export. */
function sharedModule(name: string, file: string, set: GrafanaPackageSet, missing: Set<string>): unknown {
  const shared = GRAFANA_SHARED_MODULES[name];
  if (!shared) {
    throw new Error(`${file} depends on "${name}", which is not among the modules Grafana shares with plugins`);
  }
  if (shared.since !== undefined && set.grafanaMajor < shared.since) {
    throw new Error(
      `${file} depends on "${name}", which Grafana ${set.grafanaMajor} does not share with plugins (since ${shared.since})`
    );
  }
  const mod = requireShared(name, set);
  if (mod === null || (typeof mod !== 'object' && typeof mod !== 'function')) {
    return mod;
  }
  return new Proxy(mod as object, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && !INTEROP_NAMES.has(prop) && !(prop in target)) {
        missing.add(`${name}.${prop}`);
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

const servedFolders = new Map<string, string>();

/**
 * Answers the <script> elements a bundle adds for its async chunks with the chunk files from
 * the plugin folder (jsdom loads no scripts itself), as Grafana serves public/plugins/<appId>/.
 */
function serveChunks(distDir: string, appId: string): void {
  if (typeof document === 'undefined' || typeof MutationObserver === 'undefined') {
    return;
  }
  const prefix = `/public/plugins/${appId}/`;
  if (servedFolders.size === 0) {
    new MutationObserver((records) => {
      for (const node of records.flatMap((r) => Array.from(r.addedNodes))) {
        if (node instanceof HTMLScriptElement && node.src) {
          answerScript(node);
        }
      }
    }).observe(document, { childList: true, subtree: true });
  }
  servedFolders.set(prefix, distDir);
}

function answerScript(script: HTMLScriptElement): void {
  const path = new URL(script.src).pathname;
  for (const [prefix, dir] of servedFolders) {
    if (path.startsWith(prefix)) {
      const file = join(dir, ...path.slice(prefix.length).split('/'));
      if (!existsSync(file) || !file.startsWith(dir + sep)) {
        script.dispatchEvent(new Event('error'));
        return;
      }
      // A chunk registers itself on the page's global (self.webpackChunk...), as in a browser.
      new Function(readFileSync(file, 'utf8'))();
      script.dispatchEvent(new Event('load'));
      return;
    }
  }
}

/** Runs the bundle's top level with a `define` that captures its dependencies and factory. */
export function readAmdModule(file: string): { deps: string[]; factory: Factory } {
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
  new Function('define', readFileSync(file, 'utf8'))(define);
  if (!captured) {
    throw new Error(`${file} did not call define(): not an AMD bundle`);
  }
  return captured;
}

/**
 * Evaluates `file` (an AMD bundle), resolves Grafana's shared modules from the package set and
 * returns what the factory exported.
 */
export function loadAmdModule(file: string, { distDir, appId, packages }: LoadOptions): LoadedModule {
  const { deps, factory } = readAmdModule(file);
  const uri = `public/plugins/${appId}/${relative(distDir, file).split(sep).join('/')}`;
  serveChunks(distDir, appId);

  const missing = new Set<string>();
  const exportsObject: Record<string, unknown> = {};
  const resolved = deps.map((dep) => {
    if (dep === 'module') {
      return { uri, id: uri };
    }
    if (dep === 'exports') {
      return exportsObject;
    }
    return sharedModule(dep, file, packages, missing);
  });
  const returned = factory(...resolved);
  const exports = (returned && typeof returned === 'object' ? returned : exportsObject) as Record<string, unknown>;
  return { deps, exports, missingNames: () => [...missing].sort() };
}
