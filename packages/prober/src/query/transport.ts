// The query engine's Transport on Node's fetch, for the CLI (the data source has its own on
// Grafana's backendSrv). Follows the convention in @apimon/core types.ts: no status when
// nothing answered, a string body when the answer was not JSON.
import { TransportError, type Target, type Transport } from '@apimon/core';
import { storeHeadersFromEnv } from './store-auth';

export interface FetchTransportOptions {
  prometheusUrl: string;
  proberUrl?: string;
  /** Bearer token for the prober's /api/v1 (the value, read from the env var the user named). */
  proberToken?: string;
  timeoutMs?: number;
  /** Headers for the store (tenant, credentials); by default from the environment (store-auth.ts). */
  storeHeaders?: Record<string, string>;
}

function joinUrl(base: string, path: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return `${base.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
}

/** "connect ECONNREFUSED 127.0.0.1:9" rather than undici's bare "fetch failed". */
function networkMessage(err: unknown, url: string, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return `no answer within ${timeoutMs} ms from ${url}`;
  }
  const cause = e?.cause?.message ?? e?.cause?.code ?? e?.message ?? String(err);
  if (cause === 'bad port') {
    return `port refused by fetch: it is on the list of ports HTTP clients never use (${url})`;
  }
  return `${cause} (${url})`;
}

/** Throws StoreAuthError when the store settings in the environment cannot be used. */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const storeHeaders = options.storeHeaders ?? storeHeadersFromEnv();
  return {
    async get(target: Target, path: string, params: Record<string, string>): Promise<unknown> {
      const base = target === 'prometheus' ? options.prometheusUrl : options.proberUrl;
      if (!base) {
        throw new TransportError(`no ${target} URL configured`, target);
      }
      const url = joinUrl(base, path, params);
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (target === 'prober' && options.proberToken) {
        headers.Authorization = `Bearer ${options.proberToken}`;
      }
      if (target === 'prometheus') {
        Object.assign(headers, storeHeaders);
      }
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
        text = await res.text();
      } catch (err) {
        throw new TransportError(networkMessage(err, joinUrl(base, path, {}), timeoutMs), target);
      }
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the string body tells the engine so.
      }
      if (!res.ok) {
        throw new TransportError(`HTTP ${res.status} from ${joinUrl(base, path, {})}`, target, res.status, body);
      }
      if (typeof body === 'string') {
        throw new TransportError(`the answer of ${joinUrl(base, path, {})} is not JSON`, target, res.status, body);
      }
      return body;
    },
  };
}
