// The Grafana plugin as a release: <id>-<version>.zip whose one top folder is the app's id
// holding the built plugin (dist/, with its nested data source and panel), and the zip's sha1
// and md5 in <zip>.sha1 / <zip>.md5 (sha1sum/md5sum format). This is the layout
// `grafana cli --pluginUrl <zip> plugins install <id>` and the plugins directory expect.
//
// Signing: with a grafana.com access policy token in the environment the staged plugin is
// signed by @grafana/sign-plugin (MANIFEST.txt) with a private signature for the Grafana root
// URLs in APIMON_SIGN_ROOT_URLS; without a token the zip is unsigned and the report says how
// Grafana must be told to load it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { zipSync, type Zippable } from 'fflate';

export const SIGN_ROOT_URLS_ENV = 'APIMON_SIGN_ROOT_URLS';
/** The variables @grafana/sign-plugin reads its token from (the second is deprecated). */
export const SIGN_TOKEN_ENVS = ['GRAFANA_ACCESS_POLICY_TOKEN', 'GRAFANA_API_KEY'] as const;

export interface PackageOptions {
  /** The repository root: package.json, CHANGELOG.md, node_modules. */
  root: string;
  /** The built plugin (npm run build). */
  distDir: string;
  /** Where the zip and its checksums go. */
  outDir: string;
  env?: NodeJS.ProcessEnv;
}

export type Signature = { kind: 'unsigned' } | { kind: 'private'; rootUrls: string[] };

export interface PackageResult {
  pluginId: string;
  version: string;
  zip: string;
  sha1: string;
  md5: string;
  bytes: number;
  signature: Signature;
  /** The plugin ids Grafana must allow when the zip is unsigned: the app and its nested plugins. */
  pluginIds: string[];
}

/** A problem the person packaging can fix (stale build, missing changelog, bad signing setup). */
export class PackageError extends Error {}

interface PluginJson {
  id: string;
  type: string;
  info?: { version?: string; updated?: string };
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.split(sep).join('/'))
    .sort();
}

/** The app and every nested plugin.json below it, checked against package.json's version. */
function readPlugins(distDir: string, version: string): { app: PluginJson; ids: string[] } {
  const appFile = join(distDir, 'plugin.json');
  if (!existsSync(appFile)) {
    throw new PackageError(`${appFile} not found: build the plugin first (npm run build)`);
  }
  const app = readJson<PluginJson>(appFile);
  if (app.type !== 'app') {
    throw new PackageError(`${appFile}: type is "${app.type}", expected the app plugin`);
  }
  const ids = [app.id];
  for (const file of listFiles(distDir).filter((f) => f.endsWith('/plugin.json'))) {
    const nested = readJson<PluginJson>(join(distDir, file));
    ids.push(nested.id);
  }
  for (const file of listFiles(distDir).filter((f) => f === 'plugin.json' || f.endsWith('/plugin.json'))) {
    const found = readJson<PluginJson>(join(distDir, file)).info?.version;
    if (found !== undefined && found !== version) {
      throw new PackageError(
        `${join(distDir, file)}: info.version is "${found}" but package.json says "${version}": rebuild (npm run build)`
      );
    }
  }
  return { app, ids };
}

/** The release notes of `version`: its section of CHANGELOG.md, which the build also ships in the plugin. */
function changelogSection(root: string, distDir: string, version: string): string {
  const file = join(root, 'CHANGELOG.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^##\\s+v?${version.replace(/\./g, '\\.')}(\\s|$)`).test(l));
  if (start === -1) {
    throw new PackageError(
      `CHANGELOG.md has no section for ${version}: add a "## ${version}" heading with the changes`
    );
  }
  const shipped = join(distDir, 'CHANGELOG.md');
  if (!existsSync(shipped) || readFileSync(shipped, 'utf8') !== text) {
    throw new PackageError(`${shipped} differs from CHANGELOG.md: rebuild (npm run build)`);
  }
  const end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
  return lines
    .slice(start, end === -1 ? undefined : end)
    .join('\n')
    .trim();
}

function signingRequest(env: NodeJS.ProcessEnv): Signature {
  const token = SIGN_TOKEN_ENVS.map((name) => env[name]).find((v) => v);
  if (!token) {
    return { kind: 'unsigned' };
  }
  const raw = env[SIGN_ROOT_URLS_ENV] ?? '';
  const rootUrls = raw
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (rootUrls.length === 0) {
    throw new PackageError(
      `a signing token is set but ${SIGN_ROOT_URLS_ENV} is not: a private signature names the root URL(s) of the Grafana instances that may load the plugin, e.g. ${SIGN_ROOT_URLS_ENV}=https://grafana.example.com/`
    );
  }
  for (const url of rootUrls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new PackageError(
        `${SIGN_ROOT_URLS_ENV}: "${url}" is not a URL (Grafana's root_url, such as https://grafana.example.com/)`
      );
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new PackageError(`${SIGN_ROOT_URLS_ENV}: "${url}" is not an http(s) URL`);
    }
  }
  return { kind: 'private', rootUrls };
}

async function sign(root: string, pluginDir: string, rootUrls: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const bin = join(root, 'node_modules', '@grafana', 'sign-plugin', 'dist', 'bin', 'run.js');
  const args = [bin, '--distDir', pluginDir, '--signatureType', 'private', '--rootUrls', rootUrls.join(',')];
  try {
    // cwd = the repository root: sign-plugin records the create-plugin version from .config/.cprc.json.
    await promisify(execFile)(process.execPath, args, { cwd: root, env, timeout: 120_000 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new PackageError(`@grafana/sign-plugin failed:\n${(e.stderr || e.stdout || e.message).trim()}`);
  }
  if (!existsSync(join(pluginDir, 'MANIFEST.txt'))) {
    throw new PackageError('@grafana/sign-plugin reported success but wrote no MANIFEST.txt');
  }
}

/** Zip entries: directories and files under `top/`, mode 755/644, all dated `mtime` (a reproducible zip). */
function zipTree(stageDir: string, top: string, mtime: Date): Uint8Array {
  const entries: Zippable = {};
  const unix = { os: 3, mtime };
  const dirs = new Set<string>([top]);
  for (const file of listFiles(join(stageDir, top))) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      dirs.add([top, ...parts.slice(0, i)].join('/'));
    }
  }
  for (const dir of [...dirs].sort()) {
    entries[`${dir}/`] = [new Uint8Array(0), { ...unix, attrs: ((0o040755 << 16) | 0x10) >>> 0 }];
  }
  for (const file of listFiles(join(stageDir, top))) {
    entries[`${top}/${file}`] = [readFileSync(join(stageDir, top, file)), { ...unix, attrs: (0o100644 << 16) >>> 0 }];
  }
  return zipSync(entries, { level: 9 });
}

export async function packagePlugin(options: PackageOptions): Promise<PackageResult & { notes: string }> {
  const env = options.env ?? process.env;
  const { version } = readJson<{ version: string }>(join(options.root, 'package.json'));
  const { app, ids } = readPlugins(options.distDir, version);
  const notes = changelogSection(options.root, options.distDir, version);
  const signature = signingRequest(env);

  const stageDir = join(options.outDir, `.stage-${app.id}`);
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  const pluginDir = join(stageDir, app.id);
  try {
    cpSync(options.distDir, pluginDir, { recursive: true });
    rmSync(join(pluginDir, 'MANIFEST.txt'), { force: true }); // a signature from an earlier build would not match
    if (signature.kind === 'private') {
      await sign(options.root, pluginDir, signature.rootUrls, env);
    }
    // Dated by plugin.json's "updated" (the build day), so the same build zips to the same bytes.
    const updated = app.info?.updated && /^\d{4}-\d{2}-\d{2}$/.test(app.info.updated) ? app.info.updated : '1980-01-01';
    const zip = zipTree(stageDir, app.id, new Date(`${updated}T00:00:00Z`));
    const zipFile = join(options.outDir, `${app.id}-${version}.zip`);
    writeFileSync(zipFile, zip);
    const sha1 = createHash('sha1').update(zip).digest('hex');
    const md5 = createHash('md5').update(zip).digest('hex');
    writeFileSync(`${zipFile}.sha1`, `${sha1}  ${basename(zipFile)}\n`);
    writeFileSync(`${zipFile}.md5`, `${md5}  ${basename(zipFile)}\n`);
    return { pluginId: app.id, version, zip: zipFile, sha1, md5, bytes: zip.length, signature, pluginIds: ids, notes };
  } finally {
    rmSync(stageDir, { recursive: true, force: true });
  }
}

/** What `npm run package` prints. */
export function describeRelease(result: PackageResult, cwd: string): string {
  const zip = relative(cwd, result.zip) || result.zip;
  const lines = [
    `${result.pluginId} ${result.version}: ${zip} (${(result.bytes / 1024).toFixed(0)} KiB)`,
    `  sha1 ${result.sha1}  (${zip}.sha1)`,
    `  md5  ${result.md5}  (${zip}.md5)`,
  ];
  if (result.signature.kind === 'private') {
    lines.push(`  signed: private signature (MANIFEST.txt) for ${result.signature.rootUrls.join(', ')}`);
  } else {
    lines.push(
      '  unsigned: no GRAFANA_ACCESS_POLICY_TOKEN in the environment. Grafana loads it only with',
      `    [plugins] allow_loading_unsigned_plugins = ${result.pluginIds.join(',')}`,
      `    (or GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS); to sign privately set GRAFANA_ACCESS_POLICY_TOKEN and ${SIGN_ROOT_URLS_ENV}.`
    );
  }
  lines.push(
    `  install: grafana cli --pluginUrl <url or path of the zip> plugins install ${result.pluginId}`,
    '           or unzip it into the plugins directory; see docs/install.md'
  );
  return `${lines.join('\n')}\n`;
}
