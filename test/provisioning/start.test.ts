// npm start without a Prometheus on the PATH: a clear message how to install it, exit code 2,
// and nothing started. (The full run is exercised by hand: it binds the demo's fixed ports.)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('npm start', () => {
  it('explains how to install Prometheus when it is missing, and exits 2', () => {
    const res = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PROMETHEUS_BIN: '/nonexistent/prometheus' },
      timeout: 30_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('"/nonexistent/prometheus" was not found on the PATH');
    expect(res.stderr).toContain('apt-get install prometheus');
    expect(res.stderr).toContain('docker compose up -d');
    expect(res.stdout).not.toContain('sandbox');
  });

  it('rejects a bad port setting by name', () => {
    const res = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, APIMON_START_PROMETHEUS_PORT: 'ninety' },
      timeout: 30_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('APIMON_START_PROMETHEUS_PORT must be a port number between 1 and 65535 (got "ninety")');
  });
});
