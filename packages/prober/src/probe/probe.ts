// probeEndpoint: one probe of one catalog endpoint. Every way a target can misbehave ends in a
// ProbeResult with exactly one outcome; only a misconfiguration (MisconfiguredError) or the
// caller's shutdown signal (ProbeAbortedError) make it reject.
import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { Api, Endpoint } from '@apimon/core';
import { version } from '../../package.json';
import { credentialHeaderNames, queryCredential, staticAuthHeaders } from './auth';
import { credentialFacts, type CredentialFacts } from './credential';
import { bodyProblem, decodeBody, needsBody } from './body';
import { classifyFailure, classifyStatus, type Verdict } from './classify';
import { MisconfiguredError, ProbeAbortedError } from './errors';
import { asksForCompression, cacheFacts, contentEncoding, decodedSize, hstsMaxAge, type ResponseFacts } from './facts';
import { exchange, socketHost, type ExchangeResult, type TlsFacts } from './http';
import { defaultLookup } from './lookup';
import { defaultTokenCache, type TokenOutcome } from './oauth2';
import type { ProbeOptions } from './options';
import { readRateLimits } from './ratelimit';
import { describeUrl, isRedirect, nextHop, type Hop } from './redirect';
import { addPhases, clock, zeroPhases } from './timing';
import { isProtocolVersionError, legacyHandshake, tlsSettings } from './tls';
import type { ProbeResult } from './types';

export const DEFAULT_USER_AGENT = `apimon/${version}`;

/**
 * The User-Agent of a prober in a location: a provider's logs (and the sandbox's per-location
 * faults) tell which region a probe came from, as synthetic monitors commonly announce.
 */
export const userAgentIn = (location: string) => `${DEFAULT_USER_AGENT} (location=${location})`;

/** Checks every header before anything is sent; names the header, never its value. */
function checkHeaders(api: Api, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      throw new MisconfiguredError(
        api.name,
        `header "${name}" cannot be sent: its name or value has characters HTTP does not allow`
      );
    }
  }
}

function withoutHeaders(headers: Record<string, string>, drop: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !drop.includes(k.toLowerCase())));
}

export async function probeEndpoint(api: Api, endpoint: Endpoint, options: ProbeOptions = {}): Promise<ProbeResult> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const lookup = options.lookup ?? defaultLookup;
  const tokens = options.tokens ?? defaultTokenCache;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const expect = endpoint.expect;

  const baseHeaders: Record<string, string> = {
    'User-Agent': userAgent,
    Accept: '*/*',
    // As the platform's own HTTP clients ask; the audit compares wire and decoded sizes.
    'Accept-Encoding': 'gzip, deflate, br',
    ...endpoint.headers,
    ...staticAuthHeaders(api, env),
  };
  if (endpoint.body !== undefined && !Object.keys(baseHeaders).some((k) => k.toLowerCase() === 'content-length')) {
    baseHeaders['Content-Length'] = String(Buffer.byteLength(endpoint.body));
  }
  checkHeaders(api, baseHeaders);
  const credentialParam = queryCredential(api, env);

  const tokenContext = {
    env,
    lookup,
    ca: options.ca,
    signal: options.signal,
    now,
    timeoutMs: endpoint.timeoutMs,
    userAgent,
  };
  const getToken = async (): Promise<TokenOutcome> => {
    const outcome = await tokens.get(api, tokenContext);
    if (!outcome.ok && outcome.aborted) {
      throw new ProbeAbortedError(api.name, endpoint.name);
    }
    return outcome;
  };

  let token: TokenOutcome | null = null;
  // The token this probe sends, judged by its shape for the audit's inventory (never kept).
  const sentCredential = (): CredentialFacts | null => {
    const auth = api.auth;
    const value =
      auth.type === 'bearer' || auth.type === 'header'
        ? env[auth.secretEnv]
        : auth.type === 'query'
          ? credentialParam?.value
          : auth.type === 'oauth2' && token?.ok
            ? token.token.value
            : undefined;
    return value ? credentialFacts(value) : null;
  };
  const phases = zeroPhases();
  let loopDelayMs = 0;
  const result = (
    verdict: Verdict,
    started: number,
    last: ExchangeResult | null,
    extra: Partial<ProbeResult>
  ): ProbeResult => {
    const durationMs = (last?.endedAt ?? clock()) - started;
    const limits = readRateLimits(last && last.status > 0 ? last.headers : {}, now(), api.rateLimitHeaders);
    return {
      api: api.name,
      endpoint: endpoint.name,
      outcome: verdict.outcome,
      code: last?.status ?? 0,
      durationMs,
      phases,
      bytes: last?.bytes ?? 0,
      rateLimit: limits.rateLimits[0] ?? null,
      rateLimits: limits.rateLimits,
      retryAfterSeconds: limits.retryAfterSeconds,
      tlsExpiresAt: last?.tlsExpiresAt ?? null,
      error: verdict.error,
      redirects: 0,
      plainHttp: false,
      loopDelayMs,
      facts: last && last.status > 0 ? responseFacts(last, baseHeaders) : null,
      tls: last?.tls ?? null,
      credential: sentCredential(),
      ...extra,
    };
  };

  if (api.auth.type === 'oauth2') {
    const asked = clock();
    token = await getToken();
    if (!token.ok) {
      // No request to the endpoint was made: the duration is the failed token request's.
      return result(token.verdict, asked, null, { code: token.code });
    }
  }

  const started = clock();
  const deadline = started + endpoint.timeoutMs;
  const origin = new URL(endpoint.url).origin;
  const credentialNames = credentialHeaderNames(api);
  let hop: Hop = {
    url: new URL(endpoint.url),
    method: endpoint.method,
    body: endpoint.body === undefined ? undefined : Buffer.from(endpoint.body, 'utf8'),
  };
  let redirects = 0;
  let plainHttp = false;
  let refreshedToken = false;
  let tlsExpiresAt: number | null = null;
  const visited = new Set<string>();

  for (;;) {
    const sameOrigin = hop.url.origin === origin;
    let headers = sameOrigin ? baseHeaders : withoutHeaders(baseHeaders, credentialNames);
    if (token?.ok && sameOrigin) {
      headers = { ...headers, Authorization: `Bearer ${token.token.value}` };
    }
    if (endpoint.body !== undefined && hop.body === undefined) {
      // A 301/302/303 turned the request into a GET: its body and the headers describing it go.
      headers = withoutHeaders(headers, ['content-length', 'content-type']);
    }
    plainHttp ||= hop.url.protocol === 'http:';
    visited.add(hop.url.href);

    const host = socketHost(hop.url);
    // The key goes only to the catalog's origin, and only on the wire: hop.url (which errors
    // and redirects describe) never holds it.
    const wireUrl = new URL(hop.url);
    if (credentialParam) {
      wireUrl.searchParams.delete(credentialParam.param);
      if (sameOrigin) {
        wireUrl.searchParams.set(credentialParam.param, credentialParam.value);
      }
    }
    const last = await exchange({
      url: wireUrl,
      method: hop.method,
      headers,
      body: hop.body,
      tls: tlsSettings(endpoint.tls, host, options.ca),
      lookup,
      deadline,
      maxBytes: expect.maxBytes,
      keepBody: needsBody(expect),
      signal: options.signal,
      loopStalls: options.loopStalls,
    });
    addPhases(phases, last.phases);
    loopDelayMs += last.loopDelayMs;
    // The expiry of the final TLS hop, or of the last one that presented a certificate.
    tlsExpiresAt = last.tlsExpiresAt ?? tlsExpiresAt;
    const done = (verdict: Verdict) => result(verdict, started, last, { redirects, plainHttp, tlsExpiresAt });

    if (last.failure) {
      if (last.failure.kind === 'aborted') {
        throw new ProbeAbortedError(api.name, endpoint.name);
      }
      const verdict = classifyFailure(last.failure, host, endpoint.timeoutMs, last.status, last.bytes);
      if (last.failure.kind === 'error' && hop.url.protocol === 'https:' && isProtocolVersionError(last.failure.error)) {
        // Learn what the server does speak (for tls_old_protocol); the probe still failed.
        const legacy = await legacyHandshake({
          host,
          port: Number(hop.url.port) || 443,
          servername: tlsSettings(endpoint.tls, host, options.ca).servername,
          lookup,
          timeoutMs: Math.min(2_000, Math.max(0, deadline - clock())),
        });
        if (legacy) {
          const tls: TlsFacts = { ...legacy, verifyError: null };
          return result(
            { outcome: 'tls', error: `the server only offers ${legacy.protocol} (${legacy.cipher}); TLS 1.2 or newer is required` },
            started,
            last,
            { redirects, plainHttp, tlsExpiresAt, tls }
          );
        }
      }
      return done(verdict);
    }

    if (isRedirect(last.status) && !expect.status.includes(last.status)) {
      const next = nextHop(hop, last.status, last.headers.location);
      if (!next.ok) {
        return done({ outcome: 'assertion', error: next.error });
      }
      if (redirects >= endpoint.maxRedirects) {
        const loop = visited.has(next.hop.url.href) ? 'redirect loop: ' : '';
        return done({
          outcome: 'assertion',
          error: `${loop}too many redirects: status ${last.status} to ${describeUrl(next.hop.url)} after ${redirects} (maxRedirects ${endpoint.maxRedirects})`,
        });
      }
      redirects++;
      hop = next.hop;
      continue;
    }

    // An OAuth2 token the API no longer accepts is fetched anew once and the request repeated.
    if (last.status === 401 && token?.ok && token.fromCache && !refreshedToken && sameOrigin) {
      refreshedToken = true;
      tokens.invalidate(api, env);
      token = await getToken();
      if (!token.ok) {
        return done({ ...token.verdict });
      }
      continue;
    }

    return done(judge(last, expect));
  }
}

/** Caching, compression and HSTS facts of a response, for the audit. */
function responseFacts(last: ExchangeResult, requestHeaders: Record<string, string>): ResponseFacts {
  const encoding = contentEncoding(last.headers);
  const complete = !last.bodyLimited && last.failure === null;
  let decodedBytes: number | null = null;
  if (complete) {
    decodedBytes = encoding === 'identity' ? last.bytes : last.body ? decodedSize(last.body, encoding) : null;
  }
  return {
    cache: cacheFacts(last.headers),
    encoding,
    compressionRequested: asksForCompression(requestHeaders),
    wireBytes: last.bytes,
    decodedBytes,
    bodyHash: complete && last.status >= 200 && last.status < 300 ? last.bodyHash : null,
    hstsMaxAgeSeconds: last.tls ? hstsMaxAge(last.headers['strict-transport-security']) : null,
  };
}

/**
 * The verdict on a complete response: status first, then the byte cap, then the body. Shared
 * with the load generator, which reads responses through its own connection pool.
 */
export function judge(
  last: Pick<ExchangeResult, 'status' | 'bodyLimited' | 'body' | 'headers' | 'bytes'>,
  expect: Endpoint['expect']
): Verdict {
  const byStatus = classifyStatus(last.status, expect);
  if (byStatus) {
    return byStatus;
  }
  if (last.bodyLimited) {
    return {
      outcome: 'body_limit',
      error: `body exceeds maxBytes ${expect.maxBytes}: stopped reading after ${last.bytes} bytes`,
    };
  }
  if (last.body && needsBody(expect)) {
    const decoded = decodeBody(last.body, last.headers, expect.maxBytes);
    if (!decoded.ok) {
      return { outcome: decoded.tooLarge ? 'body_limit' : 'assertion', error: decoded.error };
    }
    const problem = bodyProblem(decoded.text, expect);
    if (problem) {
      return { outcome: 'assertion', error: problem };
    }
  }
  return { outcome: 'ok', error: null };
}
