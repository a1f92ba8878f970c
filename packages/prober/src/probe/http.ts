// One HTTP exchange on a fresh connection (no keep-alive, no pooling) with every phase timed
// from the socket's own events. Never throws and never rejects: whatever the target does,
// the result says what happened and when.
import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import net, { isIP, type LookupFunction, type Socket } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { Phase } from '@apimon/core';
import { LatenessTally, loopStalls, type LoopStallMonitor } from './loop-stalls';
import { chainExpiry, isCertificateError, type TlsSettings } from './tls';
import { clock, HopTimer, ioClock, type Phases } from './timing';

export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  tls: TlsSettings;
  lookup: LookupFunction;
  /** clock() value at which the whole probe times out. */
  deadline: number;
  /** Stop reading once the body exceeds this many bytes. */
  maxBytes: number;
  /** Keep the body (up to maxBytes) for assertions; otherwise it is only counted (an encoded
   * body is kept anyway, to measure its decoded size). */
  keepBody: boolean;
  signal?: AbortSignal;
  /** Watches the event loop for stalls. Default: the process's monitor. */
  loopStalls?: LoopStallMonitor;
}

export type ExchangeFailure =
  | { kind: 'timeout'; phase: Phase }
  | { kind: 'aborted'; phase: Phase }
  | { kind: 'error'; phase: Phase; error: NodeJS.ErrnoException };

/** The handshake as negotiated: what the audit judges (protocol, cipher, chain verification). */
export interface TlsFacts {
  /** "TLSv1.3", "TLSv1.2", ... */
  protocol: string;
  /** OpenSSL cipher name, e.g. "TLS_AES_128_GCM_SHA256" or "ECDHE-RSA-AES128-GCM-SHA256". */
  cipher: string;
  /** The OpenSSL code when the chain did not verify (also recorded when verification is skipped), else null. */
  verifyError: string | null;
}

export interface ExchangeResult {
  phases: Phases;
  /** 0 when no response head arrived. */
  status: number;
  headers: IncomingHttpHeaders;
  /** Body bytes received (stops shortly after maxBytes when the body is larger). */
  bytes: number;
  body: Buffer | null;
  /** The body went past maxBytes and reading stopped there. */
  bodyLimited: boolean;
  /** SHA-256 (base64url) of the whole body as received; null when it was not read to the end. */
  bodyHash: string | null;
  tlsExpiresAt: number | null;
  /** Null for plain http or when no handshake completed. */
  tls: TlsFacts | null;
  failure: ExchangeFailure | null;
  /** clock() when the exchange ended (body read, failure or timeout). */
  endedAt: number;
  /** Milliseconds the timed events waited on the blocked event loop: how much of the phases
   * may be the prober's own lateness rather than the network's or the target's. */
  loopDelayMs: number;
}

/** "[::1]" in a URL is "::1" on the socket. */
export function socketHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

export function exchange(req: ExchangeRequest): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    const secure = req.url.protocol === 'https:';
    const host = socketHost(req.url);
    const port = Number(req.url.port) || (secure ? 443 : 80);
    const lateness = new LatenessTally(req.loopStalls ?? loopStalls());
    const timer = new HopTimer(isIP(host) === 0, secure, lateness);

    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let bytes = 0;
    let kept = 0;
    const chunks: Buffer[] = [];
    let bodyLimited = false;
    let keep = req.keepBody;
    const hash = createHash('sha256');
    let tlsExpiresAt: number | null = null;
    let tlsFacts: TlsFacts | null = null;
    let socket: Socket | undefined;
    let request: http.ClientRequest | undefined;
    let settled = false;

    const finish = (failure: ExchangeFailure | null) => {
      if (settled) {
        return;
      }
      settled = true;
      // A body read to its end is an I/O event; a timeout or an abort is not.
      const until = failure ? clock() : ioClock();
      if (failure) {
        timer.interrupted(until);
      } else {
        timer.end('transfer', until);
      }
      clearTimeout(deadlineTimer);
      req.signal?.removeEventListener('abort', onAbort);
      // A fresh connection per probe: close it whatever happened.
      request?.destroy();
      socket?.destroy();
      const result: ExchangeResult = {
        phases: timer.phases(until),
        status,
        headers,
        bytes,
        body: keep && status > 0 ? Buffer.concat(chunks, kept) : null,
        bodyLimited,
        bodyHash: !failure && !bodyLimited && status > 0 ? hash.digest('base64url') : null,
        tlsExpiresAt,
        tls: tlsFacts,
        failure,
        endedAt: until,
        loopDelayMs: lateness.ms,
      };
      // What the caller does next (judging, rate-limit parsing, metrics) waits until the event
      // loop has handled every socket that is ready now, so it never delays the timestamps of
      // other probes' events: with many probes in flight their responses arrive together.
      setImmediate(resolve, result);
    };
    const fail = (error: Error) => finish({ kind: 'error', phase: timer.current(), error });
    const onAbort = () => finish({ kind: 'aborted', phase: timer.current() });

    // A deadline timer that fires late (the loop was blocked) must not beat a response that
    // arrived in time: the loop runs timers before it reads sockets, so the timeout waits for
    // this turn's socket events (setImmediate runs after them) and yields to one that finished.
    const deadlineTimer = setTimeout(
      () => setImmediate(() => finish({ kind: 'timeout', phase: timer.current() })),
      Math.max(0, req.deadline - clock())
    );
    if (req.signal?.aborted) {
      onAbort();
      return;
    }
    req.signal?.addEventListener('abort', onAbort, { once: true });

    // Resolution is timed around the lookup call itself, whatever address family net tries.
    const lookup: LookupFunction = (hostname, options, callback) => {
      req.lookup(hostname, options, (err, address, family) => {
        if (!err) {
          // Not ioClock: a custom lookup may answer from a timer or synchronously.
          timer.end('dns');
        }
        callback(err, address, family);
      });
    };

    const createConnection = (): Socket => {
      if (secure) {
        const s = tls.connect({
          host,
          port,
          lookup,
          servername: req.tls.servername,
          rejectUnauthorized: req.tls.rejectUnauthorized,
          secureContext: req.tls.secureContext,
          ALPNProtocols: ['http/1.1'],
        });
        // 'secure' fires when the handshake is done and before Node checks the certificate,
        // so the chain's expiry is recorded even when the check then rejects it.
        s.prependOnceListener('secure', () => {
          tlsExpiresAt = chainExpiry(s as TLSSocket);
          tlsFacts = { protocol: s.getProtocol() ?? 'unknown', cipher: s.getCipher()?.name ?? 'unknown', verifyError: null };
        });
        s.once('secureConnect', () => {
          timer.end('tls', ioClock());
          // Verification skipped (insecureSkipVerify) still says what it would have found.
          if (tlsFacts && !s.authorized && s.authorizationError) {
            // Node gives the OpenSSL code here (a string, though typed as an Error).
            tlsFacts.verifyError = String(s.authorizationError);
          }
        });
        s.once('error', (err: NodeJS.ErrnoException) => {
          // The handshake completed ('secure' fired) and then the check rejected the chain.
          if (tlsFacts && isCertificateError(err)) {
            tlsFacts.verifyError = err.code ?? null;
          }
        });
        socket = s;
      } else {
        socket = net.connect({ host, port, lookup });
      }
      timer.begin();
      socket.once('connect', () => timer.end('connect', ioClock()));
      socket.on('error', fail);
      return socket;
    };

    try {
      request = (secure ? https : http).request({
        method: req.method,
        host,
        port,
        path: `${req.url.pathname}${req.url.search}`,
        headers: hasHeader(req.headers, 'host') ? req.headers : { ...req.headers, Host: req.url.host },
        createConnection,
      });
    } catch (err) {
      // Node refused to build the request (e.g. a header a token endpoint handed back has
      // characters HTTP forbids; Node's message names the header, not the value).
      finish({ kind: 'error', phase: 'connect', error: err as Error });
      return;
    }

    request.on('error', fail);
    request.on('response', (res) => {
      timer.end('ttfb', ioClock());
      status = res.statusCode ?? 0;
      headers = res.headers;
      keep ||= res.headers['content-encoding'] !== undefined;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
        if (keep && kept < req.maxBytes) {
          const take = chunk.subarray(0, req.maxBytes - kept);
          chunks.push(take);
          kept += take.length;
        }
        if (bytes > req.maxBytes) {
          bodyLimited = true;
          finish(null);
        }
      });
      res.on('end', () => finish(null));
      res.on('error', (err) => finish({ kind: 'error', phase: 'transfer', error: err }));
      res.on('close', () => {
        if (!res.complete) {
          const err: NodeJS.ErrnoException = new Error('connection closed before the body was complete');
          err.code = 'ECONNRESET';
          finish({ kind: 'error', phase: 'transfer', error: err });
        }
      });
    });
    request.end(req.body);
  });
}
