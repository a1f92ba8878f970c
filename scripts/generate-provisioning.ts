// Writes the generated provisioning files (alert rules, data sources, dashboards), or with
// --check exits 1 when a committed file differs from what the generator produces.
// APIMON_RUNBOOK_URL=https://... gives every alert rule an absolute runbook_url (the published
// docs/provisioning.md); the committed files are generated without it.
// APIMON_CATALOG=catalog.yaml renders the real-traffic recording rules for that catalog's
// `traffic` settings (where the store keeps the platform's metrics); the committed files use
// the defaults.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatIssue, parseCatalog, type TrafficSettings } from '@apimon/core';
import { renderAll } from './provisioning/generate';
import { runbookUrlFromEnv } from './provisioning/render-alerts';

const root = join(__dirname, '..');
const check = process.argv.includes('--check');
let runbookUrl: string | undefined;
try {
  runbookUrl = runbookUrlFromEnv(process.env.APIMON_RUNBOOK_URL);
} catch (err) {
  process.stderr.write(`npm run provisioning: ${(err as Error).message}\n`);
  process.exit(2);
}
let traffic: TrafficSettings | undefined;
const catalogFile = process.env.APIMON_CATALOG?.trim();
if (catalogFile) {
  let text: string;
  try {
    text = readFileSync(catalogFile, 'utf8');
  } catch (err) {
    process.stderr.write(`npm run provisioning: APIMON_CATALOG: cannot read "${catalogFile}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})\n`);
    process.exit(2);
  }
  const catalog = parseCatalog(text, catalogFile);
  if (!catalog.ok) {
    process.stderr.write(catalog.issues.map((i) => `npm run provisioning: APIMON_CATALOG: ${formatIssue(i)}\n`).join(''));
    process.exit(2);
  }
  traffic = catalog.catalog.traffic;
}
let stale = 0;
for (const [path, content] of renderAll({ runbookUrl, traffic })) {
  const file = join(root, path);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) {
    continue;
  }
  if (check) {
    process.stderr.write(`${path}: differs from the generator's output (run npm run provisioning)\n`);
    stale++;
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    process.stdout.write(`wrote ${path}\n`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
