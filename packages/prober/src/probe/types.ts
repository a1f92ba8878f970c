// The result of one probe of one endpoint: the same shape `apimon probe --json` prints,
// the scheduler turns into metrics, and the logs describe.
import type { Outcome, Phase, RateLimitConvention } from '@apimon/core';
import type { CredentialFacts } from './credential';
import type { ResponseFacts } from './facts';
import type { TlsFacts } from './http';

export interface RateLimitObservation {
  policy: string;
  limit: number | null;
  remaining: number | null;
  resetSeconds: number | null;
  /** Length of the policy's window when the headers say (IETF `w=`); the quota guard budgets by it. */
  windowSeconds?: number | null;
  /** What the quota counts ("requests", "tokens", ...); the guard budgets probes by requests only. */
  unit?: string;
  /** The header convention the policy was read from (`apimon probe --json` prints it). */
  convention?: RateLimitConvention;
}

export interface ProbeResult {
  api: string;
  endpoint: string;
  outcome: Outcome;
  /** HTTP status of the final response, 0 when none arrived. */
  code: number;
  durationMs: number;
  /** Milliseconds per phase, summed over redirect hops; 0 for phases that did not happen (no
   * name to resolve for an IP literal, no TLS on http). A phase a failure or timeout cut short
   * counts up to that moment; later phases are 0. */
  phases: Record<Phase, number>;
  bytes: number;
  /** The first (most restrictive, scarcest) policy read from the headers, or null when none was sent. */
  rateLimit: RateLimitObservation | null;
  /** Every policy the headers carried (requests and tokens, daily and secondly, burst and quota), scarcest first. */
  rateLimits: RateLimitObservation[];
  retryAfterSeconds: number | null;
  /** Earliest certificate expiry in the chain, epoch ms; null for plain http or no handshake.
   * Recorded even when the certificate was rejected (outcome tls). */
  tlsExpiresAt: number | null;
  /** Human-readable cause for anything but ok; never contains a secret. */
  error: string | null;
  /** Redirects followed. */
  redirects: number;
  /** Some request of this probe went over plain http: the endpoint URL or any redirect hop
   * (an https -> http redirect included). */
  plainHttp: boolean;
  /** Milliseconds the probe's timed events (phase ends, the end or the timeout) waited on the
   * prober's blocked event loop: up to this much of durationMs may be the prober's own
   * lateness. Above prober.timingTolerance the probe's timing counts as degraded. */
  loopDelayMs: number;
  /** What the final response says about caching, compression and HSTS; null without a response. */
  facts: ResponseFacts | null;
  /** The final hop's TLS handshake (protocol, cipher, chain verification); null over plain
   * http or without a handshake. */
  tls: TlsFacts | null;
  /** The shape of the token the probe sent (bearer, API key, OAuth2 access token): a JWT or
   * not, never the token; null for Basic, no auth, or no token sent. */
  credential: CredentialFacts | null;
}
