// `apimon status-pages` end to end: the real CLI binary against a local fixtures server.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { FixtureServer } from '../../test-support/fixture-server';

const exec = promisify(execFile);
const BIN = resolve(__dirname, '../../../bin/apimon.js');
const FIXTURES = join(__dirname, '../../../../core/src/statuspage/fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

async function apimon(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

jest.setTimeout(60_000);

describe('apimon status-pages', () => {
  let fixtures: FixtureServer;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    fixtures = await new FixtureServer().start();
    fixtures.set('/pay/api/v2/summary.json', { body: fixture('statuspage-summary.json') });
    fixtures.set('/pay/api/v2/incidents.json', { body: fixture('statuspage-incidents.json') });
    fixtures.set('/mail/history.atom', { body: fixture('atom-feed.xml'), contentType: 'application/atom+xml' });
    fixtures.set('/broken/feed', { body: fixture('html-error.html'), contentType: 'text/html' });
    dir = mkdtempSync(join(tmpdir(), 'apimon-spcli-'));
    config = join(dir, 'catalog.yaml');
    writeFileSync(
      config,
      `providers:
  - name: pay
    statusPage: { url: "${fixtures.origin}/pay", format: statuspage }
  - name: mail
    statusPage: { url: "${fixtures.origin}/mail/history.atom", format: atom }
  - name: broken
    statusPage: { url: "${fixtures.origin}/broken/feed", format: rss }
apis:
  - { name: x, provider: pay, criticality: standard, owner: t, endpoints: [{ name: a, url: "${fixtures.origin}/x" }] }
`
    );
  });

  afterAll(async () => {
    await fixtures.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON line per provider in the normal form and exits 1 when a page failed', async () => {
    const r = await apimon('status-pages', '--config', config, '--json');
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines.map((l) => Object.keys(l))).toEqual(Array(3).fill(['provider', 'format', 'indicator', 'components', 'incidents', 'error']));
    const [pay, mail, broken] = lines;
    expect(pay).toMatchObject({ provider: 'pay', format: 'statuspage', indicator: 'partial_outage', error: null });
    expect(pay.components[0]).toEqual({ name: 'Payments / API', status: 'partial_outage' });
    expect(pay.incidents[0]).toEqual({
      id: 'inc-42',
      title: 'Elevated error rates on card charges',
      status: 'identified',
      impact: 'major',
      startedAt: Date.parse('2026-11-24T07:45:00Z'),
      resolvedAt: null,
      url: 'https://stspg.example/abc42',
    });
    expect(mail).toMatchObject({ provider: 'mail', format: 'atom', components: [{ name: 'SMTP relay' }] });
    expect(broken).toEqual({
      provider: 'broken',
      format: null,
      indicator: 'unknown',
      components: [],
      incidents: [],
      error: `${fixtures.origin}/broken/feed: expected an RSS feed but got an HTML page titled "502 Bad Gateway – Cloud Edge"`,
    });
  });

  it('prints a table, and exits 0 when every page was read', async () => {
    const r = await apimon('status-pages', '--config', config, '--provider', 'pay');
    expect(r.code).toBe(0);
    const [header, row] = r.stdout.trim().split('\n');
    expect(header).toMatch(/^PROVIDER\s+FORMAT\s+INDICATOR\s+NOT OPERATIONAL\s+OPEN INCIDENTS\s+ERROR$/);
    expect(row).toMatch(/^pay\s+statuspage\s+partial_outage\s+Payments \/ API: partial_outage, Payments \/ Card payments: d/);
    expect(row).toMatch(/\[major\] Elevated error rates on card charges/);
  });

  it('rejects an unknown provider and a missing --config with exit 2', async () => {
    const unknown = await apimon('status-pages', '--config', config, '--provider', 'paay');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('apimon status-pages: unknown provider "paay"; did you mean "pay"? The catalog has: pay, mail, broken\n');
    const missing = await apimon('status-pages', '--json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--config is required/);
  });
});
