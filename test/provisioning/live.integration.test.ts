// The alert expressions end to end: the sandbox providers serve injected faults (latency,
// errors, nearly exhausted quotas, a major outage on a status page), the real prober service
// probes them every second, a real store scrapes it (on each store: Prometheus, VictoriaMetrics),
// and each alert expression must return exactly the API given that fault: the labels and
// thresholds the prober really exports meet the rules; and the store's rule engine (Prometheus,
// or vmalert) running alerts.yml raises each alert for that API. Provider outages are judged per API by its statusComponents: a component in
// major outage concerns the APIs that name it, not their siblings on the same page. (Signals
// that need hours of history, quota exhaustion trends and certificate expiry, are proven on
// backfilled history in store.integration.test.ts and by promtool.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import { ProberService } from '../../packages/prober/src/service';
import { StatusPageMonitor } from '../../packages/prober/src/statuspage';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { scrapeConfig, waitFor } from '../helpers/prometheus';
import { describeStores, startStore, type RunningStore } from '../helpers/stores';
import { ALERT_SIGNALS } from '../../scripts/provisioning/alerts';

jest.setTimeout(60_000);

const SECRETS = { PAY_API_KEY: 'k', GEO_API_KEY: 'k', SMS_ACCOUNT_ID: 'k', SMS_AUTH_TOKEN: 'k', MAIL_API_KEY: 'k' };

/** Which API each alert expression must return while the faults are in. */
const EXPECTED: Record<string, string[]> = {
  ApimonLatencyHigh: ['sms'],
  ApimonErrorRatioHigh: ['ad-feed'],
  // email's provider sends only what is left (Azure Resource Manager style), and that is 0.
  ApimonRateLimitHeadroomLow: ['email', 'geocoding'],
  ApimonApiDown: ['ad-feed'],
  // payouts shares payments' provider, but its own component is operational.
  ApimonProviderMajorOutage: ['payments'],
  // ad-feed's page shows another component in major outage; its own says operational.
  ApimonProviderSilentOutage: ['ad-feed'],
  ApimonNoData: [],
};

function catalogYaml(sandbox: string): string {
  return `
defaults: { interval: 1s, timeout: 900ms, location: live }
prober: { probeShare: 50% }
providers:
  - { name: acme-pay, statusPage: { url: ${sandbox}/acme-pay/status, format: statuspage, interval: 1s } }
  - { name: geoloc, statusPage: { url: ${sandbox}/geoloc/status, format: incidentio, interval: 1s } }
  - { name: adstream, statusPage: { url: ${sandbox}/_formats/statuspage/adstream, format: statuspage, interval: 1s } }
  - { name: textly, statusPage: { url: ${sandbox}/textly/status, format: instatus, interval: 1s } }
  - { name: postbird, statusPage: { url: ${sandbox}/postbird/status, format: atom, interval: 1s } }
apis:
  - name: payments
    provider: acme-pay
    criticality: critical
    owner: payments-team
    auth: { type: bearer, secretEnv: PAY_API_KEY }
    thresholds: { latencyP95: 200ms, errorRate: 2%, headroom: 20% }
    statusComponents: [Card payments]
    endpoints: [{ name: list-charges, url: "${sandbox}/acme-pay/v1/charges" }]
  - name: payouts
    provider: acme-pay
    criticality: standard
    owner: finance-team
    auth: { type: bearer, secretEnv: PAY_API_KEY }
    statusComponents: [Payments / Payouts]
    endpoints: [{ name: list-payouts, url: "${sandbox}/acme-pay/v1/charges?limit=1" }]
  - name: geocoding
    provider: geoloc
    criticality: standard
    owner: search-team
    auth: { type: header, header: X-Geo-Key, secretEnv: GEO_API_KEY }
    endpoints: [{ name: forward, url: "${sandbox}/geoloc/v1/geocode?q=Berlin" }]
  - name: ad-feed
    provider: adstream
    criticality: background
    owner: growth-team
    statusComponents: [Feed API]
    endpoints: [{ name: inventory, url: "${sandbox}/adstream/v1/feed" }]
  - name: sms
    provider: textly
    criticality: standard
    owner: messaging-team
    auth: { type: basic, usernameEnv: SMS_ACCOUNT_ID, passwordEnv: SMS_AUTH_TOKEN }
    interval: 2s
    timeout: 1900ms
    endpoints: [{ name: send-status, url: "${sandbox}/textly/v1/messages" }]
  - name: email
    provider: postbird
    criticality: standard
    owner: messaging-team
    auth: { type: bearer, secretEnv: MAIL_API_KEY }
    endpoints: [{ name: send-quota, url: "${sandbox}/postbird/v1/quota" }]
`;
}

describeStores('alert expressions on the live sandbox -> prober -> store pipeline', (kind) => {
  let dir: string;
  let sandbox: Sandbox;
  let service: ProberService;
  let prometheus: RunningStore;
  const logs = captureLogs('error');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-alerts-live-'));
    sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
    const roomy = { limit: 100_000, windowSeconds: 60 };
    // sms: slow (700 ms against its 500 ms threshold; probed every 2 s with a 1.9 s timeout so
    // that a loaded machine does not turn slowness into timeouts).
    sandbox.admin.configure('textly', { latencyMs: 700, jitterMs: 0, rateLimit: roomy, bursts: null });
    // ad-feed: every request fails, while adstream's status page says its Feed API is fine
    // (only Reporting, which ad-feed does not use, is down).
    sandbox.admin.configure('adstream', {
      latencyMs: 5,
      jitterMs: 0,
      errorRate: 1,
      errorMode: 'sequence',
      rateLimit: roomy,
      statusPage: {
        components: [
          { name: 'Feed API', status: 'operational' },
          { name: 'Reporting', status: 'major_outage' },
        ],
      },
    });
    // geocoding: 3 of 100 requests left in the hour (headroom 3 % against its 15 %).
    sandbox.admin.configure('geoloc', { latencyMs: 5, jitterMs: 0, rateLimit: { limit: 100, windowSeconds: 3600, remaining: 3 } });
    // payments: its Card payments component is in a major outage; payouts' Payouts is not.
    sandbox.admin.configure('acme-pay', {
      latencyMs: 5,
      jitterMs: 0,
      rateLimit: roomy,
      statusPage: {
        indicator: 'major_outage',
        components: [
          { name: 'API', group: 'Payments', status: 'operational' },
          { name: 'Card payments', group: 'Payments', status: 'major_outage' },
          { name: 'Payouts', group: 'Payments', status: 'operational' },
          { name: 'Dashboard', status: 'operational' },
        ],
      },
    });
    // email: its provider announces only what is left, without a limit, and nothing is left.
    sandbox.admin.configure('postbird', {
      latencyMs: 5,
      jitterMs: 0,
      rateLimit: { ...roomy, convention: 'azure-arm', remaining: 0 },
    });
    writeFileSync(join(dir, 'catalog.yaml'), catalogYaml(sandbox.url));
    service = new ProberService({
      configFile: join(dir, 'catalog.yaml'),
      logger: logs.logger,
      env: SECRETS,
      watch: false,
      modules: (_catalog, metrics) => [new StatusPageMonitor({ registry: metrics.registry, logger: logs.logger, dataDir: dir })],
    });
    const address = await service.start('127.0.0.1', 0);
    // The store's own rule engine runs alerts.yml too (Prometheus; vmalert on VictoriaMetrics),
    // evaluated every second instead of every minute.
    const alerts = readFileSync(join(__dirname, '../../prometheus/alerts.yml'), 'utf8').replace(/interval: 1m/g, 'interval: 1s');
    prometheus = await startStore(
      kind,
      scrapeConfig(`127.0.0.1:${address.port}`).replace('scrape_configs:', 'rule_files: [alerts.yml]\nscrape_configs:'),
      { files: { 'alerts.yml': alerts } }
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    await service?.stop();
    await sandbox?.close();
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each alert expression returns exactly the API with that fault', async () => {
    const signals = ALERT_SIGNALS.filter((s) => s.alert in EXPECTED);
    expect(signals).toHaveLength(Object.keys(EXPECTED).length);
    const firing = async () => {
      const out: Record<string, string[]> = {};
      for (const s of signals) {
        out[s.alert] = (await prometheus.query(s.expr)).map((r) => r.metric.api).sort();
      }
      return out;
    };
    let last: Record<string, string[]> = {};
    try {
      await waitFor(
        async () => {
          last = await firing();
          return JSON.stringify(last) === JSON.stringify(EXPECTED);
        },
        45_000,
        'every alert expression to return its API'
      );
    } catch {
      // Show what differed, with the raw series behind it.
      const raw = async (q: string) => (await prometheus.query(q)).map((r) => `${JSON.stringify(r.metric)} ${r.value}`).join('\n');
      process.stderr.write(
        `probes:\n${await raw('sum by (api, outcome, code) (apimon_probe_requests_total)')}\nstatus:\n${await raw('apimon_provider_status or apimon_provider_component_status or apimon_api_provider_status')}\n`
      );
    }
    expect(last).toEqual(EXPECTED);
  });

  it('the store raises each alert for exactly the API with that fault (pending or firing on /api/v1/alerts)', async () => {
    // What Grafana's alert list and an Alertmanager see: on VictoriaMetrics, vmalert's alerts
    // through the store (-vmalert.proxyURL).
    const expected = Object.fromEntries(Object.entries(EXPECTED).filter(([alert]) => alert !== 'ApimonNoData'));
    let last: Record<string, string[]> = {};
    const active = async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as {
        data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
      };
      const out: Record<string, string[]> = Object.fromEntries(Object.keys(expected).map((a) => [a, [] as string[]]));
      for (const alert of body.data.alerts) {
        if (alert.labels.alertname in out && ['pending', 'firing'].includes(alert.state)) {
          out[alert.labels.alertname].push(alert.labels.api);
        }
      }
      return Object.fromEntries(Object.entries(out).map(([a, apis]) => [a, [...new Set(apis)].sort()]));
    };
    await waitFor(
      async () => {
        last = await active();
        return JSON.stringify(last) === JSON.stringify(expected);
      },
      45_000,
      'every alert raised for its API'
    ).catch(() => undefined);
    expect(last).toEqual(expected);
  });
});
