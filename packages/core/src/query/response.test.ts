import { createQueryEngine } from './engine';
import { describeFailure, parseMatrix, parseSampleValue, parseVector, QueryError } from './response';
import { TransportError, type Target, type Transport } from './types';

const EXPR = 'up';

describe('response mapping', () => {
  it('converts a matrix to ms timestamps and numbers; NaN is null, infinities stay', () => {
    const body = {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { __name__: 'x', api: 'payments' },
            values: [
              [1700000000.5, '0.25'],
              [1700000015, 'NaN'],
              [1700000030, '+Inf'],
              [1700000045, '-Inf'],
            ],
          },
        ],
      },
    };
    expect(parseMatrix(body, EXPR)).toEqual([
      {
        labels: { api: 'payments' },
        timestamps: [1700000000500, 1700000015000, 1700000030000, 1700000045000],
        values: [0.25, null, Infinity, -Infinity],
      },
    ]);
  });

  it('reads vectors and scalars', () => {
    expect(
      parseVector(
        { status: 'success', data: { resultType: 'vector', result: [{ metric: { api: 'a' }, value: [10, '3'] }] } },
        EXPR
      )
    ).toEqual([{ labels: { api: 'a' }, timeMs: 10_000, value: 3 }]);
    expect(parseVector({ status: 'success', data: { resultType: 'scalar', result: [10, '1'] } }, EXPR)).toEqual([
      { labels: {}, timeMs: 10_000, value: 1 },
    ]);
    expect(parseSampleValue(undefined)).toBeNull();
    expect(parseSampleValue('abc')).toBeNull();
  });

  it.each([
    ['not an object', 'hello', /malformed response from the store for up: expected a JSON object, got text "hello"/],
    ['no status', { data: {} }, /"status" is missing, not "success"/],
    [
      'wrong type',
      { status: 'success', data: { resultType: 'vector', result: [] } },
      /resultType is "vector", expected "matrix"/,
    ],
    [
      'result not array',
      { status: 'success', data: { resultType: 'matrix', result: {} } },
      /"data.result" is not an array/,
    ],
    [
      'no values',
      { status: 'success', data: { resultType: 'matrix', result: [{ metric: {} }] } },
      /series 0 has no "values" array/,
    ],
    [
      'bad point',
      { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [['x', '1']] }] } },
      /series 0, point 0 is not a \[time, "value"\] pair/,
    ],
    [
      'no metric',
      { status: 'success', data: { resultType: 'matrix', result: [{ values: [] }] } },
      /a series has no "metric" object/,
    ],
  ])('a malformed matrix (%s) is a QueryError naming the expression', (_, body, message) => {
    expect(() => parseMatrix(body, EXPR)).toThrow(QueryError);
    expect(() => parseMatrix(body, EXPR)).toThrow(message);
  });

  it('maps Prometheus error bodies with their type and a hint', () => {
    const bad = new TransportError('HTTP 400', 'prometheus', 400, {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid regular expression',
    });
    expect(describeFailure(bad, 'prometheus', 'rate(x[1m])').message).toBe(
      'the Prometheus-compatible store rejected rate(x[1m]): bad_data: invalid regular expression (check the filters: they are regular expressions)'
    );
    const timeout = new TransportError('HTTP 503', 'prometheus', 503, {
      status: 'error',
      errorType: 'timeout',
      error: 'query timed out in expression evaluation',
    });
    expect(describeFailure(timeout, 'prometheus', 'q').message).toMatch(
      /rejected q: timeout: query timed out .*narrow the time range/
    );
    expect(parseMatrix.bind(null, { status: 'error', errorType: 'execution', error: 'boom' }, 'q')).toThrow(
      'rejected q: execution: boom'
    );
  });

  it('hints at the filters for a bad regular expression in VictoriaMetrics words too', () => {
    // VictoriaMetrics 1.79 answers HTTP 422 with errorType "422", not Prometheus' bad_data.
    const bad = new TransportError('HTTP 422', 'prometheus', 422, {
      status: 'error',
      errorType: '422',
      error: 'error when executing query="q": cannot execute query: invalid regexp in api="(": error parsing regexp: missing closing ): `^(?:()$`',
    });
    expect(describeFailure(bad, 'prometheus', 'q').message).toMatch(/rejected q: 422: .*missing closing \).* \(check the filters: they are regular expressions\)$/);
  });

  it('says how to lift VictoriaMetrics query-length limit', () => {
    // As VictoriaMetrics 1.79 answers a query longer than -search.maxQueryLen (16 KiB by default).
    const long = new TransportError('HTTP 422', 'prometheus', 422, {
      status: 'error',
      errorType: '422',
      error: "too long query; got 20820 bytes; mustn't exceed `-search.maxQueryLen=16384` bytes",
    });
    expect(describeFailure(long, 'prometheus', 'q').message).toBe(
      "the Prometheus-compatible store rejected q: 422: too long query; got 20820 bytes; mustn't exceed `-search.maxQueryLen=16384` bytes" +
        ' (load the recording rules of prometheus/recording.yml into the store, which shorten the real-traffic queries, or raise -search.maxQueryLen of victoria-metrics or vmselect)'
    );
  });

  it.each<[string, TransportError, Target, RegExp]>([
    [
      'unreachable',
      new TransportError('connect ECONNREFUSED 127.0.0.1:1', 'prometheus'),
      'prometheus',
      /store is unreachable \(connect ECONNREFUSED 127.0.0.1:1\) while running q/,
    ],
    [
      '401',
      new TransportError('HTTP 401', 'prometheus', 401, ''),
      'prometheus',
      /refused access \(HTTP 401\) for q: check the data source credentials/,
    ],
    [
      '403 prober',
      new TransportError('HTTP 403', 'prober', 403, ''),
      'prober',
      /prober API refused access \(HTTP 403\) for q: check the prober API token/,
    ],
    [
      '404',
      new TransportError('HTTP 404', 'prometheus', 404, '404 page not found'),
      'prometheus',
      /HTTP 404 for q: the URL does not point at a Prometheus HTTP API/,
    ],
    [
      'html 200',
      new TransportError('not JSON', 'prometheus', 200, '<html><body>Login</body></html>'),
      'prometheus',
      /answered q with text "<html><body>Login<\/body><\/html>", not JSON/,
    ],
    [
      '502',
      new TransportError('HTTP 502', 'prometheus', 502, 'Bad Gateway'),
      'prometheus',
      /answered HTTP 502 for q: text "Bad Gateway"/,
    ],
    [
      'prober json error',
      new TransportError('HTTP 400', 'prober', 400, { error: 'from: must be epoch ms' }),
      'prober',
      /prober API answered HTTP 400 for q: from: must be epoch ms/,
    ],
  ])('maps transport failures: %s', (_, err, target, message) => {
    expect(describeFailure(err, target, 'q').message).toMatch(message);
  });
});

/** A transport answering from a table of canned bodies, keyed by path and query. */
function cannedTransport(
  answer: (target: Target, path: string, params: Record<string, string>) => unknown
): Transport & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async get(target, path, params) {
      calls.push(`${target} ${path} ${params.query ?? params['match[]'] ?? ''}`);
      const body = answer(target, path, params);
      if (body instanceof Error) {
        throw body;
      }
      return body;
    },
  };
}

const vector = (result: Array<[Record<string, string>, string]>) => ({
  status: 'success',
  data: { resultType: 'vector', result: result.map(([metric, v]) => ({ metric, value: [1700000000, v] })) },
});

describe('engine over a transport', () => {
  const range = { fromMs: 1_700_000_000_000, toMs: 1_700_000_600_000, maxDataPoints: 100 };

  it('returns series with display name, unit, thresholds, links and expr', async () => {
    const transport = cannedTransport((_t, path, params) => {
      if (path === '/api/v1/rules') {
        return { status: 'success', data: { groups: [] } };
      }
      if (path === '/api/v1/query') {
        expect(params.query).toBe('max by (api) (apimon_threshold_latency_seconds{endpoint=""})');
        return vector([[{ api: 'payments' }, '0.2']]);
      }
      return {
        status: 'success',
        data: { resultType: 'matrix', result: [{ metric: { api: 'payments' }, values: [[1700000010, '0.123']] }] },
      };
    });
    const engine = createQueryEngine({ transport, now: () => range.toMs });
    const result = await engine.run({ kind: 'latency' }, range);
    expect(result.series).toEqual([
      {
        name: 'latency_p95',
        labels: { api: 'payments' },
        displayName: 'payments p95',
        timestamps: [1700000010000],
        values: [0.123],
        unit: 's',
        expr: 'histogram_quantile(0.95, sum by (le, api) (rate(apimon_probe_duration_seconds_bucket[1m])))',
        thresholds: [
          { value: -Infinity, color: 'green' },
          { value: 0.2 * 0.8, color: 'orange' },
          { value: 0.2, color: 'red' },
        ],
        links: [{ title: 'API details: payments', url: '/d/apimon-api?var-api=payments&${__url_time_range}' }],
      },
    ]);
    expect(result.executed).toEqual([
      result.series[0].expr,
      'max by (api) (apimon_threshold_latency_seconds{endpoint=""})',
    ]);
  });

  it('turns a store error into a rejected run naming the expression', async () => {
    const engine = createQueryEngine({
      transport: cannedTransport((_t, path) =>
        path === '/api/v1/rules'
          ? new TransportError('HTTP 404', 'prometheus', 404)
          : new TransportError('connect ECONNREFUSED', 'prometheus')
      ),
    });
    await expect(engine.run({ kind: 'codes' }, range)).rejects.toThrow(
      'the Prometheus-compatible store is unreachable (connect ECONNREFUSED) while running sum by (api, code) (rate(apimon_probe_requests_total[1m]))'
    );
  });

  it('explains incidents without a prober URL and malformed prober bodies', async () => {
    const noProber = createQueryEngine({
      transport: cannedTransport(() => ({})),
      proberConfigured: false,
      useRecordingRules: false,
    });
    await expect(noProber.run({ kind: 'incidents' }, range)).rejects.toThrow(
      'incidents come from the prober API, and no prober URL is configured'
    );
    const weird = createQueryEngine({ transport: cannedTransport(() => ({ hello: 1 })), useRecordingRules: false });
    await expect(weird.run({ kind: 'catalog' }, range)).rejects.toThrow('is not a catalog (no "apis" list)');
  });

  it('labelValues narrows by the other filters and resolves criticality to APIs', async () => {
    const transport = cannedTransport((_t, path, params) => {
      if (path === '/api/v1/label/api/values') {
        expect(params['match[]']).toBe('apimon_api_info{criticality=~"critical"}');
        return { status: 'success', data: ['payments', 'geo.coding'] };
      }
      expect(path).toBe('/api/v1/label/endpoint/values');
      expect(params['match[]']).toBe('apimon_probe_requests_total{api=~"payments|geo\\\\.coding"}');
      return { status: 'success', data: ['b', 'a', 'a'] };
    });
    const engine = createQueryEngine({ transport });
    expect(await engine.labelValues('endpoint', { criticality: 'critical', endpoint: 'x' })).toEqual(['a', 'b']);
    await expect(engine.labelValues('bad label')).rejects.toThrow('"bad label" is not a label name');
  });

  it('testConnection says which hop is wrong', async () => {
    const html = createQueryEngine({
      transport: cannedTransport((target) =>
        target === 'prometheus'
          ? new TransportError('not JSON', 'prometheus', 200, '<html>')
          : new TransportError('HTTP 401', 'prober', 401, '')
      ),
    });
    const report = await html.testConnection();
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.message)).toEqual([
      'the store URL answers, but not with JSON: it is not a Prometheus-compatible API (check the URL)',
      'the prober API rejected the token (HTTP 401): set the prober token the prober was started with',
    ]);
    const empty = createQueryEngine({ transport: cannedTransport(() => vector([])), proberConfigured: false });
    expect((await empty.testConnection()).message).toMatch(/holds no apimon metrics \(no apimon_api_info/);
    const notProm = createQueryEngine({ transport: cannedTransport(() => ({ ok: true })), proberConfigured: false });
    expect((await notProm.testConnection()).message).toMatch(/not as a Prometheus-compatible API/);
  });
});
