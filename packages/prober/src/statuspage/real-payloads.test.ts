// Real-world status-page shapes end to end: the sandbox serves them over HTTP as the providers
// do, the real StatusPageMonitor polls them, and the metrics, the JSON API and the incident
// history show what an SRE expects.
//  - A Statuspage with twelve platform groups that share child names: every component keeps
//    its own series (`Group / Name`), one platform's outage does not colour another's API, and
//    a bare name that several groups share is reported instead of guessed.
//  - RSS and Atom items whose newest update is a postmortem (mentioning "monitoring" and a
//    "maintenance event") published days after the resolution: resolved incidents, dated from
//    their first update to their Resolved update.
import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { METRICS } from '@apimon/core';
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import { close, createServer, listen } from '../server';
import { StatusPageMonitor } from '.';
import { catalogFrom } from '../test-support/catalogs';
import { captureLogs, type CapturedLogs } from '../test-support/logs';

const PLATFORMS = ['Germany', 'France', 'Spain', 'Italy', 'Poland', 'Netherlands', 'Portugal', 'Austria', 'Switzerland', 'Belgium', 'Sweden', 'Brazil'];
const CHILDREN = [
  'Website', 'iOS app', 'Android app', 'Search', 'Listings API', 'Listing publication', 'Image upload', 'Messaging', 'Notifications', 'Push notifications',
  'Login', 'Account management', 'Card payments', 'Checkout', 'Invoicing', 'Ads delivery', 'Ads reporting', 'Partner feed import', 'Geocoding',
  'Moderation', 'Customer support tools', 'Refunds',
];
const MINUTE = 60_000;
const DAY = 86_400_000;

function catalog(origin: string) {
  const api = (name: string, provider: string, components: string[]) => `  - name: ${name}
    provider: ${provider}
    criticality: critical
    owner: t
    statusComponents: ${JSON.stringify(components)}
    endpoints: [{ name: a, url: "${origin}/x" }]`;
  return catalogFrom(`
defaults: { location: lab }
providers:
  - name: acme-pay
    statusPage: { url: "${origin}/acme-pay/status", format: statuspage }
  - name: adstream
    statusPage: { url: "${origin}/adstream/status", format: rss }
  - name: postbird
    statusPage: { url: "${origin}/postbird/status", format: atom }
apis:
${api('pay-spain', 'acme-pay', ['Marketplace Spain / Card payments'])}
${api('pay-france', 'acme-pay', ['marketplace france/card payments'])}
${api('pay-anywhere', 'acme-pay', ['Card payments'])}
${api('pay-api', 'acme-pay', ['API'])}
${api('feeds', 'adstream', ['Inventory feed'])}
${api('mail', 'postbird', ['Sending API'])}
`);
}

async function series(registry: Registry, name: string, provider: string): Promise<Map<string, number>> {
  const data = await registry.getSingleMetric(name)?.get();
  return new Map((data?.values ?? []).filter((v) => v.labels.provider === provider).map((v) => [String(v.labels.component), v.value]));
}

describe('real status-page payloads through the monitor', () => {
  let sandbox: Sandbox;
  let registry: Registry;
  let logs: CapturedLogs;
  let monitor: StatusPageMonitor;
  let server: Server;
  let api: string;
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;

  beforeAll(async () => {
    sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
    registry = new Registry();
    logs = captureLogs('warn');
    monitor = new StatusPageMonitor({ registry, logger: logs.logger, dataDir: null });
    monitor.updateCatalog(catalog(sandbox.url));
    server = createServer({ routes: [], modules: () => [monitor] });
    api = `http://127.0.0.1:${(await listen(server, '127.0.0.1', 0)).port}/api/v1`;
  });

  afterAll(async () => {
    await monitor.stop();
    await close(server);
    await sandbox.close();
  });

  it('keeps twelve platforms that share component names apart, in metrics, matching and the JSON API', async () => {
    sandbox.admin.configure('acme-pay', {
      statusPage: {
        components: PLATFORMS.flatMap((platform) =>
          CHILDREN.map((name) => ({
            group: `Marketplace ${platform}`,
            name,
            status: platform === 'Spain' && name === 'Card payments' ? ('major_outage' as const) : ('operational' as const),
          }))
        ),
        incidents: [
          {
            id: 'spain-cards',
            name: 'Card payments fail on Marketplace Spain',
            status: 'identified',
            impact: 'critical',
            startedAt: now - 30 * MINUTE,
            components: ['Marketplace Spain / Card payments'],
          },
        ],
      },
    });
    await monitor.pollOnce();
    await monitor.pollOnce(); // a second poll writes the same series: labels are stable

    // Metrics: one series per component, 264 platform components plus acme-pay's own five.
    const components = await series(registry, METRICS.providerComponentStatus, 'acme-pay');
    expect(components.size).toBe(12 * 22 + 5);
    expect(components.get('Marketplace Spain / Card payments')).toBe(4);
    expect(components.get('Marketplace France / Card payments')).toBe(0);
    expect(components.get('Payments / API')).toBe(0);
    expect(components.has('Card payments')).toBe(false);

    // Each API sees its own platform; a name twelve groups share matches none and says why.
    const detail = (await (await fetch(`${api}/providers/acme-pay`)).json()) as Record<string, any>;
    const byApi = Object.fromEntries((detail.apis as Array<Record<string, any>>).map((a) => [a.api, a]));
    expect(byApi['pay-spain']).toMatchObject({ status: 'major_outage', unmatched: [], ambiguous: [] });
    expect(byApi['pay-spain'].components).toEqual([
      expect.objectContaining({ name: 'Card payments', group: 'Marketplace Spain', label: 'Marketplace Spain / Card payments', status: 'major_outage' }),
    ]);
    expect(byApi['pay-france']).toMatchObject({ status: 'operational', ambiguous: [] });
    expect(byApi['pay-api']).toMatchObject({ status: 'operational', unmatched: [], ambiguous: [] }); // one "API" only
    expect(byApi['pay-anywhere']).toMatchObject({ status: 'unknown', components: [], unmatched: [] });
    expect(byApi['pay-anywhere'].ambiguous).toEqual([
      { name: 'Card payments', candidates: expect.arrayContaining(['Payments / Card payments', 'Marketplace Spain / Card payments']) },
    ]);
    expect(byApi['pay-anywhere'].ambiguous[0].candidates).toHaveLength(13);
    expect(detail.incidents.find((i: any) => i.id === 'spain-cards').components).toEqual(['Marketplace Spain / Card payments']);

    // Said once in the log, however often the page is polled.
    const warned = logs.entries().filter((e) => e.api === 'pay-anywhere');
    expect(warned).toHaveLength(1);
    expect(warned[0].msg).toMatch(/^statusComponents name "Card payments" matches components in 13 groups; name one as "Group \/ Name"/);

    // The exposition with 269 component series is valid for Prometheus.
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: await registry.metrics(), encoding: 'utf8' });
    expect({ code: promtool.status, output: `${promtool.stdout}${promtool.stderr}` }).toEqual({ code: 0, output: '' });
  });

  it('reads feed items whose newest update is a postmortem as resolved incidents, dated by their updates', async () => {
    const started = now - 3 * DAY;
    const resolved = started + 95 * MINUTE;
    const incident = {
      id: 'pm-1',
      name: 'Feed imports fail',
      status: 'resolved' as const,
      impact: 'major' as const,
      startedAt: started,
      resolvedAt: resolved,
      components: ['Inventory feed', 'Sending API'],
      updates: [
        {
          status: 'postmortem' as const,
          at: now - 1 * DAY,
          body: 'A storage node failed during a maintenance event. We will keep monitoring disk health and drain nodes before scheduled maintenance.',
        },
        { status: 'resolved' as const, at: resolved, body: 'This incident has been resolved.' },
        { status: 'monitoring' as const, at: started + 70 * MINUTE, body: 'A fix has been deployed; we are monitoring.' },
        { status: 'investigating' as const, at: started, body: 'Imports fail for all partners.' },
      ],
    };
    sandbox.admin.configure('adstream', { statusPage: { incidents: [incident] } });
    sandbox.admin.configure('postbird', { statusPage: { incidents: [incident] } });
    await monitor.pollOnce();

    for (const provider of ['adstream', 'postbird']) {
      const snapshot = monitor.snapshot(provider)!;
      expect(snapshot.error).toBeNull();
      expect(snapshot.maintenances).toEqual([]); // "maintenance" in the postmortem does not make it one
      expect(snapshot.incidents).toHaveLength(1);
      expect(snapshot.incidents[0]).toMatchObject({ status: 'resolved', startedAt: started, resolvedAt: resolved });
      expect(snapshot.incidents[0].updates.map((u) => u.status)).toEqual(['postmortem', 'resolved', 'monitoring', 'investigating']);
      expect(snapshot.indicator).toBe('operational');

      // The history (and so the annotations) spans 95 minutes, not three days.
      const res = await fetch(`${api}/incidents?provider=${provider}&from=${started - DAY}&to=${now}`);
      const body = (await res.json()) as { incidents: Array<Record<string, unknown>> };
      expect(body.incidents.filter((i) => String(i.id).endsWith('pm-1'))).toEqual([
        expect.objectContaining({ kind: 'incident', status: 'resolved', startedAt: started, resolvedAt: resolved }),
      ]);
    }
    const open = await registry.getSingleMetric(METRICS.providerIncidentsOpen)?.get();
    expect(open?.values.filter((v) => ['adstream', 'postbird'].includes(String(v.labels.provider))).every((v) => v.value === 0)).toBe(true);
  });
});
