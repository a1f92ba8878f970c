// One API request through the injected behaviour, in the order a real stack applies it:
// a connection fault at the edge (a hang or a reset before anything else runs); faults the
// request asks for (Envoy's fault-injection headers, as a service mesh would apply them:
// x-envoy-fault-delay-request ms, then x-envoy-fault-abort-request status); latency; an
// outage (503); authentication (401); the rate limiter (429 once the window is used up);
// throttling bursts (429 with Retry-After); the backend's capacity (a queue for one of
// `concurrency` slots, then `serviceMs` of work); injected server errors (500); then the
// provider's own answer, or a slow drip of it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './provider';
import { sampleLatencyMs } from './random';
import { rateLimitHeaders, secondsUntil } from './ratelimit';
import type { ProviderRuntime } from './runtime';
import { DEGRADED_EXTRA_MS, type ConnectionFault } from './settings';

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

/** The caller's location: the `location=` token of its User-Agent ("apimon/1.2.3 (location=eu-west)"), or "". */
export function callerLocation(req: IncomingMessage): string {
  return /\(location=([a-z0-9_-]+)\)/.exec(req.headers['user-agent'] ?? '')?.[1] ?? '';
}

/** Total latency to add before answering a caller from `location`, ms. */
export function latencyFor(rt: ProviderRuntime, location = ''): number {
  const s = rt.settings;
  const base = s.baseLatency ? sampleLatencyMs(s.baseLatency, rt.random) : 0;
  const jitter = s.jitterMs > 0 ? (rt.random() * 2 - 1) * s.jitterMs : 0;
  const degraded = s.outage === 'degraded' ? DEGRADED_EXTRA_MS : 0;
  const regional = s.regionalLatencyMs[location] ?? 0;
  return Math.max(0, base + s.latencyMs + jitter + degraded + regional);
}

/** Evenly spaced: the n-th request is hit when floor(n * rate) steps up. */
function hitsEvenly(n: number, rate: number): boolean {
  return Math.floor(n * rate + 1e-9) > Math.floor((n - 1) * rate + 1e-9);
}

/** Whether this request is one of the injected 500s. */
function injectedError(rt: ProviderRuntime): boolean {
  const { errorRate, errorMode } = rt.settings;
  if (errorRate <= 0) {
    return false;
  }
  if (errorMode === 'random') {
    return rt.random() < errorRate;
  }
  rt.errorSeq += 1;
  return hitsEvenly(rt.errorSeq, errorRate);
}

/** The connection fault that hits this request, if any. */
function connectionFaultFor(rt: ProviderRuntime): ConnectionFault | null {
  const fault = rt.settings.connectionFault;
  if (!fault || fault.rate <= 0) {
    return null;
  }
  rt.faultSeq += 1;
  if (!hitsEvenly(rt.faultSeq, fault.rate)) {
    return null;
  }
  rt.connectionFaults[fault.kind] = (rt.connectionFaults[fault.kind] ?? 0) + 1;
  return fault;
}

const DRIP_PIECE_BYTES = 16;
/** 64 pieces: at the default 1 s apart, longer than any probe timeout. */
const DRIP_BODY = `{"data":"${'x'.repeat(64 * DRIP_PIECE_BYTES - 12)}"}`;

/** 200 with the headers at once, then the body 16 bytes at a time, until done or the client goes. */
function drip(res: ServerResponse, headers: Record<string, string>, intervalMs: number): void {
  res.writeHead(200, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(DRIP_BODY.length) });
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer);
      return;
    }
    const piece = DRIP_BODY.slice(sent, sent + DRIP_PIECE_BYTES);
    sent += piece.length;
    if (sent >= DRIP_BODY.length) {
      clearInterval(timer);
      res.end(piece);
    } else {
      res.write(piece);
    }
  }, intervalMs);
  res.once('close', () => clearInterval(timer));
}

/** Retry-After alternates between its two forms: delta-seconds, then an HTTP-date. */
function retryAfter(seconds: number, asDate: boolean, now: number): string {
  return asDate ? new Date((Math.ceil(now / 1000) + seconds) * 1000).toUTCString() : String(seconds);
}

/** The fault a request asks for with Envoy's header-controlled fault injection; bad values are ignored. */
export function requestedFault(req: IncomingMessage): { delayMs: number; abortStatus: number | null } {
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' && /^\d{1,6}$/.test(v.trim()) ? Number(v) : null;
  };
  const delay = header('x-envoy-fault-delay-request');
  const abort = header('x-envoy-fault-abort-request');
  return {
    delayMs: delay === null ? 0 : Math.min(delay, 60_000),
    abortStatus: abort !== null && abort >= 200 && abort <= 599 ? abort : null,
  };
}

export async function handleApiRequest(
  rt: ProviderRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  clock: () => number
): Promise<void> {
  const def = rt.def;
  const s = rt.settings;
  rt.requests += 1;
  const location = callerLocation(req);
  rt.locations[location] = (rt.locations[location] ?? 0) + 1;
  const requestId = `req_${def.name.replace(/-/g, '')}_${rt.requests}`;
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    rt.count(status);
    sendJson(res, status, body, { 'X-Request-Id': requestId, ...headers });
  };

  const connection = connectionFaultFor(rt);
  if (connection?.kind === 'hang') {
    // Never answer; the connection stays open until the client gives up.
    return;
  }
  if (connection?.kind === 'reset') {
    req.socket.resetAndDestroy();
    return;
  }

  const fault = requestedFault(req);
  await sleep(fault.delayMs + latencyFor(rt, location));
  if (res.destroyed) {
    return;
  }
  if (fault.abortStatus !== null) {
    send(fault.abortStatus, { error: 'fault_injected', message: `Aborted with ${fault.abortStatus} as the request asked.` });
    return;
  }

  if (s.outage === 'major') {
    send(503, { error: 'service_unavailable', message: `${def.displayName} is unavailable.` }, { 'Retry-After': '30' });
    return;
  }
  if (s.outage === 'partial') {
    rt.partialSeq += 1;
    if (rt.partialSeq % 2 === 0) {
      send(503, { error: 'service_unavailable', message: 'Upstream unavailable; try again.' });
      return;
    }
  }

  const authFailure = def.authenticate(req);
  if (authFailure) {
    send(401, authFailure.body, authFailure.challenge ? { 'WWW-Authenticate': authFailure.challenge } : {});
    return;
  }

  const now = clock();
  const reading = rt.counter.take(now);
  const quota = rt.quotaCounter?.take(now) ?? null;
  const convention = s.rateLimit.convention;
  const headers = {
    'X-Request-Id': requestId,
    ...rateLimitHeaders(convention, reading, now, { remaining: s.rateLimit.remaining, reset: s.rateLimit.reset }, quota),
  };
  const announced = convention !== 'none';
  const blocking = [reading, quota].filter((w): w is NonNullable<typeof w> => w !== null && !w.allowed);
  if (blocking.length > 0) {
    // Until every window that refused the request has turned over.
    const wait = Math.max(...blocking.map((w) => secondsUntil(w.resetAtMs, now)));
    rt.count(429);
    sendJson(res, 429, def.limited?.({ retryAfterSeconds: wait }) ?? { error: 'rate_limited' }, {
      ...headers,
      ...(announced ? { 'Retry-After': String(Math.max(1, wait)) } : {}),
    });
    return;
  }

  if (s.bursts) {
    const b = rt.burst;
    if (b.left > 0) {
      b.left -= 1;
      b.served += 1;
      const seconds = s.bursts.retryAfterSeconds;
      rt.count(429);
      sendJson(res, 429, def.limited?.({ retryAfterSeconds: seconds }) ?? { error: 'rate_limited' }, {
        ...headers,
        'Retry-After': retryAfter(seconds, b.served % 2 === 0, now),
      });
      return;
    }
    b.passed += 1;
    if (b.passed >= s.bursts.every) {
      b.passed = 0;
      b.left = s.bursts.length;
    }
  }

  if (rt.capacity) {
    await rt.capacity.serve();
    if (res.destroyed) {
      return;
    }
  }

  if (injectedError(rt)) {
    rt.count(500);
    sendJson(
      res,
      500,
      { error: 'internal_error', message: 'An unexpected error occurred.', request_id: requestId },
      headers
    );
    return;
  }

  if (connection?.kind === 'drip') {
    rt.count(200);
    drip(res, headers, connection.dripIntervalMs);
    return;
  }

  await def.respond({
    req,
    res,
    url,
    headers,
    now,
    random: rt.random,
    quota: {
      limit: reading.limit,
      remaining: reading.remaining,
      resetAtMs: reading.resetAtMs,
      windowSeconds: reading.windowSeconds,
    },
    payloadBytes: s.payloadBytes,
    realisticTiming: rt.realisticTiming,
  });
  rt.count(res.statusCode);
}
