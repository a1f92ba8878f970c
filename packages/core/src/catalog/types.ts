// The catalog after validation and defaulting: every duration in milliseconds, every ratio
// in [0, 1], every inherited value filled in. This is what the prober, the query engine and
// the plugin work with.
import type { Criticality } from '../contract';
import type { ApiTraffic, SharedTrafficHost } from '../traffic/mapping';
import type { TrafficSettings } from '../traffic/sources';
import type { RateLimitHeaderMapping } from '../ratelimit/types';
import type { ReportFormat } from '../report/types';
import type { AuthConfig, StatusPageFormat } from './schema';

export interface Thresholds {
  latencyP95Ms: number;
  errorRatio: number;
  headroomRatio: number;
}

export interface StatusPage {
  url: string;
  format: StatusPageFormat;
  intervalMs: number;
  timeoutMs: number;
  maxBytes: number;
}

export interface Provider {
  name: string;
  displayName: string;
  docs?: string;
  statusPage?: StatusPage;
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
  thresholds: Thresholds;
  statusComponents?: string[];
  tags: Record<string, string>;
  /** Which real traffic is this API's (docs/real-traffic.md). */
  traffic: ApiTraffic;
  endpoints: Endpoint[];
}

export interface ProberSettings {
  concurrency: number;
  probeShare: number;
  dataDir: string;
  historyRetentionMs: number;
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
