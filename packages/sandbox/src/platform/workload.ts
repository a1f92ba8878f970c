// What the demo platform calls and how often: the calls a classified-ads marketplace makes to
// its providers (payments, geocoding, ad feed, SMS, e-mail) and one integration nobody put in
// the catalog, at a rate that follows a day (quiet nights, a busy evening, a sale event) and
// that the admin API can raise. Pure: the scheduler in platform.ts asks it what to send.

/** Which client the platform uses for a call, and so which instrumentation sees it. */
export const PLATFORM_CLIENTS = ['fetch', 'http'] as const;
export type PlatformClient = (typeof PLATFORM_CLIENTS)[number];

export interface PlatformTarget {
  name: string;
  /** Absolute URL; `{sandbox}` is replaced by the sandbox origin. */
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /**
   * The route the application knows it calls. When set, the platform records the call itself
   * with url.template (no Node instrumentation can) and the instrumentations skip it.
   */
  urlTemplate?: string;
  client: PlatformClient;
  /** Relative share of the calls. */
  weight: number;
}

/** Faults the platform asks the provider for on a share of a target's calls (Envoy headers). */
export interface TargetFaults {
  /** Share of calls answered with errorStatus, 0..1, evenly spaced. */
  errorRatio: number;
  errorStatus: number;
  /** Added to every call, ms. */
  delayMs: number;
  /**
   * Retries of a call answered 429 or 5xx, sent at once (no backoff, no Retry-After): the
   * client that turns a provider's trouble into a retry storm. 0: no retries.
   */
  retries: number;
}

export const NO_FAULTS: TargetFaults = { errorRatio: 0, errorStatus: 503, delayMs: 0, retries: 0 };

/** Calls to the sandbox providers with the credentials each expects (fake, sandbox-only values). */
export function sandboxTargets(): PlatformTarget[] {
  return [
    {
      name: 'payments',
      url: '{sandbox}/acme-pay/v1/charges',
      method: 'GET',
      headers: { Authorization: 'Bearer sandbox-platform' },
      urlTemplate: '/acme-pay/v1/charges',
      client: 'http',
      weight: 3,
    },
    {
      name: 'geocoding',
      url: '{sandbox}/geoloc/v1/geocode?q=Berlin',
      method: 'GET',
      headers: { 'X-Geo-Key': 'sandbox-platform' },
      urlTemplate: '/geoloc/v1/geocode',
      client: 'fetch',
      weight: 5,
    },
    { name: 'ad-feed', url: '{sandbox}/adstream/v1/feed', method: 'GET', headers: {}, urlTemplate: '/adstream/v1/feed', client: 'fetch', weight: 2 },
    {
      name: 'sms',
      url: '{sandbox}/textly/v1/messages',
      method: 'GET',
      headers: { Authorization: `Basic ${Buffer.from('sandbox:platform').toString('base64')}` },
      urlTemplate: '/textly/v1/messages',
      client: 'http',
      weight: 1,
    },
    {
      name: 'email',
      url: '{sandbox}/postbird/v1/quota',
      method: 'GET',
      headers: { Authorization: 'Bearer sandbox-platform' },
      urlTemplate: '/postbird/v1/quota',
      client: 'fetch',
      weight: 1,
    },
    // The sandbox under another host name: an integration the catalog does not know about.
    { name: 'unlisted', url: '{sandbox-localhost}/', method: 'GET', headers: {}, client: 'fetch', weight: 1 },
  ];
}

/**
 * Traffic relative to the daily mean, per hour of the platform's day: quiet at night, a
 * morning rise, a lunch bump and the evening peak of a consumer marketplace.
 */
export const DAILY_SHAPE = [
  0.25, 0.18, 0.14, 0.12, 0.14, 0.22, 0.45, 0.8, 1.05, 1.15, 1.2, 1.25, 1.4, 1.3, 1.2, 1.2, 1.25, 1.4, 1.6, 1.8, 1.9, 1.6, 1.0, 0.5,
];

export interface SaleEvent {
  /** Hour of the platform's day it starts, 0..24, and how long it lasts. */
  startHour: number;
  hours: number;
  multiplier: number;
}

/** A flash sale every evening: three times the usual traffic for an hour. */
export const DEFAULT_SALE: SaleEvent = { startHour: 20, hours: 1, multiplier: 3 };

/** The shape at an hour of the day (0..24), linear between the hourly values. */
export function dailyShape(hour: number): number {
  const h = ((hour % 24) + 24) % 24;
  const i = Math.floor(h);
  const next = DAILY_SHAPE[(i + 1) % 24];
  return DAILY_SHAPE[i] + (next - DAILY_SHAPE[i]) * (h - i);
}

export function saleMultiplier(hour: number, sale: SaleEvent | null): number {
  if (!sale) {
    return 1;
  }
  const h = ((hour % 24) + 24) % 24;
  const into = (h - sale.startHour + 24) % 24;
  return into < sale.hours ? sale.multiplier : 1;
}

/** Picks targets in proportion to their weights, evenly interleaved (smooth weighted round robin). */
export class WeightedRotation {
  private readonly current: number[];
  private readonly total: number;

  constructor(private readonly weights: number[]) {
    this.current = weights.map(() => 0);
    this.total = weights.reduce((a, b) => a + b, 0);
  }

  next(): number {
    let best = 0;
    for (let i = 0; i < this.weights.length; i++) {
      this.current[i] += this.weights[i];
      if (this.current[i] > this.current[best]) {
        best = i;
      }
    }
    this.current[best] -= this.total;
    return best;
  }
}

/** Whether the n-th call (1-based) of a target is one of its errorRatio failures, evenly spaced. */
export function isFaultedCall(n: number, ratio: number): boolean {
  if (ratio <= 0) {
    return false;
  }
  return Math.floor(n * ratio + 1e-9) > Math.floor((n - 1) * ratio + 1e-9);
}
