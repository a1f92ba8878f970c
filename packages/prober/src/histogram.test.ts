import { spawnSync } from 'node:child_process';
import { Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS } from '@apimon/core';
import { TextHistogram } from './histogram';
import { parseExposition, type Sample } from './test-support/exposition';

const sorted = (samples: Sample[]) =>
  samples.map((s) => JSON.stringify([s.name, Object.entries(s.labels).sort(), s.value])).sort();

describe('TextHistogram', () => {
  const labelNames = ['api', 'endpoint', 'phase'];
  const observations: Array<[Record<string, string>, number]> = [
    [{ api: 'pay', endpoint: 'charges', phase: 'ttfb' }, 0.12],
    [{ api: 'pay', endpoint: 'charges', phase: 'ttfb' }, 0.2],
    [{ api: 'pay', endpoint: 'charges', phase: 'ttfb' }, 75],
    [{ api: 'pay', endpoint: 'charges', phase: 'dns' }, 0],
    [{ api: 'we"ird\\na\nme', endpoint: 'x', phase: 'tls' }, 0.005],
    [{ api: 'no-phase', endpoint: 'y' }, 1.5],
  ];

  it('renders the same samples as prom-client for the same observations', async () => {
    const registry = new Registry();
    const reference = new Histogram({
      name: 'h_seconds',
      help: 'help',
      buckets: DURATION_BUCKETS,
      labelNames,
      registers: [registry],
    });
    const ours = new TextHistogram('h_seconds', 'help', DURATION_BUCKETS, labelNames);
    for (const [labels, value] of observations) {
      reference.observe(labels, value);
      ours.observe(labels, value);
    }
    const theirs = parseExposition(await registry.metrics());
    const mine = parseExposition(ours.render());
    expect(mine.length).toBe(theirs.length);
    expect(sorted(mine)).toEqual(sorted(theirs));
  });

  it('forgets a removed series and passes promtool', () => {
    const ours = new TextHistogram('apimon_test_duration_seconds', 'Test histogram.', [0.1, 1], labelNames);
    for (const [labels, value] of observations) {
      ours.observe(labels, value);
    }
    ours.remove({ api: 'pay', endpoint: 'charges', phase: 'dns' });
    const samples = parseExposition(ours.render());
    expect(samples.filter((s) => s.labels.phase === 'dns')).toHaveLength(0);
    expect(
      samples.find((s) => s.name === 'apimon_test_duration_seconds_count' && s.labels.phase === 'ttfb')?.value
    ).toBe(3);
    expect(
      samples.find(
        (s) => s.name === 'apimon_test_duration_seconds_bucket' && s.labels.phase === 'ttfb' && s.labels.le === '1'
      )?.value
    ).toBe(2);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: ours.render(), encoding: 'utf8' });
    expect(promtool.stdout + promtool.stderr).toBe('');
    expect(promtool.status).toBe(0);
  });
});
