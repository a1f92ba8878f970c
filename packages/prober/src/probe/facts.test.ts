// Response facts for the audit: header parsing on its own, then through probes of real servers
// (compression asked for and measured, bodies hashed, HSTS read, the key of a query-auth API
// sent on the wire only).
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { probeEndpoint } from '.';
import { endpointFor } from '../test-support/endpoint';
import { issueCertificate } from '../test-support/certs';
import { TestServers } from '../test-support/servers';
import { asksForCompression, cacheFacts, decodedSize, hstsMaxAge, parseCacheControl } from './facts';

jest.setTimeout(20_000);

describe('Cache-Control and validators', () => {
  it('reads directives case-insensitively, with quoted values holding commas', () => {
    const cc = parseCacheControl('Public, MAX-AGE=60, no-cache="set-cookie, x-a", s-maxage="120"');
    expect(cc.get('public')).toBe(true);
    expect(cc.get('max-age')).toBe('60');
    expect(cc.get('no-cache')).toBe('set-cookie, x-a');
    expect(cc.get('s-maxage')).toBe('120');
  });

  it('takes s-maxage over max-age, then Expires minus Date', () => {
    expect(cacheFacts({ 'cache-control': 'max-age=60, s-maxage=300' }).freshnessSeconds).toBe(300);
    expect(cacheFacts({ 'cache-control': 'public, max-age=60' }).freshnessSeconds).toBe(60);
    const date = 'Tue, 10 Jun 2025 14:00:00 GMT';
    expect(cacheFacts({ date, expires: 'Tue, 10 Jun 2025 15:00:00 GMT' }).freshnessSeconds).toBe(3600);
    // An invalid Expires means already expired (RFC 9111 5.3).
    expect(cacheFacts({ date, expires: '0' })).toMatchObject({ expires: true, freshnessSeconds: 0 });
  });

  it('gives no lifetime with no-store or a bare no-cache; no-cache="field" keeps it', () => {
    expect(cacheFacts({ 'cache-control': 'no-store, max-age=60' })).toMatchObject({ noStore: true, freshnessSeconds: 0 });
    expect(cacheFacts({ 'cache-control': 'no-cache, max-age=60' })).toMatchObject({ noCache: true, freshnessSeconds: 0 });
    expect(cacheFacts({ 'cache-control': 'no-cache="set-cookie", max-age=60' })).toMatchObject({ noCache: false, freshnessSeconds: 60 });
  });

  it('ignores malformed values instead of failing', () => {
    expect(cacheFacts({ 'cache-control': 'max-age=soon, ,,=,"unclosed' }).freshnessSeconds).toBe(0);
    expect(cacheFacts({ 'last-modified': 'yesterday' }).lastModified).toBe(false);
  });

  it('records validators, private and Vary (lowercase, sorted, once each)', () => {
    const f = cacheFacts({
      'cache-control': 'private, max-age=30',
      etag: 'W/"abc"',
      'last-modified': 'Tue, 10 Jun 2025 14:00:00 GMT',
      vary: 'Accept-Encoding, Authorization, accept-encoding',
    });
    expect(f).toMatchObject({ private: true, etag: true, lastModified: true, expires: false, vary: 'accept-encoding,authorization' });
  });
});

describe('HSTS, encodings and the Accept-Encoding asked for', () => {
  it('reads max-age of the first Strict-Transport-Security header', () => {
    expect(hstsMaxAge('max-age=31536000; includeSubDomains; preload')).toBe(31536000);
    expect(hstsMaxAge('includeSubDomains; max-age="600"')).toBe(600);
    expect(hstsMaxAge(['max-age=10', 'max-age=99'])).toBe(10);
    expect(hstsMaxAge('max-age=abc')).toBe(0);
    expect(hstsMaxAge(undefined)).toBe(0);
  });

  it('measures decoded sizes of gzip, raw deflate and br; unknown encodings and corrupt bodies are null', () => {
    const body = Buffer.from('x'.repeat(10_000));
    expect(decodedSize(gzipSync(body), 'gzip')).toBe(10_000);
    expect(decodedSize(deflateRawSync(body), 'deflate')).toBe(10_000);
    expect(decodedSize(brotliCompressSync(body), 'br')).toBe(10_000);
    expect(decodedSize(body, 'zstd')).toBeNull();
    expect(decodedSize(Buffer.from('not gzip'), 'gzip')).toBeNull();
  });

  it('knows whether compression was asked for', () => {
    expect(asksForCompression({ 'accept-encoding': 'gzip, deflate, br' })).toBe(true);
    expect(asksForCompression({ 'Accept-Encoding': 'identity' })).toBe(false);
    expect(asksForCompression({ 'Accept-Encoding': 'gzip;q=0, identity' })).toBe(false);
    expect(asksForCompression({})).toBe(false);
  });
});

describe('response facts of real probes', () => {
  const servers = new TestServers();
  afterEach(() => servers.closeAll());
  const body = JSON.stringify({ items: Array.from({ length: 400 }, (_, i) => ({ id: i, name: `item ${i}` })) });

  /** Compresses when asked, like most providers; `compress: false` never does. */
  const api = (options: { compress: boolean; headers?: Record<string, string> }) => (req: IncomingMessage, res: ServerResponse) => {
    const gzip = options.compress && /gzip/.test(String(req.headers['accept-encoding'] ?? ''));
    const payload = gzip ? gzipSync(body) : Buffer.from(body);
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...options.headers,
    });
    res.end(payload);
  };

  it('asks for compression and measures wire against decoded bytes', async () => {
    const s = await servers.http(api({ compress: true, headers: { 'cache-control': 'public, max-age=300', etag: '"v1"' } }));
    const { api: a, endpoint } = endpointFor({ url: `http://127.0.0.1:${s.port}/items` });
    const r = await probeEndpoint(a, endpoint);
    expect(r.outcome).toBe('ok');
    expect(r.facts).toMatchObject({ encoding: 'gzip', compressionRequested: true, decodedBytes: body.length });
    expect(r.facts!.wireBytes).toBeLessThan(body.length / 3);
    expect(r.bytes).toBe(r.facts!.wireBytes);
    expect(r.facts!.cache).toMatchObject({ etag: true, freshnessSeconds: 300 });
    expect(r.facts!.hstsMaxAgeSeconds).toBeNull();
  });

  it('an uncompressed answer to a request for compression is identity, wire = decoded', async () => {
    const s = await servers.http(api({ compress: false }));
    const { api: a, endpoint } = endpointFor({ url: `http://127.0.0.1:${s.port}/items` });
    const r = await probeEndpoint(a, endpoint);
    expect(r.facts).toMatchObject({ encoding: 'identity', compressionRequested: true, wireBytes: body.length, decodedBytes: body.length });
  });

  it('a catalog Accept-Encoding wins: identity means compression was not asked for', async () => {
    const s = await servers.http(api({ compress: true }));
    const { api: a, endpoint } = endpointFor({ url: `http://127.0.0.1:${s.port}/items`, headers: { 'Accept-Encoding': 'identity' } });
    const r = await probeEndpoint(a, endpoint);
    expect(r.facts).toMatchObject({ encoding: 'identity', compressionRequested: false });
  });

  it('hashes complete 2xx bodies only: equal bodies, equal hashes; never the body itself', async () => {
    let n = 0;
    const s = await servers.http((_req, res) => {
      n += 1;
      res.writeHead(n === 3 ? 500 : 200);
      res.end(n <= 2 ? 'same body' : `body ${n}`);
    });
    const { api: a, endpoint } = endpointFor({ url: `http://127.0.0.1:${s.port}/`, expect: { status: [200, 500] } });
    const [first, second, failed, fourth] = [
      await probeEndpoint(a, endpoint),
      await probeEndpoint(a, endpoint),
      await probeEndpoint(a, endpoint),
      await probeEndpoint(a, endpoint),
    ];
    expect(first.facts!.bodyHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.facts!.bodyHash).toBe(first.facts!.bodyHash);
    expect(failed.facts!.bodyHash).toBeNull();
    expect(fourth.facts!.bodyHash).not.toBe(first.facts!.bodyHash);
    expect(JSON.stringify(first)).not.toContain('same body');
  });

  it('reads HSTS on https', async () => {
    const self = issueCertificate({ commonName: 'localhost', altNames: ['127.0.0.1'] });
    const s = await servers.https(self, (_req, res) => {
      res.writeHead(200, { 'strict-transport-security': 'max-age=63072000; includeSubDomains' });
      res.end('{}');
    });
    const { api: a, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/`, tls: { insecureSkipVerify: true } });
    const r = await probeEndpoint(a, endpoint);
    expect(r.facts!.hstsMaxAgeSeconds).toBe(63072000);
    // Verification skipped still says what it would have found.
    expect(r.tls).toMatchObject({ protocol: 'TLSv1.3', verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });
});
