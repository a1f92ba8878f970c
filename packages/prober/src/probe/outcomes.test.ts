// Every way a target can fail, against real servers on 127.0.0.1, classified into exactly one
// outcome with a readable error.
import { gzipSync } from 'node:zlib';
import type { Socket } from 'node:net';
import { probeEndpoint } from '.';
import { endpointFor } from '../test-support/endpoint';
import { TestServers } from '../test-support/servers';

// Real servers and sockets: on a busy two-core CI machine a test can take seconds.
jest.setTimeout(20_000);

const servers = new TestServers();
afterEach(() => servers.closeAll());

/** Sends a raw HTTP/1.1 response head once the request has arrived. */
function onRequest(socket: Socket, respond: (socket: Socket) => void) {
  let seen = '';
  socket.on('data', (d) => {
    seen += d.toString('latin1');
    if (seen.includes('\r\n\r\n')) {
      seen = '';
      respond(socket);
    }
  });
  socket.on('error', () => undefined);
}

describe('network faults', () => {
  it('a server that never answers is a timeout during ttfb', async () => {
    const s = await servers.http(() => undefined);
    const { api, endpoint } = endpointFor({ url: s.url('/hang'), timeout: '300ms' });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({ outcome: 'timeout', code: 0, error: 'timed out after 300 ms during ttfb' });
    expect(r.durationMs).toBeGreaterThanOrEqual(295);
    expect(r.durationMs).toBeLessThan(3000);
    // The phases run up to the timeout: connected, then waiting in ttfb, nothing transferred.
    expect(r.phases.connect + r.phases.ttfb).toBeGreaterThanOrEqual(250);
    expect(r.phases.ttfb).toBeGreaterThan(0);
    expect(r.phases.transfer).toBe(0);
  });

  it('a body dripping one byte at a time is a timeout during transfer, whole probe bounded', async () => {
    const s = await servers.http((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const drip = setInterval(() => res.write('x'), 40);
      res.on('close', () => clearInterval(drip));
    });
    const { api, endpoint } = endpointFor({ url: s.url('/drip'), timeout: '400ms' });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({ outcome: 'timeout', code: 200, error: 'timed out after 400 ms during transfer' });
    expect(r.bytes).toBeGreaterThan(0);
    expect(r.durationMs).toBeLessThan(3000);
  });

  it('a server that accepts TCP but never speaks TLS is a timeout during tls', async () => {
    const s = await servers.tcp((socket) => socket.on('error', () => undefined));
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/`, timeout: '300ms' });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({ outcome: 'timeout', error: 'timed out after 300 ms during tls' });
  });

  it("a refused port is connect with Node's familiar text", async () => {
    const s = await servers.http(() => undefined);
    const port = s.port;
    await servers.closeAll();
    const { api, endpoint } = endpointFor({ url: `http://127.0.0.1:${port}/` });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({ outcome: 'connect', code: 0, error: `connect ECONNREFUSED 127.0.0.1:${port}`, bytes: 0 });
    expect(r.phases.ttfb).toBe(0);
  });

  it('a reset before any response is connect, and says so', async () => {
    const s = await servers.tcp((socket) => onRequest(socket, (sock) => sock.resetAndDestroy()));
    const { api, endpoint } = endpointFor({ url: s.url('/reset') });
    const r = await probeEndpoint(api, endpoint);
    expect(r.outcome).toBe('connect');
    expect(r.code).toBe(0);
    expect(r.error).toMatch(
      /^connection reset by the server before a response|server closed the connection before responding/
    );
  });

  it('a reset after the response head is connect "during transfer", keeping the status', async () => {
    const s = await servers.tcp((socket) =>
      onRequest(socket, (sock) => {
        sock.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789', () =>
          setTimeout(() => sock.resetAndDestroy(), 300)
        );
      })
    );
    const { api, endpoint } = endpointFor({ url: s.url('/partial') });
    const r = await probeEndpoint(api, endpoint);
    expect(r.outcome).toBe('connect');
    expect(r.code).toBe(200);
    expect(r.bytes).toBe(10);
    expect(r.error).toMatch(/during transfer \(status 200, 10 body bytes received\)/);
  });

  it('a close in the middle of the body is the same: connect, during transfer', async () => {
    const s = await servers.tcp((socket) =>
      onRequest(socket, (sock) => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789'))
    );
    const { api, endpoint } = endpointFor({ url: s.url('/short') });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({ outcome: 'connect', code: 200, bytes: 10 });
    expect(r.error).toMatch(/^connection lost during transfer \(status 200, 10 body bytes received\)/);
  });

  it('a connection closed without a response is connect', async () => {
    const s = await servers.tcp((socket) => onRequest(socket, (sock) => sock.end()));
    const { api, endpoint } = endpointFor({ url: s.url('/close') });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({
      outcome: 'connect',
      error: 'server closed the connection before responding (socket hang up)',
    });
  });

  it('garbage instead of HTTP is connect with the parser error', async () => {
    const s = await servers.tcp((socket) => onRequest(socket, (sock) => sock.end('SSH-2.0-OpenSSH_9.2\r\n')));
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    const r = await probeEndpoint(api, endpoint);
    expect(r.outcome).toBe('connect');
    expect(r.error).toMatch(/^malformed HTTP response/);
  });

  it('a name in .invalid fails dns at once (RFC 6761), through the default resolver', async () => {
    const { api, endpoint } = endpointFor({ url: 'http://nonexistent.invalid/', timeout: '2s' });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({
      outcome: 'dns',
      code: 0,
      error: 'dns lookup of nonexistent.invalid failed: ENOTFOUND (no such host)',
    });
    expect(r.durationMs).toBeLessThan(2000); // no resolver was asked
  });

  it('a resolver failure from an injected lookup is dns too', async () => {
    const { api, endpoint } = endpointFor({ url: 'http://api.example.test/' });
    const r = await probeEndpoint(api, endpoint, {
      lookup: (hostname, _opts, cb) => {
        const err: NodeJS.ErrnoException = new Error(`getaddrinfo EAI_AGAIN ${hostname}`);
        err.code = 'EAI_AGAIN';
        setTimeout(() => cb(err, '', 0), 5);
      },
    });
    expect(r).toMatchObject({
      outcome: 'dns',
      error: 'dns lookup of api.example.test failed: EAI_AGAIN (resolver temporarily failed)',
    });
  });
});

describe('status codes', () => {
  const status = (code: number, headers: Record<string, string> = {}) =>
    servers.http((req, res) => {
      res.writeHead(code, { 'content-type': 'text/plain', ...headers });
      res.end(`status ${code}`);
    });

  it('500 is http_5xx', async () => {
    const s = await status(500);
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({
      outcome: 'http_5xx',
      code: 500,
      error: 'server error: status 500 (expected 200)',
      bytes: 10,
    });
  });

  it('404 is http_4xx', async () => {
    const s = await status(404);
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({
      outcome: 'http_4xx',
      code: 404,
      error: 'client error: status 404 (expected 200)',
    });
  });

  it('an expected 404 is ok', async () => {
    const s = await status(404);
    const { api, endpoint } = endpointFor({ url: s.url('/'), expect: { status: [404] } });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({ outcome: 'ok', code: 404, error: null });
  });

  it('429 with Retry-After in seconds is rate_limited', async () => {
    const s = await status(429, { 'retry-after': '30' });
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({
      outcome: 'rate_limited',
      code: 429,
      retryAfterSeconds: 30,
    });
  });

  it('429 with Retry-After as an HTTP date is rate_limited, seconds from now', async () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0);
    const s = await status(429, { 'retry-after': new Date(now + 120_000).toUTCString() });
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    expect(await probeEndpoint(api, endpoint, { now: () => now })).toMatchObject({
      outcome: 'rate_limited',
      retryAfterSeconds: 120,
    });
  });

  it('rate-limit headers of any response are read through the core parser', async () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0);
    const s = await status(200, {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4990',
      'x-ratelimit-reset': String(now / 1000 + 30),
    });
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    const r = await probeEndpoint(api, endpoint, { now: () => now });
    expect(r.outcome).toBe('ok');
    expect(r.rateLimit).toMatchObject({ policy: expect.any(String), limit: 5000, remaining: 4990, resetSeconds: 30 });
    expect(r.rateLimits).toEqual([r.rateLimit]);
    expect(r.retryAfterSeconds).toBeNull();
  });

  it('a HEAD probe has no body and is ok', async () => {
    const s = await status(200);
    const { api, endpoint } = endpointFor({ url: s.url('/'), method: 'HEAD' });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({ outcome: 'ok', code: 200, bytes: 0 });
  });

  it('a status neither expected nor an error is an assertion', async () => {
    const s = await status(204);
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({
      outcome: 'assertion',
      code: 204,
      error: 'unexpected status 204 (expected 200)',
    });
  });
});

describe('body', () => {
  it('stops reading at maxBytes and reports body_limit', async () => {
    let written = 0;
    let closed!: () => void;
    const serverDone = new Promise<void>((resolve) => (closed = resolve));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const s = await servers.http((req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const pump = () => {
        while (written < 200 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => closed());
      pump();
    });
    const { api, endpoint } = endpointFor({ url: s.url('/huge'), expect: { maxBytes: '100KiB' } });
    const r = await probeEndpoint(api, endpoint);
    await serverDone;
    expect(r).toMatchObject({ outcome: 'body_limit', code: 200 });
    expect(r.error).toMatch(/^body exceeds maxBytes 102400: stopped reading after \d+ bytes$/);
    expect(r.bytes).toBeGreaterThan(100 * 1024);
    expect(r.bytes).toBeLessThan(100 * 1024 + 2 * 1024 * 1024);
    // The server could only push what socket buffers hold before the probe hung up.
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });

  const json = (body: string, headers: Record<string, string> = {}) =>
    servers.http((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(body);
    });

  it('bodyContains and jsonKeys pass on a matching body', async () => {
    const s = await json('{"data":[],"total":0,"status":"healthy"}');
    const { api, endpoint } = endpointFor({
      url: s.url('/'),
      expect: { bodyContains: 'healthy', jsonKeys: ['data', 'total'] },
    });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({ outcome: 'ok', error: null, bytes: 40 });
  });

  it('a missing bodyContains text is an assertion', async () => {
    const s = await json('{"status":"degraded"}');
    const { api, endpoint } = endpointFor({ url: s.url('/'), expect: { bodyContains: 'healthy' } });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({
      outcome: 'assertion',
      code: 200,
      error: 'body does not contain "healthy"',
    });
  });

  it('missing JSON keys are an assertion naming them', async () => {
    const s = await json('{"data":[]}');
    const { api, endpoint } = endpointFor({ url: s.url('/'), expect: { jsonKeys: ['data', 'total', 'page'] } });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({
      outcome: 'assertion',
      error: 'JSON body lacks keys total, page',
    });
  });

  it('a body that is not JSON fails jsonKeys without quoting the body', async () => {
    const s = await json('<html>secret-looking body</html>');
    const { api, endpoint } = endpointFor({ url: s.url('/'), expect: { jsonKeys: ['data'] } });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({
      outcome: 'assertion',
      error: 'body is not valid JSON; expected an object with keys data',
    });
  });

  it('a JSON array is not an object with keys', async () => {
    const s = await json('[1,2]');
    const { api, endpoint } = endpointFor({ url: s.url('/'), expect: { jsonKeys: ['data'] } });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({
      outcome: 'assertion',
      error: 'JSON body is an array, not an object with keys data',
    });
  });

  it('a gzip body is checked decoded, and counted as sent', async () => {
    const zipped = gzipSync(Buffer.from(JSON.stringify({ data: [1, 2, 3], total: 3 })));
    const s = await json(zipped as unknown as string, { 'content-encoding': 'gzip' });
    const { api, endpoint } = endpointFor({
      url: s.url('/'),
      headers: { 'Accept-Encoding': 'gzip' },
      expect: { jsonKeys: ['data', 'total'] },
    });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({ outcome: 'ok', bytes: zipped.length });
  });
});

describe('redirects', () => {
  it('follows a 302 and a 307, reporting the final status and the count', async () => {
    const seen: string[] = [];
    const s = await servers.http((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/a') {
        res.writeHead(302, { location: '/b' }).end();
      } else if (req.url === '/b') {
        res.writeHead(307, { location: '/c' }).end();
      } else {
        res.writeHead(200).end('done');
      }
    });
    const { api, endpoint } = endpointFor({
      url: s.url('/a'),
      method: 'POST',
      body: '{"q":1}',
      headers: { 'Content-Type': 'application/json' },
    });
    const r = await probeEndpoint(api, endpoint);
    expect(r).toMatchObject({ outcome: 'ok', code: 200, redirects: 2, plainHttp: true });
    // 302 turns POST into GET; 307 repeats the method it got.
    expect(seen).toEqual(['POST /a', 'GET /b', 'GET /c']);
  });

  it('keeps POST and its body across a 308', async () => {
    const bodies: string[] = [];
    const s = await servers.http((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.url} ${body}`);
        if (req.url === '/old') {
          res.writeHead(308, { location: '/new' }).end();
        } else {
          res.writeHead(200).end();
        }
      });
    });
    const { api, endpoint } = endpointFor({ url: s.url('/old'), method: 'POST', body: 'payload' });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({ outcome: 'ok', redirects: 1 });
    expect(bodies).toEqual(['POST /old payload', 'POST /new payload']);
  });

  it('a redirect loop ends as an assertion "too many redirects" after maxRedirects', async () => {
    let hits = 0;
    const s = await servers.http((req, res) => {
      hits++;
      res.writeHead(302, { location: req.url === '/ping' ? '/pong?token=abc' : '/ping' }).end();
    });
    const { api, endpoint } = endpointFor({ url: s.url('/ping'), maxRedirects: 2 });
    const r = await probeEndpoint(api, endpoint);
    expect(r.outcome).toBe('assertion');
    expect(r.code).toBe(302);
    expect(r.redirects).toBe(2);
    // The query (it may carry a token) is left out of the message.
    expect(r.error).toBe(`redirect loop: too many redirects: status 302 to ${s.url('/pong')} after 2 (maxRedirects 2)`);
    expect(hits).toBe(3);
  });

  it('maxRedirects 0 does not follow; an expected 3xx is ok as it is', async () => {
    const s = await servers.http((req, res) => res.writeHead(301, { location: '/elsewhere' }).end());
    const notFollowed = endpointFor({ url: s.url('/'), maxRedirects: 0 });
    expect(await probeEndpoint(notFollowed.api, notFollowed.endpoint)).toMatchObject({
      outcome: 'assertion',
      redirects: 0,
    });
    const expected = endpointFor({ url: s.url('/'), expect: { status: [301] } });
    expect(await probeEndpoint(expected.api, expected.endpoint)).toMatchObject({
      outcome: 'ok',
      code: 301,
      redirects: 0,
    });
  });

  it('a redirect without Location is an assertion', async () => {
    const s = await servers.http((req, res) => res.writeHead(302).end());
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    expect(await probeEndpoint(api, endpoint)).toMatchObject({
      outcome: 'assertion',
      error: 'status 302 redirect without a Location header',
    });
  });
});
