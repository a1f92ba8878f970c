// `apimon audit`: the optimisation advisor and security audit (docs/audit.md). Reads the
// store over the window (probe histograms, the endpoint facts the prober exports, the
// platform's real traffic), the provider advisory feeds (from the prober, or fetched once),
// and prints findings: a list, Markdown (--md) or one JSON object per line (--json). Findings
// are results: exit 0 with or without them; 1 when the store cannot be read; 2 for a usage or
// catalog error.
import { Registry } from 'prom-client';
import {
  DEFAULT_SCRAPE_INTERVAL,
  findingJson,
  formatDuration,
  PROBER_API,
  renderFindingsMarkdown,
  renderFindingsTable,
  type AdvisoriesBody,
  type AdvisoryItem,
  type Catalog,
} from '@apimon/core';
import { AdvisoryMonitor } from '../../advisory';
import { runAudit } from '../../audit';
import { loadCatalogFile } from '../../catalog/load';
import { createLogger } from '../../logger';
import { createFetchTransport } from '../../query/transport';
import { durationFlag, httpUrlFlag, parseCommandArgs, UsageError } from '../args';
import { reportCatalogIssues } from '../catalog-issues';

export const usage = `usage: apimon audit --config FILE --prometheus URL [--prober URL] [--window 30d] [--json | --md]
                    [--scrape-interval ${DEFAULT_SCRAPE_INTERVAL}] [--prober-token-env NAME] [--timeout 2m]`;
export const summary =
  'optimisation and security findings per API and endpoint, from the store, the catalog and provider advisories';

const DEFAULT_TOKEN_ENV = 'APIMON_API_TOKEN';



/** New advisory items from the running prober, or by fetching every feed once. */
async function advisoryItems(
  catalog: Catalog,
  proberUrl: string | undefined,
  token: string | undefined,
  timeoutMs: number
): Promise<Map<string, AdvisoryItem[]>> {
  if (proberUrl) {
    const transport = createFetchTransport({ prometheusUrl: '', proberUrl, proberToken: token, timeoutMs });
    const body = (await transport.get('prober', PROBER_API.advisories, {})) as AdvisoriesBody;
    return new Map(
      (body.providers ?? []).filter((p) => Array.isArray(p.new) && p.new.length > 0).map((p) => [p.provider, p.new])
    );
  }
  if (!catalog.providers.some((p) => p.advisories.length > 0)) {
    return new Map();
  }
  const monitor = new AdvisoryMonitor({ registry: new Registry(), logger: createLogger('silent') });
  monitor.updateCatalog(catalog);
  await monitor.pollOnce();
  for (const feed of monitor.body().providers.flatMap((p) => p.feeds)) {
    if (feed.error) {
      process.stderr.write(`apimon audit: warning: advisory feed ${feed.error}\n`);
    }
  }
  return monitor.newItems();
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      config: { type: 'string', short: 'c' },
      prometheus: { type: 'string' },
      prober: { type: 'string' },
      window: { type: 'string', default: '30d' },
      json: { type: 'boolean', default: false },
      md: { type: 'boolean', default: false },
      'scrape-interval': { type: 'string', default: DEFAULT_SCRAPE_INTERVAL },
      'prober-token-env': { type: 'string' },
      timeout: { type: 'string', default: '2m' },
      // Tests and short demo windows: how many probes the timeout rules need.
      'min-samples': { type: 'string' },
    },
    usage
  );
  if (!args.config) {
    throw new UsageError(`--config is required\n${usage}`);
  }
  if (!args.prometheus) {
    throw new UsageError(`--prometheus is required\n${usage}`);
  }
  if (args.json && args.md) {
    throw new UsageError(`--json and --md: choose one output format\n${usage}`);
  }
  const prometheusUrl = httpUrlFlag('prometheus', args.prometheus, usage);
  const proberUrl = args.prober === undefined ? undefined : httpUrlFlag('prober', args.prober, usage);
  const windowMs = durationFlag('window', args.window!, usage, '"30d", "7d" or "6h"');
  const scrapeIntervalMs = durationFlag('scrape-interval', args['scrape-interval']!, usage);
  const timeoutMs = durationFlag('timeout', args.timeout!, usage);
  let minTimeoutSamples: number | undefined;
  if (args['min-samples'] !== undefined) {
    minTimeoutSamples = Number(args['min-samples']);
    if (!Number.isInteger(minTimeoutSamples) || minTimeoutSamples < 1) {
      throw new UsageError(
        `--min-samples: "${args['min-samples']}" is not a whole number of probes (1 or more)\n${usage}`
      );
    }
  }
  const tokenEnv = args['prober-token-env'] ?? DEFAULT_TOKEN_ENV;
  const proberToken = process.env[tokenEnv] || undefined;
  if (args['prober-token-env'] !== undefined && !proberToken) {
    throw new UsageError(`--prober-token-env names ${tokenEnv}, but that environment variable is not set or empty`);
  }

  const loaded = await loadCatalogFile(args.config);
  if (!loaded.ok) {
    reportCatalogIssues(args.config, loaded.issues);
    return 2;
  }
  const catalog = loaded.catalog;

  let advisories: Map<string, AdvisoryItem[]>;
  try {
    advisories = await advisoryItems(catalog, proberUrl, proberToken, timeoutMs);
  } catch (err) {
    process.stderr.write(`apimon audit: cannot read the advisories from the prober: ${(err as Error).message}\n`);
    return 1;
  }
  let findings;
  try {
    const transport = createFetchTransport({ prometheusUrl, timeoutMs });
    ({ findings } = await runAudit(catalog, transport, { windowMs, scrapeIntervalMs, advisories, minTimeoutSamples }));
  } catch (err) {
    process.stderr.write(`apimon audit: ${(err as Error).message}\n`);
    return 1;
  }

  if (args.json) {
    for (const f of findings) {
      process.stdout.write(`${JSON.stringify(findingJson(f))}\n`);
    }
    return 0;
  }
  const window = formatDuration(windowMs);
  const apis = `${catalog.apis.length} API${catalog.apis.length === 1 ? '' : 's'}`;
  if (args.md) {
    process.stdout.write(
      renderFindingsMarkdown(
        findings,
        'API audit',
        `${apis} from ${args.config}, over the last ${window}, read from ${prometheusUrl} on ${new Date().toISOString().slice(0, 10)}.`
      )
    );
    return 0;
  }
  process.stdout.write(renderFindingsTable(findings, `apimon audit of ${apis} over ${window}`));
  return 0;
}
