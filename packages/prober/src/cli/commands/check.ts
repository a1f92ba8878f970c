import { loadCatalogFile } from '../../catalog/load';
import { parseCommandArgs, UsageError } from '../args';
import { reportCatalogIssues } from '../catalog-issues';

export const usage = 'usage: apimon check --config FILE';
export const summary = 'validate a catalog file; exit 0 when valid, 2 with the errors otherwise';

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { config: { type: 'string', short: 'c' } }, usage);
  if (!args.config) {
    throw new UsageError(`--config is required\n${usage}`);
  }
  const result = await loadCatalogFile(args.config);
  if (!result.ok) {
    reportCatalogIssues(args.config, result.issues);
    return 2;
  }
  const endpoints = result.catalog.apis.reduce((n, a) => n + a.endpoints.length, 0);
  process.stdout.write(
    `${args.config}: ok (${result.catalog.apis.length} APIs, ${endpoints} endpoints, ${result.catalog.providers.length} providers)\n`
  );
  // Not an error (probes do not care), but real traffic to such a host stays unmapped.
  for (const host of result.catalog.traffic.shared) {
    const where = host.serverPort === undefined ? host.serverAddress : `${host.serverAddress}:${host.serverPort}`;
    process.stderr.write(
      `${args.config}: note: the endpoints of ${host.apis.join(', ')} share ${where}; its real traffic is listed as unmapped until their traffic.match tell them apart (docs/real-traffic.md)\n`
    );
  }
  return 0;
}
