// Applies inheritance (endpoint > api > catalog defaults > criticality defaults), converts units
// and checks what a schema cannot: unique names and references between sections.
import { REPORT_FORMATS } from '../report/types';
import { resolveTrafficClaims } from '../traffic/mapping';
import { trafficSettingsOf } from '../traffic/settings';
import type { ResetUnit } from '../contract';
import type { RateLimitHeaderMapping } from '../ratelimit/types';
import { parseBytes, parseDuration, parseRatio } from '../units';
import { CRITICALITY_DEFAULTS, PROBER_DEFAULTS, TIMING_TOLERANCE_RANGE_MS } from './defaults';
import { apiLoadTestIssues, resolveLoadTest } from './loadtest';
import type { ApiFile, CatalogFile } from './schema';
import { closestMatch } from './suggest';
import type { Api, ApiThresholds, Catalog, Endpoint, Provider, Thresholds } from './types';

type PathSegment = string | number;

export interface ResolveIssue {
  path: PathSegment[];
  message: string;
  value?: string;
}

// The schema has already checked every unit value, so these never fall back in practice.
const ms = (v: string | number | undefined, fallback: number) => (v === undefined ? fallback : (parseDuration(v) ?? fallback));
const ratioOf = (v: string | number | undefined, fallback: number) => (v === undefined ? fallback : (parseRatio(v) ?? fallback));
const bytesOf = (v: string | number | undefined, fallback: number) => (v === undefined ? fallback : (parseBytes(v) ?? fallback));

type ThresholdsFile = Pick<NonNullable<ApiFile['thresholds']>, 'latencyP95' | 'errorRate' | 'headroom'>;

function thresholdsOf(file: ThresholdsFile | undefined, base: Thresholds): Thresholds {
  return {
    latencyP95Ms: ms(file?.latencyP95, base.latencyP95Ms),
    errorRatio: ratioOf(file?.errorRate, base.errorRatio),
    headroomRatio: ratioOf(file?.headroom, base.headroomRatio),
  };
}

/** Header names as the parser looks them up (lowercase); only the fields the catalog sets. */
function headerMappingOf(
  headers: NonNullable<NonNullable<ApiFile['rateLimit']>['headers']>,
  resetUnit: ResetUnit | undefined
): RateLimitHeaderMapping {
  const out: RateLimitHeaderMapping = {};
  for (const field of ['limit', 'remaining', 'reset', 'retryAfter'] as const) {
    const name = headers[field];
    if (name !== undefined) {
      out[field] = name.toLowerCase();
    }
  }
  if (resetUnit !== undefined) {
    out.resetUnit = resetUnit;
  }
  return out;
}

function duplicates<T>(items: T[], key: (t: T) => string, path: (i: number) => PathSegment[], what: string): ResolveIssue[] {
  const seen = new Map<string, number>();
  const out: ResolveIssue[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) {
      out.push({ path: path(i), message: `duplicate ${what} name; it is already used at index ${first}`, value: JSON.stringify(k) });
    } else {
      seen.set(k, i);
    }
  });
  return out;
}

/**
 * The probers' topology against the rest: unique location names, the default location among
 * them, and every API's pinned locations declared (an API cannot be probed from a location no
 * prober runs in).
 */
function topologyIssues(file: CatalogFile): ResolveIssue[] {
  const declared = file.prober?.locations;
  const issues: ResolveIssue[] = [];
  if (declared) {
    issues.push(...duplicates(declared, (l) => l.name, (i) => ['prober', 'locations', i, 'name'], 'location'));
  }
  const names = declared?.map((l) => l.name) ?? [];
  const unknown = (value: string, path: PathSegment[]) => {
    if (!declared) {
      issues.push({
        path,
        message: 'names a location, but prober.locations does not declare the probers\' locations; declare them there',
        value: JSON.stringify(value),
      });
    } else if (!names.includes(value)) {
      const hint = closestMatch(value, names);
      issues.push({
        path,
        message: `unknown location; declare it under "prober.locations"${hint ? ` or did you mean "${hint}"?` : ` (declared: ${names.join(', ')})`}`,
        value: JSON.stringify(value),
      });
    }
  };
  const location = file.defaults?.location;
  if (declared && location !== undefined) {
    unknown(location, ['defaults', 'location']);
  }
  file.apis.forEach((a, ai) => a.locations?.forEach((l, li) => unknown(l, ['apis', ai, 'locations', li])));
  return issues;
}

export function resolveCatalog(file: CatalogFile): { catalog: Catalog; issues: ResolveIssue[] } {
  const issues: ResolveIssue[] = [];
  const defaults = file.defaults ?? {};
  const proberFile = file.prober ?? {};

  issues.push(...duplicates(file.providers, (p) => p.name, (i) => ['providers', i, 'name'], 'provider'));
  issues.push(...duplicates(file.apis, (a) => a.name, (i) => ['apis', i, 'name'], 'API'));

  const providerNames = file.providers.map((p) => p.name);
  const providers: Provider[] = file.providers.map((p) => ({
    name: p.name,
    displayName: p.displayName ?? p.name,
    docs: p.docs,
    statusPage: p.statusPage && {
      url: p.statusPage.url,
      format: p.statusPage.format,
      intervalMs: ms(p.statusPage.interval, PROBER_DEFAULTS.statusPageIntervalMs),
      timeoutMs: ms(p.statusPage.timeout, PROBER_DEFAULTS.statusPageTimeoutMs),
      maxBytes: bytesOf(p.statusPage.maxBytes, PROBER_DEFAULTS.statusPageMaxBytes),
    },
    advisories: (p.advisories ?? []).map((a) => ({
      url: a.url,
      format: a.format,
      intervalMs: ms(a.interval, PROBER_DEFAULTS.advisoryIntervalMs),
      timeoutMs: ms(a.timeout, PROBER_DEFAULTS.statusPageTimeoutMs),
      maxBytes: bytesOf(a.maxBytes, PROBER_DEFAULTS.statusPageMaxBytes),
      acknowledged: a.acknowledged ?? [],
    })),
  }));
  file.providers.forEach((p, pi) => {
    issues.push(...duplicates(p.advisories ?? [], (a) => a.url, (i) => ['providers', pi, 'advisories', i, 'url'], 'advisory feed'));
  });

  const probeShare = ratioOf(proberFile.probeShare, PROBER_DEFAULTS.probeShare);
  const timingToleranceMs = ms(proberFile.timingTolerance, PROBER_DEFAULTS.timingToleranceMs);
  if (timingToleranceMs < TIMING_TOLERANCE_RANGE_MS.min || timingToleranceMs > TIMING_TOLERANCE_RANGE_MS.max) {
    issues.push({
      path: ['prober', 'timingTolerance'],
      message: `must be between 10ms (the prober notices shorter event-loop stalls only by chance) and 1m`,
      value: JSON.stringify(proberFile.timingTolerance),
    });
  }

  issues.push(...topologyIssues(file));

  const claims = resolveTrafficClaims(
    file.apis.map((a) => ({ api: a.name, explicit: a.traffic?.match, endpointUrls: a.endpoints.map((e) => e.url) }))
  );
  for (const c of claims.issues) {
    issues.push({ path: ['apis', c.apiIndex, 'traffic', 'match', c.matchIndex], message: c.message, value: c.value });
  }

  const apis: Api[] = file.apis.map((a, ai) => {
    if (!providerNames.includes(a.provider)) {
      const hint = closestMatch(a.provider, providerNames);
      issues.push({
        path: ['apis', ai, 'provider'],
        message: `unknown provider; declare it under "providers"${hint ? ` or did you mean "${hint}"?` : ''}`,
        value: JSON.stringify(a.provider),
      });
    }
    issues.push(...duplicates(a.endpoints, (e) => e.name, (i) => ['apis', ai, 'endpoints', i, 'name'], 'endpoint'));

    const crit = CRITICALITY_DEFAULTS[a.criticality];
    const timeoutMs = ms(a.timeout, ms(defaults.timeout, crit.timeoutMs));
    const intervalMs = ms(a.interval, ms(defaults.interval, crit.intervalMs));
    const thresholds: ApiThresholds = {
      ...thresholdsOf(a.thresholds, {
        latencyP95Ms: crit.latencyP95Ms,
        errorRatio: crit.errorRatio,
        headroomRatio: crit.headroomRatio,
      }),
      usageRatio: ratioOf(a.thresholds?.usage, crit.usageRatio),
    };
    if (a.thresholds?.usage !== undefined && a.rateLimit?.limit === undefined) {
      issues.push({
        path: ['apis', ai, 'thresholds', 'usage'],
        message:
          'compares real usage with the documented rate limit, and this API has none: set rateLimit.limit and rateLimit.window too (or remove thresholds.usage)',
        value: JSON.stringify(a.thresholds.usage),
      });
    }
    if (timeoutMs > intervalMs) {
      issues.push({
        path: ['apis', ai, 'timeout'],
        message: `timeout (${timeoutMs} ms) is longer than the probe interval (${intervalMs} ms); probes would overlap`,
      });
    }

    issues.push(...apiLoadTestIssues(a.loadTest, ['apis', ai]));
    // Several endpoints inheriting one API-level problem report it once.
    const seenLoadTestIssues = new Set<string>();
    if (a.auth.type === 'query') {
      const param = a.auth.param;
      a.endpoints.forEach((e, ei) => {
        if (new URL(e.url).searchParams.has(param)) {
          issues.push({
            path: ['apis', ai, 'endpoints', ei, 'url'],
            message: `has the query parameter "${param}" that auth.param names; the prober adds it with the secret, leave it out of the URL`,
          });
        }
      });
    }
    if (a.fallback?.type === 'api') {
      const target = a.fallback.api;
      if (target === a.name) {
        issues.push({ path: ['apis', ai, 'fallback', 'api'], message: 'names the API itself; a fallback is another API', value: JSON.stringify(target) });
      } else if (!file.apis.some((other) => other.name === target)) {
        const hint = closestMatch(target, file.apis.map((other) => other.name));
        issues.push({
          path: ['apis', ai, 'fallback', 'api'],
          message: `unknown API; declare it under "apis"${hint ? ` or did you mean "${hint}"?` : ''}`,
          value: JSON.stringify(target),
        });
      }
    }

    const endpoints: Endpoint[] = a.endpoints.map((e, ei) => {
      const loadTest = resolveLoadTest(a.loadTest, e.loadTest, ['apis', ai], ['apis', ai, 'endpoints', ei]);
      for (const issue of loadTest.issues) {
        const key = JSON.stringify(issue.path);
        if (!seenLoadTestIssues.has(key)) {
          seenLoadTestIssues.add(key);
          issues.push(issue);
        }
      }
      const endpoint: Endpoint = {
        name: e.name,
        url: e.url,
        method: e.method,
        headers: e.headers ?? {},
        body: e.body,
        timeoutMs: ms(e.timeout, timeoutMs),
        intervalMs: ms(e.interval, intervalMs),
        thresholds: thresholdsOf(e.thresholds, thresholds),
        expect: {
          status: e.expect?.status ?? [200],
          maxBytes: bytesOf(e.expect?.maxBytes, bytesOf(defaults.maxBytes, PROBER_DEFAULTS.maxBytes)),
          bodyContains: e.expect?.bodyContains,
          jsonKeys: e.expect?.jsonKeys,
        },
        maxRedirects: e.maxRedirects ?? defaults.maxRedirects ?? PROBER_DEFAULTS.maxRedirects,
        tls: { insecureSkipVerify: e.tls?.insecureSkipVerify ?? false, serverName: e.tls?.serverName },
      };
      if (loadTest.policy) {
        endpoint.loadTest = loadTest.policy;
      }
      if (endpoint.timeoutMs > endpoint.intervalMs) {
        issues.push({
          path: ['apis', ai, 'endpoints', ei, 'timeout'],
          message: `timeout (${endpoint.timeoutMs} ms) is longer than the probe interval (${endpoint.intervalMs} ms)`,
        });
      }
      return endpoint;
    });

    return {
      name: a.name,
      provider: a.provider,
      criticality: a.criticality,
      owner: a.owner,
      description: a.description,
      docs: a.docs,
      auth: a.auth,
      rateLimit:
        a.rateLimit?.limit !== undefined
          ? {
              limit: a.rateLimit.limit,
              windowMs: ms(a.rateLimit.window, 1000),
              probeShare: ratioOf(a.rateLimit.probeShare, probeShare),
            }
          : undefined,
      rateLimitHeaders: a.rateLimit?.headers && headerMappingOf(a.rateLimit.headers, a.rateLimit.resetUnit),
      probeShare: a.rateLimit?.probeShare === undefined ? undefined : ratioOf(a.rateLimit.probeShare, probeShare),
      timeoutMs,
      intervalMs,
      thresholds,
      statusComponents: a.statusComponents,
      tags: a.tags ?? {},
      traffic: claims.perApi[ai],
      fallback: a.fallback,
      capabilities: { batching: a.capabilities?.batching ?? false, fieldSelection: a.capabilities?.fieldSelection ?? false },
      ...(a.locations ? { locations: [...new Set(a.locations)] } : {}),
      endpoints,
    };
  });

  return {
    catalog: {
      location: defaults.location ?? PROBER_DEFAULTS.location,
      prober: {
        locations: (proberFile.locations ?? []).map((l) => ({ name: l.name, shards: l.shards ?? 1 })),
        concurrency: proberFile.concurrency ?? PROBER_DEFAULTS.concurrency,
        probeShare,
        dataDir: proberFile.dataDir ?? PROBER_DEFAULTS.dataDir,
        historyRetentionMs: ms(proberFile.historyRetention, PROBER_DEFAULTS.historyRetentionMs),
        timingToleranceMs,
        advisoryWindowMs: ms(proberFile.advisoryWindow, PROBER_DEFAULTS.advisoryWindowMs),
        ...(proberFile.audit
          ? {
              audit: {
                prometheusUrl: proberFile.audit.prometheus,
                intervalMs: ms(proberFile.audit.interval, PROBER_DEFAULTS.auditIntervalMs),
                windowMs: ms(proberFile.audit.window, PROBER_DEFAULTS.auditWindowMs),
              },
            }
          : {}),
        ...(proberFile.monthlyReport && {
          monthlyReport: {
            prometheusUrl: proberFile.monthlyReport.prometheus,
            dir: proberFile.monthlyReport.dir,
            formats: [...new Set(proberFile.monthlyReport.formats ?? REPORT_FORMATS)],
            incidentsDir: proberFile.monthlyReport.incidents ?? null,
          },
        }),
      },
      traffic: { ...trafficSettingsOf(file.traffic), shared: claims.shared },
      providers,
      apis,
    },
    issues,
  };
}
