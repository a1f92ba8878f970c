import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const BIN = resolve(__dirname, '../../packages/prober/bin/apimon.js');
const ROOT = resolve(__dirname, '../..');

describe('apimon sandbox', () => {
  it('serves the providers until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--listen', '127.0.0.1:0', '--no-latency'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line; stderr: ${stderr}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /listening on (http:\/\/[^\s]+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]);
        }
      });
    });
    try {
      expect(stdout).toContain(`${url}/acme-pay/v1/charges`);
      expect(stdout).toContain(`status (statuspage) ${url}/acme-pay/status`);
      const r = await fetch(`${url}/acme-pay/v1/charges`, { headers: { Authorization: 'Bearer t' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-ratelimit-limit')).toBe('100');
      const state = await (await fetch(`${url}/_admin/state`)).json();
      expect(state.providers['acme-pay'].counters.requests).toBe(1);
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(stdout).toContain('apimon sandbox stopped');
  }, 30_000);

  it('exits 2 naming a bad --listen or --seed', async () => {
    const run = promisify(execFile);
    const cases = [
      [
        ['--listen', 'localhost:99999'],
        '--listen must be host:port or a port between 0 and 65535 (got "localhost:99999")',
      ],
      [['--seed', 'abc'], '--seed must be a whole number'],
    ] as const;
    const results = await Promise.all(
      cases.map(([args]) =>
        run(process.execPath, [BIN, 'sandbox', ...args], { cwd: ROOT }).then(
          () => null,
          (e: { code: number; stderr: string }) => e
        )
      )
    );
    results.forEach((err, i) => {
      expect(err?.code).toBe(2);
      expect(err?.stderr).toContain(cases[i][1]);
      expect(err?.stderr).not.toMatch(/\n\s+at /);
    });
  }, 30_000);
});
