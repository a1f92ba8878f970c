// The VictoriaMetrics test helper: a ready store whose vmalert runs the rule files and whose
// /api/v1/rules lists them (what the engine asks), history imported and replayed, files removed
// on stop, and clear words for a bad rule file or a missing binary.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordedNames } from '@apimon/core';
import { waitFor } from './prometheus';
import { startStore, storeAvailable } from './stores';
import { checkRules, importOpenMetrics, replayRules, startVictoriaMetrics } from './victoria-metrics';

jest.setTimeout(60_000);

const RULES = `groups:
  - name: doubled
    interval: 1s
    rules:
      - record: job:doubled:sum
        expr: sum(vector(21)) * 2
`;

const describeVm = storeAvailable('victoriametrics') ? describe : describe.skip;

describeVm('startVictoriaMetrics', () => {
  it('runs the rule files in vmalert, lists them on /api/v1/rules, and removes its files on stop', async () => {
    const store = await startStore(
      'victoriametrics',
      'global:\n  evaluation_interval: 1s\nrule_files: [rules.yml]\nscrape_configs: []\n',
      {
        files: { 'rules.yml': RULES },
      }
    );
    try {
      expect(store.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await store.query('vector(42)')).toEqual([{ metric: {}, value: 42 }]);
      const rules = (await (await fetch(`${store.url}/api/v1/rules`)).json()) as unknown;
      expect([...recordedNames(rules)]).toEqual(['job:doubled:sum']);
      await waitFor(async () => (await store.query('job:doubled:sum'))[0]?.value === 42, 20_000, 'the recorded series');
      await expect(store.query('sum(')).rejects.toThrow(/query sum\( failed: /);
    } finally {
      await store.stop();
    }
    expect(existsSync(store.dir)).toBe(false);
    expect(await fetch(`${store.url}/health`).catch(() => null)).toBeNull();
  });

  it('imports samples with their timestamps and replays recording rules over them', async () => {
    const vm = await startVictoriaMetrics();
    try {
      const start = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
      const lines = Array.from(
        { length: 31 },
        (_, i) => `probes_total ${i * 2} ${((start + i * 60_000) / 1000).toFixed(3)}`
      );
      await importOpenMetrics(vm, `${lines.join('\n')}\n# EOF\n`);
      const rules = join(vm.dir, 'replay.yml');
      writeFileSync(
        rules,
        'groups:\n  - name: r\n    interval: 10m\n    rules:\n      - record: probes:rate10m\n        expr: rate(probes_total[10m])\n'
      );
      await replayRules(vm, [rules], start + 10 * 60_000, start + 30 * 60_000);
      const res = (await (
        await fetch(
          `${vm.url}/api/v1/query?query=${encodeURIComponent('probes:rate10m[30m]')}&time=${(start + 30 * 60_000) / 1000}`
        )
      ).json()) as { data: { result: Array<{ values: Array<[number, string]> }> } };
      // One sample per 10 minutes (the group's interval), each 2 per minute (stored to 13 digits).
      const samples = res.data.result[0].values;
      for (const [, v] of samples) {
        expect(Number(v)).toBeCloseTo(2 / 60, 12);
      }
      expect(samples.length).toBeGreaterThanOrEqual(2);
      expect(samples.length).toBeLessThanOrEqual(3);
    } finally {
      await vm.stop();
    }
  });

  it('rejects a rule file MetricsQL cannot parse, in vmalert words', async () => {
    const vm = await startVictoriaMetrics();
    try {
      const bad = join(vm.dir, 'bad.yml');
      writeFileSync(bad, 'groups:\n  - name: x\n    rules:\n      - record: a:b\n        expr: sum(rate(x[5m])\n');
      await expect(checkRules([bad])).rejects.toThrow(/vmalert -dryRun failed .*invalid expression for rule/s);
    } finally {
      await vm.stop();
    }
  });
});

describe('startVictoriaMetrics without the binaries', () => {
  it('names the missing binary and how to install it', async () => {
    await jest.isolateModulesAsync(async () => {
      process.env.VICTORIA_METRICS_BIN = '/nonexistent/victoria-metrics';
      try {
        const helper = await import('./victoria-metrics');
        await expect(helper.startVictoriaMetrics()).rejects.toThrow(
          '"/nonexistent/victoria-metrics" or "vmalert" is not on the PATH; the VictoriaMetrics integration tests need them (Debian: apt-get install -y victoria-metrics, or set VICTORIA_METRICS_BIN and VMALERT_BIN)'
        );
      } finally {
        delete process.env.VICTORIA_METRICS_BIN;
      }
    });
  });
});
