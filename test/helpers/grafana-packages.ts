// The packages a Grafana server hands to plugins, one set per supported Grafana major: the
// repository's own node_modules (Grafana 13: @grafana/* 13, React 19) and test/grafana-12 (its
// own package.json and lock: @grafana/* 12.4, React 18). The artifact tests, the browser
// harness and a typecheck run against each set. Install the Grafana 12 set with
// `node scripts/grafana-packages.mjs` (npm test does).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * test/grafana-12, or the folder APIMON_GRAFANA_12_PACKAGES names: another Grafana 12 release's
 * packages (e.g. 12.0.x, the oldest plugin.json admits), installed by hand, checked the same way.
 */
function grafana12Dir(): string {
  return process.env.APIMON_GRAFANA_12_PACKAGES || join(REPO_ROOT, 'test', 'grafana-12');
}

export type GrafanaPackageSetId = 'grafana-13' | 'grafana-12';

export interface GrafanaPackageSet {
  id: GrafanaPackageSetId;
  /** The Grafana major this set stands for. */
  grafanaMajor: 12 | 13;
  /** The folder whose node_modules hold the set. */
  dir: string;
}

export const GRAFANA_PACKAGE_SETS: readonly GrafanaPackageSet[] = [
  { id: 'grafana-13', grafanaMajor: 13, dir: REPO_ROOT },
  { id: 'grafana-12', grafanaMajor: 12, dir: grafana12Dir() },
];

export function packageSet(id: GrafanaPackageSetId): GrafanaPackageSet {
  const set = GRAFANA_PACKAGE_SETS.find((s) => s.id === id);
  if (!set) {
    throw new Error(`unknown Grafana package set "${id}": one of ${GRAFANA_PACKAGE_SETS.map((s) => s.id).join(', ')}`);
  }
  return set;
}

/**
 * The set this jest project runs against: the `plugin-grafana-12` project maps Grafana's shared
 * packages to test/grafana-12 (jest.config.js) and names the set in the global
 * `APIMON_GRAFANA_PACKAGES`; every other project runs against the root's Grafana 13 set.
 */
export function currentPackageSet(): GrafanaPackageSet {
  const id = (globalThis as { APIMON_GRAFANA_PACKAGES?: GrafanaPackageSetId }).APIMON_GRAFANA_PACKAGES;
  return packageSet(id ?? 'grafana-13');
}

/** The path `request` resolves to from `from` (a folder) as Node would resolve it there. */
export function resolveFrom(from: string, request: string): string {
  return require.resolve(request, { paths: [from] });
}

/** The set's copy of `request`, with a message that says how to install the set if it is missing. */
export function resolveInSet(set: GrafanaPackageSet, request: string): string {
  if (!existsSync(join(set.dir, 'node_modules'))) {
    throw new Error(
      `the ${set.id} package set is not installed (${join(set.dir, 'node_modules')} is missing): run \`node scripts/grafana-packages.mjs\``
    );
  }
  return resolveFrom(set.dir, request);
}

/** The folder of `name`'s package.json as the set resolves it. */
export function packageDir(set: GrafanaPackageSet, name: string): string {
  return dirname(resolveInSet(set, `${name}/package.json`));
}

/** The installed version of `name` in the set. */
export function packageVersion(set: GrafanaPackageSet, name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(set, name), 'package.json'), 'utf8')) as { version: string }).version;
}

/** "Grafana 12 (@grafana/data 12.4.10, React 18.3.1)": for test names and messages. */
export function describeSet(set: GrafanaPackageSet): string {
  return `Grafana ${set.grafanaMajor} (@grafana/data ${packageVersion(set, '@grafana/data')}, React ${packageVersion(set, 'react')})`;
}
