// `apimon traffic`: the platform's real calls per third-party host, from its OpenTelemetry
// HTTP-client metrics in the store, with the API each belongs to; hosts no API claims are
// listed as unmapped (integrations missing from the catalog). docs/real-traffic.md.
import {
  createTrafficQueries,
  DEFAULT_TRAFFIC_SETTINGS,
  describeFailure,
  parseVector,
  TRAFFIC_LABELS,
  type RawSample,
  type TrafficSettings,
} from '@apimon/core';
import { loadCatalogFile } from '../../catalog/load';
import { createFetchTransport } from '../../query/transport';
import { durationFlag, httpUrlFlag, parseCommandArgs, UsageError } from '../args';
import { reportCatalogIssues } from '../catalog-issues';

export const usage = `usage: apimon traffic --prometheus URL [--window 5m] [--config FILE] [--json] [--timeout 30s]`;
export const summary = "show the platform's real calls per host and API from its OpenTelemetry metrics, unmapped hosts included";

export interface HostTraffic {
  serverAddress: string;
  serverPort: number | null;
  /** null: no catalog API claims this traffic. */
  api: string | null;
  requestsPerSecond: number;
  /** Failed / all calls (5xx and failures without an answer); null without calls in the window. */
  errorRatio: number | null;
}


const lineKey = (labels: Record<string, string>) =>
  JSON.stringify([labels[TRAFFIC_LABELS.serverAddress] ?? '', labels[TRAFFIC_LABELS.serverPort] ?? '', labels.api ?? null]);

/** One line per host (and API): requests and errors joined, sorted by host, port and API (unmapped last). */
export function hostLines(requests: RawSample[], errors: RawSample[]): HostTraffic[] {
  const failed = new Map(errors.map((s) => [lineKey(s.labels), s.value ?? 0]));
  const lines = requests.map((s): HostTraffic => {
    const rps = s.value ?? 0;
    const port = s.labels[TRAFFIC_LABELS.serverPort];
    return {
      serverAddress: s.labels[TRAFFIC_LABELS.serverAddress] ?? '',
      serverPort: port && /^\d+$/.test(port) ? Number(port) : null,
      api: s.labels.api ?? null,
      requestsPerSecond: rps,
      errorRatio: rps > 0 ? Math.min(1, (failed.get(lineKey(s.labels)) ?? 0) / rps) : null,
    };
  });
  return lines.sort(
    (a, b) =>
      a.serverAddress.localeCompare(b.serverAddress) ||
      (a.serverPort ?? 0) - (b.serverPort ?? 0) ||
      (a.api === null ? 1 : 0) - (b.api === null ? 1 : 0) ||
      (a.api ?? '').localeCompare(b.api ?? '')
  );
}

const fmtRate = (r: number) => (r >= 100 ? r.toFixed(0) : r >= 1 ? r.toFixed(2) : r.toFixed(3));
const fmtPct = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(r > 0 && r < 0.1 ? 2 : 1)}%`);

export function formatHostTable(lines: HostTraffic[]): string {
  const header = ['SERVER ADDRESS', 'PORT', 'API', 'REQ/S', 'ERRORS'];
  const rows = lines.map((l) => [l.serverAddress, l.serverPort === null ? '-' : String(l.serverPort), l.api ?? '(unmapped)', fmtRate(l.requestsPerSecond), fmtPct(l.errorRatio)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const render = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return `${[render(header), ...rows.map(render)].join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      prometheus: { type: 'string' },
      window: { type: 'string', default: '5m' },
      config: { type: 'string', short: 'c' },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '30s' },
    },
    usage
  );
  if (!args.prometheus) {
    throw new UsageError(`--prometheus is required\n${usage}`);
  }
  const prometheusUrl = httpUrlFlag('prometheus', args.prometheus, usage);
  const windowMs = durationFlag('window', args.window!, usage);
  const timeoutMs = durationFlag('timeout', args.timeout!, usage);

  // The catalog only says where the store keeps the metrics; the mapping comes from the store.
  let settings: TrafficSettings = DEFAULT_TRAFFIC_SETTINGS;
  if (args.config !== undefined) {
    const catalog = await loadCatalogFile(args.config);
    if (!catalog.ok) {
      reportCatalogIssues(args.config, catalog.issues);
      return 2;
    }
    settings = catalog.catalog.traffic;
  }

  const queries = createTrafficQueries(settings);
  const window = `${Math.round(windowMs / 1000)}s`;
  const transport = createFetchTransport({ prometheusUrl, timeoutMs });
  const instant = async (expr: string, what: string): Promise<RawSample[]> => {
    try {
      return parseVector(await transport.get('prometheus', '/api/v1/query', { query: expr }), what);
    } catch (err) {
      throw describeFailure(err, 'prometheus', what);
    }
  };
  let lines: HostTraffic[];
  try {
    const [requests, errors] = await Promise.all([
      instant(queries.hostRequestsPerSecond(window), 'the real-traffic request rate per host'),
      instant(queries.hostErrorsPerSecond(window), 'the real-traffic error rate per host'),
    ]);
    lines = hostLines(requests, errors);
  } catch (err) {
    process.stderr.write(`apimon traffic: ${(err as Error).message}\n`);
    return 1;
  }

  if (args.json) {
    for (const line of lines) {
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
    return 0;
  }
  if (lines.length === 0) {
    process.stdout.write(
      `no real traffic in the store over the last ${args.window} (is it scraping or receiving the platform's OpenTelemetry HTTP-client metrics? see docs/real-traffic.md)\n`
    );
    return 0;
  }
  process.stdout.write(formatHostTable(lines));
  return 0;
}
