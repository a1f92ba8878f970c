// The attribution rules of docs/real-traffic.md on a real store (each of test/helpers/stores.ts:
// the claims join on empty labels, where PromQL dialects could differ), exactly: a static
// exposition of observed HTTP-client series (stable and old names) and apimon_traffic_match
// claims at every level of specificity, scraped once a second; the attribution is an instant
// query, so every key's API can be checked without waiting for rates.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTrafficQueries, type TrafficMatch } from '@apimon/core';
import { scrapeConfig, waitFor } from '../helpers/prometheus';
import { describeStores, startStore, type RunningStore } from '../helpers/stores';

const claims: Array<[api: string, match: TrafficMatch]> = [
  ['geo', { serverAddress: 'maps.test', urlTemplate: '/geo' }],
  ['dir', { serverAddress: 'maps.test', urlTemplate: '/dir' }],
  ['maps-post', { serverAddress: 'maps.test', method: 'POST' }],
  ['maps-8443', { serverAddress: 'maps.test', serverPort: 8443 }],
  ['maps', { serverAddress: 'maps.test' }],
  ['pay', { serverAddress: 'pay.test', serverPort: 443, method: 'GET', urlTemplate: '/v1/charges' }],
  ['pay-any', { serverAddress: 'pay.test' }],
];

const label = (v: string | number | undefined) => (v === undefined ? '' : String(v));

const exposition = [
  ...claims.map(
    ([api, m]) =>
      `apimon_traffic_match{api="${api}",provider="p",location="it",server_address="${m.serverAddress}",server_port="${label(m.serverPort)}",http_request_method="${label(m.method)}",url_template="${label(m.urlTemplate)}"} 1`
  ),
  // Observed keys, stable exporter names: address, port, method, template.
  ...[
    ['maps.test', 443, 'GET', '/geo'],
    ['maps.test', 443, 'POST', '/dir'],
    ['maps.test', 443, 'POST', ''],
    ['maps.test', 8443, 'POST', ''],
    ['maps.test', 8443, 'GET', ''],
    ['maps.test', 443, 'GET', ''],
    ['pay.test', 443, 'GET', '/v1/charges'],
    ['pay.test', 443, 'GET', '/v1/refunds'],
    ['other.test', 443, 'GET', ''],
  ].map(
    ([a, p, m, t]) =>
      `http_client_request_duration_count{server_address="${a}",server_port="${p}",http_request_method="${m}",url_template="${t}",http_response_status_code="200"} 10`
  ),
  // OTLP-translated names and the old conventions are attributed the same way.
  'http_client_request_duration_seconds_count{server_address="pay.test",server_port="443",http_request_method="PUT",http_response_status_code="200"} 3',
  'http_client_duration_count{net_peer_name="maps.test",net_peer_port="9000",http_method="DELETE",http_status_code="204"} 4',
  'http_client_duration_milliseconds_count{net_peer_name="legacy.test",http_method="GET",http_status_code="200"} 2',
  '',
].join('\n');

describeStores('real-traffic attribution on a real store', (kind) => {
  let server: Server;
  let prometheus: RunningStore | undefined;
  const q = createTrafficQueries();

  beforeAll(async () => {
    server = createServer((_req, res) => res.end(exposition));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    prometheus = await startStore(kind, scrapeConfig(`127.0.0.1:${(server.address() as AddressInfo).port}`));
    await waitFor(async () => (await prometheus!.query('apimon_traffic_match')).length === claims.length, 20_000, 'the first scrape');
  });

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((r) => server?.close(r));
  });

  const key = (m: Record<string, string>) => [m.server_address, m.server_port ?? '', m.http_request_method, m.url_template ?? ''].join(' ');

  it('gives every observed key the API of its most specific claim', async () => {
    const attributed = Object.fromEntries((await prometheus!.query(q.attribution())).map((s) => [key(s.metric), s.metric.api]));
    expect(attributed).toEqual({
      // A url template beats a method, a port and a bare host.
      'maps.test 443 GET /geo': 'geo',
      'maps.test 443 POST /dir': 'dir',
      // A method beats a port.
      'maps.test 443 POST ': 'maps-post',
      'maps.test 8443 POST ': 'maps-post',
      'maps.test 8443 GET ': 'maps-8443',
      'maps.test 443 GET ': 'maps',
      'maps.test 9000 DELETE ': 'maps',
      'pay.test 443 GET /v1/charges': 'pay',
      'pay.test 443 GET /v1/refunds': 'pay-any',
      'pay.test 443 PUT ': 'pay-any',
    });
  });

  it('lists the keys no claim matches as unmapped', async () => {
    const unmapped = await prometheus!.query(`${q.unattributed(q.observedKeys())}`);
    expect(unmapped.map((s) => key(s.metric)).sort()).toEqual(['legacy.test  GET ', 'other.test 443 GET ']);
  });
});
