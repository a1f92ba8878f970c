#!/usr/bin/env node
// Installs the older Grafana package set (test/grafana-12: @grafana/* 12.4, React 18) that the
// artifact tests, the browser harness and `npm run typecheck:grafana12` run against, next to the
// root's Grafana 13 set. `npm ci` from its own lock, skipped while node_modules matches that lock
// (a hash of it is kept in node_modules), so `npm test` pays for it once. Plain Node (no
// dependencies), so CI can run it while the root `npm ci` runs. --quiet: say nothing when up to date.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SETS = [join(REPO_ROOT, 'test', 'grafana-12')];
const MARKER = '.apimon-lock-sha256';
const quiet = process.argv.includes('--quiet');

function install(dir) {
  const name = relative(REPO_ROOT, dir);
  const lockFile = join(dir, 'package-lock.json');
  if (!existsSync(lockFile)) {
    throw new Error(`${name}: package-lock.json is missing (run \`npm install\` in ${name} and commit the lock)`);
  }
  const hash = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
  const marker = join(dir, 'node_modules', MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash) {
    if (!quiet) {
      process.stdout.write(`${name}: installed, matches its package-lock.json\n`);
    }
    return;
  }
  process.stdout.write(`${name}: npm ci\n`);
  const started = Date.now();
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (result.error || result.status !== 0) {
    throw new Error(`${name}: npm ci failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
  writeFileSync(marker, `${hash}\n`);
  process.stdout.write(`${name}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

try {
  if (process.env.APIMON_GRAFANA_12_PACKAGES) {
    // The tests run against that folder instead (test/helpers/grafana-packages.ts): its owner installs it.
    if (!quiet) {
      process.stdout.write(
        `using ${process.env.APIMON_GRAFANA_12_PACKAGES} as the Grafana 12 set (APIMON_GRAFANA_12_PACKAGES)\n`
      );
    }
    process.exit(0);
  }
  SETS.forEach(install);
} catch (err) {
  process.stderr.write(`grafana-packages: ${err.message}\n`);
  process.exit(1);
}
