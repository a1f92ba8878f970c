// Everything apimon ships speaks the contract's vocabulary: every apimon_* metric and every
// recorded series named in the generated provisioning, the rule tests, the docs and the
// README is one the contract defines (a renamed metric cannot survive in a file by hand), and
// the plugin ids and default intervals the JSON and YAML files spell agree with it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_SCRAPE_INTERVAL, LOADTEST_METRIC_DEFS, METRIC_DEFS, PLUGIN_IDS, RECORDED, RUNTIME_METRICS } from '@apimon/core';
import { renderAll } from '../../scripts/provisioning/generate';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const metricNames = new Set(
  [...Object.values(METRIC_DEFS), ...Object.values(LOADTEST_METRIC_DEFS)].flatMap((d) =>
    d.type === 'histogram' ? [d.name, `${d.name}_bucket`, `${d.name}_sum`, `${d.name}_count`] : [d.name]
  )
);
const recordedNames = new Set<string>(Object.values(RECORDED));

/** The prober's Node.js runtime series (prom-client's defaults) the contract names, with a histogram's series. */
const runtimeNames = new Set(
  Object.values(RUNTIME_METRICS).flatMap((n) =>
    n === RUNTIME_METRICS.gcDuration ? [n, `${n}_bucket`, `${n}_sum`, `${n}_count`] : [n]
  )
);

/** apimon_* names, process_* and nodejs_* names, and level:metric:operation names in a text;
 * `apimon_threshold_*` style wildcards are skipped. */
function namesIn(text: string): { metrics: string[]; runtime: string[]; recorded: string[] } {
  const metrics = [...text.matchAll(/(?<![\w:])apimon_[a-z0-9_]*[a-z0-9](?![\w*:])/g)].map((m) => m[0]);
  const runtime = [...text.matchAll(/(?<![\w:])(?:process|nodejs)_[a-z0-9_]*[a-z0-9](?![\w*:])/g)].map((m) => m[0]);
  const recorded = [...text.matchAll(/\b[a-z_]+:apimon_[a-z0-9_]+:[a-z0-9_]+\b|\bapimon:[a-z0-9_]+:[a-z0-9_]+\b/g)].map(
    (m) => m[0]
  );
  return { metrics, runtime, recorded };
}

const files = [
  ...new Set([
    ...renderAll().keys(),
    'prometheus/tests/alerts.test.yml',
    'prometheus/tests/locations.test.yml',
    'prometheus/tests/recording.test.yml',
    'prometheus/tests/traffic.test.yml',
    'prometheus/tests/traffic-forecast.test.yml',
    'prometheus/tests/traffic-alerts.test.yml',
    'prometheus/tests/self-alerts.test.yml',
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ]),
];

describe('the contract vocabulary', () => {
  it.each(files)('%s names only metrics and recorded series the contract defines', (file) => {
    const text = file.startsWith('docs/') || file === 'README.md' ? read(file) : (renderAll().get(file) ?? read(file));
    const { metrics, runtime, recorded } = namesIn(text);
    expect([...new Set(metrics)].filter((n) => !metricNames.has(n))).toEqual([]);
    expect([...new Set(runtime)].filter((n) => !runtimeNames.has(n))).toEqual([]);
    expect([...new Set(recorded)].filter((n) => !recordedNames.has(n))).toEqual([]);
  });

  it('finds the names it checks (the patterns work)', () => {
    const { metrics, recorded } = namesIn(renderAll().get('prometheus/recording.yml')!);
    expect(metrics).toContain('apimon_probe_duration_seconds_bucket');
    expect(recorded).toContain(RECORDED.apiP95Rate5m);
    expect(namesIn('apimon_threshold_* and apimon_ratelimit_limit').metrics).toEqual(['apimon_ratelimit_limit']);
    expect(namesIn('`process_resident_memory_bytes`, nodejs_gc_duration_seconds_bucket').runtime).toEqual([
      'process_resident_memory_bytes',
      'nodejs_gc_duration_seconds_bucket',
    ]);
  });

  it('plugin.json files carry the contract plugin ids', () => {
    const id = (path: string) => (JSON.parse(read(path)) as { id: string }).id;
    expect(id('src/plugin.json')).toBe(PLUGIN_IDS.app);
    expect(id('src/datasource/plugin.json')).toBe(PLUGIN_IDS.datasource);
    expect(id('src/panel/plugin.json')).toBe(PLUGIN_IDS.panel);
  });

  it('prometheus.yml scrapes at the default scrape interval the data sources assume', () => {
    const config = parse(read('prometheus/prometheus.yml')) as { global: { scrape_interval: string } };
    expect(config.global.scrape_interval).toBe(DEFAULT_SCRAPE_INTERVAL);
  });
});
