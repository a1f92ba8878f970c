import { ProberMetrics } from './metrics';
import { catalogFrom } from './test-support/catalogs';
import { find, parseExposition, valueOf } from './test-support/exposition';

const catalog = (apis: string) =>
  catalogFrom(`defaults: { location: eu }
providers: [{ name: maps-inc }, { name: pay-inc }]
apis:
${apis}`);

const api = (name: string, provider: string, url: string, extra = '') => `  - name: ${name}
    provider: ${provider}
    criticality: standard
    owner: team
${extra}    endpoints: [{ name: e, url: "${url}" }]
`;

async function samples(metrics: ProberMetrics) {
  return parseExposition(await metrics.exposition());
}

describe('traffic mapping series', () => {
  it('exports one apimon_traffic_match per claim, empty labels meaning any', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(
      catalog(
        api('geocoding', 'maps-inc', 'https://maps.test/geocode', `    traffic:
      match:
        - { serverAddress: maps.test, urlTemplate: "/geocode/json" }
        - { serverAddress: maps-eu.test, serverPort: 8443, method: GET }
`) +
          api('payments', 'pay-inc', 'https://api.pay.test:8443/v1/charges', `    rateLimit: { limit: 100, window: 1m }
`)
      ),
      0
    );
    const s = await samples(metrics);
    expect(find(s, 'apimon_traffic_match')).toHaveLength(3);
    expect(
      valueOf(s, 'apimon_traffic_match', {
        api: 'geocoding',
        provider: 'maps-inc',
        location: 'eu',
        server_address: 'maps.test',
        server_port: '',
        http_request_method: '',
        url_template: '/geocode/json',
      })
    ).toBe(1);
    expect(
      valueOf(s, 'apimon_traffic_match', { api: 'geocoding', server_address: 'maps-eu.test', server_port: '8443', http_request_method: 'GET', url_template: '' })
    ).toBe(1);
    // By default an API's traffic is the hosts of its endpoints.
    expect(valueOf(s, 'apimon_traffic_match', { api: 'payments', server_address: 'api.pay.test', server_port: '8443' })).toBe(1);
    expect(valueOf(s, 'apimon_ratelimit_documented_limit', { api: 'payments', provider: 'pay-inc', location: 'eu' })).toBe(100);
    expect(valueOf(s, 'apimon_ratelimit_documented_window_seconds', { api: 'payments' })).toBe(60);
    expect(find(s, 'apimon_ratelimit_documented_limit', { api: 'geocoding' })).toHaveLength(0);
  });

  it('exports the usage threshold of APIs with a documented limit: the catalog value, or the criticality default', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(
      catalog(
        api('payments', 'pay-inc', 'https://api.pay.test/v1', '    rateLimit: { limit: 100, window: 1s }\n    thresholds: { usage: 70% }\n') +
          api('email', 'pay-inc', 'https://mail.test/v1', '    rateLimit: { limit: 600, window: 1h }\n') +
          api('geocoding', 'maps-inc', 'https://maps.test/g')
      ),
      0
    );
    const s = await samples(metrics);
    expect(valueOf(s, 'apimon_threshold_usage_ratio', { api: 'payments', provider: 'pay-inc', location: 'eu' })).toBe(0.7);
    // standard: 85 %, the limit less the 15 % headroom the criticality keeps.
    expect(valueOf(s, 'apimon_threshold_usage_ratio', { api: 'email' })).toBe(0.85);
    expect(find(s, 'apimon_threshold_usage_ratio', { api: 'geocoding' })).toHaveLength(0);
  });

  it('follows a catalog reload: claims and limits that are gone disappear', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(
      catalog(api('payments', 'pay-inc', 'https://api.pay.test/v1', '    rateLimit: { limit: 100, window: 1s }\n') + api('geocoding', 'maps-inc', 'https://maps.test/g')),
      0
    );
    metrics.applyCatalog(
      catalog(api('payments', 'pay-inc', 'https://api.pay.test/v1', '    traffic: { match: [{ serverAddress: pay-proxy.test }] }\n')),
      1000
    );
    const s = await samples(metrics);
    expect(find(s, 'apimon_traffic_match').map((x) => x.labels.server_address)).toEqual(['pay-proxy.test']);
    expect(find(s, 'apimon_ratelimit_documented_limit')).toHaveLength(0);
    expect(find(s, 'apimon_threshold_usage_ratio')).toHaveLength(0);
  });

  it('gives a host several APIs share by default to none of them', async () => {
    const metrics = new ProberMetrics({ processMetrics: false });
    metrics.applyCatalog(catalog(api('a', 'pay-inc', 'http://127.0.0.1:8480/a') + api('b', 'maps-inc', 'http://127.0.0.1:8480/b')), 0);
    expect(find(await samples(metrics), 'apimon_traffic_match')).toHaveLength(0);
  });
});
