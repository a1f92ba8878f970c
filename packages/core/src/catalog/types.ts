// The catalog after validation and defaulting: every duration in milliseconds, every ratio
// in [0, 1], every inherited value filled in. This is what the prober, the query engine and
// the plugin work with.
import type { Criticality } from '../contract';
import type { ApiTraffic, SharedTrafficHost } from '../traffic/mapping';
import type { TrafficSettings } from '../traffic/sources';
import type { RateLimitHeaderMapping } from '../ratelimit/types';
import type { ReportFormat } from '../report/types';
import type { AdvisoryFormat, AuthConfig, FallbackConfig, StatusPageFormat } from './schema';

export interface Thresholds {
  latencyP95Ms: number;
  errorRatio: number;
  headroomRatio: number;
}

/** An API's thresholds: its endpoints', plus the real usage of its documented rate limit that alerts. */
export interface ApiThresholds extends Thresholds {
  usageRatio: number;
}

export interface StatusPage {
  url: string;
  format: StatusPageFormat;
  intervalMs: number;
  timeoutMs: number;
  maxBytes: number;
}

/** A provider's advisory feed (security notices, changelog). */
export interface AdvisoryFeed {
  url: string;
  format: AdvisoryFormat;
  intervalMs: number;
  timeoutMs: number;
  maxBytes: number;
  /** Item ids or links the team has acknowledged. */
  acknowledged: string[];
}

export interface Provider {
  name: string;
  displayName: string;
  docs?: string;
  statusPage?: StatusPage;
  advisories: AdvisoryFeed[];
}

export interface RateLimit {
  limit: number;
  windowMs: number;
  probeShare: number;
}

export interface Expectation {
  status: number[];
  maxBytes: number;
  bodyContains?: string;
  jsonKeys?: string[];
}

/**
 * What `apimon loadtest` may do to an endpoint: the API's `loadTest` with the endpoint's own
 * fields over it, defaults filled in (docs/load-testing.md).
 */
export interface LoadTestPolicy {
  allowed: boolean;
  /** Where load goes instead of the endpoint's url (a staging copy of the API). */
  url?: string;
  /** Requests per second never to exceed; always set when allowed. */
  maxRate?: number;
  maxConcurrency: number;
  /** Default rates (requests per second) when the command line names none. */
  rates?: number[];
  stageDurationMs: number;
  abort: { errorRatio: number; rateLimitedRatio: number };
  /** Field path of the `loadTest` that decided `allowed` (the endpoint's or its API's), for messages. */
  sourcePath: Array<string | number>;
}

export interface Endpoint {
  name: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  intervalMs: number;
  thresholds: Thresholds;
  expect: Expectation;
  maxRedirects: number;
  tls: { insecureSkipVerify: boolean; serverName?: string };
  /** Absent when neither the endpoint nor its API says anything about load tests (not allowed). */
  loadTest?: LoadTestPolicy;
}

export interface Api {
  name: string;
  provider: string;
  criticality: Criticality;
  owner: string;
  description?: string;
  docs?: string;
  auth: AuthConfig;
  /** The provider's documented limit (`rateLimit.limit` per `rateLimit.window`). */
  rateLimit?: RateLimit;
  /** `rateLimit.headers` + `resetUnit`: the provider's own header names, lowercase. */
  rateLimitHeaders?: RateLimitHeaderMapping;
  /**
   * `rateLimit.probeShare` as the catalog sets it for this API, with or without a documented
   * limit: it applies to limits learned from the headers too. Unset: the prober's default.
   */
  probeShare?: number;
  timeoutMs: number;
  intervalMs: number;
  thresholds: ApiThresholds;
  statusComponents?: string[];
  tags: Record<string, string>;
  /** Which real traffic is this API's (docs/real-traffic.md). */
  traffic: ApiTraffic;
  /** What the platform falls back to when the API fails. */
  fallback?: FallbackConfig;
  capabilities: { batching: boolean; fieldSelection: boolean };
  /** The locations this API is probed from (`locations`); absent: every location. */
  locations?: string[];
  /**
   * How many probers probe this API (placement.ts, from prober.locations); absent: 1. The
   * quota guard divides the API's probe share by it, so more probers never use more quota.
   */
  probers?: number;
  endpoints: Endpoint[];
}

/** The scheduled audit (`prober.audit`). */
export interface AuditSchedule {
  prometheusUrl: string;
  intervalMs: number;
  windowMs: number;
}

/** A location of the probers' topology and how many shards split it. */
export interface ProberLocation {
  name: string;
  shards: number;
}

export interface ProberSettings {
  /** `prober.locations`: every location probing the catalog; empty when not declared (one prober). */
  locations: ProberLocation[];
  concurrency: number;
  probeShare: number;
  dataDir: string;
  historyRetentionMs: number;
  /** Event-loop delay (ms) a probe may experience before its timing counts as degraded. */
  timingToleranceMs: number;
  /** Advisory items this recent (by publication) are new until acknowledged. */
  advisoryWindowMs: number;
  audit?: AuditSchedule;
  /** `apimon run` writes last month's report on the 1st; absent: it does not. */
  monthlyReport?: MonthlyReportSettings;
}

export interface MonthlyReportSettings {
  prometheusUrl: string;
  /** As written: relative paths are resolved against the catalog file's directory. */
  dir: string;
  formats: ReportFormat[];
  incidentsDir: string | null;
}

/** How real traffic is read from the store, and the hosts no API could be given. */
export interface CatalogTraffic extends TrafficSettings {
  shared: SharedTrafficHost[];
}

export interface Catalog {
  location: string;
  prober: ProberSettings;
  traffic: CatalogTraffic;
  providers: Provider[];
  apis: Api[];
}

/** A problem found in a catalog: where (file, line, field path), what, and the bad value. */
export interface CatalogIssue {
  file: string;
  line?: number;
  column?: number;
  /** Field path such as `apis[0].endpoints[1].timeout`. */
  path: string;
  message: string;
  /** The offending value, rendered for the message (never a secret-looking value in full). */
  value?: string;
}

export type CatalogResult = { ok: true; catalog: Catalog } | { ok: false; issues: CatalogIssue[] };
