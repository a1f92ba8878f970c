// OAuth2 client credentials (RFC 6749 section 4.4): fetches an access token from the catalog's
// tokenUrl and caches it until shortly before it expires. Client authentication starts with
// HTTP Basic (which every server must support) and falls back to credentials in the form
// body when the server refuses that, remembering what worked per token URL.
import type { Api, AuthConfig } from '@apimon/core';
import type { LookupFunction } from 'node:net';
import { requireEnv } from './auth';
import { classifyFailure, classifyStatus, type Verdict } from './classify';
import { exchange, socketHost } from './http';
import { clock } from './timing';
import { tlsSettings } from './tls';

type OAuth2Auth = Extract<AuthConfig, { type: 'oauth2' }>;
type ClientAuthStyle = 'basic' | 'body';

export interface AccessToken {
  value: string;
  /** Epoch ms after which the token is not used any more; null: until the API answers 401. */
  expiresAt: number | null;
}

export type TokenOutcome =
  | { ok: true; token: AccessToken; fromCache: boolean }
  | { ok: false; verdict: Verdict; code: number; aborted: boolean };

export interface TokenContext {
  env: Record<string, string | undefined>;
  lookup: LookupFunction;
  ca?: string | string[];
  signal?: AbortSignal;
  now: () => number;
  timeoutMs: number;
  userAgent: string;
}

/** Tokens per (token URL, client, scopes, audience); shared by every probe of a process. */
export class TokenCache {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<TokenOutcome>>();
  private readonly styles = new Map<string, ClientAuthStyle>();

  /** A valid cached token, or one fetched now (concurrent callers share one request). */
  async get(api: Api, ctx: TokenContext): Promise<TokenOutcome> {
    const auth = api.auth as OAuth2Auth;
    const clientId = requireEnv(api, ctx.env, auth.clientIdEnv, 'auth.clientIdEnv');
    const clientSecret = requireEnv(api, ctx.env, auth.clientSecretEnv, 'auth.clientSecretEnv');
    const key = cacheKey(auth, clientId);
    const cached = this.tokens.get(key);
    if (cached && (cached.expiresAt === null || cached.expiresAt > ctx.now())) {
      return { ok: true, token: cached, fromCache: true };
    }
    let request = this.pending.get(key);
    if (!request) {
      request = this.fetch(auth, clientId, clientSecret, ctx)
        .then((outcome) => {
          // Cached here, not by the caller: the caller may have stopped waiting (aborted).
          if (outcome.ok) {
            this.tokens.set(key, outcome.token);
          }
          return outcome;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return untilAborted(request, ctx.signal);
  }

  /** Forgets the token (the API answered 401 with it). */
  invalidate(api: Api, env: Record<string, string | undefined>): void {
    const auth = api.auth as OAuth2Auth;
    const clientId = env[auth.clientIdEnv];
    if (clientId) {
      this.tokens.delete(cacheKey(auth, clientId));
    }
  }

  private async fetch(
    auth: OAuth2Auth,
    clientId: string,
    clientSecret: string,
    ctx: TokenContext
  ): Promise<TokenOutcome> {
    const remembered = this.styles.get(auth.tokenUrl);
    const first = await requestToken(auth, clientId, clientSecret, remembered ?? 'basic', ctx);
    // A server that only reads client credentials from the body refuses Basic with 400/401.
    if (!remembered && !first.ok && (first.code === 400 || first.code === 401)) {
      const second = await requestToken(auth, clientId, clientSecret, 'body', ctx);
      if (second.ok) {
        this.styles.set(auth.tokenUrl, 'body');
      }
      return second;
    }
    if (first.ok && !remembered) {
      this.styles.set(auth.tokenUrl, 'basic');
    }
    return first;
  }
}

const ABORTED: TokenOutcome = { ok: false, code: 0, aborted: true, verdict: { outcome: 'timeout', error: 'aborted' } };

/** The shared token request, or ABORTED as soon as this caller's signal fires. */
function untilAborted(request: Promise<TokenOutcome>, signal: AbortSignal | undefined): Promise<TokenOutcome> {
  if (!signal) {
    return request;
  }
  if (signal.aborted) {
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    request.then((outcome) => {
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    });
  });
}

function cacheKey(auth: OAuth2Auth, clientId: string): string {
  return JSON.stringify([auth.tokenUrl, clientId, auth.scopes ?? [], auth.audience ?? '']);
}

/** "https://auth.example/oauth/token" without query: safe to name in an error. */
function where(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

async function requestToken(
  auth: OAuth2Auth,
  clientId: string,
  clientSecret: string,
  style: ClientAuthStyle,
  ctx: TokenContext
): Promise<TokenOutcome> {
  const url = new URL(auth.tokenUrl);
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scopes && auth.scopes.length > 0) {
    form.set('scope', auth.scopes.join(' '));
  }
  if (auth.audience) {
    form.set('audience', auth.audience);
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
    'User-Agent': ctx.userAgent,
  };
  if (style === 'basic') {
    // RFC 6749 2.3.1: id and secret are form-encoded before they are joined.
    const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
    headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  } else {
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret);
  }
  const prefix = `oauth2 token request to ${where(url)}`;
  const result = await exchange({
    url,
    method: 'POST',
    headers,
    body: Buffer.from(form.toString(), 'utf8'),
    tls: tlsSettings({ insecureSkipVerify: false }, socketHost(url), ctx.ca),
    lookup: ctx.lookup,
    deadline: clock() + ctx.timeoutMs,
    maxBytes: 64 * 1024,
    keepBody: true,
    // No signal: concurrent probes share this request, and one probe's abort must not fail the
    // others. Each waits with its own signal (untilAborted); the request has its own timeout.
  });
  if (result.failure) {
    const verdict = classifyFailure(result.failure, socketHost(url), ctx.timeoutMs, result.status, result.bytes);
    return {
      ok: false,
      code: result.status,
      aborted: result.failure.kind === 'aborted',
      verdict: { ...verdict, error: `${prefix}: ${verdict.error}` },
    };
  }
  let json: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(result.body?.toString('utf8') ?? '');
    json =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : null;
  } catch {
    json = null;
  }
  if (result.status !== 200) {
    const verdict = classifyStatus(result.status, { status: [200], maxBytes: 0 }) as Verdict;
    // The RFC's error codes ("invalid_client") are a fixed vocabulary; descriptions are not shown.
    const rfcError = typeof json?.error === 'string' && /^[a-z_]{1,40}$/.test(json.error) ? `, ${json.error}` : '';
    return {
      ok: false,
      code: result.status,
      aborted: false,
      verdict: { outcome: verdict.outcome, error: `${prefix}: status ${result.status}${rfcError}` },
    };
  }
  const value = json?.access_token;
  if (typeof value !== 'string' || value === '') {
    return {
      ok: false,
      code: result.status,
      aborted: false,
      verdict: { outcome: 'assertion', error: `${prefix}: response has no access_token` },
    };
  }
  const expiresIn = Number(json?.expires_in);
  let expiresAt: number | null = null;
  if (Number.isFinite(expiresIn) && expiresIn > 0) {
    // Renew a little early (a tenth of the lifetime, at most a minute) so no probe races expiry.
    const lifetimeMs = expiresIn * 1000;
    expiresAt = ctx.now() + lifetimeMs - Math.min(60_000, lifetimeMs / 10);
  }
  return { ok: true, token: { value, expiresAt }, fromCache: false };
}

/** The process-wide cache used when a caller passes none. */
export const defaultTokenCache = new TokenCache();
