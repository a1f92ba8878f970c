// apimon probe: one round of probes against the catalog's endpoints, printed as JSON lines
// (--json) or a table. Exit 0 when every probe ran (whatever the targets answered), 1 when an
// API could not be probed because it is misconfigured (a missing environment variable),
// 2 for a usage or catalog error, 130 when interrupted.
import { closestMatch, type Api, type Endpoint } from '@apimon/core';
import { loadCatalogFile } from '../../catalog/load';
import { MisconfiguredError, probeEndpoint, type ProbeResult } from '../../probe';
import { parseCommandArgs, UsageError } from '../args';
import { formatTable, toJsonLine } from '../probe-output';
import { reportCatalogIssues } from '../catalog-issues';

export const usage = 'usage: apimon probe --config FILE [--api NAME] [--json]';
export const summary = 'probe every endpoint once (or those of one API) and print outcome, phases and rate limits';

type Row = { ok: true; result: ProbeResult } | { ok: false; api: string; endpoint: string; message: string };

/** Runs `work` over `items` with at most `limit` at once; results keep the items' order. */
async function mapBounded<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  onDone: (index: number, value: R) => void
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      onDone(index, await work(items[index], index));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    { config: { type: 'string', short: 'c' }, api: { type: 'string' }, json: { type: 'boolean' } },
    usage
  );
  if (!args.config) {
    throw new UsageError(`--config is required\n${usage}`);
  }
  const loaded = await loadCatalogFile(args.config);
  if (!loaded.ok) {
    reportCatalogIssues(args.config, loaded.issues);
    return 2;
  }
  const catalog = loaded.catalog;
  let apis = catalog.apis;
  if (args.api !== undefined) {
    apis = apis.filter((a) => a.name === args.api);
    if (apis.length === 0) {
      const names = catalog.apis.map((a) => a.name);
      const hint = closestMatch(args.api, names);
      process.stderr.write(
        `apimon probe: unknown API "${args.api}"${hint ? ` (did you mean "${hint}"?)` : ''}; the catalog has: ${names.join(', ')}\n`
      );
      return 2;
    }
  }

  const jobs: Array<{ api: Api; endpoint: Endpoint }> = apis.flatMap((api) =>
    api.endpoints.map((endpoint) => ({ api, endpoint }))
  );
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  // Results print in catalog order, each as soon as everything before it is done.
  const rows: Array<Row | undefined> = new Array(jobs.length);
  let printed = 0;
  const flush = () => {
    while (printed < rows.length && rows[printed] !== undefined) {
      const row = rows[printed++]!;
      if (!row.ok) {
        process.stderr.write(`apimon probe: ${row.api}/${row.endpoint} not probed: ${row.message}\n`);
      } else if (args.json) {
        process.stdout.write(`${JSON.stringify(toJsonLine(row.result))}\n`);
      }
    }
  };

  try {
    await mapBounded(
      jobs,
      catalog.prober.concurrency,
      async ({ api, endpoint }): Promise<Row> => {
        try {
          return { ok: true, result: await probeEndpoint(api, endpoint, { signal: controller.signal }) };
        } catch (err) {
          if (err instanceof MisconfiguredError) {
            return { ok: false, api: api.name, endpoint: endpoint.name, message: err.message };
          }
          throw err;
        }
      },
      (index, row) => {
        rows[index] = row;
        flush();
      }
    );
  } catch (err) {
    if (controller.signal.aborted) {
      process.stderr.write('apimon probe: interrupted\n');
      return 130;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const done = rows as Row[];
  if (!args.json) {
    process.stdout.write(formatTable(done.flatMap((r) => (r.ok ? [r.result] : []))));
  }
  return done.every((r) => r.ok) ? 0 : 1;
}
