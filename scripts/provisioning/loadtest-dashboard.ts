// The "Load tests" dashboard: what `apimon loadtest --remote-write` wrote (the contract's
// apimon_loadtest_* series). One run at a time (the `run` variable, newest first) stage by stage
// against the offered rate, and every run of the chosen APIs and endpoints side by side.
//
// Every series is a gauge with one sample per write, the last one final, so each query reads
// `last_over_time(...[$__range])` at the end of the range as an instant table; the panels merge
// those tables by `stage` (or `run`) with Grafana's core transformations.
import {
  DASHBOARD_UIDS,
  FAILED_OUTCOME,
  LOADTEST_METRICS,
  loadTestRunLink,
  promString,
  selector,
  type Label,
  type Outcome,
} from '@apimon/core';
import {
  barchart,
  type Dashboard,
  dashboard,
  type FieldOverride,
  labelVariable,
  meta,
  prom,
  type PromTarget,
  stat,
  steps,
  table,
  type Unit,
  unitOverride,
  xychart,
} from './dashboard-kit';

/** The chosen APIs and endpoints; with RUN, the one run the `run` variable names. */
const FILTERS = ['api=~"$api"', 'endpoint=~"$endpoint"'];
const RUN = ['run="$run"', ...FILTERS];

/** The last value written of each series of `metric` within the dashboard's range (final for a finished run). */
const last = (metric: string, matchers: string[], extra: string[] = []) =>
  `last_over_time(${selector(metric, [...matchers, ...extra])}[$__range])`;
const maxBy = (labels: Label[], expr: string) => `max by (${labels.join(', ')}) (${expr})`;
const sumBy = (labels: Label[], expr: string) => `sum by (${labels.join(', ')}) (${expr})`;

/** One value per stage of the chosen run. */
const perStage = (metric: string, extra: string[] = []) => maxBy(['stage'], last(metric, RUN, extra));
const requestsPerStage = (extra: string[]) => sumBy(['stage'], last(LOADTEST_METRICS.requests, RUN, extra));
const quantile = (q: string) => perStage(LOADTEST_METRICS.latency, [`quantile=${promString(q)}`]);
/** One value of the chosen run (a per-run series). */
const ofRun = (metric: string) => `max(${last(metric, RUN)})`;
/** One value per run of the chosen APIs and endpoints, with what identifies the run. */
const RUN_KEY: Label[] = ['run', 'api', 'endpoint', 'profile'];
const perRun = (metric: string, labels: Label[] = RUN_KEY) => maxBy(labels, last(metric, FILTERS));

const RATE_LIMITED = `outcome=${promString('rate_limited' satisfies Outcome)}`;
const instantTable = (refId: string, expr: string): PromTarget => prom(refId, expr, { instant: true, table: true });

/** Merges the queries' tables on their common columns (Time, stage or run). */
const merge = { id: 'merge', options: {} };
/** Stages in numeric order ("10" after "9"), still shown as the labels they are. */
const stagesInOrder = [
  { id: 'convertFieldType', options: { fields: {}, conversions: [{ targetField: 'stage', destinationType: 'number' }] } },
  { id: 'sortBy', options: { fields: {}, sort: [{ field: 'stage', desc: false }] } },
  { id: 'convertFieldType', options: { fields: {}, conversions: [{ targetField: 'stage', destinationType: 'string' }] } },
];
const organize = (renameByName: Record<string, string>, options: { exclude?: string[]; order?: string[] } = {}) => ({
  id: 'organize',
  options: {
    excludeByName: Object.fromEntries(['Time', ...(options.exclude ?? [])].map((f) => [f, true])),
    renameByName,
    indexByName: Object.fromEntries((options.order ?? []).map((f, i) => [f, i])),
  },
});
const units = (byName: Record<string, Unit>): FieldOverride[] => Object.entries(byName).map(([name, unit]) => unitOverride(name, unit));

/** Field names the panels show (after organize). */
export const LOADTEST_FIELDS = {
  offered: 'offered rate',
  achieved: 'achieved rate',
  p50: 'p50',
  p95: 'p95',
  p99: 'p99',
  latencyThreshold: 'p95 threshold',
  errorRatio: 'error ratio',
  failed: 'failed or dropped',
  rateLimited: '429 rate limited',
  dropped: 'dropped',
  knee: 'knee',
  start: 'start',
  highest: 'highest offered rate',
  stoppedBy: 'stopped by',
} as const;
const F = LOADTEST_FIELDS;

export function loadTests(): Dashboard {
  const m = meta(DASHBOARD_UIDS.loadTests);
  const runLink = { title: 'This run', url: loadTestRunLink('${__value.raw}', { keepTime: true }) };
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-7d', to: 'now' },
    refresh: '',
    variables: [
      labelVariable('api', 'API', LOADTEST_METRICS.runStart, { multi: true, description: 'APIs with load-test runs in the time range.' }),
      labelVariable('endpoint', 'Endpoint', selector(LOADTEST_METRICS.runStart, ['api=~"$api"']), {
        multi: true,
        description: 'Endpoints of those APIs with load-test runs.',
      }),
      {
        ...labelVariable('run', 'Run', selector(LOADTEST_METRICS.runStart, FILTERS), {
          multi: false,
          description: 'One load-test run (apimon loadtest --run; by default its start time, so the newest is first).',
        }),
        sort: 2,
      },
    ],
    panels: [
      stat({
        id: 1,
        title: 'Knee',
        description: "The lowest planned stage rate whose p95 latency or error ratio crossed the API's threshold in this run.",
        gridPos: { x: 0, y: 0, w: 6, h: 4 },
        targets: [prom('A', ofRun(LOADTEST_METRICS.kneeRate), { legend: F.knee, instant: true })],
        unit: 'reqps',
        thresholds: steps(['orange', null]),
        noValue: 'none: every stage met the thresholds',
      }),
      stat({
        id: 2,
        title: 'p95 latency threshold',
        description: "The API's p95 threshold from the catalog, which the knee was judged by.",
        gridPos: { x: 6, y: 0, w: 6, h: 4 },
        targets: [prom('A', ofRun(LOADTEST_METRICS.thresholdLatency), { legend: F.latencyThreshold, instant: true })],
        unit: 's',
        thresholds: steps(['blue', null]),
      }),
      stat({
        id: 3,
        title: 'Error-ratio threshold',
        description: "The API's error-ratio threshold from the catalog, which the knee was judged by.",
        gridPos: { x: 12, y: 0, w: 6, h: 4 },
        targets: [prom('A', ofRun(LOADTEST_METRICS.thresholdErrorRatio), { legend: 'error threshold', instant: true })],
        unit: 'percentunit',
        thresholds: steps(['blue', null]),
      }),
      stat({
        id: 4,
        title: 'Highest offered rate',
        description: 'The highest rate any stage of this run offered.',
        gridPos: { x: 18, y: 0, w: 6, h: 4 },
        targets: [prom('A', `max(${last(LOADTEST_METRICS.offeredRate, RUN)})`, { legend: F.highest, instant: true })],
        unit: 'reqps',
        thresholds: steps(['blue', null]),
      }),
      xychart({
        id: 5,
        title: 'Latency by offered rate',
        description:
          'p50, p95 and p99 of each stage (from every request\'s intended start, so queueing shows) against the rate the stage offered; the dashed line is the p95 threshold: the knee is where p95 crosses it.',
        gridPos: { x: 0, y: 4, w: 12, h: 10 },
        targets: [
          instantTable('A', perStage(LOADTEST_METRICS.offeredRate)),
          instantTable('B', quantile('0.5')),
          instantTable('C', quantile('0.95')),
          instantTable('D', quantile('0.99')),
          instantTable('E', `${perStage(LOADTEST_METRICS.offeredRate)} * 0 + on () group_left () ${ofRun(LOADTEST_METRICS.thresholdLatency)}`),
        ],
        transformations: [
          merge,
          organize({ 'Value #A': F.offered, 'Value #B': F.p50, 'Value #C': F.p95, 'Value #D': F.p99, 'Value #E': F.latencyThreshold }, {
            exclude: ['stage'],
          }),
          { id: 'sortBy', options: { fields: {}, sort: [{ field: F.offered, desc: false }] } },
        ],
        x: F.offered,
        xUnit: 'reqps',
        unit: 's',
        min: 0,
        lines: [F.latencyThreshold],
      }),
      barchart({
        id: 6,
        title: 'Achieved against offered rate',
        description: 'Per stage, the rate offered (requests scheduled per second, dropped ones included) and the rate achieved (answered per second within the stage). A gap means the API, or the concurrency cap, fell behind.',
        gridPos: { x: 12, y: 4, w: 12, h: 10 },
        targets: [instantTable('A', perStage(LOADTEST_METRICS.offeredRate)), instantTable('B', perStage(LOADTEST_METRICS.achievedRate))],
        transformations: [merge, ...stagesInOrder, organize({ 'Value #A': F.offered, 'Value #B': F.achieved })],
        x: 'stage',
        unit: 'reqps',
      }),
      barchart({
        id: 7,
        title: 'Errors and 429s per stage',
        description: 'Per stage, requests that failed (every outcome but ok) or could not start on time (dropped), and those the API answered 429.',
        gridPos: { x: 0, y: 14, w: 12, h: 9 },
        targets: [instantTable('A', requestsPerStage([FAILED_OUTCOME])), instantTable('B', requestsPerStage([RATE_LIMITED]))],
        transformations: [merge, ...stagesInOrder, organize({ 'Value #A': F.failed, 'Value #B': F.rateLimited })],
        x: 'stage',
        unit: 'short',
        overrides: [{ matcher: { id: 'byName', options: F.rateLimited }, properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } }] }],
      }),
      barchart({
        id: 8,
        title: 'Outcomes by class per stage',
        description: 'Per stage, requests by outcome class (as the probes classify them), and dropped: requests the generator could not start on time.',
        gridPos: { x: 12, y: 14, w: 12, h: 9 },
        targets: [prom('A', `${sumBy(['stage', 'outcome'], last(LOADTEST_METRICS.requests, RUN))} > 0`, { instant: true, table: true })],
        transformations: [
          { id: 'groupingToMatrix', options: { rowField: 'stage', columnField: 'outcome', valueField: 'Value', emptyValue: 'zero' } },
          organize({ 'stage\\outcome': 'stage' }),
          ...stagesInOrder,
        ],
        x: 'stage',
        unit: 'short',
        stack: true,
      }),
      table({
        id: 9,
        title: 'Stages',
        description: 'Every stage of the run: offered and achieved rate, latency percentiles, error ratio, failed, 429 and dropped requests.',
        gridPos: { x: 0, y: 23, w: 24, h: 8 },
        targets: [
          instantTable('A', perStage(LOADTEST_METRICS.offeredRate)),
          instantTable('B', perStage(LOADTEST_METRICS.achievedRate)),
          instantTable('C', quantile('0.5')),
          instantTable('D', quantile('0.95')),
          instantTable('E', quantile('0.99')),
          instantTable('F', perStage(LOADTEST_METRICS.errorRatio)),
          instantTable('G', requestsPerStage([FAILED_OUTCOME])),
          instantTable('H', requestsPerStage([RATE_LIMITED])),
          instantTable('I', requestsPerStage(['outcome="dropped"'])),
        ],
        transformations: [
          merge,
          ...stagesInOrder,
          organize(
            {
              'Value #A': F.offered,
              'Value #B': F.achieved,
              'Value #C': F.p50,
              'Value #D': F.p95,
              'Value #E': F.p99,
              'Value #F': F.errorRatio,
              'Value #G': F.failed,
              'Value #H': F.rateLimited,
              'Value #I': F.dropped,
            },
            { order: ['stage', ...'ABCDEFGHI'.split('').map((r) => `Value #${r}`)] }
          ),
        ],
        overrides: units({ [F.offered]: 'reqps', [F.achieved]: 'reqps', [F.p50]: 's', [F.p95]: 's', [F.p99]: 's', [F.errorRatio]: 'percentunit' }),
      }),
      table({
        id: 10,
        title: 'Runs',
        description: 'Every run of the chosen APIs and endpoints in the time range: when it started, its knee, the p95 threshold it was judged by, the highest rate it offered, and what stopped it early (error_ratio, rate_limited, interrupted). Click a run to show it above.',
        gridPos: { x: 0, y: 31, w: 24, h: 9 },
        targets: [
          instantTable('A', `${perRun(LOADTEST_METRICS.runStart)} * 1000`),
          instantTable('B', perRun(LOADTEST_METRICS.kneeRate)),
          instantTable('C', perRun(LOADTEST_METRICS.thresholdLatency)),
          instantTable('D', perRun(LOADTEST_METRICS.offeredRate)),
          instantTable('E', perRun(LOADTEST_METRICS.aborted, [...RUN_KEY, 'reason'])),
        ],
        transformations: [
          merge,
          organize(
            { 'Value #A': F.start, 'Value #B': F.knee, 'Value #C': F.latencyThreshold, 'Value #D': F.highest, reason: F.stoppedBy },
            { exclude: ['Value #E'], order: ['run', 'api', 'endpoint', 'profile', 'Value #A', 'Value #B', 'Value #C', 'Value #D', 'reason'] }
          ),
        ],
        overrides: [
          ...units({ [F.start]: 'dateTimeAsIso', [F.knee]: 'reqps', [F.latencyThreshold]: 's', [F.highest]: 'reqps' }),
          { matcher: { id: 'byName', options: 'run' }, properties: [{ id: 'links', value: [runLink] }] },
        ],
        sortBy: { displayName: F.start, desc: true },
      }),
      barchart({
        id: 11,
        title: 'Knee by run',
        description: 'The knee of every run of the chosen APIs and endpoints (none: no stage crossed), next to the p95 threshold it was judged by (right axis): knees judged by different thresholds do not compare.',
        gridPos: { x: 0, y: 40, w: 24, h: 8 },
        targets: [instantTable('A', perRun(LOADTEST_METRICS.kneeRate, ['run'])), instantTable('B', perRun(LOADTEST_METRICS.thresholdLatency, ['run']))],
        transformations: [
          merge,
          { id: 'sortBy', options: { fields: {}, sort: [{ field: 'run', desc: false }] } },
          organize({ 'Value #A': F.knee, 'Value #B': F.latencyThreshold }),
        ],
        x: 'run',
        unit: 'reqps',
        overrides: [
          unitOverride(F.latencyThreshold, 's', [
            { id: 'custom.axisPlacement', value: 'right' },
            { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
          ]),
        ],
      }),
    ],
  });
}
