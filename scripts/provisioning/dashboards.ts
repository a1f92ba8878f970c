// The provisioned dashboards (uids and titles from the contract). Panels query the apimon
// data source with ApimonQuery objects where the domain query says it best, and the built-in
// Prometheus data source for rankings and 30-day aggregates, which read the recorded series of
// prometheus/recording.yml (each such query registers its raw equivalent for the bench). Every
// metric, recorded series, label value and link comes from the contract in @apimon/core.
import {
  API_PROVIDER_LEVEL,
  apiDashboardLink,
  apiThreshold,
  AUDIT_KIND_NAMES,
  AUDIT_KINDS,
  AUDIT_SEVERITIES,
  AUDIT_SEVERITY_COLORS,
  type AuditSeverity,
  bucket,
  DASHBOARD_REFRESH,
  DASHBOARD_UIDS,
  DATASOURCE_UIDS,
  errorRatio,
  FAILED_OUTCOME,
  histogramQuantile,
  LATENCY_QUANTILE,
  METRICS,
  PLUGIN_IDS,
  promString,
  PROVIDER_FAILED_OUTCOME,
  RAW_HEADROOM,
  rawErrorRatioTerms,
  RECORDED,
  relativeSteps,
  selector,
  sumBy,
  TLS_LIMITS,
  TLS_STEPS_SECONDS,
  TRAFFIC_FORECAST,
  TRAFFIC_LABELS,
  createTrafficQueries,
  lastForecast,
  type DashboardUid,
  type Outcome,
  type QuotaSkipReason,
} from '@apimon/core';
import { API_PANELS } from './alerts';
import { loadTests } from './loadtest-dashboard';
import { proberHealth } from './dashboard-prober';
import {
  apimon,
  bargauge,
  criticalityVariable,
  type Dashboard,
  dashboard,
  healthboard,
  labelVariable,
  meta,
  prom,
  renameOverride,
  stat,
  stateTimeline,
  STATUS_MAPPING,
  STATUS_STEPS,
  steps,
  table,
  text,
  timeseries,
  unitOverride,
  type ValueMapping,
  verdictColors,
} from './dashboard-kit';

/** The catalog facts of the APIs the criticality and provider variables choose. */
const API_INFO_FILTERED = selector(METRICS.apiInfo, ['criticality=~"$criticality"', 'provider=~"$provider"']);
/** Keeps the APIs chosen by the criticality and provider variables (value unchanged). */
const FILTER = `* on (api) group_left () max by (api) (${API_INFO_FILTERED})`;
const apiLink = { title: 'API detail: ${__field.labels.api}', url: apiDashboardLink('${__field.labels.api}', { keepTime: true }) };
/** Share of failed probes per API over a window, 0 (not absent) for APIs without failures. */
const errorRatioRaw = (window: string) => errorRatio.probedOnly(rawErrorRatioTerms(window, ['api', 'provider']));
/** p95 per API over the last 5 minutes from raw buckets (what the recorded p95 holds). */
const RAW_P95_5M = histogramQuantile(LATENCY_QUANTILE, ['api', 'provider', 'le'], `rate(${bucket(METRICS.probeDuration)}[5m])`);
const LATENCY_THRESHOLD = apiThreshold(METRICS.thresholdLatency);
const ERROR_THRESHOLD = apiThreshold(METRICS.thresholdErrorRatio);
/** One API's own threshold (the dashed line on the API dashboard). */
const thresholdOfApi = (metric: string) => `max(${selector(metric, ['api="$api"', 'endpoint=""'])})`;
/** Throttled probes, and the probes the quota guard held back. */
const OUTCOME_RATE_LIMITED = `outcome=${promString('rate_limited' satisfies Outcome)}`;
const QUOTA_SKIPS = `reason=~${promString((['quota_guard', 'retry_after'] satisfies QuotaSkipReason[]).join('|'))}`;
/** Probes per API over the dashboard's range, ok ones and all. */
const OK_IN_RANGE = sumBy(['api', 'provider'], `increase(${selector(METRICS.probeRequests, ['outcome="ok"'])}[$__range])`);
const ALL_IN_RANGE = sumBy(['api', 'provider'], `increase(${METRICS.probeRequests}[$__range])`);
const HEADROOM_THRESHOLD = apiThreshold(METRICS.thresholdHeadroom);
// Colours of values shown against each API's own threshold (1 = at it), from the one verdict.
const LATENCY_AGAINST_THRESHOLD = verdictColors(relativeSteps('latency'));
const ERRORS_AGAINST_THRESHOLD = verdictColors(relativeSteps('errorRatio'));
const HEADROOM_AGAINST_MINIMUM = verdictColors(relativeSteps('headroom'));

// Real traffic (docs/real-traffic.md): recorded series of prometheus/recording.yml, each with
// the same query on the raw OpenTelemetry metrics (default sources) as its raw equivalent.
const TRAFFIC = createTrafficQueries();
const TRAFFIC_HOST = [TRAFFIC_LABELS.serverAddress, TRAFFIC_LABELS.serverPort];
const RAW_TRAFFIC_USAGE_5M = TRAFFIC.usageOf(TRAFFIC.requestsPerSecond('5m', ['api', 'provider']));

const filterVariables = () => [
  criticalityVariable(),
  labelVariable('provider', 'Provider', METRICS.apiInfo, { multi: true, description: 'Third-party provider (from the catalog).' }),
];

export function overview(): Dashboard {
  const m = meta(DASHBOARD_UIDS.overview);
  const filters = { criticality: '$criticality', provider: '$provider' };
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-6h', to: 'now' },
    refresh: DASHBOARD_REFRESH,
    variables: filterVariables(),
    panels: [
      healthboard(
        1,
        'API health board',
        'One tile per API: state from latency, errors and rate-limit headroom against the catalog thresholds, provider status and open incidents. Click a tile for the API dashboard.',
        { x: 0, y: 0, w: 24, h: 10 },
        { kind: 'summary', ...filters }
      ),
      stat({
        id: 2,
        title: 'APIs monitored',
        description: 'APIs in the catalog that match the filters.',
        gridPos: { x: 0, y: 10, w: 6, h: 4 },
        targets: [prom('A', `count(max by (api) (${API_INFO_FILTERED}))`, { legend: 'APIs', instant: true })],
        thresholds: steps(['blue', null]),
      }),
      stat({
        id: 3,
        title: 'Over latency threshold',
        description: 'APIs whose p95 latency over the last 5 minutes exceeds the catalog threshold.',
        gridPos: { x: 6, y: 10, w: 6, h: 4 },
        targets: [
          prom(
            'A',
            `count((${RECORDED.apiP95Rate5m} > on (api) ${LATENCY_THRESHOLD}) ${FILTER}) or vector(0)`,
            {
              legend: 'APIs',
              instant: true,
              raw: `count((${RAW_P95_5M} > on (api) ${LATENCY_THRESHOLD}) ${FILTER}) or vector(0)`,
            }
          ),
        ],
        thresholds: steps(['green', null], ['red', 1]),
      }),
      stat({
        id: 4,
        title: 'Over error threshold',
        description: 'APIs whose share of failed probes over the last 5 minutes exceeds the catalog threshold.',
        gridPos: { x: 12, y: 10, w: 6, h: 4 },
        targets: [
          prom(
            'A',
            `count((${RECORDED.apiErrorRatioRate5m} > on (api) ${ERROR_THRESHOLD}) ${FILTER}) or vector(0)`,
            {
              legend: 'APIs',
              instant: true,
              raw: `count((${errorRatioRaw('5m')} > on (api) ${ERROR_THRESHOLD}) ${FILTER}) or vector(0)`,
            }
          ),
        ],
        thresholds: steps(['green', null], ['red', 1]),
      }),
      stat({
        id: 5,
        title: 'Providers reporting problems',
        description: 'Providers whose status page shows anything but operational (maintenance included).',
        gridPos: { x: 18, y: 10, w: 6, h: 4 },
        targets: [
          prom(
            'A',
            `count(max by (provider) (${selector(METRICS.providerComponentStatus, ['provider=~"$provider"'])} or ${selector(METRICS.providerStatus, ['provider=~"$provider"'])}) > 0) or vector(0)`,
            { legend: 'providers', instant: true }
          ),
        ],
        thresholds: steps(['green', null], ['orange', 1]),
      }),
      bargauge({
        id: 6,
        title: 'Worst latency against threshold',
        description: 'p95 latency over the last 5 minutes as a share of each API\'s threshold; above 100% the API breaks its threshold.',
        gridPos: { x: 0, y: 14, w: 8, h: 9 },
        targets: [
          prom(
            'A',
            `topk(10, (${RECORDED.apiP95Rate5m} / on (api) ${LATENCY_THRESHOLD}) ${FILTER})`,
            {
              legend: '{{api}}',
              instant: true,
              raw: `topk(10, (${RAW_P95_5M} / on (api) ${LATENCY_THRESHOLD}) ${FILTER})`,
            }
          ),
        ],
        unit: 'percentunit',
        min: 0,
        max: 2,
        thresholds: LATENCY_AGAINST_THRESHOLD,
        links: [apiLink],
      }),
      bargauge({
        id: 7,
        title: 'Worst error ratio against threshold (1h)',
        description: 'Share of failed probes over the last hour as a share of each API\'s error-ratio threshold, worst ten APIs; from 50% the API is close to its threshold, above 100% it breaks it.',
        gridPos: { x: 8, y: 14, w: 8, h: 9 },
        targets: [
          prom('A', `topk(10, (${RECORDED.apiErrorRatioRate1h} / on (api) ${ERROR_THRESHOLD}) ${FILTER})`, {
            legend: '{{api}}',
            instant: true,
            raw: `topk(10, (${errorRatioRaw('1h')} / on (api) ${ERROR_THRESHOLD}) ${FILTER})`,
          }),
        ],
        unit: 'percentunit',
        min: 0,
        max: 2,
        thresholds: ERRORS_AGAINST_THRESHOLD,
        links: [apiLink],
      }),
      bargauge({
        id: 8,
        title: 'Lowest rate-limit headroom against the minimum',
        description: 'Share of the rate limit left in the current window (tightest policy) as a share of each API\'s minimum headroom, lowest ten APIs; below 200% the API is close to its minimum, below 100% under it.',
        gridPos: { x: 16, y: 14, w: 8, h: 9 },
        targets: [
          prom('A', `bottomk(10, (${RECORDED.apiHeadroom} / on (api) ${HEADROOM_THRESHOLD}) ${FILTER})`, {
            legend: '{{api}}',
            instant: true,
            raw: `bottomk(10, (min by (api, provider) (${RAW_HEADROOM}) / on (api) ${HEADROOM_THRESHOLD}) ${FILTER})`,
          }),
        ],
        unit: 'percentunit',
        min: 0,
        max: 4,
        thresholds: HEADROOM_AGAINST_MINIMUM,
        links: [apiLink],
      }),
      timeseries({
        id: 9,
        title: 'p95 latency by API',
        description: '95th percentile of probe durations per API.',
        gridPos: { x: 0, y: 23, w: 12, h: 9 },
        targets: [apimon('A', { kind: 'latency', percentiles: ['p95'], groupBy: 'api', ...filters })],
        unit: 's',
        links: [apiLink],
      }),
      timeseries({
        id: 10,
        title: 'Error ratio by API',
        description: 'Share of failed probes per API (any outcome but ok).',
        gridPos: { x: 12, y: 23, w: 12, h: 9 },
        targets: [apimon('A', { kind: 'errors', errorMode: 'ratio', groupBy: 'api', ...filters })],
        unit: 'percentunit',
        min: 0,
        links: [apiLink],
      }),
      stateTimeline({
        id: 11,
        title: 'Provider status',
        description: 'What each provider\'s status page says (worst component), over time.',
        gridPos: { x: 0, y: 32, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'status', provider: '$provider' })],
        mappings: STATUS_MAPPING,
        thresholds: STATUS_STEPS,
      }),
      table({
        id: 12,
        title: 'Open provider incidents',
        description: 'Incidents the providers\' status pages list as open.',
        gridPos: { x: 12, y: 32, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'incidents', openOnly: true, provider: '$provider' })],
      }),
      timeseries({
        id: 13,
        title: 'Real calls per second by API',
        description: "The platform's own calls to each API, from its OpenTelemetry HTTP-client metrics (docs/real-traffic.md), beside the probes above. Empty until the store has the platform's metrics.",
        gridPos: { x: 0, y: 40, w: 12, h: 9 },
        targets: [apimon('A', { kind: 'traffic', groupBy: 'api', ...filters })],
        unit: 'reqps',
        min: 0,
        links: [apiLink],
      }),
      timeseries({
        id: 14,
        title: 'Real error ratio by API',
        description: "Share of the platform's own calls answered 5xx or not answered at all (429 is throttling, counted apart), against each API's error threshold.",
        gridPos: { x: 12, y: 40, w: 12, h: 9 },
        targets: [apimon('A', { kind: 'trafficErrors', errorMode: 'ratio', groupBy: 'api', ...filters })],
        unit: 'percentunit',
        min: 0,
        links: [apiLink],
      }),
      table({
        id: 15,
        title: 'Unmapped traffic: hosts no API claims',
        description: "The platform's calls to hosts no catalog API claims, over the last 5 minutes: integrations missing from the catalog (add them, or a traffic.match that claims them). Hosts several APIs share without a url template are listed here too.",
        gridPos: { x: 0, y: 49, w: 24, h: 7 },
        targets: [
          prom('A', RECORDED.trafficUnmappedRequestsRate5m, {
            instant: true,
            table: true,
            raw: TRAFFIC.unmappedRequestsPerSecond('5m'),
          }),
          prom('B', RECORDED.trafficUnmappedErrorRatioRate5m, {
            instant: true,
            table: true,
            raw: TRAFFIC.unmappedErrorRatio('5m'),
          }),
        ],
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true },
              renameByName: { [TRAFFIC_HOST[0]]: 'host', [TRAFFIC_HOST[1]]: 'port', 'Value #A': 'calls/s', 'Value #B': 'errors' },
              indexByName: { [TRAFFIC_HOST[0]]: 0, [TRAFFIC_HOST[1]]: 1, 'Value #A': 2, 'Value #B': 3 },
            },
          },
        ],
        overrides: [unitOverride('calls/s', 'reqps'), unitOverride('errors', 'percentunit')],
        sortBy: { displayName: 'calls/s', desc: true },
      }),
    ],
  });
}

export function apiDetail(): Dashboard {
  const m = meta(DASHBOARD_UIDS.api);
  const api = { api: '$api' };
  // Probe panels follow the location variable (docs/topologies.md); "All" judges and draws
  // every location, and the by-location panels break them down.
  const probes = { api: '$api', location: '$location' };
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-6h', to: 'now' },
    refresh: DASHBOARD_REFRESH,
    variables: [
      labelVariable('api', 'API', METRICS.apiInfo, { multi: false, description: 'The API (from the catalog).' }),
      labelVariable('provider', 'Provider', selector(METRICS.apiInfo, ['api="$api"']), { multi: false, hide: true, description: 'The provider of the API.' }),
      labelVariable('location', 'Location', selector(METRICS.apiInfo, ['api="$api"']), {
        multi: true,
        description: 'The prober locations probing the API (docs/topologies.md); All judges the API over every location.',
      }),
    ],
    annotations: [
      {
        name: 'Provider incidents',
        datasource: { type: PLUGIN_IDS.datasource, uid: DATASOURCE_UIDS.apimon },
        enable: true,
        hide: false,
        iconColor: 'red',
        target: { refId: 'Anno', kind: 'incidents', provider: '$provider' },
      },
      ADVISORY_ANNOTATION(['provider="$provider"']),
    ],
    panels: [
      healthboard(1, 'State', 'The API\'s state against its thresholds, provider status and open incidents.', { x: 0, y: 0, w: 24, h: 4 }, { kind: 'summary', ...probes }),
      timeseries({
        id: API_PANELS.latency,
        title: 'Latency percentiles against the threshold',
        description: 'Probe duration percentiles per endpoint; the dashed line is the catalog p95 threshold of the API.',
        gridPos: { x: 0, y: 4, w: 12, h: 9 },
        targets: [
          apimon('A', { kind: 'latency', percentiles: ['p50', 'p95', 'p99'], groupBy: 'endpoint', ...probes }),
          prom('B', thresholdOfApi(METRICS.thresholdLatency), { legend: 'threshold (p95)' }),
        ],
        unit: 's',
        min: 0,
        overrides: [renameOverride('threshold (p95)', 'threshold (p95)', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])],
      }),
      timeseries({
        id: 3,
        title: 'Phases (p95)',
        description: 'Where the time goes: DNS, connect, TLS handshake, time to first byte and transfer (p95 of each phase).',
        gridPos: { x: 12, y: 4, w: 12, h: 9 },
        targets: [apimon('A', { kind: 'phases', percentiles: ['p95'], ...probes })],
        unit: 's',
        min: 0,
        stack: true,
      }),
      timeseries({
        id: 4,
        title: 'p95 latency by location',
        description: 'The same p95 seen from each prober location: one slow location points at the network path or a regional edge (a regional problem), all slow at the provider.',
        gridPos: { x: 0, y: 13, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'latency', percentiles: ['p95'], groupBy: 'location', ...probes })],
        unit: 's',
        min: 0,
      }),
      timeseries({
        id: API_PANELS.errors,
        title: 'Errors by outcome',
        description: 'Failed probes per second by outcome: timeout, dns, connect, tls, http_4xx, http_5xx, rate_limited, assertion, body_limit.',
        gridPos: { x: 12, y: 13, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'errors', errorMode: 'rate', ...probes })],
        unit: 'reqps',
        min: 0,
        stack: true,
      }),
      timeseries({
        id: 6,
        title: 'Error ratio against the threshold',
        description: 'Share of failed probes; the dashed line is the catalog error-ratio threshold.',
        gridPos: { x: 0, y: 21, w: 12, h: 8 },
        targets: [
          apimon('A', { kind: 'errors', errorMode: 'ratio', ...probes }),
          prom('B', thresholdOfApi(METRICS.thresholdErrorRatio), { legend: 'threshold' }),
        ],
        unit: 'percentunit',
        min: 0,
        overrides: [renameOverride('threshold', 'threshold', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])],
      }),
      timeseries({
        id: 7,
        title: 'Responses by status code',
        description: 'Probe responses per second by HTTP status code (0: no response).',
        gridPos: { x: 12, y: 21, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'codes', ...probes })],
        unit: 'reqps',
        min: 0,
        stack: true,
      }),
      timeseries({
        id: API_PANELS.headroom,
        title: 'Rate-limit headroom',
        description: 'Share of the rate limit left in the current window, per policy; the dashed line is the catalog minimum.',
        gridPos: { x: 0, y: 29, w: 12, h: 8 },
        targets: [
          apimon('A', { kind: 'ratelimit', rateLimitSignal: 'headroom', ...api }),
          prom('B', thresholdOfApi(METRICS.thresholdHeadroom), { legend: 'minimum headroom' }),
        ],
        unit: 'percentunit',
        min: 0,
        max: 1,
        overrides: [renameOverride('minimum headroom', 'minimum headroom', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])],
      }),
      stat({
        id: API_PANELS.exhaustion,
        title: 'Time to exhaustion',
        description: 'When the rate limit runs out at the recent consumption trend (empty: not running out in this window).',
        gridPos: { x: 12, y: 29, w: 6, h: 4 },
        targets: [apimon('A', { kind: 'ratelimit', rateLimitSignal: 'exhaustion', ...api })],
        unit: 's',
        thresholds: steps(['red', null], ['orange', 900], ['green', 3600]),
      }),
      stat({
        id: API_PANELS.tls,
        title: 'TLS certificate expires in',
        description: `Time until the earliest certificate of the chain served to the probes expires (alert below ${TLS_LIMITS.warningDays} days, critical below ${TLS_LIMITS.criticalDays}).`,
        gridPos: { x: 18, y: 29, w: 6, h: 4 },
        targets: [prom('A', `min(${selector(METRICS.tlsCertExpiry, ['api="$api"'])} > 0) - time()`, { legend: 'expires in', instant: true })],
        unit: 'dtdurations',
        thresholds: verdictColors(TLS_STEPS_SECONDS),
      }),
      timeseries({
        id: 13,
        title: 'Remaining requests and limit',
        description: 'Requests left in the current window and the window\'s quota, as the provider reports them.',
        gridPos: { x: 12, y: 33, w: 12, h: 4 },
        targets: [
          apimon('A', { kind: 'ratelimit', rateLimitSignal: 'remaining', ...api }),
          apimon('B', { kind: 'ratelimit', rateLimitSignal: 'limit', ...api }),
        ],
        unit: 'short',
        min: 0,
      }),
      stateTimeline({
        id: API_PANELS.providerStatus,
        title: 'Provider status components',
        description: 'This API\'s status on its provider\'s page (the components its statusComponents name, or the whole page: what the provider-outage alerts judge), then the page\'s indicator and each of its components.',
        gridPos: { x: 0, y: 37, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'status', provider: '$provider', api: '$api' })],
        mappings: STATUS_MAPPING,
        thresholds: STATUS_STEPS,
      }),
      table({
        id: 12,
        title: 'Provider incidents',
        description: 'Incidents on the provider\'s status page in the time range, open ones first.',
        gridPos: { x: 12, y: 37, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'incidents', provider: '$provider' })],
      }),
      stat({
        id: 14,
        title: 'Availability',
        description: 'Share of successful probes over the time range against a 99.9% objective.',
        gridPos: { x: 0, y: 45, w: 12, h: 4 },
        targets: [apimon('A', { kind: 'availability', sloTarget: 0.999, ...probes })],
        unit: 'percentunit',
        decimals: 3,
        thresholds: steps(['red', null], ['orange', 0.99], ['green', 0.999]),
      }),
      timeseries({
        id: 15,
        title: 'Probes skipped',
        description: 'Probes apimon did not send: to protect the provider\'s quota (quota_guard), to honour Retry-After (retry_after), because the API is misconfigured, because the previous probe was still running (overlap), or because the prober had no free slot (saturated: see the prober\'s scheduler metrics).',
        gridPos: { x: 12, y: 45, w: 12, h: 4 },
        targets: [prom('A', sumBy(['reason'], `rate(${selector(METRICS.probeSkipped, ['api="$api"', 'location=~"$location"'])}[$__rate_interval])`), { legend: '{{reason}}' })],
        unit: 'reqps',
        min: 0,
      }),
      timeseries({
        id: API_PANELS.trafficCodes,
        title: 'Real calls by status code',
        description: "The platform's own calls to the API per second by HTTP status code (empty: no answer), beside the probes' status codes: 5xx and no answer are errors, 429 is throttling, other 4xx are the platform's own mistakes.",
        gridPos: { x: 0, y: 49, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'trafficErrors', errorMode: 'rate', ...api })],
        unit: 'reqps',
        min: 0,
        stack: true,
      }),
      timeseries({
        id: API_PANELS.trafficLatency,
        title: 'Latency: real calls and probes (p95)',
        description: "p95 of the platform's own calls and of apimon's probes; the dashed line is the catalog p95 threshold. Probes slow too: the provider or the network path. Only the real calls slow: what the platform sends (heavier requests, bigger responses) or its own client.",
        gridPos: { x: 12, y: 49, w: 12, h: 8 },
        targets: [
          apimon('A', { kind: 'trafficLatency', percentiles: ['p95'], ...api }),
          apimon('B', { kind: 'latency', percentiles: ['p95'], groupBy: 'api', ...probes }),
          prom('C', thresholdOfApi(METRICS.thresholdLatency), { legend: 'threshold (p95)' }),
        ],
        unit: 's',
        min: 0,
        overrides: [renameOverride('threshold (p95)', 'threshold (p95)', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])],
      }),
      timeseries({
        id: API_PANELS.trafficUsage,
        title: 'Real usage of the documented limit',
        description: "The platform's calls per documented window at the current rate against the documented limit (100% = at the limit), and the highest of the last day; the dashed line is the catalog usage threshold.",
        gridPos: { x: 0, y: 57, w: 12, h: 8 },
        targets: [
          apimon('A', { kind: 'trafficUsage', usageSignal: 'usage', ...api }),
          apimon('B', { kind: 'trafficUsage', usageSignal: 'peak', ...api }),
          prom('C', thresholdOfApi(METRICS.thresholdUsage), { legend: 'usage threshold' }),
        ],
        unit: 'percentunit',
        min: 0,
        overrides: [renameOverride('usage threshold', 'usage threshold', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } }])],
      }),
      timeseries({
        id: 19,
        title: 'Error ratio: real calls and probes',
        description: "Share of failed real calls (5xx or no answer) and of failed probes; the dashed line is the catalog error threshold. When one fails and the other does not, the disagreement alerts fire.",
        gridPos: { x: 12, y: 57, w: 12, h: 8 },
        targets: [
          apimon('A', { kind: 'trafficErrors', errorMode: 'ratio', ...api }),
          apimon('B', { kind: 'errors', errorMode: 'ratio', ...probes }),
          prom('C', thresholdOfApi(METRICS.thresholdErrorRatio), { legend: 'threshold' }),
        ],
        unit: 'percentunit',
        min: 0,
        overrides: [renameOverride('threshold', 'threshold', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])],
      }),
      timeseries({
        id: API_PANELS.errorsByLocation,
        title: 'Error ratio by location',
        description: 'Share of failed probes seen from each prober location; the dashed line is the catalog threshold. Failing from fewer than half of the locations is a regional problem, from a majority the API is failing.',
        gridPos: { x: 0, y: 65, w: 12, h: 8 },
        targets: [
          apimon('A', { kind: 'errors', errorMode: 'ratio', groupBy: 'location', ...probes }),
          prom('B', thresholdOfApi(METRICS.thresholdErrorRatio), { legend: 'threshold' }),
        ],
        unit: 'percentunit',
        min: 0,
        overrides: [renameOverride('threshold', 'threshold', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }])],
      }),
      timeseries({
        id: API_PANELS.probesByLocation,
        title: 'Probes per minute by location',
        description: "Probes of each endpoint per minute from each location, whichever shard sends them: one interval's worth per location (a 30s interval: 2 a minute). More means two probers probe the same endpoint (a wrong --shard or prober.locations), fewer means skipped probes.",
        gridPos: { x: 12, y: 65, w: 12, h: 8 },
        targets: [
          prom('A', `${sumBy(['location', 'endpoint'], `rate(${selector(METRICS.probeRequests, ['api="$api"', 'location=~"$location"'])}[$__rate_interval])`)} * 60`, {
            legend: '{{location}} {{endpoint}}',
          }),
        ],
        unit: 'short',
        min: 0,
      }),
    ],
  });
}

export function rateLimits(): Dashboard {
  const m = meta(DASHBOARD_UIDS.rateLimits);
  const filters = { criticality: '$criticality', provider: '$provider' };
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-24h', to: 'now' },
    refresh: DASHBOARD_REFRESH,
    variables: filterVariables(),
    panels: [
      bargauge({
        id: 1,
        title: 'Headroom now',
        description: 'Share of each API\'s rate limit left in the current window (tightest policy), coloured by the API\'s own minimum headroom.',
        gridPos: { x: 0, y: 0, w: 12, h: 10 },
        targets: [apimon('A', { kind: 'ratelimit', rateLimitSignal: 'headroom', groupBy: 'api', ...filters })],
        unit: 'percentunit',
        min: 0,
        max: 1,
        links: [apiLink],
      }),
      table({
        id: 2,
        title: 'Time to exhaustion',
        description: 'At the consumption trend of the last 30 minutes, when each API\'s limit runs out (only APIs that are running out).',
        gridPos: { x: 12, y: 0, w: 12, h: 10 },
        targets: [apimon('A', { kind: 'ratelimit', rateLimitSignal: 'exhaustion', groupBy: 'api', ...filters })],
        unit: 's',
        thresholds: steps(['red', null], ['orange', 900], ['green', 3600]),
        links: [apiLink],
      }),
      timeseries({
        id: 3,
        title: 'Headroom trend',
        description: 'Headroom of every API over time.',
        gridPos: { x: 0, y: 10, w: 24, h: 9 },
        targets: [apimon('A', { kind: 'ratelimit', rateLimitSignal: 'headroom', groupBy: 'api', ...filters })],
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholdStyle: 'off',
      }),
      timeseries({
        id: 4,
        title: 'Consumption (used in the current window)',
        description: 'Requests used in the current rate-limit window (limit minus remaining), per API and policy.',
        gridPos: { x: 0, y: 19, w: 12, h: 9 },
        targets: [
          prom('A', `max by (api, policy) (${METRICS.rateLimitLimit} - ${METRICS.rateLimitRemaining}) ${FILTER}`, { legend: '{{api}} {{policy}}' }),
        ],
        unit: 'short',
        min: 0,
      }),
      timeseries({
        id: 5,
        title: 'Throttled probes and quota-guard skips',
        description: '429 responses to apimon\'s probes, and probes apimon held back to stay within its share of the limit.',
        gridPos: { x: 12, y: 19, w: 12, h: 9 },
        targets: [
          prom('A', `${sumBy(['api'], `rate(${selector(METRICS.probeRequests, [OUTCOME_RATE_LIMITED])}[$__rate_interval])`)} ${FILTER}`, { legend: '{{api}} throttled' }),
          prom('B', `${sumBy(['api', 'reason'], `rate(${selector(METRICS.probeSkipped, [QUOTA_SKIPS])}[$__rate_interval])`)} ${FILTER}`, { legend: '{{api}} skipped ({{reason}})' }),
        ],
        unit: 'reqps',
        min: 0,
      }),
      bargauge({
        id: 6,
        title: 'Real usage of the documented limit',
        description: "The platform's own calls per documented window at the current rate against each API's documented limit (100% = at the limit), coloured by the API's usage threshold (orange) and the limit (red). APIs with a documented limit only.",
        gridPos: { x: 0, y: 28, w: 12, h: 9 },
        targets: [apimon('A', { kind: 'trafficUsage', usageSignal: 'usage', ...filters })],
        unit: 'percentunit',
        min: 0,
        max: 1,
        links: [apiLink],
      }),
      timeseries({
        id: 7,
        title: 'Daily peak of real usage',
        description: "The highest usage of each API's documented limit over the last day (a rolling day): what the busiest hour, a sale or a batch job takes.",
        gridPos: { x: 12, y: 28, w: 12, h: 9 },
        targets: [
          prom('A', `${RECORDED.trafficUsageMax1d} ${FILTER}`, {
            legend: '{{api}}',
            raw: `max_over_time((${RAW_TRAFFIC_USAGE_5M})[1d:1m]) ${FILTER}`,
          }),
        ],
        unit: 'percentunit',
        min: 0,
        links: [apiLink],
      }),
      timeseries({
        id: 8,
        title: 'Real 429s: the platform throttled',
        description: "The platform's own calls each provider answered 429 Too Many Requests, per second: requests rejected now (beside the probes' 429s above).",
        gridPos: { x: 0, y: 37, w: 12, h: 9 },
        targets: [
          prom('A', `${RECORDED.trafficThrottledRate5m} ${FILTER}`, {
            legend: '{{api}}',
            raw: `${TRAFFIC.throttledPerSecond('5m', ['api', 'provider'])} ${FILTER}`,
          }),
        ],
        unit: 'reqps',
        min: 0,
        links: [apiLink],
      }),
      table({
        id: 9,
        title: 'Capacity forecast',
        description: `The weekly peak of real usage (the highest of the last ${TRAFFIC_FORECAST.peakRange}), where its linear trend over the last ${TRAFFIC_FORECAST.trendRange} takes it in ${TRAFFIC_FORECAST.horizonDays} days, and the days until it reaches the documented limit (empty: not growing). Needs the apimon-traffic-forecast recording rules and weeks of history to mean much.`,
        gridPos: { x: 12, y: 37, w: 12, h: 9 },
        targets: [
          prom('A', `${lastForecast(RECORDED.trafficUsageMax1w)} ${FILTER}`, { instant: true, table: true }),
          prom('B', `${lastForecast(RECORDED.trafficUsageForecast)} ${FILTER}`, { instant: true, table: true }),
          prom('C', `${lastForecast(RECORDED.trafficDaysToLimit)} ${FILTER}`, { instant: true, table: true }),
        ],
        transformations: [
          { id: 'merge', options: {} },
          {
            id: 'organize',
            options: {
              excludeByName: { Time: true },
              renameByName: { 'Value #A': 'weekly peak', 'Value #B': `in ${TRAFFIC_FORECAST.horizonDays} days`, 'Value #C': 'days to the limit' },
              indexByName: { api: 0, provider: 1, 'Value #A': 2, 'Value #B': 3, 'Value #C': 4 },
            },
          },
        ],
        overrides: [
          unitOverride('weekly peak', 'percentunit'),
          unitOverride(`in ${TRAFFIC_FORECAST.horizonDays} days`, 'percentunit', [
            { id: 'thresholds', value: { mode: 'absolute', steps: steps(['green', null], ['orange', 0.8], ['red', 1]) } },
            { id: 'custom.cellOptions', value: { type: 'color-background' } },
          ]),
          unitOverride('days to the limit', 'd', [
            { id: 'thresholds', value: { mode: 'absolute', steps: steps(['red', null], ['orange', 30], ['green', 90]) } },
            { id: 'custom.cellOptions', value: { type: 'color-background' } },
          ]),
        ],
        sortBy: { displayName: 'days to the limit', desc: false },
        links: [apiLink],
      }),
    ],
  });
}

export function providers(): Dashboard {
  const m = meta(DASHBOARD_UIDS.providers);
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-24h', to: 'now' },
    refresh: DASHBOARD_REFRESH,
    variables: [labelVariable('provider', 'Provider', METRICS.apiInfo, { multi: true, description: 'Third-party provider (from the catalog).' })],
    panels: [
      stateTimeline({
        id: 1,
        title: 'Status by provider',
        description: 'What each provider\'s status page says (worst component), over time.',
        gridPos: { x: 0, y: 0, w: 24, h: 8 },
        targets: [apimon('A', { kind: 'status', provider: '$provider' })],
        mappings: STATUS_MAPPING,
        thresholds: STATUS_STEPS,
      }),
      table({
        id: 2,
        title: 'Components now',
        description: 'Every status-page component and its current status.',
        gridPos: { x: 0, y: 8, w: 12, h: 9 },
        targets: [prom('A', `max by (provider, component) (${selector(METRICS.providerComponentStatus, ['provider=~"$provider"'])})`, { instant: true, table: true })],
        mappings: STATUS_MAPPING,
        overrides: [renameOverride('Value', 'Status', [{ id: 'custom.cellOptions', value: { type: 'color-background' } }])],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: {} } }],
      }),
      timeseries({
        id: 3,
        title: 'Operational on paper, failing for us',
        description: 'Share of probes failing with timeouts, connection, TLS or 5xx errors for APIs whose provider reports every component they depend on (their statusComponents, or the whole page) operational. Any line here is an outage the provider has not published.',
        gridPos: { x: 12, y: 8, w: 12, h: 9 },
        targets: [
          prom(
            'A',
            `(${errorRatio.plain(rawErrorRatioTerms('5m', ['api', 'provider'], { failed: PROVIDER_FAILED_OUTCOME, matchers: ['provider=~"$provider"'] }))} > 0) and on (api) (${API_PROVIDER_LEVEL} == 0)`,
            { legend: '{{api}} ({{provider}})' }
          ),
        ],
        unit: 'percentunit',
        min: 0,
        links: [apiLink],
      }),
      table({
        id: 4,
        title: 'Open incidents',
        description: 'Incidents the status pages list as open, with impact and latest update.',
        gridPos: { x: 0, y: 17, w: 24, h: 7 },
        targets: [apimon('A', { kind: 'incidents', openOnly: true, provider: '$provider' })],
      }),
      table({
        id: 5,
        title: 'Incident history',
        description: 'Every incident in the time range, with its resolution.',
        gridPos: { x: 0, y: 24, w: 16, h: 9 },
        targets: [apimon('A', { kind: 'incidents', provider: '$provider' })],
      }),
      stat({
        id: 6,
        title: 'Status page reachable',
        description: 'Whether apimon could fetch and parse each provider\'s status page on its last attempt.',
        gridPos: { x: 16, y: 24, w: 8, h: 4 },
        targets: [prom('A', `min by (provider) (${selector(METRICS.providerFetchSuccess, ['provider=~"$provider"'])})`, { legend: '{{provider}}', instant: true })],
        mappings: [{ type: 'value', options: { '0': { text: 'failing', color: 'red', index: 0 }, '1': { text: 'ok', color: 'green', index: 1 } } }],
        thresholds: steps(['red', null], ['green', 1]),
      }),
      timeseries({
        id: 7,
        title: 'Open incidents by impact',
        description: 'Number of open incidents per provider and impact.',
        gridPos: { x: 16, y: 28, w: 8, h: 5 },
        targets: [prom('A', sumBy(['provider', 'impact'], selector(METRICS.providerIncidentsOpen, ['provider=~"$provider"'])), { legend: '{{provider}} {{impact}}' })],
        unit: 'short',
        min: 0,
        stack: true,
      }),
    ],
  });
}

export function monthly(): Dashboard {
  const m = meta(DASHBOARD_UIDS.monthly);
  const tableOf = (name: string) => ({ id: 'merge', options: { name } });
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-30d', to: 'now' },
    refresh: '',
    // Shared as a snapshot: every panel must have its data, not only those on screen.
    preload: true,
    variables: filterVariables(),
    panels: [
      text(
        1,
        'About this report',
        { x: 0, y: 0, w: 24, h: 3 },
        'Third-party API report for the selected period (default: the last 30 days). Latency is the p95 of every probe against the API\'s catalog threshold; availability is the share of successful probes; error counts are probes per status code. Share it with **Share → Snapshot** (the snapshot keeps the data) or export it as PDF.'
      ),
      table({
        id: 2,
        title: 'p95 latency against threshold',
        description: 'p95 of all probe durations in the period, the API\'s threshold, and the ratio (above 100%: threshold broken).',
        gridPos: { x: 0, y: 3, w: 12, h: 10 },
        targets: [
          prom('A', `${histogramQuantile(LATENCY_QUANTILE, ['api', 'le'], `avg_over_time(${RECORDED.apiDurationBucketRate1h}[$__range])`)} ${FILTER}`, {
            instant: true,
            table: true,
            raw: `${histogramQuantile(LATENCY_QUANTILE, ['api', 'le'], `rate(${bucket(METRICS.probeDuration)}[$__range])`)} ${FILTER}`,
          }),
          prom('B', `${LATENCY_THRESHOLD} ${FILTER}`, { instant: true, table: true }),
        ],
        transformations: [
          tableOf('latency'),
          { id: 'calculateField', options: { mode: 'binary', binary: { left: 'Value #A', operator: '/', right: 'Value #B' }, alias: 'of threshold' } },
          { id: 'organize', options: { excludeByName: { Time: true }, renameByName: { 'Value #A': 'p95', 'Value #B': 'threshold' }, indexByName: { api: 0, 'Value #A': 1, 'Value #B': 2, 'of threshold': 3 } } },
        ],
        overrides: [
          unitOverride('p95', 's'),
          unitOverride('threshold', 's'),
          unitOverride('of threshold', 'percentunit', [
            { id: 'thresholds', value: { mode: 'absolute', steps: LATENCY_AGAINST_THRESHOLD } },
            { id: 'custom.cellOptions', value: { type: 'color-background' } },
          ]),
        ],
        sortBy: { displayName: 'of threshold', desc: true },
      }),
      table({
        id: 3,
        title: 'Availability',
        description: 'Share of successful probes in the period and the failed probes behind it.',
        gridPos: { x: 12, y: 3, w: 12, h: 10 },
        targets: [
          prom('A', `avg_over_time(${RECORDED.apiRequestsOkRate1h}[$__range]) / avg_over_time(${RECORDED.apiRequestsRate1h}[$__range]) ${FILTER}`, {
            instant: true,
            table: true,
            raw: `${OK_IN_RANGE} / ${ALL_IN_RANGE} ${FILTER}`,
          }),
          prom('B', `round(avg_over_time(${RECORDED.apiRequestsRate1h}[$__range]) * $__range_s - avg_over_time(${RECORDED.apiRequestsOkRate1h}[$__range]) * $__range_s) ${FILTER}`, {
            instant: true,
            table: true,
            raw: `round(${ALL_IN_RANGE} - ${OK_IN_RANGE}) ${FILTER}`,
          }),
        ],
        transformations: [
          tableOf('availability'),
          { id: 'organize', options: { excludeByName: { Time: true }, renameByName: { 'Value #A': 'availability', 'Value #B': 'failed probes' }, indexByName: { api: 0, provider: 1, 'Value #A': 2, 'Value #B': 3 } } },
        ],
        overrides: [
          unitOverride('availability', 'percentunit', [
            { id: 'decimals', value: 3 },
            { id: 'thresholds', value: { mode: 'absolute', steps: steps(['red', null], ['orange', 0.99], ['green', 0.999]) } },
            { id: 'custom.cellOptions', value: { type: 'color-background' } },
          ]),
        ],
        sortBy: { displayName: 'availability', desc: false },
      }),
      table({
        id: 4,
        title: 'Failed probes by status code',
        description: 'Failed probes in the period per API, outcome and HTTP status code (0: no response).',
        gridPos: { x: 0, y: 13, w: 12, h: 10 },
        targets: [
          prom('A', `(round(${sumBy(['api', 'outcome', 'code'], `avg_over_time(${selector(RECORDED.apiCodeRequestsRate1h, [FAILED_OUTCOME])}[$__range])`)} * $__range_s) > 0) ${FILTER}`, {
            instant: true,
            table: true,
            raw: `(round(${sumBy(['api', 'outcome', 'code'], `increase(${selector(METRICS.probeRequests, [FAILED_OUTCOME])}[$__range])`)}) > 0) ${FILTER}`,
          }),
        ],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'probes' } } }],
        sortBy: { displayName: 'probes', desc: true },
      }),
      table({
        id: 5,
        title: 'Rate-limit peaks',
        description: 'The lowest headroom each API reached in the period (peak use of its rate limit), the API\'s minimum headroom, and the ratio (below 100%: under its minimum).',
        gridPos: { x: 12, y: 13, w: 12, h: 10 },
        targets: [
          prom('A', `min_over_time(${RECORDED.apiHeadroomMin1h}[$__range]) ${FILTER}`, {
            instant: true,
            table: true,
            raw: `min by (api, provider) (min_over_time((${RAW_HEADROOM})[$__range:5m])) ${FILTER}`,
          }),
          prom('B', `(${HEADROOM_THRESHOLD} and on (api) min_over_time(${RECORDED.apiHeadroomMin1h}[$__range])) ${FILTER}`, { instant: true, table: true }),
        ],
        transformations: [
          tableOf('rate-limit peaks'),
          { id: 'calculateField', options: { mode: 'binary', binary: { left: 'Value #A', operator: '/', right: 'Value #B' }, alias: 'of minimum' } },
          { id: 'organize', options: { excludeByName: { Time: true }, renameByName: { 'Value #A': 'lowest headroom', 'Value #B': 'minimum' }, indexByName: { api: 0, provider: 1, 'Value #A': 2, 'Value #B': 3, 'of minimum': 4 } } },
        ],
        overrides: [
          unitOverride('lowest headroom', 'percentunit'),
          unitOverride('minimum', 'percentunit'),
          unitOverride('of minimum', 'percentunit', [
            { id: 'thresholds', value: { mode: 'absolute', steps: HEADROOM_AGAINST_MINIMUM } },
            { id: 'custom.cellOptions', value: { type: 'color-background' } },
          ]),
        ],
        sortBy: { displayName: 'of minimum', desc: false },
      }),
      timeseries({
        id: 6,
        title: 'Daily error ratio',
        description: 'Share of failed probes per API and day.',
        gridPos: { x: 0, y: 23, w: 24, h: 8 },
        targets: [
          prom('A', `${RECORDED.apiErrorRatioRate1d} ${FILTER}`, {
            legend: '{{api}}',
            interval: '1d',
            raw: `${errorRatioRaw('1d')} ${FILTER}`,
          }),
        ],
        unit: 'percentunit',
        min: 0,
        interval: '1d',
        links: [apiLink],
      }),
      table({
        id: 7,
        title: 'Provider incidents and their resolution',
        description: 'Every incident the providers published in the period: impact, start, resolution and duration.',
        gridPos: { x: 0, y: 31, w: 24, h: 9 },
        targets: [apimon('A', { kind: 'incidents', provider: '$provider' })],
      }),
      bargauge({
        id: 8,
        title: 'Availability against 99.9%',
        description: 'Availability over the period from the apimon data source, against a 99.9% objective.',
        gridPos: { x: 0, y: 40, w: 24, h: 8 },
        targets: [apimon('A', { kind: 'availability', sloTarget: 0.999, groupBy: 'api', criticality: '$criticality', provider: '$provider' })],
        unit: 'percentunit',
        decimals: 3,
        min: 0.95,
        max: 1,
        thresholds: steps(['red', null], ['orange', 0.99], ['green', 0.999]),
      }),
    ],
  });
}

/** Findings of the audit now, as the prober's scheduled audit exports them. */
const FINDINGS = (matchers: string[] = []) => selector(METRICS.auditFinding, ['api=~"$api"', ...matchers]);
const severityIs = (s: AuditSeverity) => `severity=${promString(s)}`;
const SEVERITY_MAPPING: ValueMapping[] = [
  {
    type: 'value',
    options: Object.fromEntries(
      [...AUDIT_SEVERITIES].reverse().map((s, index) => [s, { text: s, color: AUDIT_SEVERITY_COLORS[s], index }])
    ),
  },
];
const KIND_MAPPING: ValueMapping[] = [
  { type: 'value', options: Object.fromEntries(AUDIT_KIND_NAMES.map((k, index) => [k, { text: `${k}: ${AUDIT_KINDS[k].title}`, color: 'text', index }])) },
];

/** The prober's new advisory items: a point when an item appears, with its title. */
const ADVISORY_ANNOTATION = (matchers: string[]) => ({
  name: 'Provider advisories',
  datasource: { type: 'prometheus', uid: DATASOURCE_UIDS.prometheus },
  enable: true,
  hide: false,
  iconColor: 'purple',
  expr: `${selector(METRICS.providerAdvisory, matchers)} unless ${selector(METRICS.providerAdvisory, matchers)} offset 1m`,
  step: '1m',
  titleFormat: '{{provider}}: {{title}}',
  textFormat: 'Advisory {{item}}: unacknowledged in the catalog (docs/audit.md#provider_advisory)',
  tagKeys: 'provider',
  useValueForTime: false,
});

export function audit(): Dashboard {
  const m = meta(DASHBOARD_UIDS.audit);
  const countOf = (s: AuditSeverity) => `count(${FINDINGS([severityIs(s)])}) or vector(0)`;
  const severityStat = (id: number, s: AuditSeverity, x: number) =>
    stat({
      id,
      title: `${s[0].toUpperCase()}${s.slice(1)} findings`,
      description: `Open findings of severity ${s} in the last scheduled audit (docs/audit.md).`,
      gridPos: { x, y: 3, w: 4, h: 4 },
      targets: [prom('A', countOf(s), { legend: s, instant: true })],
      thresholds: steps(['green', null], [AUDIT_SEVERITY_COLORS[s], 1]),
    });
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-7d', to: 'now' },
    refresh: DASHBOARD_REFRESH,
    variables: [labelVariable('api', 'API', METRICS.apiInfo, { multi: true, description: 'The API (from the catalog).' })],
    annotations: [ADVISORY_ANNOTATION([])],
    panels: [
      text(
        1,
        'About the audit',
        { x: 0, y: 0, w: 24, h: 3 },
        'Findings of the optimisation advisor and security audit: timeouts, caching, payloads, request frequency, fallbacks, TLS and credentials, provider advisories. The prober audits on a schedule when the catalog sets `prober.audit`; `apimon audit --config catalog.yaml --prometheus URL` prints the same findings with their evidence, recommendation and estimated gain (`--md` for a report, `--json` for tools). What each finding means and what to do: **docs/audit.md**.'
      ),
      severityStat(2, 'critical', 0),
      severityStat(3, 'high', 4),
      severityStat(4, 'medium', 8),
      severityStat(5, 'low', 12),
      stat({
        id: 6,
        title: 'Last audit',
        description: 'Time since the last successful scheduled audit (prober.audit in the catalog); red when it is older than a day.',
        gridPos: { x: 16, y: 3, w: 4, h: 4 },
        targets: [prom('A', `time() - max(${METRICS.auditRunTimestamp})`, { legend: 'ago', instant: true })],
        unit: 'dtdurations',
        thresholds: steps(['green', null], ['orange', 7200], ['red', 86_400]),
      }),
      stat({
        id: 7,
        title: 'Last audit run',
        description: 'Whether the last scheduled audit could read the store (a failed run keeps the previous findings).',
        gridPos: { x: 20, y: 3, w: 4, h: 4 },
        targets: [prom('A', `min(${METRICS.auditRunSuccess})`, { legend: 'run', instant: true })],
        mappings: [{ type: 'value', options: { '0': { text: 'failing', color: 'red', index: 0 }, '1': { text: 'ok', color: 'green', index: 1 } } }],
        thresholds: steps(['red', null], ['green', 1]),
      }),
      table({
        id: 8,
        title: 'Findings',
        description: 'Every open finding: API, endpoint (empty: the whole API), kind and severity. Click an API for its dashboard; run `apimon audit` (or read /api/v1/audit on the prober) for the evidence and what to do.',
        gridPos: { x: 0, y: 7, w: 16, h: 12 },
        targets: [prom('A', `max by (api, endpoint, kind, severity) (${FINDINGS([`severity!=${promString('info')}`])})`, { instant: true, table: true })],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true, Value: true }, renameByName: {}, indexByName: { severity: 0, kind: 1, api: 2, endpoint: 3 } } }],
        overrides: [
          { matcher: { id: 'byName', options: 'severity' }, properties: [{ id: 'mappings', value: SEVERITY_MAPPING }, { id: 'custom.cellOptions', value: { type: 'color-background' } }] },
          { matcher: { id: 'byName', options: 'kind' }, properties: [{ id: 'mappings', value: KIND_MAPPING }] },
          { matcher: { id: 'byName', options: 'api' }, properties: [{ id: 'links', value: [{ title: 'API detail: ${__value.text}', url: apiDashboardLink('${__value.raw}', { keepTime: true }) }] }] },
        ],
        sortBy: { displayName: 'severity', desc: false },
      }),
      bargauge({
        id: 9,
        title: 'Findings by kind',
        description: 'Open findings per kind (the authentication inventory left out).',
        gridPos: { x: 16, y: 7, w: 8, h: 12 },
        targets: [prom('A', `sort_desc(count by (kind) (${FINDINGS([`severity!=${promString('info')}`])}))`, { legend: '{{kind}}', instant: true })],
        thresholds: steps(['blue', null]),
      }),
      table({
        id: 10,
        title: 'Findings by kind and severity',
        description: 'How many findings of each kind at each severity.',
        gridPos: { x: 0, y: 19, w: 12, h: 9 },
        targets: [prom('A', `count by (kind, severity) (${FINDINGS([`severity!=${promString('info')}`])})`, { instant: true, table: true })],
        transformations: [{ id: 'groupingToMatrix', options: { columnField: 'severity', rowField: 'kind', valueField: 'Value', emptyValue: 'zero' } }],
      }),
      table({
        id: 11,
        title: 'Authentication inventory',
        description: 'How each API authenticates, from the catalog (the method only; secrets never leave the prober). apimon audit adds where each credential travels and which variables hold it.',
        gridPos: { x: 12, y: 19, w: 12, h: 9 },
        targets: [prom('A', `max by (api, auth) (${selector(METRICS.apiInfo, ['api=~"$api"'])})`, { instant: true, table: true })],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true, Value: true }, renameByName: { auth: 'method' } } }],
        overrides: [{ matcher: { id: 'byName', options: 'api' }, properties: [{ id: 'links', value: [{ title: 'API detail: ${__value.text}', url: apiDashboardLink('${__value.raw}', { keepTime: true }) }] }] }],
      }),
      table({
        id: 12,
        title: 'Unacknowledged provider advisories',
        description: "Items of the providers' security and changelog feeds published in the advisory window and not acknowledged in the catalog (providers[].advisories[].acknowledged).",
        gridPos: { x: 0, y: 28, w: 24, h: 8 },
        targets: [prom('A', `max by (provider, item, title) (${METRICS.providerAdvisory}) * 1000`, { instant: true, table: true })],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'published' }, indexByName: { Value: 0, provider: 1, title: 2, item: 3 } } }],
        overrides: [unitOverride('published', 'dateTimeAsIso')],
        sortBy: { displayName: 'published', desc: true },
      }),
    ],
  });
}

export const DASHBOARD_BUILDERS: Record<DashboardUid, () => Dashboard> = {
  [DASHBOARD_UIDS.overview]: overview,
  [DASHBOARD_UIDS.api]: apiDetail,
  [DASHBOARD_UIDS.rateLimits]: rateLimits,
  [DASHBOARD_UIDS.providers]: providers,
  [DASHBOARD_UIDS.monthly]: monthly,
  [DASHBOARD_UIDS.loadTests]: loadTests,
  [DASHBOARD_UIDS.prober]: proberHealth,
  [DASHBOARD_UIDS.audit]: audit,
};
