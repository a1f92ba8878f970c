import {
  authInventory,
  authMethodFinding,
  cipherWeakness,
  judgeBasicAuth,
  judgeCredentialsInUrl,
  judgeHsts,
  judgePlainHttp,
  judgeSecretMissing,
  judgeTlsChain,
  judgeTlsCipher,
  judgeTlsProtocol,
  type TransportEvidence,
} from './security';

const t = (over: Partial<TransportEvidence>): TransportEvidence => ({
  api: 'maps',
  endpoint: 'geocode',
  url: 'https://maps.test/geocode',
  auth: { type: 'none' },
  plainHttp: false,
  tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' },
  verifyError: null,
  insecureSkipVerify: false,
  hstsMaxAgeSeconds: 31_536_000,
  ...over,
});

describe('transport findings', () => {
  it('a clean https endpoint has none', () => {
    for (const judge of [judgePlainHttp, judgeTlsProtocol, judgeTlsCipher, judgeTlsChain, judgeHsts]) {
      expect(judge(t({}))).toBeNull();
    }
  });

  it('plain http is critical when credentials go with it, and says when an https URL redirected there', () => {
    expect(judgePlainHttp(t({ plainHttp: true, url: 'http://maps.test/geocode' }))!.severity).toBe('medium');
    const f = judgePlainHttp(t({ plainHttp: true, auth: { type: 'bearer', secretEnv: 'K' } }));
    expect(f).toMatchObject({ kind: 'plain_http', severity: 'critical', evidence: { credentialsInClear: true } });
    expect(f!.summary).toMatch(/an https URL redirects to http.*credentials \(bearer\)/);
  });

  it('TLS 1.0/1.1 is an old protocol (and its cipher is not judged again)', () => {
    const old = t({ tls: { protocol: 'TLSv1.1', cipher: 'ECDHE-ECDSA-AES256-SHA' } });
    expect(judgeTlsProtocol(old)).toMatchObject({
      kind: 'tls_old_protocol',
      severity: 'high',
      evidence: { protocol: 'TLSv1.1' },
    });
    expect(judgeTlsCipher(old)).toBeNull();
  });

  it('judges ciphers by key exchange, mode and primitives', () => {
    expect(cipherWeakness('TLS_CHACHA20_POLY1305_SHA256')).toEqual({ severity: null, reasons: [] });
    expect(cipherWeakness('ECDHE-RSA-AES128-GCM-SHA256')).toEqual({ severity: null, reasons: [] });
    expect(cipherWeakness('ECDHE-ECDSA-AES128-SHA').severity).toBe('low');
    expect(cipherWeakness('AES256-GCM-SHA384')).toEqual({
      severity: 'medium',
      reasons: ['no forward secrecy (static RSA key exchange)'],
    });
    expect(cipherWeakness('DES-CBC3-SHA').severity).toBe('high');
    expect(cipherWeakness('ECDHE-RSA-RC4-SHA').severity).toBe('high');
    expect(cipherWeakness('ADH-AES128-SHA').severity).toBe('critical');
    expect(cipherWeakness('NULL-SHA256').severity).toBe('critical');
    const f = judgeTlsCipher(t({ tls: { protocol: 'TLSv1.2', cipher: 'AES128-SHA' } }));
    expect(f).toMatchObject({ kind: 'tls_weak_cipher', severity: 'medium' });
    expect(f!.summary).toBe(
      'The server chose AES128-SHA over TLSv1.2: no forward secrecy (static RSA key exchange); CBC mode (padding-oracle attacks such as Lucky13).'
    );
  });

  it('a chain that does not verify, worse when the catalog skips verification', () => {
    expect(judgeTlsChain(t({ verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }))).toMatchObject({
      kind: 'tls_chain_problem',
      severity: 'high',
    });
    const f = judgeTlsChain(t({ verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT', insecureSkipVerify: true }));
    expect(f).toMatchObject({ severity: 'critical' });
    expect(f!.summary).toMatch(/self-signed .* skips verification/);
  });

  it('HSTS missing or short on https only', () => {
    expect(judgeHsts(t({ hstsMaxAgeSeconds: 0 }))).toMatchObject({
      kind: 'hsts_missing',
      severity: 'low',
      evidence: { hstsMaxAgeSeconds: 0 },
    });
    expect(judgeHsts(t({ hstsMaxAgeSeconds: 3600 }))!.summary).toMatch(/max-age is 60 min, below 180 d/);
    expect(judgeHsts(t({ hstsMaxAgeSeconds: null }))).toBeNull();
    expect(judgeHsts(t({ url: 'http://maps.test/', plainHttp: true, hstsMaxAgeSeconds: 0 }))).toBeNull();
  });
});

describe('authentication findings', () => {
  const a = (auth: TransportEvidence['auth'], misconfigured: string | null = null) => ({
    api: 'maps',
    auth,
    schemes: 'https',
    misconfigured,
  });

  it('a key in the query string, naming the parameter and the variable but never a value', () => {
    const f = judgeCredentialsInUrl(a({ type: 'query', param: 'key', secretEnv: 'MAPS_API_KEY' }));
    expect(f).toMatchObject({
      kind: 'credentials_in_url',
      severity: 'medium',
      endpoint: '',
      evidence: { param: 'key', secretEnv: 'MAPS_API_KEY' },
    });
    expect(judgeCredentialsInUrl(a({ type: 'header', header: 'X-Key', secretEnv: 'K' }))).toBeNull();
  });

  it('basic auth and a missing secret', () => {
    expect(judgeBasicAuth(a({ type: 'basic', usernameEnv: 'U', passwordEnv: 'P' }))).toMatchObject({
      kind: 'basic_auth',
      severity: 'low',
    });
    expect(judgeSecretMissing(a({ type: 'bearer', secretEnv: 'PAY_KEY' }, 'missing env PAY_KEY'))).toMatchObject({
      kind: 'secret_missing',
      severity: 'high',
      evidence: { variable: 'PAY_KEY' },
    });
    expect(judgeSecretMissing(a({ type: 'bearer', secretEnv: 'PAY_KEY' }, 'invalid request settings'))).toBeNull();
    expect(judgeSecretMissing(a({ type: 'bearer', secretEnv: 'PAY_KEY' }))).toBeNull();
  });

  it('inventories every method with where the credential travels', () => {
    expect(
      authInventory({
        type: 'oauth2',
        tokenUrl: 'https://auth.acme.test/oauth/token',
        clientIdEnv: 'ID',
        clientSecretEnv: 'SECRET',
      })
    ).toMatchObject({
      method: 'OAuth2 client credentials (token from auth.acme.test)',
      credentialIn: 'short-lived bearer token',
      variables: ['ID', 'SECRET'],
    });
    const f = authMethodFinding(a({ type: 'header', header: 'X-Geo-Key', secretEnv: 'GEO_KEY' }));
    expect(f).toMatchObject({
      kind: 'auth_method',
      severity: 'info',
      estimatedGain: null,
      evidence: { method: 'header', credentialIn: 'X-Geo-Key header', variables: 'GEO_KEY' },
    });
    expect(f.summary).toBe('Authentication: API key in the X-Geo-Key header (GEO_KEY), over https.');
  });

  it('names a JWT where the probes saw one (by its shape), and says when the token is opaque', () => {
    const bearer = { type: 'bearer' as const, secretEnv: 'PAY_KEY' };
    const jwt = authMethodFinding({ ...a(bearer), credential: { format: 'jwt', alg: 'RS256' } });
    expect(jwt.summary).toBe('Authentication: bearer token: a JWT (RS256) (PAY_KEY), over https.');
    expect(jwt.evidence).toMatchObject({ method: 'bearer', tokenFormat: 'jwt', jwtAlg: 'RS256' });
    expect(jwt.recommendation).toContain('A JWT expires (its exp claim)');
    const opaque = authMethodFinding({ ...a(bearer), credential: { format: 'opaque', alg: null } });
    expect(opaque.summary).toBe('Authentication: bearer token (an opaque API key, not a JWT) (PAY_KEY), over https.');
    expect(opaque.evidence).toMatchObject({ tokenFormat: 'opaque', jwtAlg: null });
    // Not probed yet: the catalog alone cannot tell.
    expect(authMethodFinding(a(bearer)).evidence).toMatchObject({ tokenFormat: 'unknown' });
    expect(authMethodFinding(a(bearer)).summary).toContain('bearer token (an API key or a JWT)');
    const oauth = {
      type: 'oauth2' as const,
      tokenUrl: 'https://auth.acme.test/oauth/token',
      clientIdEnv: 'ID',
      clientSecretEnv: 'SECRET',
    };
    expect(authInventory(oauth, { format: 'jwt', alg: 'ES256' }).method).toBe(
      'OAuth2 client credentials (token from auth.acme.test; the access tokens are JWTs, ES256)'
    );
    expect(
      authInventory({ type: 'header', header: 'X-Api-Key', secretEnv: 'K' }, { format: 'jwt', alg: 'none' })
    ).toMatchObject({
      method: 'a JWT (none) in the X-Api-Key header',
      practice: expect.stringContaining('unsigned (alg "none")'),
    });
    expect(authMethodFinding(a({ type: 'basic', usernameEnv: 'U', passwordEnv: 'P' })).evidence.tokenFormat).toBeNull();
  });
});
