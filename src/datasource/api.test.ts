// The transport's error mapping: what reaches the engine for each way a request through
// Grafana's data proxy can fail. The full path is covered against real servers in
// datasource.test.ts; here the failures that a real server cannot easily produce.
import { of, throwError } from 'rxjs';
import type { BackendSrv, FetchResponse } from '@grafana/runtime';
import { TransportError } from '@apimon/core';
import { createGrafanaTransport, targetUrl, toTransportError } from './api';

const backend = (fetch: BackendSrv['fetch']) => () => ({ fetch }) as unknown as BackendSrv;
const ok = (data: unknown) => of({ data, status: 200, ok: true } as FetchResponse);

describe('targetUrl', () => {
  it('sends store paths to the data proxy and prober paths to its route', () => {
    expect(targetUrl('/api/datasources/proxy/uid/x/', 'prometheus', '/api/v1/query')).toBe('/api/datasources/proxy/uid/x/api/v1/query');
    expect(targetUrl('/api/datasources/proxy/uid/x', 'prober', 'api/v1/catalog')).toBe('/api/datasources/proxy/uid/x/prober-token/api/v1/catalog');
    expect(targetUrl('/api/datasources/proxy/uid/x', 'prober', '/api/v1/catalog', 'prober-anonymous')).toBe(
      '/api/datasources/proxy/uid/x/prober-anonymous/api/v1/catalog'
    );
  });
});

describe('createGrafanaTransport', () => {
  it('passes params and returns the parsed body', async () => {
    const fetch = jest.fn(() => ok({ status: 'success' }));
    const transport = createGrafanaTransport('/proxy', backend(fetch as never));
    await expect(transport.get('prometheus', '/api/v1/query', { query: 'up' })).resolves.toEqual({ status: 'success' });
    expect(fetch).toHaveBeenCalledWith(expect.objectContaining({ url: '/proxy/api/v1/query', method: 'GET', params: { query: 'up' }, showErrorAlert: false }));
  });

  it('rejects a body that is not JSON with the text as the error body', async () => {
    const transport = createGrafanaTransport('/proxy', backend((() => ok('<html>login</html>')) as never));
    const err = await transport.get('prometheus', '/api/v1/query', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ target: 'prometheus', status: 200, body: '<html>login</html>' });
  });

  it('maps Prometheus, proxy and prober error bodies to a message naming the target', async () => {
    const fail = (e: unknown) => createGrafanaTransport('/proxy', backend((() => throwError(() => e)) as never));
    const prom = (await fail({ status: 400, data: { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' }, config: {} })
      .get('prometheus', '/api/v1/query', {})
      .catch((e: unknown) => e)) as TransportError;
    expect(prom.message).toBe('store /api/v1/query: HTTP 400: parse error at char 3');
    expect(prom.status).toBe(400);
    const proxy = (await fail({ status: 502, data: { message: 'dial tcp: connection refused' }, config: {} })
      .get('prober', '/api/v1/catalog', {})
      .catch((e: unknown) => e)) as TransportError;
    expect(proxy.message).toBe('prober API /api/v1/catalog: HTTP 502: dial tcp: connection refused');
    expect(proxy.target).toBe('prober');
  });

  it('keeps a thrown non-HTTP error as a TransportError without status', () => {
    const err = toTransportError(new Error('aborted'), 'prometheus', '/api/v1/query_range');
    expect(err.status).toBeUndefined();
    expect(err.message).toBe('store /api/v1/query_range: aborted');
  });
});
