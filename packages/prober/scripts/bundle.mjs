// Prepares the npm package of the apimon CLI and prober (run by `npm pack` as prepack):
//
// - dist/cli.js: the CLI bundled by esbuild. @apimon/core and @apimon/sandbox are private
//   workspace packages written in TypeScript, so they are compiled into the bundle; every other
//   package stays a real, external dependency of the package. A bare import that is neither a
//   workspace package nor a declared dependency fails the build and names the importing file.
// - npm-shrinkwrap.json: the dependencies' versions as the repository's package-lock.json has
//   them (the versions the tests ran against), so `npm i -g` and the container image install
//   exactly those. npm documents shrinkwrap for CLI tools published this way.
// - dist/LICENSE: the repository's license, shipped with the code.
//
// postpack removes the shrinkwrap again: inside the workspace only the root lock file counts.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = join(PACKAGE_DIR, '..', '..');
const SHRINKWRAP = join(PACKAGE_DIR, 'npm-shrinkwrap.json');
const BUNDLED = /^@apimon\//;

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** "pino" for "pino", "@scope/name" for "@scope/name/sub/path". */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

async function bundle(pkg) {
  const declared = new Set(Object.keys(pkg.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  const used = new Set();
  const externals = {
    name: 'apimon-externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (BUNDLED.test(args.path)) {
          return undefined; // resolved through the workspace link and compiled in
        }
        const name = packageName(args.path);
        if (args.path.startsWith('node:') || builtins.has(name)) {
          return { external: true };
        }
        if (declared.has(name)) {
          used.add(name);
          return { external: true };
        }
        const importer = relative(REPO_ROOT, args.importer);
        return {
          errors: [
            {
              text: `${importer} imports "${name}", which is not in packages/prober/package.json "dependencies": add it there (it stays an external dependency of the package)`,
            },
          ],
        };
      });
    },
  };
  await build({
    entryPoints: [join(PACKAGE_DIR, 'src', 'cli', 'main.ts')],
    outfile: join(PACKAGE_DIR, 'dist', 'cli.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [externals],
    // The same TypeScript semantics as tsc and tsx in the repository (target es2022: class
    // fields are defined, not assigned), without reading the plugin's tsconfig, so the bundle is
    // the same wherever it is built (the container build copies no tsconfig).
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, strict: true } },
    banner: { js: `// ${pkg.name} ${pkg.version}: the apimon CLI, bundled by packages/prober/scripts/bundle.mjs.` },
    logLevel: 'warning',
  });
  const unused = [...declared].filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new Error(`packages/prober/package.json declares dependencies the CLI never imports: ${unused.join(', ')}`);
  }
}

/**
 * The entries of the root lock file that `pkg`'s dependencies resolve to, transitively, at the
 * paths the lock file has them. A subset closed under Node's resolution is itself a valid tree.
 */
function shrinkwrap(pkg) {
  const lock = readJson(join(REPO_ROOT, 'package-lock.json'));
  const entries = lock.packages;
  const picked = {};
  /** Node's lookup: <from>/node_modules/<name>, then each parent's node_modules, then the root's. */
  const resolve = (from, name) => {
    for (let dir = from; ;) {
      const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
      if (entries[candidate] && !entries[candidate].link) {
        return candidate;
      }
      if (!dir) {
        return undefined;
      }
      const at = dir.lastIndexOf('/node_modules/');
      dir = at === -1 ? '' : dir.slice(0, at);
    }
  };
  const visit = (from, deps, optional) => {
    for (const name of Object.keys(deps ?? {})) {
      const path = resolve(from, name);
      if (!path) {
        if (optional.has(name)) {
          continue;
        }
        throw new Error(
          `package-lock.json has no entry for ${name} (needed from ${from || 'the package'}): run npm install`
        );
      }
      if (picked[path]) {
        continue;
      }
      const entry = entries[path];
      const { dev: _dev, devOptional: _devOptional, ...kept } = entry;
      picked[path] = kept;
      const optionalPeers = Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional)
        .map(([peer]) => peer);
      visit(
        path,
        { ...entry.dependencies, ...entry.optionalDependencies },
        new Set(Object.keys(entry.optionalDependencies ?? {}))
      );
      visit(path, entry.peerDependencies, new Set(optionalPeers));
    }
  };
  visit('', pkg.dependencies, new Set());
  const sorted = Object.fromEntries(
    Object.keys(picked)
      .sort()
      .map((path) => [path, picked[path]])
  );
  const root = {
    name: pkg.name,
    version: pkg.version,
    license: pkg.license,
    dependencies: pkg.dependencies,
    bin: pkg.bin,
    engines: pkg.engines,
  };
  return {
    name: pkg.name,
    version: pkg.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': root, ...sorted },
  };
}

const pkg = readJson(join(PACKAGE_DIR, 'package.json'));
if (process.argv.includes('--clean')) {
  rmSync(SHRINKWRAP, { force: true });
} else {
  await bundle(pkg);
  mkdirSync(join(PACKAGE_DIR, 'dist'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'LICENSE'), join(PACKAGE_DIR, 'dist', 'LICENSE'));
  writeFileSync(SHRINKWRAP, `${JSON.stringify(shrinkwrap(pkg), null, 2)}\n`);
}
