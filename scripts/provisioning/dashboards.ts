// The five provisioned dashboards (uids from src/dashboards.ts). Panels query the apimon data
// source with ApimonQuery objects where the domain query says it best, and the built-in
// Prometheus data source for rankings and 30-day aggregates, which read the recorded series of
// prometheus/recording.yml (each such query registers its raw equivalent for the bench).
import { DASHBOARDS } from '../../src/dashboards';
import { API_PANELS } from './alerts';
import {
  apimon,
  bargauge,
  criticalityVariable,
  dashboard,
  healthboard,
  labelVariable,
  prom,
  renameOverride,
  stat,
  stateTimeline,
  STATUS_MAPPING,
  steps,
  table,
  text,
  timeseries,
  unitOverride,
  type Dashboard,
} from './dashboard-kit';

const meta = (uid: string) => {
  const d = DASHBOARDS.find((x) => x.uid === uid);
  if (!d) {
    throw new Error(`unknown dashboard uid ${uid}`);
  }
  return d;
};

/** Keeps the APIs chosen by the criticality and provider variables (value unchanged). */
const FILTER = '* on (api) group_left () max by (api) (apimon_api_info{criticality=~"$criticality", provider=~"$provider"})';
const API_THRESHOLD = (metric: string) => `max by (api) (${metric}{endpoint=""})`;
const PROVIDER_LEVEL = 'max by (provider) (apimon_provider_component_status or apimon_provider_status)';
const PROVIDER_FAILURES = 'timeout|dns|connect|tls|http_5xx';
const apiLink = { title: 'API detail: ${__field.labels.api}', url: '/d/apimon-api?var-api=${__field.labels.api}&${__url_time_range}' };
/** Share of failed probes per API over a window, 0 (not absent) for APIs without failures. */
const errorRatioRaw = (window: string) =>
  `((sum by (api, provider) (rate(apimon_probe_requests_total{outcome!="ok"}[${window}])) or sum by (api, provider) (rate(apimon_probe_requests_total[${window}])) * 0) / (sum by (api, provider) (rate(apimon_probe_requests_total[${window}])) > 0))`;
const RATIO_BAD = steps(['green', null], ['orange', 0.01], ['red', 0.05]);
const HEADROOM_STEPS = steps(['red', null], ['orange', 0.1], ['green', 0.2]);

const filterVariables = () => [
  criticalityVariable(),
  labelVariable('provider', 'Provider', 'apimon_api_info', { multi: true, description: 'Third-party provider (from the catalog).' }),
];

export function overview(): Dashboard {
  const m = meta('apimon-overview');
  const filters = { criticality: '$criticality', provider: '$provider' };
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
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
        targets: [prom('A', 'count(max by (api) (apimon_api_info{criticality=~"$criticality", provider=~"$provider"}))', { legend: 'APIs', instant: true })],
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
            `count((api:apimon_probe_duration_seconds:p95_rate5m > on (api) ${API_THRESHOLD('apimon_threshold_latency_seconds')}) ${FILTER}) or vector(0)`,
            {
              legend: 'APIs',
              instant: true,
              raw: `count((histogram_quantile(0.95, sum by (api, provider, le) (rate(apimon_probe_duration_seconds_bucket[5m]))) > on (api) ${API_THRESHOLD('apimon_threshold_latency_seconds')}) ${FILTER}) or vector(0)`,
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
            `count((api:apimon_probe_errors_per_request:ratio_rate5m > on (api) ${API_THRESHOLD('apimon_threshold_error_ratio')}) ${FILTER}) or vector(0)`,
            {
              legend: 'APIs',
              instant: true,
              raw: `count((${errorRatioRaw('5m')} > on (api) ${API_THRESHOLD('apimon_threshold_error_ratio')}) ${FILTER}) or vector(0)`,
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
        targets: [prom('A', 'count(max by (provider) (apimon_provider_component_status{provider=~"$provider"} or apimon_provider_status{provider=~"$provider"}) > 0) or vector(0)', { legend: 'providers', instant: true })],
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
            `topk(10, (api:apimon_probe_duration_seconds:p95_rate5m / on (api) ${API_THRESHOLD('apimon_threshold_latency_seconds')}) ${FILTER})`,
            {
              legend: '{{api}}',
              instant: true,
              raw: `topk(10, (histogram_quantile(0.95, sum by (api, provider, le) (rate(apimon_probe_duration_seconds_bucket[5m]))) / on (api) ${API_THRESHOLD('apimon_threshold_latency_seconds')}) ${FILTER})`,
            }
          ),
        ],
        unit: 'percentunit',
        min: 0,
        max: 2,
        thresholds: steps(['green', null], ['orange', 0.8], ['red', 1]),
        links: [apiLink],
      }),
      bargauge({
        id: 7,
        title: 'Worst error ratio (1h)',
        description: 'Share of failed probes over the last hour, worst ten APIs.',
        gridPos: { x: 8, y: 14, w: 8, h: 9 },
        targets: [
          prom('A', `topk(10, api:apimon_probe_errors_per_request:ratio_rate1h ${FILTER})`, {
            legend: '{{api}}',
            instant: true,
            raw: `topk(10, ${errorRatioRaw('1h')} ${FILTER})`,
          }),
        ],
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: RATIO_BAD,
        links: [apiLink],
      }),
      bargauge({
        id: 8,
        title: 'Lowest rate-limit headroom',
        description: 'Share of the rate limit left in the current window (tightest policy), lowest ten APIs.',
        gridPos: { x: 16, y: 14, w: 8, h: 9 },
        targets: [
          prom('A', `bottomk(10, api:apimon_ratelimit_headroom:ratio ${FILTER})`, {
            legend: '{{api}}',
            instant: true,
            raw: `bottomk(10, min by (api, provider) (apimon_ratelimit_remaining / (apimon_ratelimit_limit > 0)) ${FILTER})`,
          }),
        ],
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: HEADROOM_STEPS,
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
        thresholds: steps(['green', null], ['blue', 1], ['yellow', 2], ['orange', 3], ['red', 4]),
      }),
      table({
        id: 12,
        title: 'Open provider incidents',
        description: 'Incidents the providers\' status pages list as open.',
        gridPos: { x: 12, y: 32, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'incidents', openOnly: true, provider: '$provider' })],
      }),
    ],
  });
}

export function apiDetail(): Dashboard {
  const m = meta('apimon-api');
  const api = { api: '$api' };
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    variables: [
      labelVariable('api', 'API', 'apimon_api_info', { multi: false, description: 'The API (from the catalog).' }),
      labelVariable('provider', 'Provider', 'apimon_api_info{api="$api"}', { multi: false, hide: true, description: 'The provider of the API.' }),
    ],
    annotations: [
      {
        name: 'Provider incidents',
        datasource: { type: 'apimon-apimon-datasource', uid: 'apimon' },
        enable: true,
        hide: false,
        iconColor: 'red',
        target: { refId: 'Anno', kind: 'incidents', provider: '$provider' },
      },
    ],
    panels: [
      healthboard(1, 'State', 'The API\'s state against its thresholds, provider status and open incidents.', { x: 0, y: 0, w: 24, h: 4 }, { kind: 'summary', ...api }),
      timeseries({
        id: API_PANELS.latency,
        title: 'Latency percentiles against the threshold',
        description: 'Probe duration percentiles per endpoint; the dashed line is the catalog p95 threshold of the API.',
        gridPos: { x: 0, y: 4, w: 12, h: 9 },
        targets: [
          apimon('A', { kind: 'latency', percentiles: ['p50', 'p95', 'p99'], groupBy: 'endpoint', ...api }),
          prom('B', 'max(apimon_threshold_latency_seconds{api="$api", endpoint=""})', { legend: 'threshold (p95)' }),
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
        targets: [apimon('A', { kind: 'phases', percentiles: ['p95'], ...api })],
        unit: 's',
        min: 0,
        stack: true,
      }),
      timeseries({
        id: 4,
        title: 'p95 latency by location',
        description: 'The same p95 seen from each prober location: one slow location points at the network path, all slow at the provider.',
        gridPos: { x: 0, y: 13, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'latency', percentiles: ['p95'], groupBy: 'location', ...api })],
        unit: 's',
        min: 0,
      }),
      timeseries({
        id: API_PANELS.errors,
        title: 'Errors by outcome',
        description: 'Failed probes per second by outcome: timeout, dns, connect, tls, http_4xx, http_5xx, rate_limited, assertion, body_limit.',
        gridPos: { x: 12, y: 13, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'errors', errorMode: 'rate', ...api })],
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
          apimon('A', { kind: 'errors', errorMode: 'ratio', ...api }),
          prom('B', 'max(apimon_threshold_error_ratio{api="$api", endpoint=""})', { legend: 'threshold' }),
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
        targets: [apimon('A', { kind: 'codes', ...api })],
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
          prom('B', 'max(apimon_threshold_headroom_ratio{api="$api", endpoint=""})', { legend: 'minimum headroom' }),
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
        description: 'Time until the earliest certificate of the chain served to the probes expires (alert below 14 days).',
        gridPos: { x: 18, y: 29, w: 6, h: 4 },
        targets: [prom('A', 'min(apimon_tls_cert_expiry_timestamp_seconds{api="$api"} > 0) - time()', { legend: 'expires in', instant: true })],
        unit: 'dtdurations',
        thresholds: steps(['red', null], ['orange', 7 * 86400], ['green', 14 * 86400]),
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
        description: 'Status of each component on the provider\'s status page.',
        gridPos: { x: 0, y: 37, w: 12, h: 8 },
        targets: [apimon('A', { kind: 'status', provider: '$provider' })],
        mappings: STATUS_MAPPING,
        thresholds: steps(['green', null], ['blue', 1], ['yellow', 2], ['orange', 3], ['red', 4]),
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
        targets: [apimon('A', { kind: 'availability', sloTarget: 0.999, ...api })],
        unit: 'percentunit',
        decimals: 3,
        thresholds: steps(['red', null], ['orange', 0.99], ['green', 0.999]),
      }),
      timeseries({
        id: 15,
        title: 'Probes skipped',
        description: 'Probes apimon did not send: to protect the provider\'s quota (quota_guard), to honour Retry-After (retry_after), because the API is misconfigured, because the previous probe was still running (overlap), or because the prober had no free slot (saturated: see the prober\'s scheduler metrics).',
        gridPos: { x: 12, y: 45, w: 12, h: 4 },
        targets: [prom('A', 'sum by (reason) (rate(apimon_probe_skipped_total{api="$api"}[$__rate_interval]))', { legend: '{{reason}}' })],
        unit: 'reqps',
        min: 0,
      }),
    ],
  });
}

export function rateLimits(): Dashboard {
  const m = meta('apimon-ratelimits');
  const filters = { criticality: '$criticality', provider: '$provider' };
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    variables: filterVariables(),
    panels: [
      bargauge({
        id: 1,
        title: 'Headroom now',
        description: 'Share of each API\'s rate limit left in the current window (tightest policy).',
        gridPos: { x: 0, y: 0, w: 12, h: 10 },
        targets: [apimon('A', { kind: 'ratelimit', rateLimitSignal: 'headroom', groupBy: 'api', ...filters })],
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: HEADROOM_STEPS,
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
        thresholds: HEADROOM_STEPS,
        thresholdStyle: 'off',
      }),
      timeseries({
        id: 4,
        title: 'Consumption (used in the current window)',
        description: 'Requests used in the current rate-limit window (limit minus remaining), per API and policy.',
        gridPos: { x: 0, y: 19, w: 12, h: 9 },
        targets: [
          prom('A', `max by (api, policy) (apimon_ratelimit_limit - apimon_ratelimit_remaining) ${FILTER}`, { legend: '{{api}} {{policy}}' }),
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
          prom('A', `sum by (api) (rate(apimon_probe_requests_total{outcome="rate_limited"}[$__rate_interval])) ${FILTER}`, { legend: '{{api}} throttled' }),
          prom('B', `sum by (api, reason) (rate(apimon_probe_skipped_total{reason=~"quota_guard|retry_after"}[$__rate_interval])) ${FILTER}`, { legend: '{{api}} skipped ({{reason}})' }),
        ],
        unit: 'reqps',
        min: 0,
      }),
    ],
  });
}

export function providers(): Dashboard {
  const m = meta('apimon-providers');
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    variables: [labelVariable('provider', 'Provider', 'apimon_api_info', { multi: true, description: 'Third-party provider (from the catalog).' })],
    panels: [
      stateTimeline({
        id: 1,
        title: 'Status by provider',
        description: 'What each provider\'s status page says (worst component), over time.',
        gridPos: { x: 0, y: 0, w: 24, h: 8 },
        targets: [apimon('A', { kind: 'status', provider: '$provider' })],
        mappings: STATUS_MAPPING,
        thresholds: steps(['green', null], ['blue', 1], ['yellow', 2], ['orange', 3], ['red', 4]),
      }),
      table({
        id: 2,
        title: 'Components now',
        description: 'Every status-page component and its current status.',
        gridPos: { x: 0, y: 8, w: 12, h: 9 },
        targets: [prom('A', 'max by (provider, component) (apimon_provider_component_status{provider=~"$provider"})', { instant: true, table: true })],
        mappings: STATUS_MAPPING,
        overrides: [renameOverride('Value', 'Status', [{ id: 'custom.cellOptions', value: { type: 'color-background' } }])],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: {} } }],
      }),
      timeseries({
        id: 3,
        title: 'Operational on paper, failing for us',
        description: 'Share of probes failing with timeouts, connection, TLS or 5xx errors for APIs whose provider reports every component operational. Any line here is an outage the provider has not published.',
        gridPos: { x: 12, y: 8, w: 12, h: 9 },
        targets: [
          prom(
            'A',
            `(sum by (api, provider) (rate(apimon_probe_requests_total{outcome=~"${PROVIDER_FAILURES}", provider=~"$provider"}[5m])) / sum by (api, provider) (rate(apimon_probe_requests_total{provider=~"$provider"}[5m])) > 0) and on (provider) (${PROVIDER_LEVEL} == 0)`,
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
        targets: [prom('A', 'min by (provider) (apimon_provider_fetch_success{provider=~"$provider"})', { legend: '{{provider}}', instant: true })],
        mappings: [{ type: 'value', options: { '0': { text: 'failing', color: 'red', index: 0 }, '1': { text: 'ok', color: 'green', index: 1 } } }],
        thresholds: steps(['red', null], ['green', 1]),
      }),
      timeseries({
        id: 7,
        title: 'Open incidents by impact',
        description: 'Number of open incidents per provider and impact.',
        gridPos: { x: 16, y: 28, w: 8, h: 5 },
        targets: [prom('A', 'sum by (provider, impact) (apimon_provider_incidents_open{provider=~"$provider"})', { legend: '{{provider}} {{impact}}' })],
        unit: 'short',
        min: 0,
        stack: true,
      }),
    ],
  });
}

export function monthly(): Dashboard {
  const m = meta('apimon-monthly');
  const tableOf = (name: string) => ({ id: 'merge', options: { name } });
  return dashboard({
    uid: m.uid,
    title: m.title,
    description: m.description,
    time: { from: 'now-30d', to: 'now' },
    refresh: '',
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
          prom('A', `histogram_quantile(0.95, sum by (api, le) (avg_over_time(api:apimon_probe_duration_seconds_bucket:rate1h[$__range]))) ${FILTER}`, {
            instant: true,
            table: true,
            raw: `histogram_quantile(0.95, sum by (api, le) (rate(apimon_probe_duration_seconds_bucket[$__range]))) ${FILTER}`,
          }),
          prom('B', `${API_THRESHOLD('apimon_threshold_latency_seconds')} ${FILTER}`, { instant: true, table: true }),
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
            { id: 'thresholds', value: { mode: 'absolute', steps: steps(['green', null], ['orange', 0.8], ['red', 1]) } },
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
          prom('A', `avg_over_time(api:apimon_probe_requests_ok:rate1h[$__range]) / avg_over_time(api:apimon_probe_requests:rate1h[$__range]) ${FILTER}`, {
            instant: true,
            table: true,
            raw: `sum by (api, provider) (increase(apimon_probe_requests_total{outcome="ok"}[$__range])) / sum by (api, provider) (increase(apimon_probe_requests_total[$__range])) ${FILTER}`,
          }),
          prom('B', `round(avg_over_time(api:apimon_probe_requests:rate1h[$__range]) * $__range_s - avg_over_time(api:apimon_probe_requests_ok:rate1h[$__range]) * $__range_s) ${FILTER}`, {
            instant: true,
            table: true,
            raw: `round(sum by (api, provider) (increase(apimon_probe_requests_total[$__range])) - sum by (api, provider) (increase(apimon_probe_requests_total{outcome="ok"}[$__range]))) ${FILTER}`,
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
          prom('A', `(round(sum by (api, outcome, code) (avg_over_time(api_code:apimon_probe_requests:rate1h{outcome!="ok"}[$__range])) * $__range_s) > 0) ${FILTER}`, {
            instant: true,
            table: true,
            raw: `(round(sum by (api, outcome, code) (increase(apimon_probe_requests_total{outcome!="ok"}[$__range]))) > 0) ${FILTER}`,
          }),
        ],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'probes' } } }],
        sortBy: { displayName: 'probes', desc: true },
      }),
      table({
        id: 5,
        title: 'Rate-limit peaks',
        description: 'The lowest headroom each API reached in the period (peak use of its rate limit).',
        gridPos: { x: 12, y: 13, w: 12, h: 10 },
        targets: [
          prom('A', `min_over_time(api:apimon_ratelimit_headroom:min1h[$__range]) ${FILTER}`, {
            instant: true,
            table: true,
            raw: `min by (api, provider) (min_over_time((apimon_ratelimit_remaining / (apimon_ratelimit_limit > 0))[$__range:5m])) ${FILTER}`,
          }),
        ],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'lowest headroom' } } }],
        overrides: [
          unitOverride('lowest headroom', 'percentunit', [
            { id: 'thresholds', value: { mode: 'absolute', steps: HEADROOM_STEPS } },
            { id: 'custom.cellOptions', value: { type: 'color-background' } },
          ]),
        ],
        sortBy: { displayName: 'lowest headroom', desc: false },
      }),
      timeseries({
        id: 6,
        title: 'Daily error ratio',
        description: 'Share of failed probes per API and day.',
        gridPos: { x: 0, y: 23, w: 24, h: 8 },
        targets: [
          prom('A', `api:apimon_probe_errors_per_request:ratio_rate1d ${FILTER}`, {
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

export const DASHBOARD_BUILDERS: Record<string, () => Dashboard> = {
  'apimon-overview': overview,
  'apimon-api': apiDetail,
  'apimon-ratelimits': rateLimits,
  'apimon-providers': providers,
  'apimon-monthly': monthly,
};
