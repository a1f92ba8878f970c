// What each fake provider defines: its API path, auth check, rate-limit convention, default
// behaviour, status-page format and seed content, and how it answers a request that passed
// every injected fault.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LatencyModel } from './random';
import type { RateLimitConvention } from './ratelimit';
import type { Level } from './statuspages/model';

export const PROVIDER_NAMES = ['acme-pay', 'geoloc', 'adstream', 'textly', 'postbird'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The status-page formats a provider can natively serve at `/<provider>/status`. */
export type NativeStatusFormat = 'statuspage' | 'incidentio' | 'instatus' | 'rss' | 'atom';

export interface Bursts {
  /** A burst starts after every `every` requests that got through... */
  every: number;
  /** ...and answers the next `length` requests with 429. */
  length: number;
  /** Retry-After of a burst response, seconds (sent as delta-seconds or as an HTTP-date, alternately). */
  retryAfterSeconds: number;
}

export interface ProviderDefaults {
  latency: LatencyModel;
  rateLimit: { limit: number; windowSeconds: number };
  bursts: Bursts | null;
  statusPageAdmits: boolean;
  /** adstream only: size of the feed body. */
  payloadBytes?: number;
}

export interface StatusSeed {
  components: Array<{ name: string; group?: string; description?: string }>;
  /** The components an injected outage hits (and an admitted incident names). */
  outageComponents: string[];
  /** What the outage incident calls the affected service in its title. */
  serviceName: string;
  /** Past incidents, resolved: title, impact, how many days ago, how long it lasted (minutes). */
  history: Array<{
    name: string;
    impact: 'minor' | 'major' | 'critical';
    daysAgo: number;
    minutes: number;
    components: string[];
    cause: string;
  }>;
  /** One upcoming maintenance, days from now, duration in minutes. */
  maintenance?: { name: string; inDays: number; minutes: number; components: string[] };
}

export interface AuthFailure {
  /** WWW-Authenticate challenge, when the scheme has one. */
  challenge?: string;
  body: unknown;
}

export interface RespondContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Headers to send with the answer (rate limits, request id). */
  headers: Record<string, string>;
  now: number;
  random: () => number;
  /** The current window of the provider's limiter, for providers that report quota in the body. */
  quota: { limit: number; remaining: number; resetAtMs: number; windowSeconds: number };
  payloadBytes: number;
  /** False when the sandbox runs without realistic latency: no pacing of streamed bodies either. */
  realisticTiming: boolean;
}

export interface ProviderDefinition {
  name: ProviderName;
  displayName: string;
  /** Path of the one API endpoint. */
  apiPath: string;
  statusFormat: NativeStatusFormat;
  convention: RateLimitConvention;
  defaults: ProviderDefaults;
  status: StatusSeed;
  /** Null when the request carries acceptable credentials. Any non-empty credential is accepted. */
  authenticate(req: IncomingMessage): AuthFailure | null;
  /** The 200 answer. */
  respond(ctx: RespondContext): Promise<void> | void;
  /** Status code and body when the rate limit is exhausted (headers are added by the caller). */
  limited?: (ctx: { retryAfterSeconds: number }) => unknown;
  /** Level of its components when an outage is admitted, for levels that differ from the default. */
  outageLevel?: Partial<Record<'degraded' | 'partial' | 'major', Level>>;
}

/** Send a JSON body with the given status and headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The credential after "Bearer ", or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S.*)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1].trim() || null : null;
}
