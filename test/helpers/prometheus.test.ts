// The shared Prometheus test helper: ready when it resolves, cleans up after itself, and says
// clearly when Prometheus is missing.
import { existsSync } from 'node:fs';
import { startPrometheus } from './prometheus';

jest.setTimeout(60_000);

describe('startPrometheus', () => {
  it('starts a ready Prometheus on loopback, answers queries, and removes its files on stop', async () => {
    const prometheus = await startPrometheus('global:\n  scrape_interval: 1s\nscrape_configs: []\n');
    try {
      expect(prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${prometheus.url}/-/ready`)).ok).toBe(true);
      expect(await prometheus.query('vector(42)')).toEqual([{ metric: {}, value: 42 }]);
      await expect(prometheus.query('sum(')).rejects.toThrow(/query sum\( failed: .*parse error/);
    } finally {
      await prometheus.stop();
    }
    const flags = await fetch(`${prometheus.url}/api/v1/status/flags`).catch(() => null);
    expect(flags).toBeNull();
  });

  it('reports a bad config with Prometheus own words', async () => {
    await expect(
      startPrometheus('scrape_configs: [{ job_name: x, static_configs: [{ targets: 5 }] }]\n')
    ).rejects.toThrow(/prometheus exited with code/);
  });

  it('names the missing binary and how to install it', async () => {
    await jest.isolateModulesAsync(async () => {
      process.env.PROMETHEUS_BIN = '/nonexistent/prometheus';
      try {
        const helper = await import('./prometheus');
        await expect(helper.startPrometheus('scrape_configs: []\n')).rejects.toThrow(
          '"/nonexistent/prometheus" is not on the PATH; integration tests need a real Prometheus (Debian: apt-get install -y prometheus, or set PROMETHEUS_BIN)'
        );
      } finally {
        delete process.env.PROMETHEUS_BIN;
      }
    });
    expect(existsSync('/nonexistent')).toBe(false);
  });
});
