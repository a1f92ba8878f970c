// The apimon npm package as a user gets it: `npm pack` (prepack bundles the CLI), the tarball
// installed into an empty folder outside the repository, and `apimon check` and one
// `apimon probe` round run from there against a local server. No workspace link, no
// TypeScript runtime and no source file may be needed at run time.
import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTarget, type TestTarget } from '../../packages/prober/src/test-support/target';

jest.setTimeout(180_000);

const PACKAGE_DIR = join(__dirname, '../../packages/prober');
const REPO_ROOT = join(PACKAGE_DIR, '..', '..');
const execFileAsync = promisify(execFile);

/** The environment without what npm passes to scripts (npm test runs jest as one). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|INIT_CWD$|NODE_PATH$)/i.test(k)));
}

async function run(
  file: string,
  args: string[],
  cwd: string
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, {
      cwd,
      env: cleanEnv(),
      maxBuffer: 16 << 20,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') {
      throw err;
    }
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function npm(args: string[], cwd: string): Promise<string> {
  const result = await run('npm', args, cwd);
  if (result.code !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
  }
  return result.stdout;
}

/** The version the repository's lock file gives `name` as seen from packages/prober (its own copy first). */
function lockVersion(name: string): string {
  const { packages } = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string }>;
  };
  return (packages[`packages/prober/node_modules/${name}`] ?? packages[`node_modules/${name}`]).version;
}

describe('the @apimon/prober npm package', () => {
  let work: string;
  let tarball: string;
  let files: string[];
  let target: TestTarget;
  const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
    name: string;
    bin: Record<string, string>;
    engines: { node: string };
    dependencies: Record<string, string>;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'apimon-npm-package-'));
    const packed = JSON.parse(await npm(['pack', '--json', '--pack-destination', work], PACKAGE_DIR)) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    tarball = join(work, packed[0].filename);
    files = packed[0].files.map((f) => f.path).sort();
    target = await startTarget({ '/v1/ping': { headers: { 'RateLimit-Limit': '100', 'RateLimit-Remaining': '99' } } });
  });
  afterAll(async () => {
    await target?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('packs the bundle, its launcher, the pinned dependency tree and the license, and no sources', () => {
    expect(files).toEqual([
      'README.md',
      'bin/apimon.js',
      'dist/LICENSE',
      'dist/cli.js',
      'npm-shrinkwrap.json',
      'package.json',
    ]);
    expect(manifest.bin).toEqual({ apimon: 'bin/apimon.js' });
    expect(manifest.engines.node).toBe('>=20');
    // Workspace packages are compiled into the bundle; tsx runs only the repository's sources.
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@apimon/') || d === 'tsx')).toEqual([]);
    // The packing leaves no shrinkwrap behind in the workspace (the root lock file is the only one there).
    expect(existsSync(join(PACKAGE_DIR, 'npm-shrinkwrap.json'))).toBe(false);
  });

  it('installs into an empty folder and runs apimon check and one apimon probe round from there', async () => {
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
    await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);

    // A real copy of the package, no workspace package beside it, no links.
    expect(readdirSync(join(app, 'node_modules', '@apimon'))).toEqual(['prober']);
    expect(lstatSync(join(app, 'node_modules', '@apimon', 'prober')).isSymbolicLink()).toBe(false);
    expect(existsSync(join(app, 'node_modules', '@apimon', 'prober', 'src'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);

    const apimon = join(app, 'node_modules', '.bin', 'apimon');
    const catalog = join(app, 'catalog.yaml');
    writeFileSync(
      catalog,
      [
        'providers:',
        '  - name: local',
        'apis:',
        '  - name: ping',
        '    provider: local',
        '    criticality: standard',
        '    owner: sre',
        '    endpoints:',
        `      - { name: ping, url: "${target.url}/v1/ping" }`,
        '',
      ].join('\n')
    );

    const check = await run(apimon, ['check', '--config', catalog], app);
    expect(check).toMatchObject({ code: 0, stderr: '' });
    expect(check.stdout).toContain('ok (1 APIs, 1 endpoints, 1 providers)');

    const bad = join(app, 'bad.yaml');
    writeFileSync(bad, readFileSync(catalog, 'utf8').replace('criticality: standard', 'criticality: urgent'));
    const rejected = await run(apimon, ['check', '--config', bad], app);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain(`${bad}:6:18: apis[0].criticality: must be one of`);
    expect(rejected.stderr).not.toMatch(/\n\s+at /);

    const probe = await run(apimon, ['probe', '--config', catalog, '--json'], app);
    expect(probe).toMatchObject({ code: 0, stderr: '' });
    const lines = probe.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ api: 'ping', endpoint: 'ping', outcome: 'ok', code: 200, error: null }),
    ]);
    expect(lines[0].rateLimit).toEqual(expect.objectContaining({ limit: 100, remaining: 99 }));
    expect(target.requests.filter((r) => r.path === '/v1/ping')).toHaveLength(1);
  });

  it('installs exactly the versions of the repository lock file with npm ci in the unpacked package, as the container image does', async () => {
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    await run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], work);
    // The Dockerfile's install step: the package's own lock (its shrinkwrap), production only.
    await npm(['pkg', 'delete', 'devDependencies', 'scripts'], unpacked);
    await npm(['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], unpacked);
    for (const name of Object.keys(manifest.dependencies)) {
      const installed = JSON.parse(readFileSync(join(unpacked, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      };
      expect({ name, version: installed.version }).toEqual({ name, version: lockVersion(name) });
    }
    const help = await run(process.execPath, [join(unpacked, 'bin', 'apimon.js'), '--help'], unpacked);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: apimon <command>');
  });
});
