// cacheable: a GET whose responses a cache could serve. Three ways a response says so:
// the provider gives it a lifetime (Cache-Control max-age / s-maxage, Expires); it carries a
// validator (ETag, Last-Modified) so a cache may ask "has it changed?" and get a bodiless 304;
// or, without either, its body is the same probe after probe. With real traffic, the estimate
// says how many calls a day (and what share of the documented limit) a cache would save.
import { finding, type Finding } from './model';
import { AUDIT_POLICY } from './policy';
import { fmtCount, fmtPct, fmtSeconds } from './format';

export interface CacheEvidence {
  api: string;
  endpoint: string;
  method: string;
  /** Endpoint probe interval, seconds: the spacing of the body comparisons. */
  probeIntervalSeconds: number;
  noStore: boolean;
  noCache: boolean;
  private: boolean;
  etag: boolean;
  lastModified: boolean;
  /** Lifetime the provider grants, seconds (0: none). */
  freshnessSeconds: number;
  vary: string;
  /** Probes whose body equalled / differed from the previous one's. */
  bodiesSame: number;
  bodiesChanged: number;
  /** The platform's calls per day to the API (real traffic), or null when unknown. */
  callsPerDay: number | null;
  /** The documented limit as calls per day, or null. */
  limitPerDay: number | null;
  windowText: string;
}

/**
 * Calls per day a cache with this TTL would still send, per cached resource: at most one per
 * TTL. The platform's calls may spread over many resources; the estimate assumes they repeat
 * (an upper bound, said so in the text).
 */
function savedPerDay(callsPerDay: number, ttlSeconds: number): number {
  return Math.max(0, callsPerDay - 86_400 / ttlSeconds);
}

export function judgeCacheable(e: CacheEvidence): Finding | null {
  const p = AUDIT_POLICY.cache;
  if (e.method !== 'GET' && e.method !== 'HEAD') {
    return null;
  }
  if (e.noStore) {
    return null;
  }
  const compared = e.bodiesSame + e.bodiesChanged;
  const repeatShare = compared > 0 ? e.bodiesSame / compared : null;
  const repeats = repeatShare !== null && compared >= p.minComparisons && repeatShare >= p.repeatShare;
  const validator = e.etag || e.lastModified;
  let ttl: number;
  let how: string;
  let recommendation: string;
  if (e.freshnessSeconds > 0) {
    ttl = e.freshnessSeconds;
    how = `the provider lets responses be reused for ${fmtSeconds(ttl)} (${e.private ? 'private, ' : ''}max-age/Expires)`;
    recommendation = `Cache the responses for ${fmtSeconds(ttl)} as the provider allows (an HTTP cache in the client, or the platform's cache keyed by URL${e.vary ? ` and ${e.vary}` : ''})${validator ? ', then revalidate with If-None-Match / If-Modified-Since' : ''}.`;
  } else if (repeats) {
    ttl = Math.min(e.probeIntervalSeconds, p.maxSuggestedTtlSeconds);
    how = `${fmtPct(repeatShare!)} of ${compared} probe bodies over ${e.windowText} were identical to the one before (${fmtSeconds(e.probeIntervalSeconds)} apart)${validator ? '' : ', with no cache headers'}`;
    recommendation = `Cache the responses for about ${fmtSeconds(ttl)} (they did not change at that spacing)${validator ? ' and revalidate with If-None-Match / If-Modified-Since: an unchanged resource then comes back as a bodiless 304' : ''}; check with the provider how fresh the data must be.`;
  } else if (validator && e.noCache) {
    ttl = 0;
    how = `the provider asks for revalidation (no-cache) and sends ${e.etag ? 'an ETag' : 'Last-Modified'}`;
    recommendation =
      'Keep the last response and send If-None-Match / If-Modified-Since: unchanged data comes back as a bodiless 304.';
  } else {
    return null;
  }
  const evidence = {
    method: e.method,
    freshnessSeconds: e.freshnessSeconds,
    noCache: e.noCache,
    private: e.private,
    etag: e.etag,
    lastModified: e.lastModified,
    vary: e.vary,
    bodyComparisons: compared,
    bodyRepeatShare: repeatShare === null ? null : Math.round(repeatShare * 1000) / 1000,
    callsPerDay: e.callsPerDay === null ? null : Math.round(e.callsPerDay),
  };
  let gain: Finding['estimatedGain'] = null;
  let severity: Finding['severity'] = 'low';
  if (e.callsPerDay !== null && ttl > 0) {
    const saved = savedPerDay(e.callsPerDay, ttl);
    const share = e.limitPerDay ? saved / e.limitPerDay : null;
    if (share !== null && share >= p.mediumLimitShare) {
      severity = 'medium';
    }
    gain = {
      text: `Up to ${fmtCount(saved)} of the platform's ${fmtCount(e.callsPerDay)} calls a day${share === null ? '' : ` (${fmtPct(share)} of the documented limit)`}, if the calls repeat the same requests within ${fmtSeconds(ttl)}.`,
      values: {
        callsPerDaySaved: Math.round(saved),
        ...(share === null ? {} : { limitShareSaved: Math.round(share * 10_000) / 10_000 }),
      },
    };
  } else if (e.callsPerDay === null) {
    gain = {
      text: "Record the platform's real traffic (docs/real-traffic.md) to estimate the calls saved.",
      values: {},
    };
  } else {
    gain = { text: 'Bandwidth and parsing: unchanged responses come back without a body.', values: {} };
  }
  return finding({
    api: e.api,
    endpoint: e.endpoint,
    kind: 'cacheable',
    severity,
    summary: `${e.method} responses are cacheable: ${how}.`,
    evidence,
    recommendation,
    estimatedGain: gain,
  });
}
