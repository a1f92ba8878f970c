import type { ProbeResult } from '../probe/types';

/** A successful probe result; override what the test is about. */
export function probeResult(overrides: Partial<ProbeResult> = {}): ProbeResult {
  return {
    api: 'payments',
    endpoint: 'charges',
    outcome: 'ok',
    code: 200,
    durationMs: 120,
    phases: { dns: 1, connect: 2, tls: 0, ttfb: 100, transfer: 17 },
    bytes: 2048,
    rateLimit: null,
    rateLimits: [],
    retryAfterSeconds: null,
    tlsExpiresAt: null,
    error: null,
    redirects: 0,
    plainHttp: false,
    loopDelayMs: 0,
    facts: null,
    tls: null,
    credential: null,
    ...overrides,
  };
}
