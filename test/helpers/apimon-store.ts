// A real store holding apimon series with known values, and a real prober JSON API, for the
// data-source and dist tests: the prober's own ProberMetrics (fed synthetic probe results, so
// every value is known), served with the prober's own HTTP server (bearer token on /api/v1),
// scraped every second by a real store (Prometheus by default; test/helpers/stores.ts).
import type { Server } from 'node:http';
import { parseCatalog, redactCatalog, type Catalog } from '@apimon/core';
import { ProberMetrics } from '../../packages/prober/src/metrics';
import { createServer, listen, sendJson, sendText } from '../../packages/prober/src/server';
import type { ProbeResult } from '../../packages/prober/src/probe/types';
import { scrapeConfig, waitFor } from './prometheus';
import { startStore, type RunningStore, type StoreKind } from './stores';

export const PROBER_TOKEN = 'test-prober-token';

/** What the fixture exports: payments answers in 120 ms (1 in 10 probes a 500), geocoding in 400 ms. */
export const KNOWN = {
  payments: {
    provider: 'stripe',
    criticality: 'critical',
    latencySeconds: 0.12,
    errorEvery: 10,
    limit: 100,
    remaining: 40,
    latencyThreshold: 0.2,
  },
  geocoding: { provider: 'mapbox', criticality: 'standard', latencySeconds: 0.4 },
  incident: {
    id: 'inc-1',
    provider: 'stripe',
    title: 'Elevated API errors',
    impact: 'major',
    url: 'https://status.example.test/incidents/inc-1',
  },
} as const;

const CATALOG_YAML = `defaults: { location: test }
providers:
  - name: stripe
  - name: mapbox
apis:
  - name: payments
    provider: stripe
    criticality: critical
    owner: team-payments
    interval: 1s
    timeout: 800ms
    thresholds: { latencyP95: 200ms }
    rateLimit: { limit: 100, window: 1m }
    endpoints:
      - { name: charges, url: "http://127.0.0.1:9/payments/charges" }
  - name: geocoding
    provider: mapbox
    criticality: standard
    owner: team-geo
    interval: 1s
    timeout: 800ms
    endpoints:
      - { name: forward, url: "http://127.0.0.1:9/geocoding/forward" }
`;

export interface ApimonStore {
  prometheus: RunningStore;
  proberUrl: string;
  catalog: Catalog;
  /** Epoch ms when the first incident started. */
  incidentStartMs: number;
  stop(): Promise<void>;
}

function result(
  api: string,
  endpoint: string,
  durationMs: number,
  failed: boolean,
  extra: Partial<ProbeResult> = {}
): ProbeResult {
  return {
    api,
    endpoint,
    outcome: failed ? 'http_5xx' : 'ok',
    code: failed ? 500 : 200,
    durationMs,
    phases: { dns: 1, connect: 2, tls: 0, ttfb: durationMs - 10, transfer: 7 },
    bytes: 512,
    rateLimit: null,
    rateLimits: [],
    retryAfterSeconds: null,
    tlsExpiresAt: null,
    error: failed ? 'HTTP 500' : null,
    redirects: 0,
    plainHttp: false,
    loopDelayMs: 0,
    facts: null,
    tls: null,
    credential: null,
    ...extra,
  };
}

export interface ApimonStoreOptions {
  /** Which store scrapes the prober (default prometheus). */
  store?: StoreKind;
  /**
   * Wait until rate() has data over the engine's shortest window (six scrapes, ~6 s), for tests
   * that read values; editors that only list label values need the first scrape (default true).
   */
  rates?: boolean;
}

export async function startApimonStore(options: ApimonStoreOptions = {}): Promise<ApimonStore> {
  const parsed = parseCatalog(CATALOG_YAML, 'fixture.yaml');
  if (!parsed.ok) {
    throw new Error(`fixture catalog invalid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  const catalog = parsed.catalog;
  const metrics = new ProberMetrics({ processMetrics: false });
  metrics.applyCatalog(catalog, Date.now());

  const incidentStartMs = Date.now() - 10 * 60_000;
  let n = 0;
  const probeOnce = () => {
    n++;
    const p = KNOWN.payments;
    const rl = { policy: 'default', limit: p.limit, remaining: p.remaining, resetSeconds: 30, windowSeconds: 60 };
    metrics.recordProbe(
      { api: 'payments', endpoint: 'charges', provider: p.provider, location: 'test' },
      result('payments', 'charges', p.latencySeconds * 1000, n % p.errorEvery === 0, {
        rateLimit: rl,
        rateLimits: [rl],
      })
    );
    metrics.recordProbe(
      { api: 'geocoding', endpoint: 'forward', provider: KNOWN.geocoding.provider, location: 'test' },
      result('geocoding', 'forward', KNOWN.geocoding.latencySeconds * 1000, false)
    );
  };
  probeOnce();
  const timer = setInterval(probeOnce, 100);

  const server: Server = createServer({
    routes: [
      {
        path: '/metrics',
        handle: async (_req, res) => sendText(res, 200, await metrics.exposition(), 'text/plain; version=0.0.4'),
      },
      { path: '/api/v1/catalog', handle: (_req, res) => sendJson(res, 200, redactCatalog(catalog)) },
      {
        path: '/api/v1/incidents',
        handle: (_req, res) =>
          sendJson(res, 200, {
            incidents: [
              {
                ...KNOWN.incident,
                status: 'investigating',
                startedAt: new Date(incidentStartMs).toISOString(),
                resolvedAt: null,
                components: ['API'],
                updates: [{ text: 'We are investigating elevated error rates.' }],
              },
            ],
          }),
      },
      {
        path: '/api/v1/providers',
        handle: (_req, res) =>
          sendJson(res, 200, {
            providers: [
              { provider: 'stripe', indicator: 'major_outage' },
              { provider: 'mapbox', indicator: 'operational' },
            ],
          }),
      },
    ],
    apiToken: PROBER_TOKEN,
  });
  const address = await listen(server, '127.0.0.1', 0);
  const proberUrl = `http://127.0.0.1:${address.port}`;

  let prometheus: RunningStore;
  try {
    prometheus = await startStore(options.store ?? 'prometheus', scrapeConfig(`127.0.0.1:${address.port}`));
  } catch (err) {
    clearInterval(timer);
    await closeServer(server);
    throw err;
  }
  const stop = async () => {
    clearInterval(timer);
    await prometheus.stop();
    await closeServer(server);
  };
  try {
    // Enough scrapes for rate() over the engine's shortest window (4 scrape intervals).
    await waitFor(
      async () => (await prometheus.query('count(apimon_api_info)'))[0]?.value === 2,
      20_000,
      'apimon_api_info in the store'
    );
    if (options.rates !== false) {
      await waitFor(
        async () =>
          (await prometheus.query('count_over_time(apimon_probe_duration_seconds_count{api="payments"}[1m])'))[0]
            ?.value >= 6,
        30_000,
        'six scrapes of the prober'
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { prometheus, proberUrl, catalog, incidentStartMs, stop };
}

/** Closes the server and its keep-alive connections (works under jsdom, where timers have no unref). */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
