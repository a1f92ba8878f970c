// What a query kind runs with: the store and the prober behind the injected transport (every
// failure turned into one QueryError naming the expression or path), the clock, the scrape
// interval, and the plan with the recording rules the store has.
import { createProberClient, type ProberClient } from '../prober-api/client';
import type { ApimonQuery } from './model';
import type { QueryPlan } from './plan';
import { describeFailure, parseMatrix, parseVector, type RawSample, type RawSeries } from './response';
import type { RecordingRulesCache } from './rules-cache';
import type { Target, TimeRange, Transport } from './types';
import type { QueryWindow } from './windows';

export interface StoreClient {
  /** /api/v1/query at atMs: one sample per series. */
  instant(expr: string, atMs: number): Promise<RawSample[]>;
  /** /api/v1/query_range over the window's start, end and step. */
  matrix(expr: string, window: QueryWindow): Promise<RawSeries[]>;
}

export interface EngineContext {
  store: StoreClient;
  prober: ProberClient;
  proberConfigured: boolean;
  scrapeIntervalMs: number;
  now(): number;
  rules: RecordingRulesCache;
  /** The plan of a query with the recording rules the store has. */
  plan(query: ApimonQuery, range: TimeRange): Promise<QueryPlan>;
}

const seconds = (ms: number) => String(ms / 1000);

/** GET through the transport; any failure becomes a QueryError naming `what`. */
export function describedGet(transport: Transport) {
  return async (target: Target, path: string, params: Record<string, string>, what: string): Promise<unknown> => {
    try {
      return await transport.get(target, path, params);
    } catch (err) {
      throw describeFailure(err, target, what);
    }
  };
}

export function createStoreClient(transport: Transport): StoreClient {
  const get = describedGet(transport);
  return {
    async instant(expr, atMs) {
      return parseVector(await get('prometheus', '/api/v1/query', { query: expr, time: seconds(atMs) }, expr), expr);
    },
    async matrix(expr, w) {
      const params = { query: expr, start: seconds(w.startMs), end: seconds(w.endMs), step: seconds(w.stepMs) };
      return parseMatrix(await get('prometheus', '/api/v1/query_range', params, expr), expr);
    },
  };
}

export function createEngineProberClient(transport: Transport, configured: boolean): ProberClient {
  const get = describedGet(transport);
  return createProberClient({ configured, get: (path, params) => get('prober', path, params, `GET ${path}`) });
}
