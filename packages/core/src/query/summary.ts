// One row per API out of the summary's instant results, and its state against the catalog
// thresholds. The same rows feed the health-board panel (as a table) and `apimon status`.
import { statusLevelFromValue } from '../contract';
import { headroomRatio } from '../ratelimit/headroom';
import { acrossLocations, judgeApi, reasonText, type LocationInput, type Reason } from '../verdict';
import type { RawSample } from './response';
import { SUMMARY_COLUMNS, type ApiSummary, type SummaryColumn } from './summary-row';
import type { EngineColumn, EngineTable } from './types';
import { apiLink } from './links';

/** Instant results of the summary expressions, by expression id (kinds/summary.ts). */
export type SummaryResults = Record<string, RawSample[]>;

function byLabel(samples: RawSample[] | undefined, label: string): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const s of samples ?? []) {
    const key = s.labels[label];
    if (key !== undefined && !out.has(key)) {
      out.set(key, s.value);
    }
  }
  return out;
}

const finite = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

/** Each API's numbers per location, sorted by location. */
function locationsByApi(latency: RawSample[] = [], errors: RawSample[] = []): Map<string, LocationInput[]> {
  const out = new Map<string, Map<string, LocationInput>>();
  const entry = (s: RawSample) => {
    const { api, location } = s.labels;
    if (api === undefined || location === undefined) {
      return undefined;
    }
    const perApi = out.get(api) ?? new Map<string, LocationInput>();
    out.set(api, perApi);
    const l = perApi.get(location) ?? { location, latencyP95Seconds: null, errorRatio: null };
    perApi.set(location, l);
    return l;
  };
  for (const s of latency) {
    const l = entry(s);
    if (l) {
      l.latencyP95Seconds = finite(s.value);
    }
  }
  for (const s of errors) {
    const l = entry(s);
    if (l) {
      l.errorRatio = finite(s.value);
    }
  }
  return new Map(
    [...out].map(([api, m]) => [api, [...m.values()].sort((a, b) => a.location.localeCompare(b.location))])
  );
}

/** The locations a regional reason names, for the summary's failingLocations column. */
const failingLocationsOf = (reasons: readonly Reason[]): string | null => {
  const regional = reasons.find((r) => r.signal === 'regional');
  return regional?.signal === 'regional' ? regional.failing.map((f) => f.location).join(', ') : null;
};

/** The tightest rate-limit policy of each API: remaining and limit from the same series; a
 * spent policy without a limit (remaining-only headers) has 0 headroom, as in headroomExpr. */
function rateLimitsByApi(remaining: RawSample[] = [], limit: RawSample[] = []) {
  const keyOf = (l: Record<string, string>) =>
    Object.keys(l)
      .sort()
      .map((k) => `${k}=${l[k]}`)
      .join(',');
  const limits = new Map(limit.map((s) => [keyOf(s.labels), finite(s.value)]));
  const out = new Map<string, { remaining: number | null; limit: number | null; headroom: number | null }>();
  for (const s of remaining) {
    const api = s.labels.api;
    const rem = finite(s.value);
    if (api === undefined || rem === null) {
      continue;
    }
    const lim = limits.get(keyOf(s.labels)) ?? null;
    const headroom = headroomRatio({ limit: lim !== null && lim > 0 ? lim : null, remaining: Math.max(0, rem) });
    const prev = out.get(api);
    const better =
      !prev ||
      (headroom !== null && (prev.headroom === null || headroom < prev.headroom)) ||
      (prev.headroom === null && headroom === null && rem < (prev.remaining ?? Infinity));
    if (better) {
      out.set(api, { remaining: rem, limit: lim, headroom });
    }
  }
  return out;
}

export interface SummaryRow extends ApiSummary {
  reasons: string[];
}

/** What the prober API adds when it is reachable: each API's status on its provider's page
 * (worst of its statusComponents; used when the store has no apimon_api_provider_status for
 * it) and the title of each provider's newest open incident. */
export interface ProberView {
  apiStatus: Map<string, string>;
  incidentTitles: Map<string, string>;
}

/** Builds the rows, sorted by API name; `prober` adds what the prober API says when it is reachable. */
export function summaryRows(
  results: SummaryResults,
  nowMs: number,
  prober: ProberView = { apiStatus: new Map(), incidentTitles: new Map() }
): SummaryRow[] {
  const info = new Map<string, Record<string, string>>();
  for (const s of results.info ?? []) {
    if (s.labels.api && !info.has(s.labels.api)) {
      info.set(s.labels.api, s.labels);
    }
  }
  const p95 = byLabel(results.latencyP95Seconds, 'api');
  const p95Max = byLabel(results.latencyThresholdSeconds, 'api');
  const errors = byLabel(results.errorRatio, 'api');
  const errorsMax = byLabel(results.errorThreshold, 'api');
  const headroomMin = byLabel(results.headroomThreshold, 'api');
  const exhaustion = byLabel(results.exhaustionSeconds, 'api');
  const tls = byLabel(results.tlsExpiry, 'api');
  const degraded = byLabel(results.timingDegradedRatio, 'api');
  // Each API's own view of its provider's page (its statusComponents), never the whole page.
  const apiProviderStatus = byLabel(results.apiProviderStatus, 'api');
  const openIncidents = byLabel(results.openIncidents, 'provider');
  const notProbed = new Map<string, string>();
  for (const s of results.misconfigured ?? []) {
    if (s.labels.api && !notProbed.has(s.labels.api)) {
      notProbed.set(s.labels.api, s.labels.reason || 'misconfigured');
    }
  }
  const limits = rateLimitsByApi(results.remaining, results.limit);
  const locations = locationsByApi(results.locationLatencyP95Seconds, results.locationErrorRatio);
  const traffic = {
    trafficRequestsPerSecond: byLabel(results.trafficRequestsPerSecond, 'api'),
    trafficErrorRatio: byLabel(results.trafficErrorRatio, 'api'),
    trafficRateLimitedPerSecond: byLabel(results.trafficRateLimitedPerSecond, 'api'),
    trafficLatencyP95Seconds: byLabel(results.trafficLatencyP95Seconds, 'api'),
    trafficUsageRatio: byLabel(results.trafficUsageRatio, 'api'),
  };

  const apis = new Set<string>(info.keys());
  for (const m of [p95, errors]) {
    for (const api of m.keys()) {
      apis.add(api);
    }
  }
  const rows: SummaryRow[] = [];
  for (const api of [...apis].sort()) {
    const facts = info.get(api) ?? {};
    const provider =
      facts.provider ?? results.latencyP95Seconds?.find((s) => s.labels.api === api)?.labels.provider ?? '';
    const level = finite(apiProviderStatus.get(api));
    const rl = limits.get(api);
    const tlsSeconds = finite(tls.get(api));
    const seenFrom = locations.get(api) ?? [];
    // From several locations the API's numbers are the ones a majority of them see (the verdict's
    // acrossLocations); from one, the pooled ones.
    const across = seenFrom.length > 1 ? acrossLocations(seenFrom) : null;
    const base: Omit<ApiSummary, 'state'> = {
      api,
      provider,
      criticality: facts.criticality ?? '',
      owner: facts.owner ?? '',
      latencyP95Seconds: across ? across.latencyP95Seconds : finite(p95.get(api)),
      latencyThresholdSeconds: finite(p95Max.get(api)),
      errorRatio: across ? across.errorRatio : finite(errors.get(api)),
      errorThreshold: finite(errorsMax.get(api)),
      headroomRatio: rl?.headroom ?? null,
      headroomThreshold: finite(headroomMin.get(api)),
      rateLimitRemaining: rl?.remaining ?? null,
      rateLimitLimit: rl?.limit ?? null,
      exhaustionSeconds: finite(exhaustion.get(api)),
      providerStatus: level !== null ? statusLevelFromValue(level) : (prober.apiStatus.get(api) ?? 'unknown'),
      openIncidents: Math.max(0, Math.round(finite(openIncidents.get(provider)) ?? 0)),
      incidentTitle: prober.incidentTitles.get(provider) ?? null,
      tlsExpiresAt: tlsSeconds === null ? null : tlsSeconds * 1000,
      timingDegradedRatio: finite(degraded.get(api)),
      notProbed: notProbed.get(api) ?? null,
      trafficRequestsPerSecond: finite(traffic.trafficRequestsPerSecond.get(api)),
      trafficErrorRatio: finite(traffic.trafficErrorRatio.get(api)),
      trafficRateLimitedPerSecond: finite(traffic.trafficRateLimitedPerSecond.get(api)),
      trafficLatencyP95Seconds: finite(traffic.trafficLatencyP95Seconds.get(api)),
      trafficUsageRatio: finite(traffic.trafficUsageRatio.get(api)),
    };
    // Real traffic is informational: the verdict judges the probes (docs/real-traffic.md).
    const verdict = judgeApi({ ...base, locations: seenFrom }, nowMs);
    rows.push({
      ...base,
      locations: seenFrom,
      failingLocations: failingLocationsOf(verdict.reasons),
      state: verdict.state,
      reasons: verdict.reasons.map((r) => reasonText(r)),
    });
  }
  return rows;
}

const COLUMN_TYPES: Record<SummaryColumn['kind'], EngineColumn['type']> = {
  text: 'string',
  optionalText: 'string',
  providerStatus: 'string',
  state: 'string',
  number: 'number',
  count: 'number',
  time: 'time',
  locations: 'string',
};

/** The summary as a table with every SUMMARY_COLUMNS column, for the health-board panel. */
export function summaryTable(rows: ApiSummary[]): EngineTable {
  return {
    name: 'summary',
    columns: SUMMARY_COLUMNS.map((c: SummaryColumn) => ({
      name: c.name,
      type: COLUMN_TYPES[c.kind],
      values: rows.map((r) => {
        const v = (r as Record<string, unknown>)[c.name] ?? null;
        // A frame field holds scalars: the per-location numbers travel as JSON text.
        return c.kind === 'locations' ? JSON.stringify(v ?? []) : v;
      }),
      displayName: c.displayName,
      ...(c.unit ? { unit: c.unit } : {}),
      ...(c.name === 'api' ? { links: [apiLink('${__value.raw}')] } : {}),
    })),
  };
}
