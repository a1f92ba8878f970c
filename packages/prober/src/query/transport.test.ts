import { execFile } from 'node:child_process';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { STORE_ENV, StoreAuthError, storeHeadersFromEnv } from './store-auth';
import { createFetchTransport } from './transport';

/** A store and a prober on 127.0.0.1 that answer `{}` and remember the headers they got. */
async function recordingServer(): Promise<{ url: string; seen: IncomingHttpHeaders[]; server: Server }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"status":"success","data":{}}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('store tenant and credentials from the environment', () => {
  it('sends the tenant and a bearer token to the store, and neither to the prober', async () => {
    const store = await recordingServer();
    const prober = await recordingServer();
    try {
      const transport = createFetchTransport({
        prometheusUrl: store.url,
        proberUrl: prober.url,
        proberToken: 'prober-secret',
        storeHeaders: storeHeadersFromEnv({
          [STORE_ENV.tenant]: 'platform|shared',
          [STORE_ENV.bearerToken]: ' store-secret\n',
        }),
      });
      await transport.get('prometheus', '/api/v1/query', { query: 'up' });
      await transport.get('prober', '/api/v1/catalog', {});
      expect(store.seen[0]['x-scope-orgid']).toBe('platform|shared');
      expect(store.seen[0].authorization).toBe('Bearer store-secret');
      expect(prober.seen[0]['x-scope-orgid']).toBeUndefined();
      expect(prober.seen[0].authorization).toBe('Bearer prober-secret');
    } finally {
      store.server.close();
      prober.server.close();
    }
  });

  it('sends basic auth as USER:PASSWORD in base64, and nothing when nothing is set', async () => {
    const store = await recordingServer();
    try {
      const basic = createFetchTransport({
        prometheusUrl: store.url,
        storeHeaders: storeHeadersFromEnv({ [STORE_ENV.basicAuth]: 'grafana:pa:ss' }),
      });
      await basic.get('prometheus', '/api/v1/query', { query: 'up' });
      expect(store.seen[0].authorization).toBe(`Basic ${Buffer.from('grafana:pa:ss').toString('base64')}`);
      const none = createFetchTransport({ prometheusUrl: store.url, storeHeaders: storeHeadersFromEnv({}) });
      await none.get('prometheus', '/api/v1/query', { query: 'up' });
      expect(store.seen[1].authorization).toBeUndefined();
      expect(store.seen[1]['x-scope-orgid']).toBeUndefined();
    } finally {
      store.server.close();
    }
  });

  it.each([
    [
      { [STORE_ENV.bearerToken]: 'tok', [STORE_ENV.basicAuth]: 'u:p' },
      'APIMON_STORE_BEARER_TOKEN and APIMON_STORE_BASIC_AUTH are both set',
    ],
    [{ [STORE_ENV.basicAuth]: 'only-a-user' }, 'APIMON_STORE_BASIC_AUTH must be USER:PASSWORD'],
    [{ [STORE_ENV.bearerToken]: 'Bearer tok-s3cret' }, 'APIMON_STORE_BEARER_TOKEN contains whitespace'],
    [{ [STORE_ENV.tenant]: 'tenant-one\ntenant-two' }, 'APIMON_STORE_TENANT contains a control character'],
  ])('refuses settings it cannot use, naming the variable and never its value: %j', (env, message) => {
    let error: unknown;
    try {
      storeHeadersFromEnv(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreAuthError);
    expect((error as Error).message).toContain(message);
    for (const value of Object.values(env)) {
      expect((error as Error).message).not.toContain(value.split(':').pop());
    }
  });

  it('makes the CLI exit 2 with one line, no stack trace and no secret', async () => {
    const bin = resolve(__dirname, '../../bin/apimon.js');
    const result = await promisify(execFile)(process.execPath, [bin, 'status', '--prometheus', 'http://127.0.0.1:9'], {
      env: { ...process.env, [STORE_ENV.bearerToken]: 'tok-s3cret', [STORE_ENV.basicAuth]: 'u:pw-s3cret' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'apimon status: APIMON_STORE_BEARER_TOKEN and APIMON_STORE_BASIC_AUTH are both set; set the one your store takes\n'
    );
  });
});
