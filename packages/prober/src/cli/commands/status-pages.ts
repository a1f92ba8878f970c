// apimon status-pages: one fetch of every provider's status page (or one provider's),
// printed in the normal form as JSON lines (--json) or a table. Exit 0 when every page was
// read, 1 when at least one could not be (its error is in the output), 2 for a usage or
// catalog error.
import { Registry } from 'prom-client';
import { closestMatch, componentLabel, isOpenIncident, type ProviderSnapshot } from '@apimon/core';
import { loadCatalogFile } from '../../catalog/load';
import { createLogger } from '../../logger';
import { StatusPageMonitor } from '../../statuspage';
import { parseCommandArgs, UsageError } from '../args';
import { reportCatalogIssues } from '../catalog-issues';

export const usage = 'usage: apimon status-pages --config FILE [--provider NAME] [--json]';
export const summary = "fetch every provider's status page once and print it in apimon's normal form";

/** The documented JSON line: exactly these keys, in this order. */
export function toJsonLine(s: ProviderSnapshot) {
  return {
    provider: s.provider,
    format: s.format,
    indicator: s.indicator,
    // By label, as the metrics name them: `Group / Name` tells apart platforms that share names.
    components: s.components.map((c) => ({ name: componentLabel(c), status: c.status })),
    incidents: s.incidents.map((i) => ({
      id: i.id,
      title: i.title,
      status: i.status,
      impact: i.impact,
      startedAt: i.startedAt,
      resolvedAt: i.resolvedAt,
      url: i.url ?? null,
    })),
    error: s.error,
  };
}

const cell = (s: string, max = 60) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function formatTable(snapshots: ProviderSnapshot[]): string {
  const header = ['PROVIDER', 'FORMAT', 'INDICATOR', 'NOT OPERATIONAL', 'OPEN INCIDENTS', 'ERROR'];
  const rows = snapshots.map((s) => {
    const troubled = s.components.filter((c) => c.status !== 'operational');
    const open = s.incidents.filter(isOpenIncident);
    return [
      s.provider,
      s.format ?? '-',
      s.indicator,
      troubled.length === 0 ? '-' : cell(troubled.map((c) => `${componentLabel(c)}: ${c.status}`).join(', ')),
      open.length === 0 ? '-' : cell(open.map((i) => `[${i.impact}] ${i.title}`).join('; ')),
      s.error ? cell(s.error, 100) : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { config: { type: 'string', short: 'c' }, provider: { type: 'string' }, json: { type: 'boolean' } }, usage);
  if (!args.config) {
    throw new UsageError(`--config is required\n${usage}`);
  }
  const loaded = await loadCatalogFile(args.config);
  if (!loaded.ok) {
    reportCatalogIssues(args.config, loaded.issues);
    return 2;
  }
  let catalog = loaded.catalog;
  const withPages = catalog.providers.filter((p) => p.statusPage);
  if (args.provider !== undefined) {
    const provider = catalog.providers.find((p) => p.name === args.provider);
    if (!provider) {
      const names = catalog.providers.map((p) => p.name);
      const hint = closestMatch(args.provider, names);
      process.stderr.write(
        `apimon status-pages: unknown provider "${args.provider}"; ${hint ? `did you mean "${hint}"? ` : ''}The catalog has: ${names.join(', ')}\n`
      );
      return 2;
    }
    if (!provider.statusPage) {
      process.stderr.write(`apimon status-pages: provider "${args.provider}" has no statusPage in ${args.config}\n`);
      return 2;
    }
    catalog = { ...catalog, providers: [provider] };
  } else if (withPages.length === 0) {
    process.stderr.write(`${args.config}: no provider has a statusPage; nothing to fetch\n`);
    return 0;
  }
  const monitor = new StatusPageMonitor({ registry: new Registry(), logger: createLogger('silent'), dataDir: null });
  monitor.updateCatalog(catalog);
  const snapshots = await monitor.pollOnce();
  await monitor.stop();
  if (args.json) {
    process.stdout.write(snapshots.map((s) => `${JSON.stringify(toJsonLine(s))}\n`).join(''));
  } else {
    process.stdout.write(formatTable(snapshots));
  }
  return snapshots.some((s) => s.error !== null) ? 1 : 0;
}
