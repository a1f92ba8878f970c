// `apimon status`: every API's headline KPIs and state, from the store (and the prober API for
// incident titles), on the same query engine as the Grafana data source.
import {
  createQueryEngine,
  DEFAULT_SCRAPE_INTERVAL,
  QueryError,
  STATUS_JSON_FIELDS,
  type ApimonQuery,
  type SummaryRow,
  type TrafficSettings,
} from '@apimon/core';
import { loadCatalogFile } from '../../catalog/load';
import { createFetchTransport } from '../../query/transport';
import { durationFlag, httpUrlFlag, parseCommandArgs, UsageError } from '../args';
import { reportCatalogIssues } from '../catalog-issues';

export const usage = `usage: apimon status --prometheus URL [--prober URL] [--window 5m] [--json] [--config FILE]
                     [--api REGEX] [--provider REGEX] [--criticality REGEX] [--location REGEX]
                     [--scrape-interval ${DEFAULT_SCRAPE_INTERVAL}] [--prober-token-env NAME] [--timeout 30s]`;
export const summary = "show every API's latency, errors, rate-limit headroom, real traffic and state from the store";

const DEFAULT_TOKEN_ENV = 'APIMON_API_TOKEN';



export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      prometheus: { type: 'string' },
      prober: { type: 'string' },
      window: { type: 'string', default: '5m' },
      json: { type: 'boolean', default: false },
      api: { type: 'string' },
      provider: { type: 'string' },
      criticality: { type: 'string' },
      location: { type: 'string' },
      'scrape-interval': { type: 'string', default: DEFAULT_SCRAPE_INTERVAL },
      'prober-token-env': { type: 'string' },
      timeout: { type: 'string', default: '30s' },
      config: { type: 'string', short: 'c' },
    },
    usage
  );
  if (!args.prometheus) {
    throw new UsageError(`--prometheus is required\n${usage}`);
  }
  const prometheusUrl = httpUrlFlag('prometheus', args.prometheus, usage);
  const proberUrl = args.prober === undefined ? undefined : httpUrlFlag('prober', args.prober, usage);
  const windowMs = durationFlag('window', args.window!, usage);
  const scrapeIntervalMs = durationFlag('scrape-interval', args['scrape-interval']!, usage);
  const timeoutMs = durationFlag('timeout', args.timeout!, usage);
  const tokenEnv = args['prober-token-env'] ?? DEFAULT_TOKEN_ENV;
  const proberToken = process.env[tokenEnv] || undefined;
  if (args['prober-token-env'] !== undefined && !proberToken) {
    throw new UsageError(`--prober-token-env names ${tokenEnv}, but that environment variable is not set or empty`);
  }

  // The catalog only says where the store keeps the platform's metrics (its `traffic` section).
  let trafficSettings: TrafficSettings | undefined;
  if (args.config !== undefined) {
    const catalog = await loadCatalogFile(args.config);
    if (!catalog.ok) {
      reportCatalogIssues(args.config, catalog.issues);
      return 2;
    }
    trafficSettings = catalog.catalog.traffic;
  }

  const engine = createQueryEngine({
    transport: createFetchTransport({ prometheusUrl, proberUrl, proberToken, timeoutMs }),
    scrapeIntervalMs,
    proberConfigured: proberUrl !== undefined,
    trafficSettings,
  });
  const query: ApimonQuery = {
    kind: 'summary',
    window: `${windowMs / 1000}s`,
    api: args.api,
    provider: args.provider,
    criticality: args.criticality,
    location: args.location,
  };
  const now = Date.now();
  let rows: SummaryRow[];
  try {
    const result = await engine.summary(query, { fromMs: now - windowMs, toMs: now }, { sparklines: false });
    rows = result.rows;
    for (const warning of result.warnings) {
      process.stderr.write(`apimon status: warning: ${warning}\n`);
    }
  } catch (err) {
    if (err instanceof QueryError || err instanceof Error) {
      process.stderr.write(`apimon status: ${err.message}\n`);
      return 1;
    }
    throw err;
  }

  if (args.json) {
    for (const row of rows) {
      const out: Record<string, unknown> = {};
      for (const field of STATUS_JSON_FIELDS) {
        out[field] = row[field];
      }
      process.stdout.write(`${JSON.stringify(out)}\n`);
    }
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write('no APIs found in the store (is it scraping the prober? do the filters match?)\n');
    return 0;
  }
  process.stdout.write(formatTable(rows, now));
  return 0;
}

const fmtMs = (s: number | null) => (s === null ? '-' : `${Math.round(s * 1000)}ms`);
const fmtPct = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(r < 0.1 && r > 0 ? 2 : 1)}%`);
const fmtRate = (r: number | null | undefined) =>
  r === null || r === undefined ? '-' : r >= 100 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : r.toFixed(3);

function fmtDuration(s: number | null): string {
  if (s === null) {
    return '-';
  }
  if (s < 120) {
    return `${Math.round(s)}s`;
  }
  if (s < 7200) {
    return `${Math.round(s / 60)}m`;
  }
  return s < 172_800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86_400)}d`;
}

/** A plain-text table for people: one line per API, reasons for anything not ok. */
export function formatTable(rows: SummaryRow[], nowMs: number): string {
  const header = [
    'API',
    'PROVIDER',
    'CRITICALITY',
    'STATE',
    'P95 / MAX',
    'ERRORS / MAX',
    'HEADROOM / MIN',
    'REMAINING',
    'EXHAUSTED IN',
    'PROVIDER STATUS',
    'INCIDENTS',
    'TLS EXPIRES',
    'REAL CALLS/S',
    'REAL ERRORS',
    'REAL 429/S',
    'REAL P95',
    'USAGE',
    'WHY',
  ];
  const lines = rows.map((r) => [
    r.api,
    r.provider,
    r.criticality,
    r.state.toUpperCase(),
    `${fmtMs(r.latencyP95Seconds)} / ${fmtMs(r.latencyThresholdSeconds)}`,
    `${fmtPct(r.errorRatio)} / ${fmtPct(r.errorThreshold)}`,
    `${fmtPct(r.headroomRatio)} / ${fmtPct(r.headroomThreshold)}`,
    r.rateLimitRemaining === null
      ? '-'
      : `${r.rateLimitRemaining}${r.rateLimitLimit === null ? '' : `/${r.rateLimitLimit}`}`,
    fmtDuration(r.exhaustionSeconds),
    r.providerStatus.replace('_', ' '),
    r.openIncidents === 0 ? '0' : `${r.openIncidents}${r.incidentTitle ? ` (${r.incidentTitle})` : ''}`,
    r.tlsExpiresAt === null ? '-' : `in ${fmtDuration((r.tlsExpiresAt - nowMs) / 1000)}`,
    fmtRate(r.trafficRequestsPerSecond),
    fmtPct(r.trafficErrorRatio ?? null),
    fmtRate(r.trafficRateLimitedPerSecond),
    fmtMs(r.trafficLatencyP95Seconds ?? null),
    fmtPct(r.trafficUsageRatio ?? null),
    r.reasons.join('; '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[render(header), ...lines.map(render)].join('\n')}\n`;
}
