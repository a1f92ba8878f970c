// The data source against a real store (each of test/helpers/stores.ts) and a real prober HTTP API. Only what needs a
// Grafana server is replaced: getBackendSrv() (a data proxy on real fetch, with the routes of
// our plugin.json) and getTemplateSrv() (dashboard variables).
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import {
  CoreApp,
  dateTime,
  FieldType,
  type DataFrame,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type DataSourcePluginMeta,
} from '@grafana/data';
import type { BackendSrv, TemplateSrv } from '@grafana/runtime';
import { createDataProxyBackendSrv, type FakeBackendSrv } from '../../test/helpers/data-proxy';
import { ensureGlobalFetch, httpFetch } from '../../test/helpers/http-fetch';
import { KNOWN, PROBER_TOKEN, startApimonStore, type ApimonStore } from '../../test/helpers/apimon-store';
import { routesFromPluginJson } from '../../test/helpers/plugin-routes';
import { createTemplateSrv, type TestVariable } from '../../test/helpers/template-srv';
import { scrapeConfig } from '../../test/helpers/prometheus';
import { describeStores, startStore } from '../../test/helpers/stores';
import { ApimonDataSource } from './datasource';
import { IMPACT_COLORS } from './frames';
import type { ApimonVariableSupport } from './variables';
import type { ApimonDataQuery, ApimonOptions, ApimonVariableQuery } from './types';

let mockBackendSrv: BackendSrv;
let mockTemplateSrv: Pick<TemplateSrv, 'replace' | 'getVariables'>;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackendSrv,
  getTemplateSrv: () => mockTemplateSrv,
}));
// jsdom has no fetch: the store helper and the data proxy use one on node:http.
ensureGlobalFetch();

jest.setTimeout(60_000);

const PROXY_BASE = '/api/datasources/proxy/uid/apimon-test';
const PLUGIN_JSON = join(__dirname, 'plugin.json');

/** The store of the describeStores block running (one at a time). */
let store: ApimonStore;

interface Setup {
  storeUrl?: string;
  jsonData?: Partial<ApimonOptions>;
  proberToken?: string;
  variables?: TestVariable[];
}

/** A data source instance as Grafana would create it, wired to the real servers. */
function setup({ storeUrl, jsonData, proberToken = PROBER_TOKEN, variables = [] }: Setup = {}): { ds: ApimonDataSource; proxy: FakeBackendSrv } {
  const data: ApimonOptions = { proberUrl: store.proberUrl, scrapeInterval: '1s', ...jsonData };
  const proxy = createDataProxyBackendSrv({
    proxyBase: PROXY_BASE,
    url: storeUrl ?? store.prometheus.url,
    fetchImpl: httpFetch as unknown as typeof fetch,
    routes: routesFromPluginJson(PLUGIN_JSON, data as Record<string, unknown>, { proberToken }),
  });
  mockBackendSrv = proxy.backendSrv;
  mockTemplateSrv = createTemplateSrv(variables);
  const settings: DataSourceInstanceSettings<ApimonOptions> = {
    uid: 'apimon-test',
    type: 'apimon-apimon-datasource',
    name: 'apimon',
    access: 'proxy',
    url: PROXY_BASE,
    jsonData: data,
    readOnly: false,
    meta: { id: 'apimon-apimon-datasource', name: 'apimon', type: 'datasource' } as DataSourcePluginMeta,
  };
  return { ds: new ApimonDataSource(settings), proxy };
}

function request(targets: ApimonDataQuery[], minutes = 2): DataQueryRequest<ApimonDataQuery> {
  const to = dateTime(Date.now());
  const from = dateTime(Date.now() - minutes * 60_000);
  return {
    requestId: 'test',
    interval: '1s',
    intervalMs: 1000,
    maxDataPoints: 500,
    range: { from, to, raw: { from: `now-${minutes}m`, to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: Date.now(),
  };
}

const valueField = (frame: DataFrame) => frame.fields.find((f) => f.type === FieldType.number)!;
const lastValue = (frame: DataFrame): number => {
  const values = valueField(frame).values.filter((v): v is number => typeof v === 'number');
  return values[values.length - 1];
};
const byApi = (frames: DataFrame[], api: string) => frames.find((f) => valueField(f)?.labels?.api === api);
const column = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name);

describeStores('ApimonDataSource against a real store and prober API', (kind) => {
  beforeAll(async () => {
    store = await startApimonStore({ store: kind });
  });
  afterAll(async () => {
    await store?.stop();
  });

  it('returns p95 latency per API as Prometheus-shaped time series with unit, thresholds and links', async () => {
    const { ds } = setup();
    const response = await ds.query(request([{ refId: 'A', ...ds.getDefaultQuery(CoreApp.PanelEditor) }]));
    expect(response.errors).toBeUndefined();

    const payments = byApi(response.data, 'payments')!;
    const geocoding = byApi(response.data, 'geocoding')!;
    expect(payments).toBeDefined();
    expect(geocoding).toBeDefined();
    expect(payments.refId).toBe('A');
    expect(payments.meta?.type).toBe('timeseries-multi');
    expect(payments.meta?.executedQueryString).toContain('histogram_quantile(0.95');
    expect(payments.fields.map((f) => [f.name, f.type])).toEqual([
      ['Time', FieldType.time],
      ['Value', FieldType.number],
    ]);
    const value = valueField(payments);
    expect(value.config.unit).toBe('s');
    expect(value.config.displayNameFromDS).toContain('payments');
    // 120 ms falls in the (100 ms, 125 ms] bucket: p95 is interpolated inside it.
    expect(lastValue(payments)).toBeGreaterThan(0.1);
    expect(lastValue(payments)).toBeLessThanOrEqual(0.125);
    expect(lastValue(geocoding)).toBeGreaterThan(0.3);
    expect(lastValue(geocoding)).toBeLessThanOrEqual(0.4);
    // The catalog's 200 ms threshold for payments, on an absolute base step.
    const steps = value.config.thresholds?.steps ?? [];
    expect(steps[0].value).toBe(-Infinity);
    expect(steps.map((s) => s.value)).toContain(KNOWN.payments.latencyThreshold);
    expect(value.config.links?.some((l) => l.url.includes('/d/apimon-api') && l.url.includes('payments'))).toBe(true);
    // Timestamps ascend within the range.
    const times = payments.fields[0].values as number[];
    expect(times.length).toBeGreaterThan(2);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('interpolates multi-value template variables as escaped regex alternations', async () => {
    const { ds, proxy } = setup({ variables: [{ name: 'api', value: ['payments'], multi: true }] });
    const response = await ds.query(request([{ refId: 'A', kind: 'latency', api: '$api', percentiles: ['p50', 'p99'] }]));
    expect(response.errors).toBeUndefined();
    const apis = new Set(response.data.map((f: DataFrame) => valueField(f).labels?.api));
    expect([...apis]).toEqual(['payments']);
    expect(response.data.length).toBe(2); // p50 and p99
    const sent = proxy.requests.map((r) => decodeURIComponent(r.upstream)).join('\n');
    expect(sent).toContain('api=~"payments"');
    expect(sent).not.toContain('$api');

    // A value with regex metacharacters is escaped, so it matches only itself.
    setup({ variables: [{ name: 'api', value: ['pay.ments', 'geocoding'], multi: true }] });
    const escaped = await ds.query(request([{ refId: 'B', kind: 'latency', api: '$api' }]));
    expect(new Set(escaped.data.map((f: DataFrame) => valueField(f).labels?.api))).toEqual(new Set(['geocoding']));
  });

  it('measures the error ratio of the injected failures', async () => {
    const { ds } = setup();
    const response = await ds.query(request([{ refId: 'E', kind: 'errors', errorMode: 'ratio', api: 'payments' }]));
    expect(response.errors).toBeUndefined();
    const payments = byApi(response.data, 'payments')!;
    expect(valueField(payments).config.unit).toBe('percentunit');
    // One probe in ten fails.
    expect(lastValue(payments)).toBeGreaterThan(0.05);
    expect(lastValue(payments)).toBeLessThan(0.15);
  });

  it('returns rate-limit headroom and remaining exactly', async () => {
    const { ds } = setup();
    const response = await ds.query(
      request([
        { refId: 'H', kind: 'ratelimit', rateLimitSignal: 'headroom', api: 'payments' },
        { refId: 'R', kind: 'ratelimit', rateLimitSignal: 'remaining', api: 'payments' },
      ])
    );
    expect(response.errors).toBeUndefined();
    const headroom = response.data.find((f: DataFrame) => f.refId === 'H')!;
    const remaining = response.data.find((f: DataFrame) => f.refId === 'R')!;
    expect(lastValue(headroom)).toBeCloseTo(KNOWN.payments.remaining / KNOWN.payments.limit, 6);
    expect(valueField(headroom).config.unit).toBe('percentunit');
    expect(lastValue(remaining)).toBe(KNOWN.payments.remaining);
  });

  it('returns the summary as a table, one row per API, with the state from the thresholds', async () => {
    const { ds } = setup();
    const response = await ds.query(request([{ refId: 'S', kind: 'summary' }]));
    expect(response.errors).toBeUndefined();
    const table = response.data.find((f: DataFrame) => column(f, 'state'))!;
    expect(table.meta?.preferredVisualisationType).toBe('table');
    const apis = column(table, 'api')!.values;
    expect([...apis].sort()).toEqual(['geocoding', 'payments']);
    const row = apis.indexOf('payments');
    expect(column(table, 'latencyThresholdSeconds')!.values[row]).toBe(KNOWN.payments.latencyThreshold);
    expect(column(table, 'headroomRatio')!.values[row]).toBeCloseTo(0.4, 6);
    expect(['ok', 'warning', 'critical', 'unknown']).toContain(column(table, 'state')!.values[row]);
    expect(column(table, 'latencyP95Seconds')!.config.unit).toBe('s');
  });

  it('reads incidents and the catalog from the prober API through the token-carrying route', async () => {
    const { ds, proxy } = setup();
    const response = await ds.query(request([{ refId: 'I', kind: 'incidents' }, { refId: 'C', kind: 'catalog' }]));
    expect(response.errors).toBeUndefined();
    const incidents = response.data.find((f: DataFrame) => f.refId === 'I')!;
    expect(column(incidents, 'title')!.values).toEqual([KNOWN.incident.title]);
    expect(column(incidents, 'impact')!.values).toEqual([KNOWN.incident.impact]);
    const catalog = response.data.find((f: DataFrame) => f.refId === 'C')!;
    expect([...column(catalog, 'endpoint')!.values].sort()).toEqual(['charges', 'forward']);

    const proberCalls = proxy.requests.filter((r) => r.url.startsWith(`${PROXY_BASE}/prober-token/`));
    expect(proberCalls.length).toBeGreaterThanOrEqual(2);
    expect(proberCalls.every((r) => r.upstream.startsWith(store.proberUrl) && r.headers.Authorization === `Bearer ${PROBER_TOKEN}`)).toBe(true);
    const storeCalls = proxy.requests.filter((r) => !r.url.startsWith(`${PROXY_BASE}/prober-token/`));
    expect(storeCalls.every((r) => r.headers.Authorization === undefined)).toBe(true);
  });

  it('sends no Authorization header at all to a prober without a token', async () => {
    const { ds, proxy } = setup({ proberToken: '', jsonData: { proberTokenSet: false } });
    // The store's prober requires the token: the answer is 401, but the request is what matters here.
    await ds.query(request([{ refId: 'C', kind: 'catalog' }]));
    const proberCalls = proxy.requests.filter((r) => r.upstream.startsWith(store.proberUrl));
    expect(proberCalls.length).toBeGreaterThanOrEqual(1);
    for (const call of proberCalls) {
      expect(Object.keys(call.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    }
  });

  it('turns provider incidents into annotation events with impact and link', async () => {
    const { ds } = setup();
    const anno = ds.annotations!.prepareAnnotation!({ name: 'Incidents', enable: true, iconColor: 'red', target: { refId: 'Anno', provider: 'stripe' } } as never);
    const query = ds.annotations!.prepareQuery!(anno)!;
    expect(query.kind).toBe('incidents');
    const response = await ds.query(request([query], 60));
    expect(response.errors).toBeUndefined();
    const frame = response.data[0] as DataFrame;
    expect(frame.meta?.dataTopic).toBe('annotations');
    expect(column(frame, 'title')!.values).toHaveLength(1);
    expect(column(frame, 'title')!.values[0]).toContain(KNOWN.incident.title);
    expect(column(frame, 'time')!.values[0]).toBe(store.incidentStartMs);
    expect(column(frame, 'tags')!.values[0]).toEqual(expect.arrayContaining([`impact:${KNOWN.incident.impact}`, 'provider:stripe']));
    expect(column(frame, 'color')!.values[0]).toBe(IMPACT_COLORS.major);
    expect(column(frame, 'isRegion')!.values[0]).toBe(true);
    expect(column(frame, 'text')!.values[0]).toContain(`href="${KNOWN.incident.url}"`);
  });

  it('lists variable values from the store, narrowed by other filters and variables', async () => {
    const { ds } = setup({ variables: [{ name: 'api', value: ['payments'], multi: true }] });
    expect((await ds.metricFindQuery({ refId: 'v', label: 'api' })).map((v) => v.text)).toEqual(['geocoding', 'payments']);
    expect((await ds.metricFindQuery({ refId: 'v', label: 'endpoint', api: '$api' })).map((v) => v.text)).toEqual(['charges']);
    expect((await ds.metricFindQuery({ refId: 'v', label: 'api', criticality: 'critical' })).map((v) => v.text)).toEqual(['payments']);
    expect((await ds.metricFindQuery('provider')).map((v) => v.text)).toEqual(['mapbox', 'stripe']);
    await expect(ds.metricFindQuery('owner')).rejects.toThrow(/expected one of api, provider/);

    const variables = ds.variables as ApimonVariableSupport;
    const variableRequest = { ...request([]), targets: [{ refId: 'v', label: 'criticality' }] } as unknown as DataQueryRequest<ApimonVariableQuery>;
    const variableResponse = await lastValueFrom(variables.query(variableRequest));
    expect((variableResponse.data[0] as DataFrame).fields[0].values).toEqual(['critical', 'standard']);
  });

  it('shows a store error as a visible query error naming the problem', async () => {
    const { ds } = setup();
    const response = await ds.query(request([{ refId: 'X', kind: 'latency', api: '(unclosed' }, { refId: 'OK', kind: 'latency', api: 'payments' }]));
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0].refId).toBe('X');
    expect(response.errors![0].message).toMatch(/parse|regex|missing|\(/i);
    // The other query still returns data.
    expect(response.data.some((f: DataFrame) => f.refId === 'OK')).toBe(true);
  });

  describe('testDatasource', () => {
    it('succeeds when the store holds apimon series and the prober API answers', async () => {
      const { ds } = setup();
      const result = await ds.testDatasource();
      expect(result.status).toBe('success');
      expect(result.message).toMatch(/2 API/);
    });

    it('names the prober token when the prober refuses it', async () => {
      const { ds } = setup({ proberToken: 'wrong' });
      const result = await ds.testDatasource();
      expect(result.status).toBe('error');
      expect(result.message).toMatch(/Prober token/);
      expect(result.message).toContain('401');
    });

    it('says the store is unreachable, and to check the URL from Grafana', async () => {
      const { ds } = setup({ storeUrl: 'http://127.0.0.1:9' });
      const result = await ds.testDatasource();
      expect(result.status).toBe('error');
      expect(result.message).toMatch(/cannot reach the store/);
    });

    it('says when the URL is not a Prometheus API', async () => {
      const { ds } = setup({ storeUrl: store.proberUrl });
      const result = await ds.testDatasource();
      expect(result.status).toBe('error');
      expect(result.message).toMatch(/Prometheus API|refused|401/);
    });

    it('says when the store has no apimon series, and how to fix it', async () => {
      const empty = await startStore(kind, scrapeConfig('127.0.0.1:9'));
      try {
        const { ds } = setup({ storeUrl: empty.url });
        const result = await ds.testDatasource();
        expect(result.status).toBe('error');
        expect(result.message).toMatch(/no apimon series/);
        expect(result.message).toMatch(/scrape the prober's \/metrics/);
      } finally {
        await empty.stop();
      }
    });

    it('succeeds without a prober URL and says what stays empty', async () => {
      const { ds } = setup({ jsonData: { proberUrl: undefined } });
      const result = await ds.testDatasource();
      expect(result.status).toBe('success');
      expect(result.message).toMatch(/Prober API not configured/);
      expect(result.details?.message).toMatch(/incidents, annotations and catalog/);
    });
  });
});
