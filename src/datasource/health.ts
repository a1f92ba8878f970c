// "Save & test": checks each hop a query needs and says which setting to fix when one fails.
import { METRICS, TransportError, type Transport } from '@apimon/core';

export type HealthStatus = 'success' | 'error';

export interface HealthReport {
  status: HealthStatus;
  message: string;
  details: string[];
}

export interface HealthInput {
  transport: Transport;
  /** False when the data source has no store URL (the frontend only sees the proxy path). */
  storeConfigured: boolean;
  proberUrl?: string;
}

interface PromVector {
  status?: string;
  data?: { resultType?: string; result?: Array<{ value?: [number, string] }> };
}

export async function checkHealth({ transport, storeConfigured, proberUrl }: HealthInput): Promise<HealthReport> {
  if (!storeConfigured) {
    return fail('No store URL: under Connection, enter the Prometheus-compatible URL of the store Prometheus scrapes the prober into (e.g. http://prometheus:9090).');
  }

  // 1. The store answers the Prometheus HTTP API.
  try {
    const reply = (await transport.get('prometheus', '/api/v1/query', { query: 'vector(1)' })) as PromVector;
    if (reply?.status !== 'success' || !reply.data) {
      return fail(`The store URL answered /api/v1/query, but not with a Prometheus API response. Check the URL: for Mimir use the ".../prometheus" path, for Grafana Cloud the Prometheus endpoint ending in "/api/prom".`);
    }
  } catch (err) {
    return fail(storeError(err));
  }

  // 2. The store holds apimon series.
  const details: string[] = ['Store: Prometheus API answers.'];
  try {
    const reply = (await transport.get('prometheus', '/api/v1/query', { query: `count(${METRICS.apiInfo})` })) as PromVector;
    const count = Number(reply?.data?.result?.[0]?.value?.[1] ?? 0);
    if (!count) {
      return fail(`The store answers but holds no apimon series (${METRICS.apiInfo} is empty). Make Prometheus scrape the prober's /metrics (add a scrape job for the prober, see prometheus/prometheus.yml) and check the prober runs with your catalog; then wait one scrape interval.`, details);
    }
    details.push(`${count} API(s) from the catalog found in the store.`);
  } catch (err) {
    return fail(storeError(err), details);
  }

  // 3. The prober API (optional: status pages, incidents and catalog details need it).
  if (!proberUrl) {
    details.push('Prober API URL not set: provider status, incidents, annotations and catalog details stay empty until you set it.');
    return { status: 'success', message: `Connected to the store; ${details[1]} Prober API not configured.`, details };
  }
  try {
    await transport.get('prober', '/api/v1/catalog', {});
    details.push(`Prober API ${proberUrl}: answers.`);
  } catch (err) {
    return fail(proberError(err, proberUrl), details);
  }
  return { status: 'success', message: `Connected to the store and the prober API; ${details[1]}`, details };
}

function fail(message: string, details: string[] = []): HealthReport {
  return { status: 'error', message, details };
}

function statusOf(err: unknown): number | undefined {
  return err instanceof TransportError ? err.status : undefined;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function storeError(err: unknown): string {
  const status = statusOf(err);
  if (status === 401 || status === 403) {
    return `The store refused the credentials (HTTP ${status}). Under Authentication choose Basic authentication (Grafana Cloud: instance ID as user, an access-policy token with metrics:read as password) or Bearer token, and re-enter the secret.`;
  }
  if (status === 404) {
    return `The store has no Prometheus API at /api/v1/query (HTTP 404). Check the URL path: Prometheus "http://host:9090", Mimir "http://host/prometheus", Grafana Cloud ".../api/prom".`;
  }
  if (status === 400 || status === 422) {
    return `The store rejected a query (HTTP ${status}): ${reason(err)}. It may not be Prometheus-compatible.`;
  }
  if (status === undefined || status === 502 || status === 503 || status === 504) {
    return `Grafana cannot reach the store: ${reason(err)}. Check the URL and that Grafana's server (not your browser) can reach it.`;
  }
  return `The store failed: ${reason(err)}.`;
}

function proberError(err: unknown, url: string): string {
  const status = statusOf(err);
  if (status === 401 || status === 403) {
    return `The prober API at ${url} refused the token (HTTP ${status}). Set Prober token to the prober's API token (or reset it if the prober has none).`;
  }
  if (status === 404) {
    return `${url} answers but has no /api/v1/catalog (HTTP 404). Prober URL must be the prober's base URL, e.g. http://apimon-prober:9464, without /api/v1.`;
  }
  return `Grafana cannot reach the prober API at ${url}: ${reason(err)}. Check Prober URL and that Grafana's server can reach the prober.`;
}
