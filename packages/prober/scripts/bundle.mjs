// Prepares the npm package of the apimon CLI and prober (run by `npm pack` as prepack):
//
// - dist/cli.js: the CLI bundled by esbuild. @apimon/core and @apimon/sandbox are private
//   workspace packages written in TypeScript, so they are compiled into the bundle; every other
//   package stays a real, external dependency of the package. A bare import that is neither a
//   workspace package nor a declared dependency fails the build and names the importing file.
// - npm-shrinkwrap.json: the dependencies' versions as the repository's package-lock.json has
//   them (the versions the tests ran against), so an install from the registry and the container
//   image's `npm ci` get exactly those. npm documents shrinkwrap for CLI tools published this way.
//   A dependency of a bundled workspace package must be declared here with the same range.
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
  // The bundle runs the workspace packages' code against this package's dependencies: a range
  // that differs from theirs would ship versions the tests never ran.
  for (const workspace of ['core', 'sandbox']) {
    const theirs = readJson(join(REPO_ROOT, 'packages', workspace, 'package.json')).dependencies ?? {};
    for (const [name, range] of Object.entries(theirs)) {
      if (used.has(name) && pkg.dependencies[name] !== range) {
        throw new Error(
          `packages/prober/package.json declares ${name} "${pkg.dependencies[name]}" but packages/${workspace} wants "${range}": make them equal`
        );
      }
    }
  }
  const unused = [...declared].filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new Error(`packages/prober/package.json declares dependencies the CLI never imports: ${unused.join(', ')}`);
  }
}

/** Node's lookup in a tree keyed by lock-file paths: <from>/node_modules/<name>, then each parent's. */
function lookup(tree, from, name) {
  for (let dir = from; ;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (tree.has(candidate)) {
      return candidate;
    }
    if (!dir) {
      return undefined;
    }
    const at = dir.lastIndexOf('/node_modules/');
    dir = at === -1 ? '' : dir.slice(0, at); // a workspace folder's parent is the root
  }
}

/** The dependencies npm installs for a lock entry: name -> whether it may be missing. */
function requirements(entry) {
  const optionalPeers = new Set(
    Object.entries(entry.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional)
      .map(([name]) => name)
  );
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => [name, false]),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => [name, true]),
    ...Object.keys(entry.peerDependencies ?? {}).map((name) => [name, optionalPeers.has(name)]),
  ];
}

/**
 * The package's dependency tree with the versions the repository's lock file resolves them to
 * from packages/prober (where the workspace may have its own copies), laid out as an installed
 * package's node_modules: each package goes to the root unless a different version is already
 * there, then next to the package that needs it. Every placement is checked at the end.
 */
function shrinkwrap(pkg) {
  const lock = readJson(join(REPO_ROOT, 'package-lock.json'));
  const entries = lock.packages;
  const locked = new Map(Object.entries(entries).filter(([path, entry]) => path && !entry.link));
  const placed = new Map(); // path in the package -> path in the lock file
  // Two lock entries of the same name, version and integrity are the same package.
  const same = (a, b) =>
    a === b || (entries[a].version === entries[b].version && entries[a].integrity === entries[b].integrity);
  const queue = [];
  const place = (path, lockPath) => {
    placed.set(path, lockPath);
    queue.push(path);
  };
  const missing = (name, from) => new Error(`package-lock.json resolves no ${name} from ${from}: run npm install`);

  for (const name of Object.keys(pkg.dependencies ?? {})) {
    const lockPath = lookup(locked, 'packages/prober', name);
    if (!lockPath) {
      throw missing(name, 'packages/prober');
    }
    place(`node_modules/${name}`, lockPath);
  }
  while (queue.length > 0) {
    const path = queue.shift();
    const lockPath = placed.get(path);
    for (const [name, optional] of requirements(entries[lockPath])) {
      const wanted = lookup(locked, lockPath, name);
      if (!wanted) {
        if (optional) {
          continue;
        }
        throw missing(name, lockPath);
      }
      const found = lookup(placed, path, name);
      if (found !== undefined && same(placed.get(found), wanted)) {
        continue;
      }
      place(
        found === undefined && !placed.has(`node_modules/${name}`)
          ? `node_modules/${name}`
          : `${path}/node_modules/${name}`,
        wanted
      );
    }
  }
  // A later placement must not have shadowed what an earlier package resolved.
  for (const [path, lockPath] of placed) {
    for (const [name] of requirements(entries[lockPath])) {
      const wanted = lookup(locked, lockPath, name);
      const found = lookup(placed, path, name);
      if (wanted && (found === undefined || !same(placed.get(found), wanted))) {
        throw new Error(
          `npm-shrinkwrap.json: ${path} would not find the locked ${name} (${wanted}); the layout needs nesting this script does not do`
        );
      }
    }
  }
  const packages = Object.fromEntries(
    [...placed.keys()].sort().map((path) => {
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entries[placed.get(path)];
      return [path, kept];
    })
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
    packages: { '': root, ...packages },
  };
}

const pkg = readJson(join(PACKAGE_DIR, 'package.json'));
try {
  if (process.argv.includes('--clean')) {
    rmSync(SHRINKWRAP, { force: true });
  } else {
    await bundle(pkg);
    mkdirSync(join(PACKAGE_DIR, 'dist'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'LICENSE'), join(PACKAGE_DIR, 'dist', 'LICENSE'));
    writeFileSync(SHRINKWRAP, `${JSON.stringify(shrinkwrap(pkg), null, 2)}\n`);
  }
} catch (err) {
  // esbuild has printed its own errors already; ours are one line each.
  process.stderr.write(`packages/prober/scripts/bundle.mjs: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
