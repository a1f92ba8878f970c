// Turns what happened into exactly one outcome of the contract, with a readable cause.
// Connection-level trouble:
//   no address                      -> dns
//   refused / unreachable / reset or closed before any response (after the TLS handshake
//   when there is one)              -> connect
//   reset during the TLS handshake, certificate or protocol errors -> tls
//   reset or close after the response head, while the body was read -> connect, with
//   "during transfer" and the status in the message (the code is kept)
//   the endpoint timeout            -> timeout, naming the phase it ran out in
import type { Expectation, Outcome } from '@apimon/core';
import type { ExchangeFailure } from './http';
import { describeTlsError, isTlsError } from './tls';

export interface Verdict {
  outcome: Outcome;
  error: string | null;
}

const DNS_CODES: Record<string, string> = {
  ENOTFOUND: 'no such host',
  EAI_NONAME: 'no such host',
  ENODATA: 'no address records',
  EAI_NODATA: 'no address records',
  EAI_AGAIN: 'resolver temporarily failed',
  EAI_FAIL: 'resolver failed',
  ESERVFAIL: 'resolver failed',
  ETIMEOUT: 'resolver timed out',
  ECONNREFUSED: 'resolver refused',
};

const NET_CODES: Record<string, string> = {
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server while sending the request',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
};

export function classifyFailure(
  failure: ExchangeFailure,
  host: string,
  timeoutMs: number,
  status: number,
  bytes: number
): Verdict {
  if (failure.kind === 'timeout' || failure.kind === 'aborted') {
    return { outcome: 'timeout', error: `timed out after ${timeoutMs} ms during ${failure.phase}` };
  }
  const err = failure.error;
  const code = err.code ?? '';
  if (failure.phase === 'dns') {
    const why = DNS_CODES[code] ?? err.message;
    return { outcome: 'dns', error: `dns lookup of ${host} failed: ${code ? `${code} (${why})` : why}` };
  }
  if (isTlsError(err)) {
    return { outcome: 'tls', error: describeTlsError(err) };
  }
  if (failure.phase === 'tls') {
    const why = NET_CODES[code] ?? err.message;
    return {
      outcome: 'tls',
      error: `TLS handshake with ${host} failed: ${why}${code && !why.includes(code) ? ` (${code})` : ''}`,
    };
  }
  if (failure.phase === 'connect') {
    // Node's own text is already the familiar "connect ECONNREFUSED 127.0.0.1:9".
    return { outcome: 'connect', error: err.message || `connect ${code}` };
  }
  if (failure.phase === 'transfer') {
    // A reset and an early close look the same from here: the body stopped short.
    return {
      outcome: 'connect',
      error: `connection lost during transfer (status ${status}, ${bytes} body bytes received)${code ? ` (${code})` : ''}`,
    };
  }
  // ttfb: connected (and handshaken), the request went out, no response head came back.
  if (err.message === 'socket hang up') {
    return { outcome: 'connect', error: 'server closed the connection before responding (socket hang up)' };
  }
  if (code.startsWith('HPE_')) {
    return { outcome: 'connect', error: `malformed HTTP response: ${err.message} (${code})` };
  }
  const why = NET_CODES[code] ?? err.message;
  return { outcome: 'connect', error: `${why} before a response${code && !why.includes(code) ? ` (${code})` : ''}` };
}

/**
 * The final response's status against the expectation. An expected status is fine; otherwise
 * 429 is rate_limited, 5xx http_5xx, 4xx http_4xx, anything else (1xx-3xx) an assertion.
 */
export function classifyStatus(status: number, expect: Expectation): Verdict | null {
  if (expect.status.includes(status)) {
    return null;
  }
  const wanted = `expected ${expect.status.join(', ')}`;
  if (status === 429) {
    return { outcome: 'rate_limited', error: `rate limited: status 429 (${wanted})` };
  }
  if (status >= 500) {
    return { outcome: 'http_5xx', error: `server error: status ${status} (${wanted})` };
  }
  if (status >= 400) {
    return { outcome: 'http_4xx', error: `client error: status ${status} (${wanted})` };
  }
  return { outcome: 'assertion', error: `unexpected status ${status} (${wanted})` };
}
