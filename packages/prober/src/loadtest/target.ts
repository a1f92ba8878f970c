// The HTTP side of a load test: requests to one endpoint through a keep-alive connection pool
// (undici's Pool, one connection per request in flight at most), with the probe's request
// (method, headers, body, auth from environment-variable names, OAuth2 tokens, TLS settings)
// and the probe's verdict on every answer (outcome classes, expect assertions, body limits).
// Unlike a probe, redirects are not followed under load: a 3xx the endpoint does not expect is
// an assertion failure, as a probe reports one it may not follow.
import { validateHeaderName, validateHeaderValue, type IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Pool, type Dispatcher } from 'undici';
import type { Api, Endpoint, Outcome, Phase } from '@apimon/core';
import { queryCredential, staticAuthHeaders } from '../probe/auth';
import { needsBody } from '../probe/body';
import { classifyFailure, type Verdict } from '../probe/classify';
import { MisconfiguredError } from '../probe/errors';
import { socketHost, type ExchangeFailure } from '../probe/http';
import { defaultLookup } from '../probe/lookup';
import { defaultTokenCache, type TokenCache } from '../probe/oauth2';
import { DEFAULT_USER_AGENT, judge } from '../probe/probe';
import { isTlsError, tlsSettings } from '../probe/tls';

export interface TargetOptions {
  env?: Record<string, string | undefined>;
  lookup?: LookupFunction;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | string[];
  tokens?: TokenCache;
  userAgent?: string;
  /** Wall clock, epoch ms (token expiry). */
  now?: () => number;
}

/** One request's end: its verdict and when it was really sent and finished (performance.now() ms). */
export interface Completion {
  outcome: Outcome;
  code: number;
  error: string | null;
  sentAt: number;
  endedAt: number;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_NONAME', 'ENODATA', 'EAI_NODATA', 'EAI_AGAIN', 'EAI_FAIL', 'ESERVFAIL', 'ETIMEOUT']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** Where a request was when undici reported an error, as the probe's classifier reads it. */
export function failureOf(err: NodeJS.ErrnoException, responded: boolean): ExchangeFailure {
  const code = err.code ?? '';
  let phase: Phase;
  if (err.syscall === 'getaddrinfo' || DNS_CODES.has(code)) {
    phase = 'dns';
  } else if (isTlsError(err)) {
    phase = 'tls';
  } else if (CONNECT_CODES.has(code) || err.syscall === 'connect') {
    phase = 'connect';
  } else {
    phase = responded ? 'transfer' : 'ttfb';
  }
  return { kind: 'error', phase, error: err };
}

const BODY_LIMIT = new Error('body limit');
const TIMED_OUT = new Error('timed out');
const CANCELLED = new Error('cancelled');

/** One request in flight: undici's handler, and the clock and verdict around it. */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private bytes = 0;
  private chunks: Buffer[] | null;
  private kept = 0;
  private bodyLimited = false;
  private settled = false;
  private abortWith: Error | null = null;
  /** performance.now() ms after which the endpoint's timeout has run out. */
  readonly deadline: number;

  constructor(
    private readonly target: LoadTarget,
    private readonly done: (c: Completion) => void,
    readonly sentAt: number
  ) {
    this.chunks = target.keepBody ? [] : null;
    this.deadline = sentAt + target.endpoint.timeoutMs;
  }

  /** The endpoint's timeout ran out. */
  expire(): void {
    this.finish({ kind: 'timeout', phase: this.status > 0 ? 'transfer' : 'ttfb' });
    this.abort(TIMED_OUT);
  }

  /** Ends the request without a completion (Ctrl-C, an abort): it is not a result. */
  cancel(): void {
    if (!this.settled) {
      this.settled = true;
      this.target.untrack(this);
      this.abort(CANCELLED);
    }
  }

  private abort(reason: Error): void {
    if (this.controller) {
      if (!this.controller.aborted) {
        this.controller.abort(reason);
      }
    } else {
      this.abortWith = reason;
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortWith) {
      controller.abort(this.abortWith);
    }
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytes += chunk.length;
    const max = this.target.endpoint.expect.maxBytes;
    if (this.chunks && this.kept < max) {
      const take = chunk.subarray(0, max - this.kept);
      this.chunks.push(take);
      this.kept += take.length;
    }
    if (this.bytes > max) {
      this.bodyLimited = true;
      this.finish(null);
      this.abort(BODY_LIMIT);
    }
  }

  onResponseEnd(): void {
    this.finish(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.finish(failureOf(err as NodeJS.ErrnoException, this.status > 0));
  }

  private finish(failure: ExchangeFailure | null): void {
    if (this.settled) {
      return;
    }
    this.settled = true;
    const endedAt = performance.now();
    this.target.untrack(this);
    const t = this.target;
    let verdict: Verdict;
    if (failure) {
      verdict = classifyFailure(failure, t.host, t.endpoint.timeoutMs, this.status, this.bytes);
    } else {
      verdict = judge(
        {
          status: this.status,
          headers: this.headers,
          bytes: this.bytes,
          bodyLimited: this.bodyLimited,
          body: this.chunks ? Buffer.concat(this.chunks, this.kept) : null,
        },
        t.endpoint.expect
      );
      if (this.status === 401) {
        t.rejectedToken();
      }
    }
    this.done({ outcome: verdict.outcome, code: this.status, error: verdict.error, sentAt: this.sentAt, endedAt });
  }
}

export class LoadTarget {
  readonly url: URL;
  readonly host: string;
  readonly keepBody: boolean;
  private readonly pool: Pool;
  private readonly inFlightSet = new Set<Exchange>();
  private readonly env: Record<string, string | undefined>;
  private readonly tokens: TokenCache;
  private readonly options: TargetOptions;
  private readonly baseHeaders: Record<string, string>;
  private readonly body: Buffer | undefined;
  private readonly path: string;
  /** baseHeaders as undici's flat [name, value, ...] list, built once. */
  private readonly flatHeaders: string[];
  private tokenHeaders: { token: string; headers: string[] } | null = null;
  /** Ends requests past their timeout; one timer for all of them rather than one each. */
  private sweeper: NodeJS.Timeout | null = null;
  private readonly sweepMs: number;

  constructor(
    readonly api: Api,
    readonly endpoint: Endpoint,
    url: string,
    readonly maxConcurrency: number,
    options: TargetOptions = {}
  ) {
    this.options = options;
    this.env = options.env ?? process.env;
    this.tokens = options.tokens ?? defaultTokenCache;
    this.url = new URL(url);
    this.host = socketHost(this.url);
    // auth type query: the key goes in the URL, as the probes send it (never in results).
    const credential = queryCredential(api, this.env);
    const wire = new URL(this.url);
    if (credential) {
      wire.searchParams.set(credential.param, credential.value);
    }
    this.path = `${wire.pathname}${wire.search}`;
    this.keepBody = needsBody(endpoint.expect);
    // Throws MisconfiguredError (naming the API and variable) before any traffic.
    this.baseHeaders = {
      'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
      accept: '*/*',
      ...lowerCased(endpoint.headers),
      ...lowerCased(staticAuthHeaders(api, this.env)),
    };
    for (const [name, value] of Object.entries(this.baseHeaders)) {
      try {
        validateHeaderName(name);
        validateHeaderValue(name, value);
      } catch {
        throw new MisconfiguredError(api.name, `header "${name}" cannot be sent: its name or value has characters HTTP does not allow`);
      }
    }
    this.flatHeaders = Object.entries(this.baseHeaders).flat();
    // A request times out within a few percent of the endpoint's timeout (25 ms at most).
    this.sweepMs = Math.max(5, Math.min(25, endpoint.timeoutMs / 20));
    this.body = endpoint.body === undefined ? undefined : Buffer.from(endpoint.body, 'utf8');
    const tls = tlsSettings(endpoint.tls, this.host, options.ca);
    this.pool = new Pool(this.url.origin, {
      connections: maxConcurrency,
      pipelining: 1,
      connect: {
        timeout: endpoint.timeoutMs,
        rejectUnauthorized: tls.rejectUnauthorized,
        ...(tls.servername ? { servername: tls.servername } : {}),
        ...(tls.secureContext ? { secureContext: tls.secureContext } : {}),
        lookup: options.lookup ?? defaultLookup,
      },
      // The sweep ends a request at the endpoint's timeout; undici's own timers must not fire first.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  get inFlight(): number {
    return this.inFlightSet.size;
  }

  untrack(exchange: Exchange): void {
    this.inFlightSet.delete(exchange);
  }

  /**
   * Requests are tracked in the order they were sent and share one timeout, so the expired ones
   * are always at the front.
   */
  private readonly sweep = (): void => {
    const now = performance.now();
    for (const exchange of this.inFlightSet) {
      if (exchange.deadline > now) {
        break;
      }
      exchange.expire();
    }
    if (this.inFlightSet.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  };

  /** Sends one request now; `done` gets its completion (never called for a cancelled one). */
  send(done: (c: Completion) => void): void {
    const sentAt = performance.now();
    const exchange = new Exchange(this, done, sentAt);
    this.inFlightSet.add(exchange);
    this.sweeper ??= setInterval(this.sweep, this.sweepMs);
    if (this.api.auth.type !== 'oauth2') {
      this.dispatch(exchange, this.flatHeaders);
      return;
    }
    this.tokens
      .get(this.api, {
        env: this.env,
        lookup: this.options.lookup ?? defaultLookup,
        ca: this.options.ca,
        now: this.options.now ?? Date.now,
        timeoutMs: this.endpoint.timeoutMs,
        userAgent: this.baseHeaders['user-agent'],
      })
      .then(
        (outcome) => {
          if (!this.inFlightSet.has(exchange)) {
            return;
          }
          if (!outcome.ok) {
            exchange.cancel();
            done({ ...outcome.verdict, code: outcome.code, sentAt, endedAt: performance.now() });
            return;
          }
          const token = outcome.token.value;
          if (this.tokenHeaders?.token !== token) {
            this.tokenHeaders = { token, headers: [...this.flatHeaders, 'authorization', `Bearer ${token}`] };
          }
          this.dispatch(exchange, this.tokenHeaders.headers);
        },
        (err: unknown) => {
          exchange.cancel();
          done({ outcome: 'connect', code: 0, error: `OAuth2 token: ${(err as Error).message}`, sentAt, endedAt: performance.now() });
        }
      );
  }

  private dispatch(exchange: Exchange, headers: string[]): void {
    this.pool.dispatch({ path: this.path, method: this.endpoint.method as Dispatcher.HttpMethod, headers, body: this.body }, exchange);
  }

  /** A 401 with an OAuth2 token: the next requests fetch a fresh one. */
  rejectedToken(): void {
    if (this.api.auth.type === 'oauth2') {
      this.tokens.invalidate(this.api, this.env);
    }
  }

  /** Sends one request and waits for its completion. */
  once(): Promise<Completion> {
    return new Promise((resolve) => this.send(resolve));
  }

  /** Ends every request in flight without a completion. */
  cancelAll(): void {
    for (const exchange of [...this.inFlightSet]) {
      exchange.cancel();
    }
  }

  async close(): Promise<void> {
    this.cancelAll();
    if (this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
    await this.pool.destroy();
  }
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
