// The query engine: domain query -> PromQL and prober calls -> frame-ready series, tables and
// annotations. Transport injected: the data source passes one on Grafana's backendSrv, the CLI
// one on Node's fetch. No Grafana or Node types here. Each query kind plans and runs in its own
// module (kinds/, dispatched by kinds/index.ts); this file wires them to the store, the prober
// and the recording-rules cache.
import { DEFAULT_SCRAPE_INTERVAL_MS } from '../contract';
import { testConnection, type ConnectionReport } from './connection';
import { createEngineProberClient, createStoreClient, type EngineContext } from './context';
import { buildPromQL, handlerOf } from './kinds';
import { runSummary, type SummaryResult } from './kinds/summary';
import { labelValues } from './labels';
import type { ApimonQuery, QueryFilters } from './model';
import type { QueryPlan } from './plan';
import { RecordingRulesCache } from './rules-cache';
import type { EngineResult, TimeRange, Transport } from './types';
import type { TrafficSettings } from '../traffic/sources';

export type { ConnectionCheck, ConnectionReport } from './connection';
export type { SummaryResult } from './kinds/summary';

export interface QueryEngineOptions {
  transport: Transport;
  /** The store's scrape interval of the prober (default 15 s): rate windows are at least 4x it. */
  scrapeIntervalMs?: number;
  /** False when no prober API URL is configured: incidents and catalog are then unavailable. */
  proberConfigured?: boolean;
  /** Read recording rules when the store has them (default true). */
  useRecordingRules?: boolean;
  /** Where the store keeps the platform's HTTP-client metrics (a catalog's `traffic`); default: the defaults. */
  trafficSettings?: TrafficSettings;
  /** Clock, for tests. */
  now?: () => number;
}

export interface QueryEngine {
  run(query: ApimonQuery, range: TimeRange): Promise<EngineResult>;
  /** The plan run() would execute, with the recording rules known so far. */
  buildPromQL(query: ApimonQuery, range: TimeRange): QueryPlan;
  /** The summary rows (what `apimon status` prints) and the p95 sparklines over the range. */
  summary(query: ApimonQuery, range: TimeRange, options?: { sparklines?: boolean }): Promise<SummaryResult>;
  /** Values of a label for template variables, narrowed by the other filters. */
  labelValues(label: string, filters?: QueryFilters, range?: Pick<TimeRange, 'fromMs' | 'toMs'>): Promise<string[]>;
  testConnection(): Promise<ConnectionReport>;
}

export function createQueryEngine(options: QueryEngineOptions): QueryEngine {
  const { transport } = options;
  const scrapeIntervalMs = options.scrapeIntervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS;
  const proberConfigured = options.proberConfigured ?? true;
  const now = options.now ?? (() => Date.now());
  const rules = new RecordingRulesCache(
    () => transport.get('prometheus', '/api/v1/rules', { type: 'record' }),
    now,
    options.useRecordingRules !== false
  );
  const ctx: EngineContext = {
    store: createStoreClient(transport),
    prober: createEngineProberClient(transport, proberConfigured),
    proberConfigured,
    scrapeIntervalMs,
    now,
    rules,
    plan: async (query, range) =>
      buildPromQL(query, range, { scrapeIntervalMs, recordingRules: await rules.get(), trafficSettings: options.trafficSettings }),
  };

  return {
    async run(query, range) {
      const handler = handlerOf(query);
      return handler.run(await ctx.plan(query, range), query, range, ctx);
    },
    summary: (query, range, summaryOptions) => runSummary(query, range, ctx, summaryOptions),
    labelValues: (label, filters, range) => labelValues(transport, label, filters, range),
    testConnection: () => testConnection(transport, rules, proberConfigured),
    buildPromQL: (query, range) =>
      buildPromQL(query, range, { scrapeIntervalMs, recordingRules: rules.current(), trafficSettings: options.trafficSettings }),
  };
}
