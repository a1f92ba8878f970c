import { createServer as createNetServer } from 'node:net';
import http, { type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { close, createServer, listen, ListenError, sendJson, sendStream, type RouteModule } from './server';

function raw(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('answer cut short')));
      })
      .on('error', reject);
  });
}

async function serve(server: Server) {
  const address = await listen(server, '127.0.0.1', 0);
  return `http://127.0.0.1:${address.port}`;
}

describe('prober HTTP server', () => {
  let server: Server;
  let base: string;
  const module: RouteModule = {
    handleRequest: async (_req, res, url) => {
      if (url.pathname === '/api/v1/providers') {
        sendJson(res, 200, { providers: [] });
        return true;
      }
      return false;
    },
  };

  beforeAll(async () => {
    server = createServer({
      routes: [
        { path: '/healthz', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
        { path: '/api/v1/catalog', handle: (_req, res) => sendJson(res, 200, { apis: [] }) },
      ],
      modules: () => [module],
      apiToken: 's3cret-token',
    });
    base = await serve(server);
  });
  afterAll(() => close(server));

  it('serves table routes and plugged-in module routes', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const providers = await fetch(`${base}/api/v1/providers`, { headers: { Authorization: 'Bearer s3cret-token' } });
    expect(providers.status).toBe(200);
    expect(await providers.json()).toEqual({ providers: [] });
  });

  it('answers 404 with a JSON error for unknown paths', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ error: 'no such path: /nope', code: 'not_found' });
  });

  it('is read-only: any method but GET and HEAD gets 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${base}/healthz`, { method, body: method === 'DELETE' ? undefined : 'x' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(await res.json()).toMatchObject({ code: 'method_not_allowed' });
    }
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('requires the bearer token for /api/v1 only', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: 'Basic czNjcmV0LXRva2Vu' }] as Array<
      Record<string, string>
    >) {
      const res = await fetch(`${base}/api/v1/catalog`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      const text = await res.text();
      expect(text).not.toContain('s3cret');
      expect(JSON.parse(text)).toEqual({ error: 'missing or wrong bearer token', code: 'unauthorized' });
    }
    // Even a module route and an unknown /api/v1 path are behind the token.
    expect((await fetch(`${base}/api/v1/providers`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/nothing`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/catalog`, { headers: { Authorization: 'Bearer s3cret-token' } })).status).toBe(
      200
    );
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('reports a taken port clearly', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const second = createServer({ routes: [] });
    await expect(listen(second, '127.0.0.1', port)).rejects.toThrow(ListenError);
    await expect(listen(second, '127.0.0.1', port)).rejects.toThrow(
      `cannot listen on 127.0.0.1:${port}: the address is already in use`
    );
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('answers 500 without details when a handler throws', async () => {
    const failing = createServer({
      routes: [{ path: '/boom', handle: () => Promise.reject(new Error('secret detail')) }],
    });
    const url = await serve(failing);
    const res = await fetch(`${url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret detail');
    await close(failing);
  });

  it('streams a text answer, gzipped when the client accepts it and only then', async () => {
    const line = 'apimon_probe_duration_seconds_bucket{api="payments",le="0.1"} 3\n';
    async function* pieces() {
      for (let i = 0; i < 20; i++) {
        yield line.repeat(100);
      }
    }
    const text = line.repeat(2_000);
    const server = createServer({
      routes: [{ path: '/metrics', handle: (req, res) => sendStream(req, res, pieces(), 'text/plain; version=0.0.4') }],
    });
    const url = await serve(server);
    const gz = await raw(`${url}/metrics`, { 'Accept-Encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toBe('text/plain; version=0.0.4');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gz.body.length).toBeLessThan(text.length / 20);
    expect(gunzipSync(gz.body).toString()).toBe(text);
    const plain = await raw(`${url}/metrics`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(text);
    await close(server);
  });

  it('cuts a streamed answer short when its source fails, so the client never takes it for whole', async () => {
    async function* failing() {
      yield 'apimon_up 1\n'.repeat(1_000);
      throw new Error('render failed');
    }
    const server = createServer({
      routes: [{ path: '/metrics', handle: (req, res) => sendStream(req, res, failing(), 'text/plain') }],
    });
    const url = await serve(server);
    await expect(raw(`${url}/metrics`, {})).rejects.toThrow();
    await expect(raw(`${url}/metrics`, { 'Accept-Encoding': 'gzip' })).rejects.toThrow();
    // The server is still there for the next scrape.
    expect((await fetch(`${url}/healthz`)).status).toBe(404);
    await close(server);
  });

  it('reads the source only as fast as the client takes the answer', async () => {
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced++;
        yield 'x'.repeat(64 * 1024);
      }
    }
    const server = createServer({
      routes: [{ path: '/metrics', handle: (req, res) => sendStream(req, res, endless(), 'text/plain') }],
    });
    const url = await serve(server);
    // A client that reads the headers and then nothing: the socket's buffers fill, and the
    // source stops being pulled long before anything like the whole of an endless answer.
    const req = http.get(`${url}/metrics`);
    const res = await new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
    res.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stalled = produced;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(produced).toBe(stalled);
    expect(stalled).toBeLessThan(200); // < 13 MB of an endless answer
    req.destroy();
    await close(server);
  });
});
