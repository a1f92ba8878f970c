// `apimon run` as a user starts it: a real process, real signals, real ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { catalogYaml } from '../../test-support/catalogs';
import { freePort, waitFor } from '../../test-support/wait';
import { startTarget, type TestTarget } from '../../test-support/target';

jest.setTimeout(60_000);

const BIN = resolve(__dirname, '../../../bin/apimon.js');

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function apimon(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

const logLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('apimon run', () => {
  let dir: string;
  let target: TestTarget;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-run-'));
    target = await startTarget({ '/payments/charges': { delayMs: 400 }, '/maps/geocode': {} });
  });
  afterAll(async () => {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 with every catalog issue on stderr', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'apis:\n  - name: pay\n    provider: nobody\n    criticality: urgent\n    owner: x\n    endpoints: [{ name: a, url: "ftp://x" }]\n'
    );
    const run = apimon(['run', '--config', file, '--listen', '127.0.0.1:0']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain(
      `${file}:4:18: apis[0].criticality: must be one of "critical", "standard", "background"`
    );
    expect(run.stderr()).toContain('apis[0].endpoints[0].url: must be an absolute http:// or https:// URL');
    expect(run.stderr()).toContain('problem(s); the catalog was not accepted');
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a bad --listen or --log-level', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, catalogYaml(target.url, { maps: ['geocode'] }));
    const listen = apimon(['run', '--config', file, '--listen', 'localhost']);
    expect(await listen.exit).toBe(2);
    expect(listen.stderr()).toContain('--listen must be HOST:PORT');
    const level = apimon(['run', '--config', file, '--log-level', 'loud']);
    expect(await level.exit).toBe(2);
    expect(level.stderr()).toContain('--log-level must be one of');
  });

  it('exits 2 for a bad --shard or --location, or one the catalog topology does not declare', async () => {
    const file = join(dir, 'topology.yaml');
    writeFileSync(
      file,
      catalogYaml(target.url, { maps: ['geocode'] }).replace(
        'defaults: { location: test }',
        'defaults: { location: test }\nprober: { locations: [{ name: test }, { name: eu-west, shards: 2 }] }'
      )
    );
    const shard = apimon(['run', '--config', file, '--shard', '3/2']);
    expect(await shard.exit).toBe(2);
    expect(shard.stderr()).toContain('--shard must be INDEX/COUNT with 1 <= INDEX <= COUNT <= 1000, such as 1/2 (got "3/2")');
    const undeclared = apimon(['run', '--config', file, '--listen', '127.0.0.1:0', '--location', 'ap-south']);
    expect(await undeclared.exit).toBe(2);
    expect(undeclared.stderr()).toContain(
      `${file}: prober.locations: this prober runs in location "ap-south", which prober.locations does not declare (declared: test, eu-west)`
    );
    const shards = apimon(['run', '--config', file, '--listen', '127.0.0.1:0', '--location', 'eu-west']);
    expect(await shards.exit).toBe(2);
    expect(shards.stderr()).toContain('prober.locations[1].shards: location "eu-west" declares 2 shard(s), but this prober runs as shard 1/1');
    expect(shards.stderr()).not.toMatch(/\n\s+at /);
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, catalogYaml(target.url, { maps: ['geocode'] }));
    const blocker: Server = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    const { port } = blocker.address() as { port: number };
    const run = apimon(['run', '--config', file, '--listen', `127.0.0.1:${port}`]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toBe(
      `apimon run: cannot listen on 127.0.0.1:${port}: the address is already in use (is another prober running?)\n`
    );
    await new Promise((res) => blocker.close(res));
  });

  it('serves, reloads on SIGHUP, requires the API token, and on SIGTERM waits for probes in flight then exits 0', async () => {
    const file = join(dir, 'live.yaml');
    writeFileSync(file, catalogYaml(target.url, { payments: ['charges'] }, '', { interval: '1s', timeout: '900ms' }));
    const port = await freePort();
    const run = apimon(
      ['run', '--config', file, '--listen', `127.0.0.1:${port}`, '--api-token-env', 'APIMON_TEST_TOKEN'],
      {
        APIMON_TEST_TOKEN: 'tok-123',
      }
    );
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => (await fetch(`${base}/readyz`)).ok, 20_000, 'the prober to be ready');
      expect((await fetch(`${base}/api/v1/catalog`)).status).toBe(401);
      const catalog = await fetch(`${base}/api/v1/catalog`, { headers: { Authorization: 'Bearer tok-123' } });
      expect(catalog.status).toBe(200);
      expect((await catalog.json()).apis.map((a: { name: string }) => a.name)).toEqual(['payments']);
      expect(run.stdout()).not.toContain('tok-123');
      // The status-page monitor's routes are plugged in behind the same token.
      expect((await fetch(`${base}/api/v1/providers`)).status).toBe(401);
      const providers = await fetch(`${base}/api/v1/providers`, { headers: { Authorization: 'Bearer tok-123' } });
      expect(providers.status).toBe(200);
      expect(providers.headers.get('content-type')).toContain('application/json');

      // SIGHUP: the edited catalog is picked up (the watcher may beat the signal to it).
      writeFileSync(
        file,
        catalogYaml(target.url, { payments: ['charges'], maps: ['geocode'] }, '', { interval: '1s', timeout: '900ms' })
      );
      run.child.kill('SIGHUP');
      await waitFor(
        async () => {
          const res = await fetch(`${base}/api/v1/catalog`, { headers: { Authorization: 'Bearer tok-123' } });
          return (await res.json()).apis.length === 2;
        },
        10_000,
        'the reload'
      );

      // Stop while a (400 ms) probe of payments is in flight: it is answered before the exit.
      const charges = (list: Array<string | { path: string }>) =>
        list.filter((r) => (typeof r === 'string' ? r : r.path) === '/payments/charges').length;
      await waitFor(() => charges(target.requests) > charges(target.completed), 10_000, 'a probe in flight');
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(charges(target.completed)).toBe(charges(target.requests));
      const lines = logLines(run.stdout());
      expect(lines.some((l) => l.msg === 'catalog reloaded')).toBe(true);
      expect(lines.some((l) => l.msg === 'shutting down: waiting for probes in flight')).toBe(true);
      expect(lines[lines.length - 1].msg).toBe('stopped');
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('keeps its state in --data-dir, else in APIMON_DATA_DIR, else in the catalog dataDir next to the catalog', async () => {
    const file = join(dir, 'state.yaml');
    writeFileSync(file, catalogYaml(target.url, { maps: ['geocode'] }, '', { interval: '1s', timeout: '900ms' }));
    const servingDataDir = async (args: string[], env: Record<string, string> = {}) => {
      const port = await freePort();
      const run = apimon(['run', '--config', file, '--listen', `127.0.0.1:${port}`, ...args], env);
      try {
        await waitFor(() => logLines(run.stdout()).some((l) => l.msg === 'serving'), 20_000, 'the prober to serve');
        return logLines(run.stdout()).find((l) => l.msg === 'serving')!.dataDir;
      } finally {
        run.child.kill('SIGTERM');
        await run.exit;
      }
    };
    const stateDir = join(dir, 'state');
    expect(await servingDataDir(['--data-dir', stateDir], { APIMON_DATA_DIR: '/elsewhere' })).toBe(stateDir);
    expect(await servingDataDir([], { APIMON_DATA_DIR: stateDir })).toBe(stateDir);
    expect(await servingDataDir([], { APIMON_DATA_DIR: '' })).toBe(join(dir, 'data'));
  });
});
