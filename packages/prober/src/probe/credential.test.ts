import { credentialFacts } from './credential';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jwt = (header: unknown, claims: unknown, signature = 'c2lnbmF0dXJl') => `${b64(header)}.${b64(claims)}.${signature}`;

describe('the shape of a credential', () => {
  it('a JWT: three base64url segments whose header is JSON with alg; alg and exp only', () => {
    const token = jwt({ alg: 'RS256', typ: 'JWT', kid: 'k1' }, { sub: 'svc-42', exp: 1_900_000_000, scope: 'charges' });
    const facts = credentialFacts(token);
    expect(facts).toEqual({ format: 'jwt', alg: 'RS256', expiresAt: 1_900_000_000_000 });
    // Nothing else of the token leaves: not the subject, the key id or the scope.
    expect(JSON.stringify(facts)).not.toMatch(/svc-42|k1|charges/);
  });

  it('an unsecured JWT (alg none, empty signature) and one without exp are JWTs all the same', () => {
    expect(credentialFacts(jwt({ alg: 'none' }, { sub: 'x' }, ''))).toEqual({ format: 'jwt', alg: 'none', expiresAt: null });
    expect(credentialFacts(jwt({ alg: 'ES256' }, { exp: 'tomorrow' }))).toEqual({ format: 'jwt', alg: 'ES256', expiresAt: null });
    // A claim set that is not JSON: still a JWT by its header, without exp.
    expect(credentialFacts(`${b64({ alg: 'HS256' })}.${b64('not json')}.sig`)).toEqual({ format: 'jwt', alg: 'HS256', expiresAt: null });
  });

  it('an alg that is not a plain algorithm name is not repeated', () => {
    expect(credentialFacts(jwt({ alg: 'RS256"} evil' }, {})).alg).toBeNull();
    expect(credentialFacts(jwt({ alg: 'x'.repeat(200) }, {})).alg).toBeNull();
  });

  it('anything else is opaque: API keys, two or four segments, a header that is not JSON or lacks alg', () => {
    for (const value of [
      'sk_live_51H8abc',
      'ghp_0123456789abcdefABCDEF',
      `${b64({ alg: 'RS256' })}.${b64({})}`,
      `${jwt({ alg: 'RS256' }, {})}.extra`,
      `${b64('plain text')}.${b64({})}.sig`,
      jwt({ typ: 'JWT' }, {}),
      jwt({ alg: 256 }, {}),
      jwt(['alg'], {}),
      'a.b.c',
      'abc.def+ghi.jkl',
      '..',
    ]) {
      expect({ value, facts: credentialFacts(value) }).toEqual({ value, facts: { format: 'opaque', alg: null, expiresAt: null } });
    }
  });
});
