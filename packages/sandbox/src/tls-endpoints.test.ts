// Each TLS profile of the sandbox does what its name says, seen by Node's own TLS client.
import { request } from 'node:https';
import { connect } from 'node:tls';
import { gunzipSync } from 'node:zlib';
import { createTlsEndpoints, type TlsEndpoints } from './tls-endpoints';

let endpoints: TlsEndpoints;
beforeAll(async () => {
  endpoints = await createTlsEndpoints();
});
afterAll(() => endpoints.close());

/** One handshake: protocol, cipher and whether the chain verified against the sandbox CA. */
function handshake(
  url: string,
  legacy = false
): Promise<{ protocol: string | null; cipher: string; authorized: boolean; error?: string }> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({
      host: u.hostname,
      port: Number(u.port),
      ca: endpoints.ca,
      rejectUnauthorized: false,
      ...(legacy ? { minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
    });
    socket.once('secureConnect', () => {
      resolve({
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().name,
        authorized: socket.authorized,
        error: socket.authorizationError ? String(socket.authorizationError) : undefined,
      });
      socket.destroy();
    });
    socket.once('error', (err) =>
      resolve({ protocol: null, cipher: '', authorized: false, error: (err as NodeJS.ErrnoException).code })
    );
  });
}

function get(url: string): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: endpoints.ca, headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox TLS endpoints', () => {
  it('modern: TLS 1.3, a chain that verifies, HSTS, gzip when asked, no-store', async () => {
    expect(await handshake(endpoints.urls.modern)).toMatchObject({ protocol: 'TLSv1.3', authorized: true });
    const { headers, body } = await get(`${endpoints.urls.modern}/v1/listings`);
    expect(headers).toMatchObject({
      'content-encoding': 'gzip',
      'cache-control': 'no-store',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
    });
    expect(JSON.parse(gunzipSync(body).toString()).items).toHaveLength(40);
  });

  it("legacy-tls: refused by Node's defaults, TLS 1.1 to a client that allows it", async () => {
    expect((await handshake(endpoints.urls['legacy-tls'])).protocol).toBeNull();
    expect(await handshake(endpoints.urls['legacy-tls'], true)).toMatchObject({
      protocol: 'TLSv1.1',
      authorized: true,
    });
  });

  it('weak-cipher: TLS 1.2 with a CBC cipher', async () => {
    expect(await handshake(endpoints.urls['weak-cipher'])).toMatchObject({
      protocol: 'TLSv1.2',
      cipher: 'ECDHE-ECDSA-AES128-SHA',
      authorized: true,
    });
  });

  it('incomplete-chain: the leaf alone does not verify against the root', async () => {
    expect(await handshake(endpoints.urls['incomplete-chain'])).toMatchObject({
      authorized: false,
      error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  it('no-hsts: everything but Strict-Transport-Security', async () => {
    const { headers } = await get(`${endpoints.urls['no-hsts']}/`);
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(headers['content-encoding']).toBe('gzip');
  });
});
