import { formatIssue } from '@apimon/core';
import { loadCatalogFile } from '../../catalog/load';
import { parseCommandArgs, UsageError } from '../args';

export const usage = 'usage: apimon check --config FILE';
export const summary = 'validate a catalog file; exit 0 when valid, 2 with the errors otherwise';

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { config: { type: 'string', short: 'c' } }, usage);
  if (!args.config) {
    throw new UsageError(`--config is required\n${usage}`);
  }
  const result = await loadCatalogFile(args.config);
  if (!result.ok) {
    for (const issue of result.issues) {
      process.stderr.write(`${formatIssue(issue)}\n`);
    }
    process.stderr.write(`${args.config}: ${result.issues.length} problem(s); the catalog was not accepted\n`);
    return 2;
  }
  const endpoints = result.catalog.apis.reduce((n, a) => n + a.endpoints.length, 0);
  process.stdout.write(
    `${args.config}: ok (${result.catalog.apis.length} APIs, ${endpoints} endpoints, ${result.catalog.providers.length} providers)\n`
  );
  return 0;
}
