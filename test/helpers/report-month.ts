// A month of known apimon history for the report tests: six APIs over the last full month (and
// the three days before it, for month-over-month), with fault windows of known length, the alert
// history those faults raised, the platform's real traffic to one API growing day by day, and a
// fake prober API that lists the providers' incidents. Everything the reports must find is
// written down here as the truth the tests compare with.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastFullMonth, METRICS, TRAFFIC_LABELS, type Month } from '@apimon/core';
import { writeSyntheticOpenMetrics, type Sink, type SyntheticAlert, type SyntheticApi } from './synthetic';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export const REPORT_MONTH: Month = lastFullMonth(Date.now());
const M = REPORT_MONTH.fromMs;
/** The history: the last day of the month before (for month-over-month), the month, ten minutes after. */
export const HISTORY = { startMs: M - DAY, endMs: REPORT_MONTH.toMs + 10 * MINUTE };

const at = (day: number, hour: number, minute = 0) => M + (day - 1) * DAY + hour * HOUR + minute * MINUTE;

const critical = { latency: 0.2, errorRatio: 0.01, headroom: 0.2 };
const standard = { latency: 0.5, errorRatio: 0.02, headroom: 0.15 };
const background = { latency: 2, errorRatio: 0.05, headroom: 0.1 };

/** The fault windows, by name. */
export const WINDOWS = {
  /** payments: 30 % of probes fail with 503 for two hours on day 10. */
  paymentsErrors: { fromMs: at(10, 14), toMs: at(10, 16) },
  /** payments: every probe takes 450 ms for an hour on day 20 (threshold 200 ms). */
  paymentsSlow: { fromMs: at(20, 9), toMs: at(20, 10) },
  /** sms: down (every probe times out) for a whole day from day 5, 02:00. */
  smsDown: { fromMs: at(5, 2), toMs: at(6, 2) },
} as const;

export const REPORT_APIS: SyntheticApi[] = [
  {
    api: 'payments',
    provider: 'acme-pay',
    criticality: 'critical',
    owner: 'payments-team',
    endpoint: 'charges',
    thresholds: critical,
    latencySeconds: 0.09,
    errorRatio: 0,
    rateLimit: { limit: 100, remaining: 70, resetSeconds: 30 },
    windows: [
      { ...WINDOWS.paymentsErrors, errorRatio: 0.3, errorOutcome: 'http_5xx' },
      { ...WINDOWS.paymentsSlow, latencySeconds: 0.45 },
    ],
  },
  {
    api: 'crm',
    provider: 'crmco',
    criticality: 'critical',
    owner: 'sales-team',
    endpoint: 'contacts',
    thresholds: critical,
    latencySeconds: 0.08,
    errorRatio: 0,
  },
  {
    api: 'geocoding',
    provider: 'geoloc',
    criticality: 'standard',
    owner: 'search-team',
    endpoint: 'forward',
    thresholds: standard,
    latencySeconds: 0.15,
    errorRatio: 0.005,
    rateLimit: { limit: 100, remaining: 60, resetSeconds: 1 },
  },
  {
    api: 'sms',
    provider: 'textly',
    criticality: 'standard',
    owner: 'messaging-team',
    endpoint: 'send',
    thresholds: standard,
    latencySeconds: 0.12,
    errorRatio: 0,
    windows: [{ ...WINDOWS.smsDown, errorRatio: 1, errorOutcome: 'timeout' }],
  },
  {
    api: 'email',
    provider: 'postbird',
    criticality: 'background',
    owner: 'messaging-team',
    endpoint: 'send',
    thresholds: background,
    latencySeconds: 0.6,
    errorRatio: 0,
    rateLimit: { limit: 1000, remaining: 50, resetSeconds: 600 },
  },
  {
    api: 'ads',
    provider: 'adstream',
    criticality: 'background',
    owner: 'growth-team',
    endpoint: 'inventory',
    thresholds: background,
    latencySeconds: 0.3,
    errorRatio: 0,
  },
];

/** The alert history the faults raised (rules evaluated every minute). */
export const REPORT_ALERTS: SyntheticAlert[] = [
  {
    alertname: 'ApimonErrorRatioHigh',
    api: 'payments',
    provider: 'acme-pay',
    severity: 'critical',
    pendingFromMs: at(10, 14, 2),
    firingFromMs: at(10, 14, 7),
    resolvedAtMs: at(10, 16, 4),
  },
  {
    alertname: 'ApimonLatencyHigh',
    api: 'payments',
    provider: 'acme-pay',
    severity: 'critical',
    pendingFromMs: at(20, 9, 3),
    firingFromMs: at(20, 9, 8),
    resolvedAtMs: at(20, 10, 4),
    labels: { endpoint: 'charges' },
  },
  {
    alertname: 'ApimonApiDown',
    api: 'sms',
    provider: 'textly',
    severity: 'warning',
    pendingFromMs: at(5, 2, 3),
    firingFromMs: at(5, 2, 5),
    resolvedAtMs: at(6, 2, 3),
  },
  // A blip that never fired: pending for three minutes.
  {
    alertname: 'ApimonLatencyHigh',
    api: 'geocoding',
    provider: 'geoloc',
    severity: 'warning',
    pendingFromMs: at(15, 11),
    firingFromMs: at(15, 11, 10),
    resolvedAtMs: at(15, 11, 3),
  },
];

/** What the alert history means, per API, over the month. */
export const ALERT_TRUTH = {
  payments: {
    fired: 2,
    firingSeconds: (at(10, 16, 4) - at(10, 14, 7) + at(20, 10, 4) - at(20, 9, 8)) / 1000,
    detectSeconds: [300, 300],
  },
  sms: { fired: 1, firingSeconds: (at(6, 2, 3) - at(5, 2, 5)) / 1000, detectSeconds: [120] },
  geocoding: { fired: 0, firingSeconds: 0, detectSeconds: [] },
};

/** The providers' incidents the fake prober lists (epoch ms), and their updates. */
export const PROVIDER_INCIDENTS = [
  {
    provider: 'acme-pay',
    kind: 'incident',
    id: 'acme-inc-1',
    title: 'Elevated <b>error</b> rates on the Charges API',
    status: 'resolved',
    impact: 'major',
    startedAt: at(10, 14, 20),
    resolvedAt: at(10, 16),
    url: 'https://status.acme-pay.example/incidents/acme-inc-1',
    components: ['API'],
    updates: [
      { at: at(10, 16), status: 'resolved', text: 'Error rates are back to normal.' },
      { at: at(10, 14, 40), status: 'identified', text: 'A faulty deploy was rolled back.' },
      { at: at(10, 14, 20), status: 'investigating', text: 'We are investigating elevated error rates.' },
    ],
  },
  {
    provider: 'textly',
    kind: 'incident',
    id: 'textly-1',
    title: 'SMS delivery outage',
    status: 'resolved',
    impact: 'critical',
    startedAt: at(5, 3),
    resolvedAt: at(6, 1, 30),
    url: 'javascript:alert(1)',
    components: [],
    updates: [{ at: at(5, 3), status: 'investigating', text: 'SMS sending fails.' }],
  },
  // A component no API watches: not the payments API's incident.
  {
    provider: 'acme-pay',
    kind: 'incident',
    id: 'acme-inc-2',
    title: 'Dashboard slow',
    status: 'resolved',
    impact: 'minor',
    startedAt: at(12, 8),
    resolvedAt: at(12, 9),
    url: null,
    components: ['Dashboard'],
    updates: [],
  },
];

/**
 * Real traffic of the platform to payments: 2 req/s on day 1, 0.1 req/s more each day; 0.5 % of
 * requests answered 503, 20 % while the provider had its errors (WINDOWS.paymentsErrors).
 */
export const TRAFFIC = {
  api: 'payments',
  host: 'api.acme-pay.example',
  baseRps: 2,
  growthRpsPerDay: 0.1,
  errorRatio: 0.005,
  incidentErrorRatio: 0.2,
  /** The documented limit: 600 requests per minute (10 req/s). */
  limit: 600,
  windowSeconds: 60,
};

/** Requests per second of the traffic at time t (last month's days at the base rate). */
export const trafficRps = (t: number) =>
  TRAFFIC.baseRps + TRAFFIC.growthRpsPerDay * Math.max(0, Math.floor((t - M) / DAY));

function writeTraffic(out: Sink): void {
  const step = MINUTE;
  const scrape = { job: 'platform', instance: 'web-1:9464', otel_scope_name: '@opentelemetry/instrumentation-undici' };
  const key = {
    [TRAFFIC_LABELS.serverAddress]: TRAFFIC.host,
    [TRAFFIC_LABELS.serverPort]: '443',
    [TRAFFIC_LABELS.method]: 'POST',
  };
  const line = (name: string, labels: Record<string, string>, t: number, v: number) =>
    `${name}{${Object.entries(labels)
      .map(([k, x]) => `${k}="${x}"`)
      .join(',')}} ${Number.isInteger(v) ? v : v.toFixed(6)} ${(t / 1000).toFixed(3)}\n`;
  const failing = (t: number) =>
    t >= WINDOWS.paymentsErrors.fromMs && t < WINDOWS.paymentsErrors.toMs
      ? TRAFFIC.incidentErrorRatio
      : TRAFFIC.errorRatio;
  for (const [code, share] of [
    ['200', (t: number) => 1 - failing(t)],
    ['503', failing],
  ] as const) {
    let total = 0;
    let chunk = '';
    for (let t = HISTORY.startMs; t <= HISTORY.endMs; t += step) {
      total += (trafficRps(t) * share(t) * step) / 1000;
      chunk += line(
        'http_client_request_duration_seconds_count',
        { ...scrape, ...key, [TRAFFIC_LABELS.statusCode]: code },
        t,
        total
      );
    }
    out(chunk);
  }
  const apiLabels = {
    job: 'apimon',
    instance: 'prober:9464',
    api: TRAFFIC.api,
    provider: 'acme-pay',
    location: 'local',
  };
  const match = {
    ...apiLabels,
    [TRAFFIC_LABELS.serverAddress]: TRAFFIC.host,
    [TRAFFIC_LABELS.serverPort]: '',
    [TRAFFIC_LABELS.method]: '',
    [TRAFFIC_LABELS.urlTemplate]: '',
  };
  let chunk = '';
  for (let t = HISTORY.startMs; t <= HISTORY.endMs; t += step) {
    chunk += line(METRICS.trafficMatch, match, t, 1);
  }
  out(chunk);
  chunk = '';
  for (let t = HISTORY.startMs; t <= HISTORY.endMs; t += step) {
    chunk += line(METRICS.rateLimitDocumentedLimit, apiLabels, t, TRAFFIC.limit);
  }
  out(chunk);
  chunk = '';
  for (let t = HISTORY.startMs; t <= HISTORY.endMs; t += step) {
    chunk += line(METRICS.rateLimitDocumentedWindow, apiLabels, t, TRAFFIC.windowSeconds);
  }
  out(chunk);
}

/**
 * The payments faults are written at the 15 s scrape interval (30 minutes either side), for the
 * 5-minute rates behind "time over threshold" and the incident timeline; the rest of the history
 * at 10 minutes, which month-long counts and the hourly rules read exactly (the sms outage starts
 * and ends on that grid).
 */
const DENSE = [WINDOWS.paymentsErrors, WINDOWS.paymentsSlow].map((w) => ({
  fromMs: w.fromMs - 30 * MINUTE,
  toMs: w.toMs + 30 * MINUTE,
}));

/** The month's history as OpenMetrics text. */
export function reportMonthOpenMetrics(out: Sink): void {
  // The synthetic writer ends with "# EOF": the traffic goes before it.
  writeSyntheticOpenMetrics(
    {
      apis: REPORT_APIS,
      startMs: HISTORY.startMs,
      endMs: HISTORY.endMs,
      stepMs: 15_000,
      coarseStepMs: 10 * MINUTE,
      denseWindows: DENSE,
      alerts: REPORT_ALERTS,
    },
    (chunk) => {
      if (chunk === '# EOF\n') {
        writeTraffic(out);
      }
      out(chunk);
    }
  );
}

/**
 * The hourly recording group over the whole history, in two halves split on a 2-hour block
 * boundary, so two promtool processes backfill it side by side.
 */
export const HOURLY_RANGES = (() => {
  const middle = Math.floor((HISTORY.startMs + HISTORY.endMs) / 2 / (2 * HOUR)) * 2 * HOUR;
  return [
    { startMs: HISTORY.startMs, endMs: middle },
    { startMs: middle, endMs: HISTORY.endMs },
  ];
})();

/** Where the 1-minute recording group must be backfilled: the dense stretches. */
export const DENSE_RANGES = DENSE.map((w) => ({ startMs: w.fromMs, endMs: w.toMs }));

export interface FakeProber {
  url: string;
  stop(): Promise<void>;
}

/** A prober JSON API that serves the catalog's status components and PROVIDER_INCIDENTS. */
export async function startFakeProber(): Promise<FakeProber> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://prober');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/api/v1/catalog') {
      res.end(
        JSON.stringify({
          apis: REPORT_APIS.map((a) => ({
            name: a.api,
            provider: a.provider,
            criticality: a.criticality,
            owner: a.owner,
            statusComponents: a.api === 'payments' ? ['API'] : [],
            endpoints: [{ name: a.endpoint, url: `https://${a.provider}.example/${a.endpoint}` }],
          })),
        })
      );
      return;
    }
    if (url.pathname === '/api/v1/incidents') {
      const from = Number(url.searchParams.get('from') ?? 0);
      const to = Number(url.searchParams.get('to') ?? Date.now());
      const provider = url.searchParams.get('provider');
      const found = PROVIDER_INCIDENTS.filter(
        (i) => (!provider || i.provider === provider) && i.startedAt <= to && (i.resolvedAt ?? Infinity) >= from
      );
      res.end(JSON.stringify({ from, to, count: found.length, truncated: false, incidents: found }));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: 'not found', code: 'not_found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
