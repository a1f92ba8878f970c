// The prober-health dashboard: watch the watcher. One line per prober (scrape instance) and
// location: up, resources, the event loop and the probes it timed badly, the scheduler, the
// /metrics render, catalog reloads and status-page polling. Raw PromQL on the built-in
// Prometheus data source (these are the prober's series, not an API's); thresholds are the
// self alerts' (self-alerts.ts), names and joins the contract's.
import {
  bucket,
  DASHBOARD_REFRESH,
  DASHBOARD_UIDS,
  histogramQuantile,
  METRICS,
  PROBER_SCRAPE_JOB,
  promString,
  RUNTIME_METRICS,
  selector,
  sumBy,
  TARGET_LABELS,
  withProberLocation,
  type SchedulerSkipReason,
} from '@apimon/core';
import {
  type Dashboard,
  dashboard,
  labelVariable,
  meta,
  prom,
  renameOverride,
  stat,
  stateTimeline,
  steps,
  table,
  timeseries,
} from './dashboard-kit';
import { PROBER_HEALTH_LIMITS as LIMITS, PROBER_PANELS as P } from './self-alerts';

/** The probers the location and instance variables choose, with their location. */
const CHOSEN = withProberLocation(['location=~"$location"', 'instance=~"$instance"']);
const target = [...TARGET_LABELS];
/** `fn by (job, instance) (expr)` of the chosen probers, with their location. */
const perProber = (fn: 'sum' | 'max' | 'min', expr: string) => `${fn} by (job, instance) (${expr}) ${CHOSEN}`;
const LEGEND = '{{location}} {{instance}}';
const rate = (expr: string) => `rate(${expr}[$__rate_interval])`;
const p99 = (histogram: string, by: string[] = []) =>
  `${histogramQuantile(0.99, [...target, ...by, 'le'], rate(bucket(histogram)))} ${CHOSEN}`;
const SATURATED_SKIPS = `reason=${promString('saturated' satisfies SchedulerSkipReason)}`;
const UP = selector('up', [`job=${promString(PROBER_SCRAPE_JOB)}`, 'instance=~"$instance"']);
const OK_FAILING = [
  {
    type: 'value' as const,
    options: { '0': { text: 'failing', color: 'red', index: 0 }, '1': { text: 'ok', color: 'green', index: 1 } },
  },
];
const dashed = (name: string) =>
  renameOverride(name, name, [
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
  ]);

export function proberHealth(): Dashboard {
  const m = meta(DASHBOARD_UIDS.prober);
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-6h', to: 'now' },
    refresh: DASHBOARD_REFRESH,
    variables: [
      labelVariable('location', 'Location', METRICS.buildInfo, {
        multi: true,
        description: "Prober location (the catalog's defaults.location).",
      }),
      labelVariable('instance', 'Prober', selector(METRICS.buildInfo, ['location=~"$location"']), {
        multi: true,
        description: "The prober's scrape target.",
      }),
    ],
    panels: [
      stateTimeline({
        id: P.up,
        title: 'Probers up',
        description:
          'Whether the store could scrape each prober (up of job "apimon"). Down: ApimonProberDown; a location gone from the store altogether: ApimonProberLocationMissing.',
        gridPos: { x: 0, y: 0, w: 8, h: 5 },
        targets: [prom('A', UP, { legend: '{{instance}}' })],
        mappings: [
          {
            type: 'value',
            options: { '0': { text: 'down', color: 'red', index: 0 }, '1': { text: 'up', color: 'green', index: 1 } },
          },
        ],
        thresholds: steps(['red', null], ['green', 1]),
      }),
      table({
        id: 2,
        title: 'Versions',
        description: "Each prober's apimon and Node.js versions and location (apimon_build_info).",
        gridPos: { x: 8, y: 0, w: 8, h: 5 },
        targets: [
          prom('A', selector(METRICS.buildInfo, ['location=~"$location"', 'instance=~"$instance"']), {
            instant: true,
            table: true,
          }),
        ],
        transformations: [
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true, Value: true, __name__: true, job: true },
              renameByName: {},
              indexByName: { instance: 0, location: 1, version: 2, node_version: 3 },
            },
          },
        ],
      }),
      stat({
        id: P.lastLoad,
        title: 'Last good catalog load',
        description:
          'Time since each prober last accepted a catalog (apimon_catalog_reload_timestamp_seconds); red while its last load or reload was rejected (the previous catalog keeps running): ApimonCatalogReloadFailing.',
        gridPos: { x: 16, y: 0, w: 4, h: 5 },
        targets: [
          prom('A', perProber('max', `time() - ${METRICS.catalogReloadTimestamp}`), { legend: LEGEND, instant: true }),
          prom('B', perProber('min', METRICS.catalogReloadSuccess), { legend: `${LEGEND} accepted`, instant: true }),
        ],
        unit: 'dtdurations',
        overrides: [
          {
            matcher: { id: 'byFrameRefID', options: 'B' },
            properties: [
              { id: 'unit', value: 'none' },
              { id: 'mappings', value: OK_FAILING },
              { id: 'thresholds', value: { mode: 'absolute', steps: steps(['red', null], ['green', 1]) } },
            ],
          },
        ],
        thresholds: steps(['blue', null]),
      }),
      stat({
        id: P.statusPagesFailing,
        title: 'Status pages failing',
        description: `Status pages each prober failed to fetch on its last attempt, of all it polls. All of them (from ${LIMITS.minStatusPages}) failing at once is the prober's network: ApimonStatusPagesUnreachable.`,
        gridPos: { x: 20, y: 0, w: 4, h: 5 },
        targets: [
          prom(
            'A',
            `count by (location) (${selector(METRICS.providerFetchSuccess, ['location=~"$location"'])} == 0) or count by (location) (${selector(METRICS.providerFetchSuccess, ['location=~"$location"'])}) * 0`,
            {
              legend: '{{location}}',
              instant: true,
            }
          ),
        ],
        thresholds: steps(['green', null], ['orange', 1]),
      }),
      timeseries({
        id: P.cpu,
        title: 'CPU',
        description:
          'CPU time per second (100% = one core). A Node.js process runs JavaScript on one core: near 100% it cannot keep up.',
        gridPos: { x: 0, y: 5, w: 8, h: 8 },
        targets: [prom('A', perProber('sum', rate(RUNTIME_METRICS.cpuSeconds)), { legend: LEGEND })],
        unit: 'percentunit',
        min: 0,
      }),
      timeseries({
        id: P.memory,
        title: 'Memory',
        description:
          'Resident memory and the JavaScript heap (used of allocated), against the first limit the prober meets (container, machine or V8 heap limit). A slope that never levels off: ApimonProberMemoryGrowing.',
        gridPos: { x: 8, y: 5, w: 8, h: 8 },
        targets: [
          prom('A', perProber('max', RUNTIME_METRICS.residentMemory), { legend: `${LEGEND} resident` }),
          prom('B', perProber('max', RUNTIME_METRICS.heapUsed), { legend: `${LEGEND} heap used` }),
          prom('C', perProber('max', RUNTIME_METRICS.heapTotal), { legend: `${LEGEND} heap allocated` }),
          prom('D', perProber('max', METRICS.processMemoryLimit), { legend: `${LEGEND} limit` }),
        ],
        unit: 'bytes',
        min: 0,
        overrides: [
          {
            matcher: { id: 'byFrameRefID', options: 'D' },
            properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }],
          },
        ],
      }),
      timeseries({
        id: P.gc,
        title: 'Garbage collection',
        description:
          'Share of time spent in GC pauses, by kind (minor: scavenges; major: mark-sweep-compact). Each pause stops the event loop that times the probes.',
        gridPos: { x: 16, y: 5, w: 8, h: 8 },
        targets: [
          prom('A', `sum by (job, instance, kind) (${rate(`${RUNTIME_METRICS.gcDuration}_sum`)}) ${CHOSEN}`, {
            legend: `${LEGEND} {{kind}}`,
          }),
        ],
        unit: 'percentunit',
        min: 0,
        stack: true,
      }),
      timeseries({
        id: P.eventLoopLag,
        title: 'Event-loop lag',
        description: `p99 and longest event-loop delay per scrape interval (prom-client, 10 ms resolution included). The dashed line is where ApimonProberEventLoopLag fires (p99 averaged over 10 minutes).`,
        gridPos: { x: 0, y: 13, w: 8, h: 8 },
        targets: [
          prom('A', perProber('max', RUNTIME_METRICS.eventLoopLagP99), { legend: `${LEGEND} p99` }),
          prom('B', perProber('max', RUNTIME_METRICS.eventLoopLagMax), { legend: `${LEGEND} max` }),
          prom('C', `vector(${LIMITS.eventLoopLagSeconds})`, { legend: 'alert (p99)' }),
        ],
        unit: 's',
        min: 0,
        overrides: [dashed('alert (p99)')],
      }),
      timeseries({
        id: P.probeLoopDelay,
        title: 'Loop delay of probes (p99)',
        description:
          "How long probes' timed events waited on the blocked event loop (apimon_probe_loop_delay_seconds). Above prober.timingTolerance (default 50 ms) a probe's timing is degraded and its duration left out.",
        gridPos: { x: 8, y: 13, w: 8, h: 8 },
        targets: [prom('A', p99(METRICS.probeLoopDelay), { legend: LEGEND })],
        unit: 's',
        min: 0,
      }),
      timeseries({
        id: P.timingDegraded,
        title: 'Probes with degraded timing',
        description: `Share of probes the busy prober timed badly (left out of the latency histograms, so latency alerts do not blame providers). Above ${LIMITS.timingDegradedRatio * 100}% for 10 minutes: ApimonProberTimingDegraded.`,
        gridPos: { x: 16, y: 13, w: 8, h: 8 },
        targets: [
          prom(
            'A',
            `(${sumBy(target, rate(METRICS.probeTimingDegraded))} / ${sumBy(target, rate(METRICS.probeRequests))}) ${CHOSEN}`,
            { legend: LEGEND }
          ),
          prom('B', `vector(${LIMITS.timingDegradedRatio})`, { legend: 'alert' }),
        ],
        unit: 'percentunit',
        min: 0,
        overrides: [dashed('alert')],
      }),
      timeseries({
        id: P.queue,
        title: 'Queue',
        description:
          'Due probes waiting for a free slot, and probes dropped because they were still waiting when due again (skip reason "saturated").',
        gridPos: { x: 0, y: 21, w: 6, h: 8 },
        targets: [
          prom('A', perProber('max', METRICS.schedulerQueueLength), { legend: `${LEGEND} waiting` }),
          prom('B', perProber('sum', rate(selector(METRICS.probeSkipped, [SATURATED_SKIPS]))), {
            legend: `${LEGEND} dropped/s`,
          }),
        ],
        unit: 'short',
        min: 0,
      }),
      timeseries({
        id: P.slots,
        title: 'Slots in use',
        description:
          'Probes in flight as a share of the slots (prober.concurrency, lowered to fit the open-file limit). The provider holding most of them is the one that hangs: see apimon_scheduler_probes_in_flight.',
        gridPos: { x: 6, y: 21, w: 6, h: 8 },
        targets: [
          prom(
            'A',
            `(${sumBy(target, METRICS.schedulerInFlight)} / ${sumBy(target, METRICS.schedulerSlots)}) ${CHOSEN}`,
            { legend: LEGEND }
          ),
        ],
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: steps(['green', null], ['orange', 0.8], ['red', 1]),
      }),
      stateTimeline({
        id: P.saturated,
        title: 'Saturated',
        description:
          'Whether due probes had to wait for a slot (from the first wait until the queue has been empty for 10 s). Saturated again and again for 10 minutes: ApimonProberSaturated.',
        gridPos: { x: 12, y: 21, w: 6, h: 8 },
        targets: [prom('A', perProber('max', METRICS.schedulerSaturated), { legend: LEGEND })],
        mappings: [
          {
            type: 'value',
            options: {
              '0': { text: 'free', color: 'green', index: 0 },
              '1': { text: 'saturated', color: 'orange', index: 1 },
            },
          },
        ],
        thresholds: steps(['green', null], ['orange', 1]),
      }),
      timeseries({
        id: P.startDelay,
        title: 'Start delay (p99)',
        description: `Start minus due time of probes, by criticality: timer and event-loop lateness, plus any wait for a slot (critical probes are queued first, so under saturation background shows it first). Over every probe above ${LIMITS.startDelaySeconds} s for 15 minutes: ApimonProbeStartDelayHigh.`,
        gridPos: { x: 18, y: 21, w: 6, h: 8 },
        targets: [
          prom('A', p99(METRICS.probeStartDelay, ['criticality']), { legend: `{{criticality}} ${LEGEND}` }),
          prom('B', `vector(${LIMITS.startDelaySeconds})`, { legend: 'alert' }),
        ],
        unit: 's',
        min: 0,
        overrides: [dashed('alert')],
      }),
      timeseries({
        id: P.renderTime,
        title: '/metrics render time',
        description:
          'p99 and mean time to write the exposition, first piece to last. It is streamed in pieces with probes running between them, so a long render is a large exposition (compare the scrape interval and timeout) or a slow scraper, not a blocked prober.',
        gridPos: { x: 0, y: 29, w: 8, h: 8 },
        targets: [
          prom('A', p99(METRICS.metricsRenderDuration), { legend: `${LEGEND} p99` }),
          prom(
            'B',
            `(${sumBy(target, rate(`${METRICS.metricsRenderDuration}_sum`))} / ${sumBy(target, rate(`${METRICS.metricsRenderDuration}_count`))}) ${CHOSEN}`,
            { legend: `${LEGEND} mean` }
          ),
        ],
        unit: 's',
        min: 0,
      }),
      timeseries({
        id: P.handles,
        title: 'Open files and handles',
        description:
          'Open file descriptors (every probe in flight holds a socket) against the limit, and active libuv handles: both flat for a steady catalog.',
        gridPos: { x: 8, y: 29, w: 8, h: 8 },
        targets: [
          prom('A', perProber('max', RUNTIME_METRICS.openFds), { legend: `${LEGEND} open files` }),
          prom('B', perProber('max', RUNTIME_METRICS.maxFds), { legend: `${LEGEND} file limit` }),
          prom('C', perProber('max', RUNTIME_METRICS.activeHandles), { legend: `${LEGEND} handles` }),
        ],
        unit: 'short',
        min: 0,
      }),
      timeseries({
        id: P.reloads,
        title: 'Catalog reloads',
        description: 'Catalog loads and reloads by result (accepted, rejected), per interval.',
        gridPos: { x: 16, y: 29, w: 8, h: 8 },
        targets: [
          prom('A', `sum by (job, instance, result) (increase(${METRICS.catalogReloads}[$__interval])) ${CHOSEN}`, {
            legend: `${LEGEND} {{result}}`,
          }),
        ],
        unit: 'short',
        min: 0,
        stack: true,
      }),
      table({
        id: P.statusPages,
        title: 'Status-page polling',
        description:
          "Each provider's status page as each location last fetched it: ok or failing, and the time since the last good fetch.",
        gridPos: { x: 0, y: 37, w: 12, h: 9 },
        targets: [
          prom(
            'A',
            `max by (location, provider) (${selector(METRICS.providerFetchSuccess, ['location=~"$location"'])})`,
            { instant: true, table: true }
          ),
          prom(
            'B',
            `time() - max by (location, provider) (${selector(METRICS.providerFetchTimestamp, ['location=~"$location"'])} > 0)`,
            { instant: true, table: true }
          ),
        ],
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true },
              renameByName: { 'Value #A': 'last fetch', 'Value #B': 'last good fetch' },
              indexByName: { location: 0, provider: 1, 'Value #A': 2, 'Value #B': 3 },
            },
          },
        ],
        overrides: [
          renameOverride('last fetch', 'last fetch', [
            { id: 'mappings', value: OK_FAILING },
            { id: 'thresholds', value: { mode: 'absolute', steps: steps(['red', null], ['green', 1]) } },
            { id: 'custom.cellOptions', value: { type: 'color-background' } },
          ]),
          renameOverride('last good fetch', 'last good fetch', [{ id: 'unit', value: 'dtdurations' }]),
        ],
        sortBy: { displayName: 'last fetch', desc: false },
      }),
      timeseries({
        id: P.statusPagesOverTime,
        title: 'Status pages failing over time',
        description: 'Status pages whose last fetch failed, per location: one provider is theirs, all of them ours.',
        gridPos: { x: 12, y: 37, w: 12, h: 9 },
        targets: [
          prom('A', `count by (location) (${selector(METRICS.providerFetchSuccess, ['location=~"$location"'])} == 0)`, {
            legend: '{{location}} failing',
          }),
          prom('B', `count by (location) (${selector(METRICS.providerFetchSuccess, ['location=~"$location"'])})`, {
            legend: '{{location}} polled',
          }),
        ],
        unit: 'short',
        min: 0,
      }),
    ],
  });
}
