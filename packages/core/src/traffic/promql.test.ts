import { DEFAULT_TRAFFIC_SETTINGS, presetSource, type TrafficSettings } from './sources';
import { createTrafficQueries, labelRef, metricSelector, MILLISECOND_LE_STEPS } from './promql';

/** label_replace as Prometheus applies it: the regex anchored at both ends, $n expanded. */
function labelReplace(value: string, regex: string, replacement: string): string {
  const m = new RegExp(`^(?:${regex})$`).exec(value);
  return m ? replacement.replace(/\$(\d)/g, (_, n: string) => m[Number(n)] ?? '') : value;
}

const toSeconds = (le: string) => MILLISECOND_LE_STEPS.reduce((v, [re, rep]) => labelReplace(v, re, rep), le);

const only = (...names: Array<Parameters<typeof presetSource>[0]>): TrafficSettings => ({
  ...DEFAULT_TRAFFIC_SETTINGS,
  sources: names.map(presetSource),
});

describe('millisecond bucket bounds', () => {
  it('become the stable histograms bounds, written the same way', () => {
    // The old conventions' default buckets (ms) and the stable ones (s), as the OTel exporter writes them.
    const ms = ['0', '5', '10', '25', '50', '75', '100', '250', '500', '750', '1000', '2500', '5000', '7500', '10000', '+Inf'];
    const s = ['0', '0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '7.5', '10', '+Inf'];
    expect(ms.map(toSeconds)).toEqual(s);
  });

  it('keep their value for any decimal bound', () => {
    for (const ms of ['0.5', '1.25', '12.5', '333.3', '1234.5', '100000', '60000', '7', '42', '999.999']) {
      expect(Number(toSeconds(ms))).toBeCloseTo(Number(ms) / 1000, 12);
    }
  });
});

describe('names for UTF-8 stores', () => {
  it('quotes dotted metric and label names, and leaves classic ones bare', () => {
    expect(metricSelector('http_client_duration_count')).toBe('http_client_duration_count');
    expect(metricSelector('http_client_duration_count', ['a="b"'])).toBe('http_client_duration_count{a="b"}');
    expect(metricSelector('http.client.request.duration_count', ['x="1"'])).toBe('{"http.client.request.duration_count", x="1"}');
    expect(labelRef('server_address')).toBe('server_address');
    expect(labelRef('server.address')).toBe('"server.address"');
  });

  it('relabels dotted sources to the canonical names', () => {
    const q = createTrafficQueries(only('stable-utf8'));
    expect(q.requestRate('5m')).toBe(
      'sum by (job, instance, otel_scope_name, server_address, server_port, http_request_method, url_template) (' +
        'label_replace(label_replace(label_replace(label_replace(rate({"http.client.request.duration_count"}[5m]), ' +
        '"server_address", "$1", "server.address", "(.*)"), "server_port", "$1", "server.port", "(.*)"), ' +
        '"http_request_method", "$1", "http.request.method", "(.*)"), "url_template", "$1", "url.template", "(.*)"))'
    );
  });
});

describe('traffic PromQL', () => {
  const q = createTrafficQueries();

  it('reads every default source, the stable ones first, deduplicated per emitter and host', () => {
    const rate = q.requestRate('5m');
    const order = ['http_client_request_duration_count', 'http_client_request_duration_seconds_count', 'http_client_duration_count', 'http_client_duration_milliseconds_count'];
    const at = order.map((m) => rate.indexOf(`rate(${m}[5m])`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(rate.split(' or on(job, instance, otel_scope_name, server_address) ')).toHaveLength(4);
  });

  it('counts 5xx and failures without an answer as errors, per convention', () => {
    const stable = createTrafficQueries(only('stable')).requestRate('1m', 'errors');
    expect(stable).toContain('(rate(http_client_request_duration_count{http_response_status_code=~"5.."}[1m]) or rate(http_client_request_duration_count{http_response_status_code="", error_type!=""}[1m]))');
    const old = createTrafficQueries(only('old')).requestRate('1m', 'errors');
    expect(old).toContain('rate(http_client_duration_count{http_status_code=~"5..|"}[1m])');
    expect(createTrafficQueries(only('old')).requestRate('1m', 'throttled')).toContain('{http_status_code="429"}');
  });

  it('converts only millisecond histograms', () => {
    const buckets = q.durationBucketRate('5m');
    const converted = buckets.split(' or on(').filter((part) => part.includes('"le", "0.00$1$2"'));
    expect(converted).toHaveLength(2);
    expect(converted.every((part) => /http_client_duration(_milliseconds)?_bucket/.test(part))).toBe(true);
  });

  it('attributes keys to the most specific claim: url template, then method, then port', () => {
    const a = createTrafficQueries(only('stable')).attribution();
    const levels = [...a.matchAll(/apimon_traffic_match\{server_port(!?)="", http_request_method(!?)="", url_template(!?)=""\}/g)].map(
      (m) => `${m[3] ? 'T' : '-'}${m[2] ? 'M' : '-'}${m[1] ? 'P' : '-'}`
    );
    expect(levels).toEqual(['TMP', 'TM-', 'T-P', 'T--', '-MP', '-M-', '--P', '---']);
    expect(a.split(' or on(server_address, server_port, http_request_method, url_template) ')).toHaveLength(8);
    expect(a).toContain('* on(server_address) group_left(api, provider) max by (api, provider, server_address) (apimon_traffic_match{server_port="", http_request_method="", url_template=""})');
  });

  it('joins on a recorded attribution when given one', () => {
    const r = createTrafficQueries(DEFAULT_TRAFFIC_SETTINGS, { attribution: 'apimon:traffic_attribution' });
    expect(r.requestsPerSecond('5m')).toMatch(/group_left\(api, provider\) \(apimon:traffic_attribution\)\)$/);
    expect(r.requestsPerSecond('5m')).not.toContain('apimon_traffic_match');
  });

  it('gives ratios that are 0, not absent, when nothing failed', () => {
    expect(q.errorRatio('5m')).toMatch(/^\(sum by \(api\) \(.*\) or sum by \(api\) \(.*\) \* 0\) \/ sum by \(api\) \(.*\)$/);
  });

  it('compares usage with the documented limit per documented window', () => {
    expect(q.usageRatio('5m')).toMatch(
      / \* on\(api\) group_left\(\) \(max by \(api\) \(apimon_ratelimit_documented_window_seconds\) \/ max by \(api\) \(apimon_ratelimit_documented_limit\)\)$/
    );
    expect(q.usagePeakRatio('5m')).toMatch(/^max_over_time\(\(.*\)\[1d:1m\]\)$/);
  });

  it('lists hosts with their API, and the unmapped ones without', () => {
    const hosts = q.hostRequestsPerSecond('5m');
    expect(hosts).toMatch(/^sum by \(server_address, server_port, api\) \(.*\) or sum by \(server_address, server_port\) \(\(.*\) unless on\(server_address, server_port, http_request_method, url_template\) \(.*\)\)$/);
  });

  it('has no response-size quantile without a size histogram', () => {
    const settings: TrafficSettings = { ...DEFAULT_TRAFFIC_SETTINGS, sources: [{ ...presetSource('stable'), responseSize: undefined }] };
    expect(createTrafficQueries(settings).responseSizeQuantile(0.95, '5m')).toBeUndefined();
    expect(q.responseSizeQuantile(0.95, '5m')).toContain('rate(http_client_response_body_size_bucket[5m])');
  });
});
