import { nextHop } from './redirect';

const from = (method: string, body?: string) => ({
  url: new URL('https://api.acme.test/v1/a?x=1'),
  method,
  body: body === undefined ? undefined : Buffer.from(body),
});

describe('nextHop', () => {
  it('resolves a relative Location and drops the fragment', () => {
    expect(nextHop(from('GET'), 302, '../b#frag')).toEqual({
      ok: true,
      hop: { url: new URL('https://api.acme.test/b'), method: 'GET' },
    });
  });

  it('307 and 308 keep method and body; 301, 302 and 303 turn into GET without a body', () => {
    for (const status of [307, 308]) {
      expect(nextHop(from('POST', 'x'), status, '/c')).toMatchObject({
        ok: true,
        hop: { method: 'POST', body: Buffer.from('x') },
      });
    }
    for (const status of [301, 302, 303]) {
      const next = nextHop(from('POST', 'x'), status, '/c');
      expect(next).toMatchObject({ ok: true, hop: { method: 'GET' } });
      expect(next.ok && next.hop.body).toBeUndefined();
    }
  });

  it('a HEAD stays a HEAD', () => {
    expect(nextHop(from('HEAD'), 303, '/c')).toMatchObject({ ok: true, hop: { method: 'HEAD' } });
  });

  it('refuses a missing, invalid or non-http Location', () => {
    expect(nextHop(from('GET'), 302, undefined)).toEqual({
      ok: false,
      error: 'status 302 redirect without a Location header',
    });
    expect(nextHop(from('GET'), 301, 'http://[bad')).toEqual({
      ok: false,
      error: 'status 301 redirect to an invalid Location',
    });
    expect(nextHop(from('GET'), 302, 'ftp://files.acme.test/x')).toEqual({
      ok: false,
      error: 'status 302 redirect to unsupported scheme ftp:',
    });
  });
});
