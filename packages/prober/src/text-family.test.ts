import { spawnSync } from 'node:child_process';
import { Counter, Gauge, Registry } from 'prom-client';
import { TextSeries } from './text-family';
import { parseExposition, type Sample } from './test-support/exposition';

const sorted = (samples: Sample[]) =>
  samples.map((s) => JSON.stringify([s.name, Object.entries(s.labels).sort(), s.value])).sort();

describe('TextSeries', () => {
  const labelNames = ['api', 'endpoint', 'code'];
  const writes: Array<[Record<string, string>, number]> = [
    [{ api: 'pay', endpoint: 'charges', code: '200' }, 3],
    [{ api: 'pay', endpoint: 'charges', code: '503' }, 1],
    [{ code: '200', endpoint: 'refunds', api: 'pay' }, 2.5], // another key order, the same label set
    [{ api: 'we"ird\\na\nme', endpoint: 'x', code: '0' }, -1],
    [{ api: 'no-code', endpoint: 'y' }, 0.25],
    [{ api: 'inf', endpoint: 'z', code: '0' }, Infinity],
  ];

  it('renders the same samples as prom-client for the same writes, as a gauge and as a counter', async () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'g', help: 'help', labelNames, registers: [registry] });
    const counter = new Counter({ name: 'c_total', help: 'help', labelNames, registers: [registry] });
    const ourGauge = new TextSeries('g', 'help', 'gauge', labelNames);
    const ourCounter = new TextSeries('c_total', 'help', 'counter', labelNames);
    for (const [labels, value] of writes.filter(([, v]) => Number.isFinite(v) && v >= 0)) {
      gauge.set(labels, value);
      ourGauge.set(labels, value);
      counter.inc(labels, value);
      counter.inc(labels, 1);
      ourCounter.inc(labels, value);
      ourCounter.inc(labels);
    }
    const theirs = parseExposition(await registry.metrics());
    const mine = parseExposition(ourGauge.render() + ourCounter.render());
    expect(mine.length).toBe(theirs.length);
    expect(sorted(mine)).toEqual(sorted(theirs));
    expect(ourCounter.render()).toContain('# TYPE c_total counter\n');
  });

  it('keeps one label set per series, shared by every write in any key order', () => {
    const series = new TextSeries('g', 'help', 'gauge', labelNames);
    const kept = series.set({ api: 'pay', endpoint: 'charges', code: '200' }, 1);
    expect(series.set({ code: '200', api: 'pay', endpoint: 'charges' }, 2)).toBe(kept);
    expect(series.size).toBe(1);
    expect(Object.keys(kept)).toEqual(labelNames);
    expect(series.render()).toContain('g{api="pay",endpoint="charges",code="200"} 2\n');
    // A missing label is not the empty value.
    series.set({ api: 'pay', endpoint: 'charges' }, 3);
    series.set({ api: 'pay', endpoint: 'charges', code: '' }, 4);
    expect(series.size).toBe(3);
  });

  it('forgets removed series, by labels or by predicate, and passes promtool', () => {
    const series = new TextSeries('apimon_test_value', 'Test gauge.\nSecond line.', 'gauge', labelNames);
    for (const [labels, value] of writes) {
      series.set(labels, value);
    }
    series.remove({ api: 'pay', endpoint: 'charges', code: '503' });
    series.removeWhere((labels) => labels.api === 'no-code');
    const samples = parseExposition(series.render());
    expect(
      samples
        .map((s) => s.labels.api)
        .filter((a) => !a.startsWith('we'))
        .sort()
    ).toEqual(['inf', 'pay', 'pay']);
    expect(series.render()).toContain('apimon_test_value{api="inf",endpoint="z",code="0"} +Inf\n');
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: series.render(), encoding: 'utf8' });
    expect(promtool.stdout + promtool.stderr).toBe('');
    expect(promtool.status).toBe(0);
  });

  it('renders in pieces of whole series that add up to the whole', () => {
    const series = new TextSeries('g', 'help', 'gauge', ['api']);
    for (let i = 0; i < 25; i++) {
      series.set({ api: `api-${i}` }, i);
    }
    const pieces = [...series.renderChunks(10)];
    expect(pieces).toHaveLength(3);
    expect(pieces.join('')).toBe(series.render());
    expect(pieces.every((p) => p.endsWith('\n'))).toBe(true);
    // An empty family still says what it is, as prom-client does.
    expect(new TextSeries('e', 'empty', 'gauge', ['api']).render()).toBe('# HELP e empty\n# TYPE e gauge\n');
  });
});
