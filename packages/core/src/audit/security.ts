// The security findings: how each API is reached (plain http, TLS protocol, cipher, chain,
// HSTS) and how it is authenticated (credentials in the URL, Basic, a secret the prober cannot
// find), plus the inventory of authentication methods. Pure: catalog facts and the prober's
// last observations in, findings out.
import type { AuthConfig } from '../catalog/schema';
import type { AuditSeverity } from '../contract/audit';
import type { CredentialFormat } from '../contract/metrics';
import { finding, type Finding } from './model';
import { AUDIT_POLICY } from './policy';
import { fmtSeconds } from './format';

export interface TransportEvidence {
  api: string;
  endpoint: string;
  url: string;
  auth: AuthConfig;
  /** The endpoint is, or redirects to, plain http. */
  plainHttp: boolean;
  tls: { protocol: string; cipher: string } | null;
  /** OpenSSL code of the last chain verification failure, or null. */
  verifyError: string | null;
  insecureSkipVerify: boolean;
  /** max-age of Strict-Transport-Security; null when unknown (no HTTPS response seen). */
  hstsMaxAgeSeconds: number | null;
}

const sendsCredentials = (auth: AuthConfig) => auth.type !== 'none';

export function judgePlainHttp(e: TransportEvidence): Finding | null {
  if (!e.plainHttp) {
    return null;
  }
  const creds = sendsCredentials(e.auth);
  return finding({
    api: e.api,
    endpoint: e.endpoint,
    kind: 'plain_http',
    severity: creds ? 'critical' : 'medium',
    summary: `Calls go over plain http${new URL(e.url).protocol === 'https:' ? ' (an https URL redirects to http)' : ''}${creds ? `, with the API's credentials (${e.auth.type})` : ''}: anyone on the path can read and change them.`,
    evidence: { scheme: 'http', auth: e.auth.type, credentialsInClear: creds },
    recommendation: creds
      ? "Switch to the provider's https endpoint now and rotate the credentials that went over http."
      : "Switch to the provider's https endpoint; if there is none, treat every answer as untrusted input.",
    estimatedGain: { text: 'Confidentiality and integrity of every call.', values: {} },
  });
}

const OLD_PROTOCOLS: Record<string, AuditSeverity> = {
  SSLv2: 'critical',
  SSLv3: 'critical',
  TLSv1: 'high',
  'TLSv1.1': 'high',
};

export function judgeTlsProtocol(e: TransportEvidence): Finding | null {
  const severity = e.tls ? OLD_PROTOCOLS[e.tls.protocol] : undefined;
  if (!e.tls || !severity) {
    return null;
  }
  return finding({
    api: e.api,
    endpoint: e.endpoint,
    kind: 'tls_old_protocol',
    severity,
    summary: `The server negotiates ${e.tls.protocol} (${e.tls.cipher}); TLS 1.0 and 1.1 are deprecated (RFC 8996) and current clients refuse them.`,
    evidence: { protocol: e.tls.protocol, cipher: e.tls.cipher },
    recommendation: `Ask the provider for TLS 1.2 or 1.3 (or use its modern endpoint); until then calls fail with clients that follow RFC 8996, which is most of them.`,
    estimatedGain: { text: 'Calls that current TLS libraries accept, with modern ciphers.', values: {} },
  });
}

export interface CipherJudgement {
  severity: AuditSeverity | null;
  reasons: string[];
}

/** What is wrong with a negotiated cipher (OpenSSL names); TLS 1.3 suites are all fine. */
export function cipherWeakness(cipher: string): CipherJudgement {
  const c = cipher.toUpperCase();
  if (c.startsWith('TLS_')) {
    return { severity: null, reasons: [] };
  }
  const reasons: string[] = [];
  let severity: AuditSeverity | null = null;
  const worse = (s: AuditSeverity) => {
    const order: AuditSeverity[] = ['info', 'low', 'medium', 'high', 'critical'];
    severity = severity === null || order.indexOf(s) > order.indexOf(severity) ? s : severity;
  };
  if (/(^|-)NULL(-|$)/.test(c) || /(^|-)EXP(ORT)?(-|\d|$)/.test(c) || /^(ADH|AECDH)-|(^|-)ANON(-|$)/.test(c)) {
    reasons.push('no encryption, export-grade or unauthenticated key exchange');
    worse('critical');
  }
  if (/RC4|(^|-)DES(-|$)|DES-CBC3|3DES|MD5|IDEA|SEED/.test(c)) {
    reasons.push('a broken cipher or hash (RC4, DES/3DES, MD5)');
    worse('high');
  }
  if (!/^(ECDHE|DHE|EDH)-/.test(c)) {
    reasons.push('no forward secrecy (static RSA key exchange)');
    worse('medium');
  }
  if (!/GCM|CHACHA20|CCM/.test(c)) {
    reasons.push('CBC mode (padding-oracle attacks such as Lucky13)');
    worse('low');
  }
  return { severity, reasons };
}

export function judgeTlsCipher(e: TransportEvidence): Finding | null {
  if (!e.tls || OLD_PROTOCOLS[e.tls.protocol]) {
    // An old protocol is its own finding; its ciphers go with it.
    return null;
  }
  const judged = cipherWeakness(e.tls.cipher);
  if (judged.severity === null) {
    return null;
  }
  return finding({
    api: e.api,
    endpoint: e.endpoint,
    kind: 'tls_weak_cipher',
    severity: judged.severity,
    summary: `The server chose ${e.tls.cipher} over ${e.tls.protocol}: ${judged.reasons.join('; ')}.`,
    evidence: { protocol: e.tls.protocol, cipher: e.tls.cipher, weaknesses: judged.reasons.join('; ') },
    recommendation:
      "Ask the provider to prefer ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 (or TLS 1.3); the platform can also restrict its client's cipher list to those.",
    estimatedGain: { text: 'Forward secrecy and authenticated encryption for every call.', values: {} },
  });
}

const VERIFY_TEXT: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server does not send its intermediate certificates (an incomplete chain)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the chain does not lead to a trusted root (an incomplete chain or a private CA)',
  UNABLE_TO_GET_ISSUER_CERT: 'an issuer in the chain is missing',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed certificate nobody trusts',
  CERT_HAS_EXPIRED: 'a certificate in the chain has expired',
  CERT_NOT_YET_VALID: 'a certificate in the chain is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is for another host name',
  HOSTNAME_MISMATCH: 'the certificate is for another host name',
};

export function judgeTlsChain(e: TransportEvidence): Finding | null {
  if (!e.verifyError) {
    return null;
  }
  const what = VERIFY_TEXT[e.verifyError] ?? `verification failed (${e.verifyError})`;
  return finding({
    api: e.api,
    endpoint: e.endpoint,
    kind: 'tls_chain_problem',
    severity: e.insecureSkipVerify ? 'critical' : 'high',
    summary: `The certificate chain does not verify: ${what} (${e.verifyError})${e.insecureSkipVerify ? '; the catalog skips verification for this endpoint, so the platform probably does too' : ''}.`,
    evidence: { verifyError: e.verifyError, insecureSkipVerify: e.insecureSkipVerify },
    recommendation: e.insecureSkipVerify
      ? "Stop skipping verification: trust the provider's CA explicitly (or have the provider fix its chain); a client that accepts any certificate accepts an attacker's."
      : 'Ask the provider to serve a complete, valid chain; clients that do not cache intermediates (most server-side ones) fail until then.',
    estimatedGain: { text: 'Calls that verify whom they talk to.', values: {} },
  });
}

export function judgeHsts(e: TransportEvidence): Finding | null {
  const min = AUDIT_POLICY.hsts.minMaxAgeSeconds;
  if (
    e.plainHttp ||
    e.hstsMaxAgeSeconds === null ||
    e.hstsMaxAgeSeconds >= min ||
    new URL(e.url).protocol !== 'https:'
  ) {
    return null;
  }
  const absent = e.hstsMaxAgeSeconds === 0;
  return finding({
    api: e.api,
    endpoint: e.endpoint,
    kind: 'hsts_missing',
    severity: 'low',
    summary: absent
      ? 'HTTPS responses carry no Strict-Transport-Security header: nothing tells clients never to fall back to http.'
      : `Strict-Transport-Security max-age is ${fmtSeconds(e.hstsMaxAgeSeconds!)}, below ${fmtSeconds(min)}.`,
    evidence: { hstsMaxAgeSeconds: e.hstsMaxAgeSeconds, minimumSeconds: min },
    recommendation:
      "Pin https on the platform's side: configure only https:// URLs and refuse redirects to http (as apimon flags them); ask the provider to send Strict-Transport-Security with a max-age of a year.",
    estimatedGain: { text: 'No downgrade to http through a redirect or a typo.', values: {} },
  });
}

/** What the prober saw of the token it sends (apimon_endpoint_credential_info): its shape only. */
export interface CredentialShape {
  format: CredentialFormat;
  /** A JWT's signing algorithm; null when not a JWT or not a plain name. */
  alg: string | null;
}

export interface AuthEvidence {
  api: string;
  auth: AuthConfig;
  /** The token's shape as the probes saw it; null when the store has no probe of it (yet). */
  credential?: CredentialShape | null;
  /** Scheme of the API's endpoints ("https", "http", or "https, http"). */
  schemes: string;
  /** The prober's misconfiguration reason ("missing env PAY_API_KEY"), or null. */
  misconfigured: string | null;
}

export function judgeCredentialsInUrl(e: AuthEvidence): Finding | null {
  if (e.auth.type !== 'query') {
    return null;
  }
  return finding({
    api: e.api,
    endpoint: '',
    kind: 'credentials_in_url',
    severity: 'medium',
    summary: `The API key travels in the query string (?${e.auth.param}=...): URLs end up in proxy and server access logs, traces (url.full) and error reports.`,
    evidence: { param: e.auth.param, secretEnv: e.auth.secretEnv },
    recommendation: `Send the key in a header if the provider accepts one (then auth: { type: header }); if it does not, redact the "${e.auth.param}" parameter from the platform's logs and telemetry (url.full, url.query), and restrict the key on the provider's side (allowed IPs, APIs, quotas).`,
    estimatedGain: { text: 'The key stays out of logs, traces and third-party proxies.', values: {} },
  });
}

export function judgeBasicAuth(e: AuthEvidence): Finding | null {
  if (e.auth.type !== 'basic') {
    return null;
  }
  return finding({
    api: e.api,
    endpoint: '',
    kind: 'basic_auth',
    severity: 'low',
    summary: `HTTP Basic: the long-lived username and password (${e.auth.usernameEnv}, ${e.auth.passwordEnv}) go with every request.`,
    evidence: { usernameEnv: e.auth.usernameEnv, passwordEnv: e.auth.passwordEnv, schemes: e.schemes },
    recommendation:
      "Prefer the provider's API keys or OAuth2 client credentials (short-lived tokens) if it offers them; otherwise use a dedicated, least-privilege API user and rotate its password.",
    estimatedGain: { text: 'A leaked credential expires by itself and does less.', values: {} },
  });
}

export function judgeSecretMissing(e: AuthEvidence): Finding | null {
  const m = e.misconfigured === null ? null : /^missing env (\S+)$/.exec(e.misconfigured);
  if (!m) {
    return null;
  }
  return finding({
    api: e.api,
    endpoint: '',
    kind: 'secret_missing',
    severity: 'high',
    summary: `The prober cannot probe the API: environment variable ${m[1]} is not set.`,
    evidence: { variable: m[1] },
    recommendation: `Set ${m[1]} where the prober runs (a Kubernetes Secret, the container's environment); check the platform has it too.`,
    estimatedGain: { text: 'The API is monitored again.', values: {} },
  });
}

const jwtName = (c: CredentialShape) => `a JWT${c.alg ? ` (${c.alg})` : ''}`;

/** What the inventory adds for a JWT: it expires, and alg "none" means nobody signed it. */
const jwtPractice = (c: CredentialShape | null | undefined): string =>
  c?.format !== 'jwt'
    ? ''
    : c.alg?.toLowerCase() === 'none'
      ? ' The JWT is unsigned (alg "none"): anyone can forge one; ask the provider why it accepts it.'
      : ' A JWT expires (its exp claim): make sure something renews it before the platform and the probes fail with 401.';

/**
 * How the API authenticates, for the inventory: method, where the credential travels, which
 * variables. `credential` is the token's shape as the probes saw it (a JWT or not).
 */
export function authInventory(
  auth: AuthConfig,
  credential: CredentialShape | null = null
): {
  method: string;
  credentialIn: string;
  variables: string[];
  practice: string;
} {
  const jwt = credential?.format === 'jwt' ? credential : null;
  switch (auth.type) {
    case 'none':
      return {
        method: 'none',
        credentialIn: '-',
        variables: [],
        practice: 'No credentials: make sure the API really is public data.',
      };
    case 'bearer':
      return {
        method: jwt
          ? `bearer token: ${jwtName(jwt)}`
          : credential
            ? 'bearer token (an opaque API key, not a JWT)'
            : 'bearer token (an API key or a JWT)',
        credentialIn: 'Authorization header',
        variables: [auth.secretEnv],
        practice: `Keep it in a secret store, scope it to what the platform calls, rotate it.${jwt ? jwtPractice(jwt) : credential ? '' : ' A JWT expires, so check who renews it.'}`,
      };
    case 'header':
      return {
        method: jwt ? `${jwtName(jwt)} in the ${auth.header} header` : `API key in the ${auth.header} header`,
        credentialIn: `${auth.header} header`,
        variables: [auth.secretEnv],
        practice: `Keep it in a secret store, restrict it on the provider's side, rotate it.${jwtPractice(jwt)}`,
      };
    case 'query':
      return {
        method: jwt ? `${jwtName(jwt)} in the query parameter ${auth.param}` : `API key in the query parameter ${auth.param}`,
        credentialIn: 'URL query string',
        variables: [auth.secretEnv],
        practice: `Redact it from logs and traces; restrict it on the provider's side (see credentials_in_url).${jwtPractice(jwt)}`,
      };
    case 'basic':
      return {
        method: 'HTTP Basic',
        credentialIn: 'Authorization header',
        variables: [auth.usernameEnv, auth.passwordEnv],
        practice: 'A dedicated least-privilege user, rotated; prefer tokens where offered (see basic_auth).',
      };
    case 'oauth2':
      return {
        method: `OAuth2 client credentials (token from ${new URL(auth.tokenUrl).host}${jwt ? `; the access tokens are JWTs${jwt.alg ? `, ${jwt.alg}` : ''}` : ''})`,
        credentialIn: 'short-lived bearer token',
        variables: [auth.clientIdEnv, auth.clientSecretEnv],
        practice: `Rotate the client secret; request only the scopes the platform needs.${jwt?.alg?.toLowerCase() === 'none' ? jwtPractice(jwt) : ''}`,
      };
  }
}

export function authMethodFinding(e: AuthEvidence): Finding {
  const inv = authInventory(e.auth, e.credential ?? null);
  return finding({
    api: e.api,
    endpoint: '',
    kind: 'auth_method',
    severity: 'info',
    summary: `Authentication: ${inv.method}${inv.variables.length ? ` (${inv.variables.join(', ')})` : ''}, over ${e.schemes}.`,
    evidence: {
      method: e.auth.type,
      credentialIn: inv.credentialIn,
      variables: inv.variables.join(', '),
      schemes: e.schemes,
      // The token's shape as the probes saw it: jwt, opaque, or unknown (none probed yet).
      tokenFormat: e.auth.type === 'none' || e.auth.type === 'basic' ? null : (e.credential?.format ?? 'unknown'),
      jwtAlg: e.credential?.format === 'jwt' ? e.credential.alg : null,
    },
    recommendation: inv.practice,
    estimatedGain: null,
  });
}
