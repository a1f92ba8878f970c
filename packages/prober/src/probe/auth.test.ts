// Credentials from environment variables actually reach the server (which checks them), a
// missing variable is a MisconfiguredError that names it, and OAuth2 tokens are fetched,
// cached and renewed on a 401.
import type { IncomingMessage } from 'node:http';
import { MisconfiguredError, probeEndpoint, TokenCache, DEFAULT_USER_AGENT } from '.';
import { endpointFor } from '../test-support/endpoint';
import { TestServers } from '../test-support/servers';

// Real servers and sockets: on a busy two-core CI machine a test can take seconds.
jest.setTimeout(20_000);

const servers = new TestServers();
afterEach(() => servers.closeAll());

/** A server that records every request's headers and answers 200. */
async function recorder() {
  const seen: Array<IncomingMessage['headers']> = [];
  const s = await servers.http((req, res) => {
    seen.push(req.headers);
    res.end('ok');
  });
  return { s, seen };
}

describe('auth from environment variables', () => {
  it('bearer sends Authorization: Bearer <secret>, with catalog headers and the User-Agent', async () => {
    const { s, seen } = await recorder();
    const { api, endpoint } = endpointFor(
      { url: s.url('/'), headers: { Accept: 'application/json', 'X-Team': 'growth' } },
      { auth: { type: 'bearer', secretEnv: 'PAY_KEY' } }
    );
    const r = await probeEndpoint(api, endpoint, { env: { PAY_KEY: 'sk_test_123' } });
    expect(r.outcome).toBe('ok');
    expect(seen[0]).toMatchObject({
      authorization: 'Bearer sk_test_123',
      accept: 'application/json',
      'x-team': 'growth',
      'user-agent': DEFAULT_USER_AGENT,
      connection: 'close',
    });
    expect(DEFAULT_USER_AGENT).toMatch(/^apimon\/\d+\.\d+\.\d+/);
  });

  it('basic sends base64(user:password)', async () => {
    const { s, seen } = await recorder();
    const { api, endpoint } = endpointFor(
      { url: s.url('/') },
      { auth: { type: 'basic', usernameEnv: 'SMS_USER', passwordEnv: 'SMS_PASS' } }
    );
    await probeEndpoint(api, endpoint, { env: { SMS_USER: 'AC123', SMS_PASS: 'p:ss' } });
    expect(seen[0].authorization).toBe(`Basic ${Buffer.from('AC123:p:ss').toString('base64')}`);
  });

  it('query auth puts the key in the query string on the wire only: never in results, errors or redirect hops elsewhere', async () => {
    const urls: string[] = [];
    const other = await servers.http((req, res) => {
      urls.push(`other ${req.url}`);
      res.end('ok');
    });
    const s = await servers.http((req, res) => {
      urls.push(`api ${req.url}`);
      if (req.url?.startsWith('/maps')) {
        res.writeHead(302, { location: `/geocode?${new URL(req.url, 'http://x').searchParams.toString()}` }).end();
      } else if (req.url?.startsWith('/geocode')) {
        // A provider that echoes the key into a cross-origin Location must not get it carried along.
        res.writeHead(302, { location: `${other.url('/tiles')}?key=echoed&z=1` }).end();
      } else {
        res.end('ok');
      }
    });
    const { api, endpoint } = endpointFor(
      { url: s.url('/maps?address=berlin'), maxRedirects: 3 },
      { auth: { type: 'query', param: 'key', secretEnv: 'MAPS_API_KEY' } }
    );
    const r = await probeEndpoint(api, endpoint, { env: { MAPS_API_KEY: 'AIza-secret' } });
    expect(r).toMatchObject({ outcome: 'ok', redirects: 2 });
    expect(urls).toEqual(['api /maps?address=berlin&key=AIza-secret', 'api /geocode?address=berlin&key=AIza-secret', 'other /tiles?z=1']);
    expect(JSON.stringify(r)).not.toContain('AIza-secret');
    expect(endpoint.url).not.toContain('AIza-secret');
  });

  it('query auth without its variable is a MisconfiguredError naming it', async () => {
    const { s } = await recorder();
    const { api, endpoint } = endpointFor({ url: s.url('/') }, { auth: { type: 'query', param: 'key', secretEnv: 'MAPS_API_KEY' } });
    await expect(probeEndpoint(api, endpoint, { env: {} })).rejects.toThrow('environment variable MAPS_API_KEY (auth.secretEnv) is not set or empty');
  });

  it('header auth sends the named header with its prefix', async () => {
    const { s, seen } = await recorder();
    const { api, endpoint } = endpointFor(
      { url: s.url('/') },
      { auth: { type: 'header', header: 'X-Geo-Key', secretEnv: 'GEO_KEY', prefix: 'Key ' } }
    );
    await probeEndpoint(api, endpoint, { env: { GEO_KEY: 'g-42' } });
    expect(seen[0]['x-geo-key']).toBe('Key g-42');
  });

  it('a server that checks the credential sees the right one (and a wrong one is http_4xx)', async () => {
    const s = await servers.http((req, res) => {
      res.writeHead(req.headers.authorization === 'Bearer right' ? 200 : 401).end();
    });
    const { api, endpoint } = endpointFor({ url: s.url('/') }, { auth: { type: 'bearer', secretEnv: 'K' } });
    expect((await probeEndpoint(api, endpoint, { env: { K: 'right' } })).outcome).toBe('ok');
    const wrong = await probeEndpoint(api, endpoint, { env: { K: 'wrong' } });
    expect(wrong).toMatchObject({ outcome: 'http_4xx', code: 401 });
    expect(JSON.stringify(wrong)).not.toContain('wrong');
  });

  it('a missing variable is a MisconfiguredError naming the API and the variable, before any request', async () => {
    const { s, seen } = await recorder();
    const { api, endpoint } = endpointFor(
      { url: s.url('/') },
      { auth: { type: 'basic', usernameEnv: 'SMS_USER', passwordEnv: 'SMS_PASS' } }
    );
    const attempt = probeEndpoint(api, endpoint, { env: { SMS_USER: 'AC123' } });
    await expect(attempt).rejects.toThrow(MisconfiguredError);
    await expect(attempt).rejects.toMatchObject({
      api: 'test-api',
      variable: 'SMS_PASS',
      message: 'API "test-api": environment variable SMS_PASS (auth.passwordEnv) is not set or empty',
    });
    await expect(attempt).rejects.not.toThrow(/AC123/);
    expect(seen).toHaveLength(0);
  });

  it('an empty variable counts as missing', async () => {
    const { api, endpoint } = endpointFor(
      { url: 'http://127.0.0.1:9/' },
      { auth: { type: 'bearer', secretEnv: 'EMPTY' } }
    );
    await expect(probeEndpoint(api, endpoint, { env: { EMPTY: '' } })).rejects.toThrow(
      'environment variable EMPTY (auth.secretEnv) is not set or empty'
    );
  });

  it('a secret HTTP cannot carry is a MisconfiguredError naming the header, not the value', async () => {
    const { api, endpoint } = endpointFor({ url: 'http://127.0.0.1:9/' }, { auth: { type: 'bearer', secretEnv: 'K' } });
    const attempt = probeEndpoint(api, endpoint, { env: { K: 'line1\nline2' } });
    await expect(attempt).rejects.toThrow('API "test-api": header "Authorization" cannot be sent');
    await expect(attempt).rejects.not.toThrow(/line1/);
  });

  it('credentials are not sent to another origin after a redirect', async () => {
    const { s: other, seen } = await recorder();
    const s = await servers.http((req, res) => res.writeHead(302, { location: other.url('/landing') }).end());
    const { api, endpoint } = endpointFor(
      { url: s.url('/') },
      { auth: { type: 'header', header: 'X-Api-Key', secretEnv: 'K' } }
    );
    const r = await probeEndpoint(api, endpoint, { env: { K: 'secret-value' } });
    expect(r).toMatchObject({ outcome: 'ok', redirects: 1 });
    expect(seen[0]['x-api-key']).toBeUndefined();
  });
});

describe('OAuth2 client credentials', () => {
  async function authServer(opts: { bodyOnly?: boolean; expiresIn?: number; delayMs?: number; token?: string } = {}) {
    const issued: string[] = [];
    const forms: URLSearchParams[] = [];
    const s = await servers.http((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        forms.push(form);
        const basic = req.headers.authorization === `Basic ${Buffer.from('client-1:s3cret').toString('base64')}`;
        const inBody = form.get('client_id') === 'client-1' && form.get('client_secret') === 's3cret';
        if (form.get('grant_type') !== 'client_credentials' || !(inBody || (basic && !opts.bodyOnly))) {
          res
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"error":"invalid_client","error_description":"client s3cret bad"}');
          return;
        }
        const token = opts.token ?? `tok-${issued.length + 1}`;
        issued.push(token);
        const answer = JSON.stringify({
          access_token: token,
          token_type: 'Bearer',
          expires_in: opts.expiresIn ?? 3600,
        });
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(answer), opts.delayMs ?? 0);
      });
    });
    return { s, issued, forms };
  }

  const oauth = (tokenUrl: string) => ({
    auth: {
      type: 'oauth2',
      tokenUrl,
      clientIdEnv: 'CID',
      clientSecretEnv: 'CSECRET',
      scopes: ['read', 'status'],
      audience: 'https://api.acme.test',
    },
  });
  const env = { CID: 'client-1', CSECRET: 's3cret' };

  it('fetches a token once, sends it as Bearer, and reuses it from the cache', async () => {
    const { s: auth, issued, forms } = await authServer();
    const { s, seen } = await recorder();
    const { api, endpoint } = endpointFor({ url: s.url('/') }, oauth(auth.url('/oauth/token')));
    const tokens = new TokenCache();
    await probeEndpoint(api, endpoint, { env, tokens });
    await probeEndpoint(api, endpoint, { env, tokens });
    expect(issued).toEqual(['tok-1']);
    expect(seen.map((h) => h.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
    expect(forms[0].get('scope')).toBe('read status');
    expect(forms[0].get('audience')).toBe('https://api.acme.test');
  });

  it("the result tells the access token's shape (a JWT's alg and exp), never the token", async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const jwt = `${b64({ alg: 'ES256', typ: 'at+jwt' })}.${b64({ sub: 'client-1', exp: 1_900_000_000 })}.c2ln`;
    const { s: auth } = await authServer({ token: jwt });
    const { s, seen } = await recorder();
    const { api, endpoint } = endpointFor({ url: s.url('/') }, oauth(auth.url('/token')));
    const r = await probeEndpoint(api, endpoint, { env, tokens: new TokenCache() });
    expect(seen[0].authorization).toBe(`Bearer ${jwt}`);
    expect(r.credential).toEqual({ format: 'jwt', alg: 'ES256', expiresAt: 1_900_000_000_000 });
    expect(JSON.stringify(r)).not.toContain(jwt.split('.')[1]);
    // An opaque token, and the static secrets of the other methods.
    const { s: plain } = await authServer();
    const opaque = endpointFor({ url: s.url('/') }, oauth(plain.url('/token')));
    expect((await probeEndpoint(opaque.api, opaque.endpoint, { env, tokens: new TokenCache() })).credential).toEqual({
      format: 'opaque',
      alg: null,
      expiresAt: null,
    });
    const bearer = endpointFor({ url: s.url('/') }, { auth: { type: 'bearer', secretEnv: 'PAY_KEY' } });
    expect((await probeEndpoint(bearer.api, bearer.endpoint, { env: { PAY_KEY: jwt } })).credential?.format).toBe('jwt');
    const basic = endpointFor({ url: s.url('/') }, { auth: { type: 'basic', usernameEnv: 'U', passwordEnv: 'P' } });
    expect((await probeEndpoint(basic.api, basic.endpoint, { env: { U: 'u', P: 'p' } })).credential).toBeNull();
  });

  it('concurrent probes share one token request; one probe aborting does not fail the others', async () => {
    const { s: auth, issued } = await authServer({ delayMs: 600 });
    const { s, seen } = await recorder();
    const { api, endpoint } = endpointFor({ url: s.url('/') }, oauth(auth.url('/token')));
    const tokens = new TokenCache();
    const controller = new AbortController();
    const aborted = probeEndpoint(api, endpoint, { env, tokens, signal: controller.signal });
    const others = [probeEndpoint(api, endpoint, { env, tokens }), probeEndpoint(api, endpoint, { env, tokens })];
    setTimeout(() => controller.abort(), 20);
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect((await Promise.all(others)).map((r) => r.outcome)).toEqual(['ok', 'ok']);
    expect(issued).toEqual(['tok-1']);
    expect(seen.map((h) => h.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
  });

  it('falls back to credentials in the form body when the server refuses Basic', async () => {
    const { s: auth, issued } = await authServer({ bodyOnly: true });
    const { s, seen } = await recorder();
    const { api, endpoint } = endpointFor({ url: s.url('/') }, oauth(auth.url('/token')));
    expect((await probeEndpoint(api, endpoint, { env, tokens: new TokenCache() })).outcome).toBe('ok');
    expect(issued).toEqual(['tok-1']);
    expect(seen[0].authorization).toBe('Bearer tok-1');
  });

  it('renews the token once when the API answers 401', async () => {
    const { s: auth, issued } = await authServer();
    let accepted = 'tok-1';
    const s = await servers.http((req, res) =>
      res.writeHead(req.headers.authorization === `Bearer ${accepted}` ? 200 : 401).end()
    );
    const { api, endpoint } = endpointFor({ url: s.url('/') }, oauth(auth.url('/token')));
    const tokens = new TokenCache();
    expect((await probeEndpoint(api, endpoint, { env, tokens })).outcome).toBe('ok');
    accepted = 'tok-2'; // the provider revoked tok-1
    expect((await probeEndpoint(api, endpoint, { env, tokens })).outcome).toBe('ok');
    accepted = 'never';
    const r = await probeEndpoint(api, endpoint, { env, tokens });
    expect(r).toMatchObject({ outcome: 'http_4xx', code: 401 });
    expect(issued).toEqual(['tok-1', 'tok-2', 'tok-3']);
  });

  it('fetches again once a token has expired', async () => {
    const { s: auth, issued } = await authServer({ expiresIn: 60 });
    const { s } = await recorder();
    const { api, endpoint } = endpointFor({ url: s.url('/') }, oauth(auth.url('/token')));
    let now = Date.UTC(2026, 0, 1);
    const tokens = new TokenCache();
    await probeEndpoint(api, endpoint, { env, tokens, now: () => now });
    now += 30_000;
    await probeEndpoint(api, endpoint, { env, tokens, now: () => now });
    now += 30_000; // 60 s lifetime, renewed a little early
    await probeEndpoint(api, endpoint, { env, tokens, now: () => now });
    expect(issued).toEqual(['tok-1', 'tok-2']);
  });

  it('a refused token request is a result naming the token URL and the RFC error, never the secret', async () => {
    const { s: auth } = await authServer();
    const { s, seen } = await recorder();
    const { api, endpoint } = endpointFor({ url: s.url('/') }, oauth(auth.url('/token')));
    const r = await probeEndpoint(api, endpoint, {
      env: { CID: 'client-1', CSECRET: 'wrong-secret' },
      tokens: new TokenCache(),
    });
    expect(r).toMatchObject({
      outcome: 'http_4xx',
      code: 401,
      error: `oauth2 token request to ${auth.url('/token')}: status 401, invalid_client`,
    });
    expect(JSON.stringify(r)).not.toMatch(/wrong-secret|s3cret/);
    expect(seen).toHaveLength(0);
  });

  it('an unreachable token URL is a connect result', async () => {
    const { api, endpoint } = endpointFor({ url: 'http://127.0.0.1:9/' }, oauth('http://127.0.0.1:9/token'));
    const r = await probeEndpoint(api, endpoint, { env, tokens: new TokenCache() });
    expect(r).toMatchObject({
      outcome: 'connect',
      error: 'oauth2 token request to http://127.0.0.1:9/token: connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  it('missing client credentials are a MisconfiguredError', async () => {
    const { api, endpoint } = endpointFor({ url: 'http://127.0.0.1:9/' }, oauth('http://127.0.0.1:9/token'));
    await expect(probeEndpoint(api, endpoint, { env: { CID: 'client-1' } })).rejects.toMatchObject({
      name: 'MisconfiguredError',
      variable: 'CSECRET',
    });
  });
});
