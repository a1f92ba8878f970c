// The load generator's requests get the probe's verdicts: status classes, expect assertions,
// body limits, timeouts, refused connections and TLS, through the keep-alive pool.
import { createServer } from 'node:net';
import { catalogFrom } from '../test-support/catalogs';
import { issueCertificate } from '../test-support/certs';
import { TestServers } from '../test-support/servers';
import { LoadTarget } from './target';

jest.setTimeout(20_000);

const servers = new TestServers();
afterEach(() => servers.closeAll());

function targetFor(url: string, endpointExtra = '', ca?: string): LoadTarget {
  const catalog = catalogFrom(`providers: [{ name: acme }]
apis:
  - name: pay
    provider: acme
    criticality: standard
    owner: team
    timeout: 300ms
    endpoints:
      - name: a
        url: ${url}
${endpointExtra}`);
  const api = catalog.apis[0];
  return new LoadTarget(api, api.endpoints[0], url, 4, { ca });
}

async function outcomeOf(target: LoadTarget): Promise<{ outcome: string; code: number; error: string | null }> {
  try {
    const c = await target.once();
    return { outcome: c.outcome, code: c.code, error: c.error };
  } finally {
    await target.close();
  }
}

describe('load-test requests', () => {
  it('classifies statuses, assertions and body limits as the probe does, sending the catalog headers', async () => {
    const seen: Array<string | undefined> = [];
    const s = await servers.http((req, res) => {
      seen.push(String(req.headers['x-team']));
      const body = req.url === '/big' ? 'x'.repeat(5000) : req.url === '/json' ? '{"data":[]}' : '{}';
      res.writeHead(req.url === '/limited' ? 429 : req.url === '/broken' ? 503 : 200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const headers = '        headers: { X-Team: payments }\n';
    expect(await outcomeOf(targetFor(s.url('/json'), `${headers}        expect: { jsonKeys: [data] }`))).toEqual({ outcome: 'ok', code: 200, error: null });
    expect(await outcomeOf(targetFor(s.url('/json'), '        expect: { jsonKeys: [total] }'))).toEqual({
      outcome: 'assertion',
      code: 200,
      error: 'JSON body lacks key total',
    });
    expect(await outcomeOf(targetFor(s.url('/limited')))).toMatchObject({ outcome: 'rate_limited', code: 429 });
    expect(await outcomeOf(targetFor(s.url('/broken')))).toMatchObject({ outcome: 'http_5xx', code: 503 });
    expect(await outcomeOf(targetFor(s.url('/big'), '        expect: { maxBytes: 1KB }'))).toMatchObject({ outcome: 'body_limit', code: 200 });
    expect(seen[0]).toBe('payments');
  });

  it('adds the key of auth type query to the URL, as the probes do, replacing a stale one', async () => {
    const seen: string[] = [];
    const s = await servers.http((req, res) => {
      seen.push(String(req.url));
      res.end('{}');
    });
    const catalog = catalogFrom(`providers: [{ name: maps }]
apis:
  - name: geo
    provider: maps
    criticality: standard
    owner: team
    auth: { type: query, param: key, secretEnv: GEO_KEY }
    endpoints:
      - name: a
        url: ${s.url('/geocode?q=berlin')}`);
    const api = catalog.apis[0];
    const target = new LoadTarget(api, api.endpoints[0], s.url('/geocode?q=berlin&key=old'), 4, { env: { GEO_KEY: 's3cret' } });
    expect(await outcomeOf(target)).toEqual({ outcome: 'ok', code: 200, error: null });
    expect(seen).toEqual(['/geocode?q=berlin&key=s3cret']);
    expect(() => new LoadTarget(api, api.endpoints[0], s.url('/geocode'), 4, { env: {} })).toThrow(/GEO_KEY/);
  });

  it('times out at the endpoint timeout and names refused connections', async () => {
    const s = await servers.http(() => {
      // never answers
    });
    expect(await outcomeOf(targetFor(s.url('/slow')))).toEqual({ outcome: 'timeout', code: 0, error: 'timed out after 300 ms during ttfb' });
    const closed = createServer();
    const port = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as { port: number }).port)));
    await new Promise((r) => closed.close(r));
    expect(await outcomeOf(targetFor(`http://127.0.0.1:${port}/`))).toMatchObject({ outcome: 'connect', code: 0, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('checks certificates (tls outcome for an untrusted one, ok with the CA)', async () => {
    const ca = issueCertificate({ commonName: 'apimon loadtest CA', isCa: true });
    const leaf = issueCertificate({ commonName: 'localhost', altNames: ['127.0.0.1'], issuer: ca });
    const s = await servers.https({ cert: leaf.cert, key: leaf.key }, (_req, res) => res.end('{}'));
    expect(await outcomeOf(targetFor(s.url('/')))).toMatchObject({ outcome: 'tls', error: expect.stringContaining('UNABLE_TO_VERIFY_LEAF_SIGNATURE') });
    expect(await outcomeOf(targetFor(s.url('/'), '', ca.cert))).toMatchObject({ outcome: 'ok', code: 200 });
  });
});
