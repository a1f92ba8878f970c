// End to end on the demo: the example catalog against the sandbox providers, probed by the
// real service with the status-page monitor plugged in, exposition checked by promtool.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSandbox, type Sandbox } from '@apimon/sandbox';
import { ProberService } from '../../packages/prober/src/service';
import { StatusPageMonitor } from '../../packages/prober/src/statuspage';
import { find, parseExposition } from '../../packages/prober/src/test-support/exposition';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { waitFor } from '../helpers/prometheus';

jest.setTimeout(60_000);

const SECRETS = {
  PAY_API_KEY: 'pay-secret-e2e-1',
  GEO_API_KEY: 'geo-secret-e2e-2',
  SMS_ACCOUNT_ID: 'sms-account-e2e',
  SMS_AUTH_TOKEN: 'sms-secret-e2e-3',
  MAIL_API_KEY: 'mail-secret-e2e-4',
};

describe('prober on the sandbox with the example catalog', () => {
  let dir: string;
  let sandbox: Sandbox;
  let service: ProberService;
  let base: string;
  const logs = captureLogs('info');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-e2e-'));
    sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
    const example = readFileSync(resolve(__dirname, '../../catalog.example.yaml'), 'utf8');
    // Same catalog, pointed at this sandbox and probing every second so the test is short.
    const catalog = example
      .replaceAll('http://127.0.0.1:8480', sandbox.url)
      .replace(/^(\s+)interval: \S+$/gm, '$1interval: 1s')
      .replace(/^(\s+)timeout: \S+$/gm, '$1timeout: 900ms')
      .replace('defaults:\n', 'defaults:\n  timeout: 900ms\n');
    writeFileSync(join(dir, 'catalog.yaml'), catalog);
    service = new ProberService({
      configFile: join(dir, 'catalog.yaml'),
      logger: logs.logger,
      env: SECRETS,
      watch: false,
      modules: (_catalog, metrics) => [
        new StatusPageMonitor({ registry: metrics.registry, logger: logs.logger, dataDir: dir }),
      ],
    });
    const address = await service.start('127.0.0.1', 0);
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await service?.stop(2_000);
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('probes every API and reads every provider status page', async () => {
    const apis = ['payments', 'geocoding', 'ad-feed', 'sms', 'email'];
    const samples = await waitFor(
      async () => {
        const s = parseExposition(await (await fetch(`${base}/metrics`)).text());
        const probed = apis.every((api) => find(s, 'apimon_probe_requests_total', { api }).length > 0);
        const statusPages = new Set(find(s, 'apimon_provider_fetch_success').map((x) => x.labels.provider));
        return probed && statusPages.size === 5 ? s : undefined;
      },
      40_000,
      'a probe of every API and a fetch of every status page'
    );
    for (const api of apis) {
      expect(find(samples, 'apimon_api_misconfigured', { api })[0].value).toBe(0);
    }
    expect(find(samples, 'apimon_provider_fetch_success').every((s) => s.value === 1)).toBe(true);

    const providers = await (await fetch(`${base}/api/v1/providers`)).json();
    expect(JSON.stringify(providers)).toContain('acme-pay');

    const exposition = await (await fetch(`${base}/metrics`)).text();
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
    expect(promtool.stdout + promtool.stderr).toBe('');
    expect(promtool.status).toBe(0);

    for (const secret of Object.values(SECRETS)) {
      expect(exposition).not.toContain(secret);
      expect(logs.text()).not.toContain(secret);
    }
  });
});
