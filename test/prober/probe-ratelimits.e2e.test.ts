// `apimon probe` (the real bin) against sandbox providers whose responses declare several
// rate limits: every policy is printed, each with its window, limit, remaining, reset and the
// header convention it came from, the scarcest marked; the table stays one readable cell.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createSandbox, type Sandbox } from '@apimon/sandbox';

const BIN = resolve(__dirname, '../../packages/prober/bin/apimon.js');
const SECRETS = { GEO_API_KEY: 'geo-cli-secret', PAY_API_KEY: 'pay-cli-secret' };

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...SECRETS }, timeout: 30_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    );
  });
}

describe('apimon probe: every rate-limit policy a response declares', () => {
  let sandbox: Sandbox;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    sandbox = await createSandbox({ listen: '127.0.0.1:0', realisticLatency: false });
    dir = mkdtempSync(join(tmpdir(), 'apimon-probe-ratelimits-'));
    config = join(dir, 'catalog.yaml');
    writeFileSync(
      config,
      `providers: [{ name: geoloc }, { name: acme-pay }]
apis:
  - name: geocoding
    provider: geoloc
    criticality: standard
    owner: search-team
    auth: { type: header, header: X-Geo-Key, secretEnv: GEO_API_KEY }
    endpoints: [{ name: forward, url: "${sandbox.url}/geoloc/v1/geocode?q=Berlin" }]
  - name: payments
    provider: acme-pay
    criticality: critical
    owner: payments-team
    auth: { type: bearer, secretEnv: PAY_API_KEY }
    endpoints: [{ name: list-charges, url: "${sandbox.url}/acme-pay/v1/charges" }]
`
    );
  });

  beforeEach(() => {
    sandbox.admin.reset();
    // geoloc: a burst window of 10 a minute and a daily quota of 4, both IETF policies in one
    // response; after the probe's own request 9 of 10 and 3 of 4 are left: the quota is scarcer.
    sandbox.admin.configure('geoloc', { rateLimit: { limit: 10, windowSeconds: 60, quota: { limit: 4, windowSeconds: 86_400 } } });
    // acme-pay: Azure Resource Manager style, what is left and nothing more.
    sandbox.admin.configure('acme-pay', { rateLimit: { limit: 1000, windowSeconds: 3600, convention: 'azure-arm' } });
  });

  afterAll(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--json lists every policy with window, limit, remaining, reset and convention, the scarcest marked', async () => {
    const { code, stdout, stderr } = await run(['probe', '--config', config, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [geo, pay] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
    expect(geo.api).toBe('geocoding');
    expect(geo.rateLimits).toEqual([
      {
        policy: 'quota',
        windowSeconds: 86_400,
        unit: 'requests',
        limit: 4,
        remaining: 3,
        resetSeconds: expect.any(Number),
        convention: 'ietf',
        scarcest: true,
      },
      {
        policy: 'default',
        windowSeconds: 60,
        unit: 'requests',
        limit: 10,
        remaining: 9,
        resetSeconds: expect.any(Number),
        convention: 'ietf',
        scarcest: false,
      },
    ]);
    expect(geo.rateLimits[0].resetSeconds).toBeLessThanOrEqual(86_400);
    expect(geo.rateLimits[1].resetSeconds).toBeLessThanOrEqual(60);
    // `rateLimit` stays the scarcest policy, as before.
    expect(geo.rateLimit).toEqual({ policy: 'quota', limit: 4, remaining: 3, resetSeconds: geo.rateLimits[0].resetSeconds });
    expect(pay.rateLimits).toEqual([
      {
        policy: 'subscription-reads',
        windowSeconds: null,
        unit: 'requests',
        limit: null,
        remaining: 999,
        resetSeconds: null,
        convention: 'azure-arm',
        scarcest: true,
      },
    ]);
    expect(stdout).not.toContain(SECRETS.GEO_API_KEY);
  });

  it('the table shows the scarcest policy by name and how many more there are', async () => {
    const { code, stdout } = await run(['probe', '--config', config]);
    expect(code).toBe(0);
    const [header, geo, pay] = stdout.trimEnd().split('\n');
    const cell = (line: string) => line.slice(header.indexOf('RATE LIMIT'), header.indexOf('TLS EXPIRES')).trim();
    expect(cell(geo)).toMatch(/^quota 3\/4 reset \d+s \+1 more$/);
    expect(cell(pay)).toBe('999/?');
  });
});
