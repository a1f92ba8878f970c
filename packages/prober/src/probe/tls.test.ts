// TLS against real HTTPS servers with certificates made at test time: the chain's earliest
// expiry, every kind of rejected certificate as outcome tls, and the catalog's TLS settings.
import type { TLSSocket } from 'node:tls';
import { probeEndpoint } from '.';
import { issueCertificate } from '../test-support/certs';
import { endpointFor } from '../test-support/endpoint';
import { TestServers } from '../test-support/servers';

// Real servers and sockets: on a busy two-core CI machine a test can take seconds.
jest.setTimeout(20_000);

const servers = new TestServers();
afterEach(() => servers.closeAll());

const DAY = 86_400_000;
// The CA runs out before the leaf does: the chain's expiry is the CA's.
const ca = issueCertificate({ commonName: 'apimon test CA', isCa: true, notAfter: new Date(Date.now() + 10 * DAY) });
const leaf = issueCertificate({
  commonName: 'localhost',
  altNames: ['localhost', '127.0.0.1'],
  issuer: ca,
  notAfter: new Date(Date.now() + 40 * DAY),
});
const hello = (req: unknown, res: import('node:http').ServerResponse) => res.end('hello');

describe('TLS', () => {
  it('a trusted chain is ok, with a tls phase and the earliest expiry in the chain', async () => {
    const s = await servers.https({ cert: leaf.cert + ca.cert, key: leaf.key }, hello);
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const r = await probeEndpoint(api, endpoint, { ca: ca.cert });
    expect(r).toMatchObject({ outcome: 'ok', code: 200, error: null, plainHttp: false, tlsExpiresAt: ca.notAfter });
    expect(r.phases.tls).toBeGreaterThan(0);
    expect(r.phases.dns).toBe(0);
  });

  it('a self-signed certificate is tls, and its expiry is still recorded', async () => {
    const self = issueCertificate({ commonName: 'self', altNames: ['127.0.0.1'] });
    const s = await servers.https(self, hello);
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({
      outcome: 'tls',
      code: 0,
      error: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
      tlsExpiresAt: self.notAfter,
    });
  });

  it('a chain from an unknown CA is tls', async () => {
    const s = await servers.https({ cert: leaf.cert, key: leaf.key }, hello);
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const r = await probeEndpoint(api, endpoint);
    expect(r.outcome).toBe('tls');
    expect(r.error).toMatch(/unable to (verify the first certificate|get local issuer certificate)/);
  });

  it('an expired certificate is tls "certificate has expired", with its past expiry', async () => {
    const expired = issueCertificate({
      commonName: 'localhost',
      altNames: ['127.0.0.1'],
      issuer: ca,
      notBefore: new Date(Date.now() - 60 * DAY),
      notAfter: new Date(Date.now() - 2 * DAY),
    });
    const s = await servers.https({ cert: expired.cert + ca.cert, key: expired.key }, hello);
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const r = await probeEndpoint(api, endpoint, { ca: ca.cert });
    expect(r).toMatchObject({
      outcome: 'tls',
      error: 'certificate has expired (CERT_HAS_EXPIRED)',
      tlsExpiresAt: expired.notAfter,
    });
  });

  it('a certificate for another name is tls', async () => {
    const other = issueCertificate({ commonName: 'api.other.test', altNames: ['api.other.test'], issuer: ca });
    const s = await servers.https({ cert: other.cert + ca.cert, key: other.key }, hello);
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const r = await probeEndpoint(api, endpoint, { ca: ca.cert });
    expect(r.outcome).toBe('tls');
    expect(r.error).toMatch(
      /^Hostname\/IP does not match certificate's altnames: .*127\.0\.0\.1.* \(ERR_TLS_CERT_ALTNAME_INVALID\)$/
    );
    expect(r.tlsExpiresAt).toBe(Math.min(other.notAfter, ca.notAfter));
  });

  it('insecureSkipVerify accepts a self-signed certificate and still records its expiry', async () => {
    const self = issueCertificate({ commonName: 'self', altNames: ['127.0.0.1'] });
    const s = await servers.https(self, hello);
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/`, tls: { insecureSkipVerify: true } });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({ outcome: 'ok', tlsExpiresAt: self.notAfter });
  });

  it('serverName sets SNI and the name the certificate must match', async () => {
    const named = issueCertificate({ commonName: 'api.acme.test', altNames: ['api.acme.test'], issuer: ca });
    let sni: string | false | null | undefined;
    const s = await servers.https({ cert: named.cert + ca.cert, key: named.key }, (req, res) => {
      sni = (req.socket as TLSSocket).servername;
      res.end('ok');
    });
    const { api, endpoint } = endpointFor({
      url: `https://127.0.0.1:${s.port}/`,
      tls: { serverName: 'api.acme.test' },
    });
    expect(await probeEndpoint(api, endpoint, { ca: ca.cert })).toMatchObject({ outcome: 'ok' });
    expect(sni).toBe('api.acme.test');
  });

  it('TLS to a plain-http port is tls (a protocol error)', async () => {
    const plain = await servers.http(hello);
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${plain.port}/` });
    const r = await probeEndpoint(api, endpoint);
    expect(r.outcome).toBe('tls');
    expect(r.error).toMatch(/^TLS protocol error: .+ \(is the server speaking TLS\?\)$/);
  });

  it('a reset during the handshake is tls, not connect', async () => {
    const s = await servers.tcp((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.resetAndDestroy()); // the ClientHello
    });
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({ outcome: 'tls', code: 0, tlsExpiresAt: null });
    expect(r.error).toMatch(/^TLS handshake with 127\.0\.0\.1 failed: .*ECONNRESET/);
  });

  it('an https -> http redirect is flagged plainHttp', async () => {
    const plain = await servers.http(hello);
    const s = await servers.https({ cert: leaf.cert + ca.cert, key: leaf.key }, (req, res) =>
      res.writeHead(301, { location: plain.url('/landing') }).end()
    );
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const r = await probeEndpoint(api, endpoint, { ca: ca.cert });
    expect(r).toMatchObject({ outcome: 'ok', code: 200, redirects: 1, plainHttp: true, tlsExpiresAt: ca.notAfter });
  });
});

// What the audit needs of each handshake (tls_old_protocol, tls_weak_cipher, tls_chain_problem).
// OpenSSL 3 refuses TLS 1.0/1.1 and legacy ciphers below security level 0, so the old server
// needs minVersion and @SECLEVEL=0 to offer them at all.
describe('handshake facts', () => {
  it('records the negotiated protocol and cipher', async () => {
    const s = await servers.https({ cert: leaf.cert + ca.cert, key: leaf.key }, hello);
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const r = await probeEndpoint(api, endpoint, { ca: ca.cert });
    expect(r.tls).toEqual({ protocol: 'TLSv1.3', cipher: expect.stringMatching(/^TLS_/), verifyError: null });
  });

  it('a TLS 1.1-only server fails the probe as tls, and a second handshake names what it offers', async () => {
    const old = await servers.https(
      { cert: leaf.cert + ca.cert, key: leaf.key, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' },
      hello
    );
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${old.port}/` });
    const r = await probeEndpoint(api, endpoint, { ca: ca.cert });
    expect(r).toMatchObject({ outcome: 'tls', code: 0, tls: { protocol: 'TLSv1.1', verifyError: null } });
    expect(r.error).toMatch(/^the server only offers TLSv1\.1 \(ECDHE-ECDSA-[A-Z0-9-]+\); TLS 1\.2 or newer is required$/);
  });

  it('a TLS 1.2 server choosing a CBC cipher is ok, with that cipher recorded', async () => {
    const s = await servers.https({ cert: leaf.cert + ca.cert, key: leaf.key, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA' }, hello);
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const r = await probeEndpoint(api, endpoint, { ca: ca.cert });
    expect(r).toMatchObject({ outcome: 'ok', tls: { protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES128-SHA', verifyError: null } });
  });

  it('a chain that does not verify is recorded with its code, whether the probe rejects it or skips the check', async () => {
    const s = await servers.https({ cert: leaf.cert, key: leaf.key }, hello);
    const rejected = endpointFor({ url: `https://127.0.0.1:${s.port}/` });
    const skipped = endpointFor({ url: `https://127.0.0.1:${s.port}/`, tls: { insecureSkipVerify: true } });
    const r1 = await probeEndpoint(rejected.api, rejected.endpoint);
    const r2 = await probeEndpoint(skipped.api, skipped.endpoint);
    expect(r1).toMatchObject({ outcome: 'tls', tls: { verifyError: expect.stringMatching(/^UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)$/) } });
    expect(r2).toMatchObject({ outcome: 'ok', tls: { verifyError: r1.tls!.verifyError } });
  });
});
