import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = resolve(__dirname, '../../../bin/apimon.js');
const ROOT = resolve(__dirname, '../../../../..');

async function apimon(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('apimon check', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-check-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 for the example catalog', async () => {
    const r = await apimon('check', '--config', 'catalog.example.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('catalog.example.yaml: ok (5 APIs, 5 endpoints, 5 providers)\n');
    // Every sandbox API is on one host; their traffic.match url templates tell them apart.
    expect(r.stderr).toBe('');
  });

  it('notes a host several APIs share without traffic.match: its real traffic stays unmapped', async () => {
    const file = join(dir, 'shared.yaml');
    writeFileSync(
      file,
      `providers: [{ name: acme }]
apis:
  - { name: a, provider: acme, criticality: standard, owner: t, endpoints: [{ name: e, url: "http://127.0.0.1:8480/a" }] }
  - { name: b, provider: acme, criticality: standard, owner: t, endpoints: [{ name: e, url: "http://127.0.0.1:8480/b" }] }
`
    );
    const r = await apimon('check', '--config', file);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `${file}: note: the endpoints of a, b share 127.0.0.1:8480; its real traffic is listed as unmapped until their traffic.match tell them apart (docs/real-traffic.md)\n`
    );
  });

  it('exits 2 with every problem on stderr, naming file, line and field, without a stack trace', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'providers: [{ name: acme }]\napis:\n  - name: pay\n    provider: acme\n    criticality: critical\n    owner: t\n    interval: soon\n    endpoints: [{ name: a, url: "ftp://x" }]\n'
    );
    const r = await apimon('check', '--config', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:7:15: apis[0].interval: must be a duration`);
    expect(r.stderr).toContain('apis[0].endpoints[0].url: must be an absolute http:// or https:// URL (got "ftp://x")');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a missing file and for a missing flag', async () => {
    const missing = await apimon('check', '--config', join(dir, 'nope.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: (file): file not found');
    const noFlag = await apimon('check');
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toContain('--config is required');
  });

  it('exits 2 for an unknown command', async () => {
    const r = await apimon('chekc');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "chekc"; did you mean "check"?');
  });
});
