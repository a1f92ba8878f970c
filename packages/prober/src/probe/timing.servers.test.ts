// Phase timing against servers with known injected delays. A phase can never be shorter than
// the delay the server injected, so the lower bounds are tight; the upper bounds are loose
// because CI runs suites in parallel on two cores. Accuracy under load is a benchmark's job.
import http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { PHASES } from '@apimon/core';
import { ProbeAbortedError, probeEndpoint } from '.';
import { exchange } from './http';
import { defaultLookup } from './lookup';
import { clock, ioClock } from './timing';
import { issueCertificate } from '../test-support/certs';
import { endpointFor } from '../test-support/endpoint';
import { TestServers } from '../test-support/servers';

// Real servers and sockets: on a busy two-core CI machine a test can take seconds.
jest.setTimeout(20_000);

const servers = new TestServers();
afterEach(() => servers.closeAll());

const sum = (phases: Record<string, number>) => PHASES.reduce((n, p) => n + phases[p], 0);

/** Resolves every name to 127.0.0.1 after `delayMs`, honouring { all: true }. */
const slowLookup =
  (delayMs: number): LookupFunction =>
  (hostname, options, callback) => {
    setTimeout(
      () => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)),
      delayMs
    );
  };

describe('phases', () => {
  it('a server delaying its response head by 100 ms gives ttfb of about 100 ms', async () => {
    const s = await servers.http((req, res) => setTimeout(() => res.end('late'), 100));
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    await probeEndpoint(api, endpoint); // warm up the code paths once
    const r = await probeEndpoint(api, endpoint);
    expect(r.outcome).toBe('ok');
    expect(r.phases.ttfb).toBeGreaterThanOrEqual(99);
    expect(r.phases.ttfb).toBeLessThan(500);
    expect(r.phases.dns).toBe(0); // IP literal: nothing resolved
    expect(r.phases.tls).toBe(0); // plain http
    expect(r.phases.connect).toBeGreaterThan(0);
    expect(sum(r.phases)).toBeLessThanOrEqual(r.durationMs);
  });

  it('a body sent 100 ms after the head gives transfer of about 100 ms', async () => {
    const s = await servers.http((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.flushHeaders();
      setTimeout(() => res.end('body'), 100);
    });
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    const r = await probeEndpoint(api, endpoint);
    expect(r.phases.transfer).toBeGreaterThanOrEqual(99);
    expect(r.phases.transfer).toBeLessThan(500);
    expect(r.phases.ttfb).toBeLessThan(r.phases.transfer);
  });

  it('name resolution is the dns phase', async () => {
    const s = await servers.http((req, res) => res.end('ok'));
    const { api, endpoint } = endpointFor({ url: `http://api.acme.test:${s.port}/` });
    const r = await probeEndpoint(api, endpoint, { lookup: slowLookup(50) });
    expect(r.outcome).toBe('ok');
    expect(r.phases.dns).toBeGreaterThanOrEqual(49);
    expect(r.phases.dns).toBeLessThan(450);
  });

  it('https has a tls phase', async () => {
    const cert = issueCertificate({ commonName: 'localhost', altNames: ['127.0.0.1'] });
    const s = await servers.https(cert, (req, res) => res.end('ok'));
    const { api, endpoint } = endpointFor({ url: `https://127.0.0.1:${s.port}/`, tls: { insecureSkipVerify: true } });
    const r = await probeEndpoint(api, endpoint);
    expect(r.outcome).toBe('ok');
    expect(r.phases.tls).toBeGreaterThan(0);
    expect(r.phases.connect).toBeGreaterThan(0);
  });

  it('an IPv6 literal is not resolved either (skipped where ::1 cannot be bound)', async () => {
    const server = http.createServer((req, res) => res.end(req.headers.host));
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, '::1', () => resolve(true));
    });
    if (!bound) {
      return;
    }
    try {
      const { port } = server.address() as AddressInfo;
      const { api, endpoint } = endpointFor({
        url: `http://[::1]:${port}/`,
        expect: { bodyContains: `[::1]:${port}` },
      });
      const r = await probeEndpoint(api, endpoint);
      expect(r).toMatchObject({ outcome: 'ok', error: null });
      expect(r.phases.dns).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('opens a fresh connection for every probe (no keep-alive)', async () => {
    const s = await servers.http((req, res) => res.end('ok'));
    let connections = 0;
    s.server.on('connection', () => connections++);
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    for (let i = 0; i < 3; i++) {
      const r = await probeEndpoint(api, endpoint);
      expect(r.phases.connect).toBeGreaterThan(0);
    }
    expect(connections).toBe(3);
  });
});

describe('responses that arrive together', () => {
  it('are timed when the event loop learns of them, not when each callback gets its turn', async () => {
    // The server holds every response until all requests are in, then sends them all in one
    // go: the next turn of the event loop finds every client socket readable at once.
    const N = 40;
    const waiting: http.ServerResponse[] = [];
    const s = await servers.http((req, res) => {
      waiting.push(res);
      if (waiting.length === N) {
        for (const r of waiting) {
          r.end('{"ok":true}');
        }
      }
    });
    const url = new URL(s.url('/'));
    const results = await Promise.all(
      Array.from({ length: N }, () =>
        exchange({ url, method: 'GET', headers: {}, tls: { rejectUnauthorized: true }, lookup: defaultLookup, deadline: clock() + 10_000, maxBytes: 1024, keepBody: false })
      )
    );
    expect(results.map((r) => [r.status, r.failure])).toEqual(Array.from({ length: N }, () => [200, null]));
    // Each response costs its callback some CPU; with every socket timed by its own callback the
    // last would end well after the first. One batch of the loop, one time.
    expect(new Set(results.map((r) => r.endedAt)).size).toBe(1);
  });

  it('ioClock holds one time through an I/O phase and moves on with the loop', async () => {
    const server = await servers.http((req, res) => res.end('x'));
    const stamps = await new Promise<number[]>((resolve) => {
      http.get(server.url('/'), (res) => {
        const first = ioClock();
        const spinUntil = clock() + 5;
        while (clock() < spinUntil) {
          // CPU work in the same callback does not move the phase's time
        }
        const second = ioClock();
        res.resume();
        setImmediate(() => setImmediate(() => resolve([first, second, ioClock()])));
      });
    });
    expect(stamps[1]).toBe(stamps[0]);
    expect(stamps[2]).toBeGreaterThanOrEqual(stamps[0] + 5);
  });
});

describe('a blocked event loop', () => {
  /** Answers at once, then holds the event loop (the prober's own) for `ms`. */
  const answerThenBlock = (ms: number) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.end('{"ok":true}');
    const until = clock() + ms;
    while (clock() < until) {
      // busy: a GC pause, a CPU spike or a slow /metrics render in the prober's process
    }
  };

  it("says how long the probe waited on it: the probe's loop delay", async () => {
    const s = await servers.http(answerThenBlock(300));
    const { api, endpoint } = endpointFor({ url: s.url('/'), timeout: '5s' });
    const r = await probeEndpoint(api, endpoint);
    expect(r.outcome).toBe('ok');
    // The answer was in the socket at once; the loop read it 300 ms later.
    expect(r.durationMs).toBeGreaterThanOrEqual(300);
    expect(r.loopDelayMs).toBeGreaterThanOrEqual(250);
    expect(r.loopDelayMs).toBeLessThanOrEqual(r.durationMs);
  });

  it('does not turn a response that arrived in time into a timeout when the deadline timer runs late', async () => {
    // The loop runs overdue timers before it reads sockets: without waiting for this turn's
    // socket events, the 100 ms deadline would win against the answer sent at once.
    const s = await servers.http(answerThenBlock(300));
    const url = new URL(s.url('/'));
    const r = await exchange({ url, method: 'GET', headers: {}, tls: { rejectUnauthorized: true }, lookup: defaultLookup, deadline: clock() + 100, maxBytes: 1024, keepBody: false });
    expect([r.status, r.failure]).toEqual([200, null]);
    expect(r.loopDelayMs).toBeGreaterThanOrEqual(200);
  });

  it('still times out a target that does not answer', async () => {
    const s = await servers.http(() => undefined);
    const url = new URL(s.url('/'));
    const r = await exchange({ url, method: 'GET', headers: {}, tls: { rejectUnauthorized: true }, lookup: defaultLookup, deadline: clock() + 100, maxBytes: 1024, keepBody: false });
    expect(r.failure).toEqual({ kind: 'timeout', phase: 'ttfb' });
  });
});

describe('shutdown', () => {
  it('an abort rejects with ProbeAbortedError at once and closes the connection', async () => {
    let closed = false;
    const s = await servers.http((req) => req.socket.on('close', () => (closed = true)));
    const { api, endpoint } = endpointFor({ url: s.url('/'), timeout: '10s' });
    const controller = new AbortController();
    const started = Date.now();
    const attempt = probeEndpoint(api, endpoint, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(attempt).rejects.toBeInstanceOf(ProbeAbortedError);
    expect(Date.now() - started).toBeLessThan(2000);
    for (let waited = 0; !closed && waited < 3000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(closed).toBe(true);
  });

  it('an already aborted signal sends nothing', async () => {
    let requests = 0;
    const s = await servers.http((req, res) => {
      requests++;
      res.end();
    });
    const { api, endpoint } = endpointFor({ url: s.url('/') });
    await expect(probeEndpoint(api, endpoint, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(requests).toBe(0);
  });
});
