import { dirname, resolve } from 'node:path';
import { createLogger, isLogLevel, LOG_LEVELS } from '../../logger';
import { CatalogRejectedError, ProberService } from '../../service';
import { ListenError } from '../../server';
import { AdvisoryMonitor } from '../../advisory';
import { AuditModule } from '../../audit';
import { ScheduledMonthlyReport } from '../../report/scheduled';
import { StatusPageMonitor } from '../../statuspage';
import { parseShard } from '@apimon/core';
import { storeHeadersFromEnv } from '../../query/store-auth';
import { parseCommandArgs, UsageError } from '../args';
import { reportCatalogIssues } from '../catalog-issues';

export const usage =
  'usage: apimon run --config FILE [--listen 127.0.0.1:9464] [--log-level info] [--api-token-env NAME] [--shutdown-grace 10s] [--data-dir DIR] [--location NAME] [--shard I/N]';
export const summary = "run the prober: probe the catalog's APIs, serve /metrics and the JSON API";

export const DEFAULT_LISTEN = '127.0.0.1:9464';
const DEFAULT_TOKEN_ENV = 'APIMON_API_TOKEN';
/** Overrides the catalog's prober.dataDir; container images set it to their writable volume. */
export const DATA_DIR_ENV = 'APIMON_DATA_DIR';

/** "127.0.0.1:9464", "[::1]:9464", ":9464" (all interfaces) or "9464" (loopback). */
export function parseListen(value: string): { host: string; port: number } {
  const m =
    /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value) ??
    (/^(\d+)$/.test(value) ? [value, undefined, '127.0.0.1', value] : null);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--listen must be HOST:PORT such as 127.0.0.1:9464 or [::1]:9464 (got "${value}")`);
  }
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

function parseGraceMs(value: string): number {
  const m = /^(\d+)(ms|s)?$/.exec(value);
  if (!m) {
    throw new UsageError(`--shutdown-grace must be a duration such as 10s or 500ms (got "${value}")`);
  }
  return Number(m[1]) * (m[2] === 'ms' ? 1 : 1000);
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      config: { type: 'string', short: 'c' },
      listen: { type: 'string', default: DEFAULT_LISTEN },
      'log-level': { type: 'string', default: 'info' },
      'api-token-env': { type: 'string' },
      'shutdown-grace': { type: 'string', default: '10s' },
      'data-dir': { type: 'string' },
      location: { type: 'string' },
      shard: { type: 'string' },
    },
    usage
  );
  // Several probers, one catalog (docs/topologies.md).
  const location = args.location;
  if (location !== undefined && !/^[a-z0-9_-]+$/.test(location)) {
    throw new UsageError(`--location must match [a-z0-9_-]+ like the catalog's location names (got "${location}")`);
  }
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  if (typeof shard === 'string') {
    throw new UsageError(`--shard ${shard}`);
  }
  if (!args.config) {
    throw new UsageError(`--config is required\n${usage}`);
  }
  // The scheduled audit and monthly report query the store with these: a mistake in them is
  // reported now, not at the first audit hours later.
  storeHeadersFromEnv();
  const level = args['log-level'];
  if (!isLogLevel(level)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}")`);
  }
  const { host, port } = parseListen(args.listen);
  const graceMs = parseGraceMs(args['shutdown-grace']);
  const tokenEnv = args['api-token-env'] ?? DEFAULT_TOKEN_ENV;
  const apiToken = process.env[tokenEnv] || undefined;
  if (args['api-token-env'] && !apiToken) {
    throw new UsageError(`--api-token-env names ${tokenEnv}, but that environment variable is not set or empty`);
  }

  const dataDirOverride = args['data-dir'] || process.env[DATA_DIR_ENV] || undefined;

  const logger = createLogger(level);
  const configFile = args.config;
  let dataDir = '';
  // The monthly report reads the status-page incidents from this prober's own API.
  let selfUrl: string | undefined;
  const service = new ProberService({
    configFile,
    logger,
    apiToken,
    placement: { location, shard },
    // The status-page monitor follows the catalog and serves /api/v1/providers and /api/v1/incidents;
    // the advisory monitor /api/v1/advisories, the scheduled audit /api/v1/audit.
    // --data-dir (or APIMON_DATA_DIR) wins over the catalog's prober.dataDir, which is resolved
    // against the catalog file's directory like Prometheus' rule_files: in a container the
    // catalog sits on a read-only mount, the state on a writable volume.
    modules: (catalog, metrics) => {
      dataDir = dataDirOverride ? resolve(dataDirOverride) : resolve(dirname(configFile), catalog.prober.dataDir);
      const advisories = new AdvisoryMonitor({ registry: metrics.registry, logger });
      return [
        new StatusPageMonitor({ registry: metrics.registry, logger, dataDir }),
        advisories,
        // prober.audit in the catalog: the audit on a schedule, as apimon_audit_finding and /api/v1/audit.
        new AuditModule({ registry: metrics.registry, logger, advisories: () => advisories.newItems() }),
        new ScheduledMonthlyReport({ logger, configFile, proberUrl: () => selfUrl, proberToken: apiToken }),
      ];
    },
  });
  try {
    const address = await service.start(host, port);
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const loopback = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '[::1]' : shown;
    selfUrl = `http://${loopback}:${address.port}`;
    logger.info(
      {
        url: `http://${shown}:${address.port}/metrics`,
        apiToken: apiToken ? `required (${tokenEnv})` : 'none',
        dataDir,
      },
      'serving'
    );
  } catch (err) {
    if (err instanceof CatalogRejectedError) {
      reportCatalogIssues(args.config, err.issues);
      await service.stop(0);
      return 2;
    }
    if (err instanceof ListenError) {
      process.stderr.write(`apimon run: ${err.message}\n`);
      await service.stop(0);
      return 1;
    }
    throw err;
  }

  return new Promise<number>((resolve) => {
    const onHup = () => void service.reload('signal');
    const onStop = (signal: NodeJS.Signals) => {
      logger.info({ signal, graceMs }, 'shutting down: waiting for probes in flight');
      process.off('SIGINT', onStop);
      process.off('SIGTERM', onStop);
      process.off('SIGHUP', onHup);
      void service.stop(graceMs).then(() => {
        logger.flush();
        resolve(0);
      });
    };
    process.on('SIGHUP', onHup);
    process.on('SIGINT', onStop);
    process.on('SIGTERM', onStop);
  });
}
