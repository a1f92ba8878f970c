// The catalog file as users write it (catalog.yaml). Values stay in their written form here
// (durations as "200ms", ratios as "2%"); resolve.ts turns them into numbers and applies the
// criticality defaults. Every object is strict so a misspelt key is an error, not a silent
// default.
import { z } from 'zod';
import { CRITICALITIES, HTTP_METHODS, RESET_UNITS } from '../contract';
import { REPORT_FORMATS } from '../report/types';
import { TRAFFIC_CONVENTIONS, TRAFFIC_SOURCE_PRESET_NAMES } from '../traffic/sources';
import { parseBytes, parseDuration, parseRatio } from '../units';

const NAME_RE = /^[a-z0-9_-]+$/;
/** Environment variable names: we only ever store the name of a secret, never its value. */
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const name = z
  .string()
  .regex(NAME_RE, { message: 'must match [a-z0-9_-]+ (lowercase letters, digits, "_" and "-")' });

const envName = z.string().regex(ENV_NAME_RE, {
  message: 'must be the NAME of an environment variable (letters, digits, "_"), not its value',
});

export const duration = z
  .union([z.string(), z.number()])
  .refine((v) => parseDuration(v) !== undefined, {
    message: 'must be a duration such as "250ms", "30s", "5m" or "1h30m"',
  });

export const bytes = z
  .union([z.string(), z.number()])
  .refine((v) => parseBytes(v) !== undefined, { message: 'must be a size such as "512KB", "1MB", "1MiB" or a byte count' });

export const ratio = z
  .union([z.string(), z.number()])
  .refine((v) => parseRatio(v) !== undefined, { message: 'must be a percentage such as "2%" or a ratio between 0 and 1' });

const httpUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http:// or https:// URL' }
);

/** A status-page component as an API names it: "Name", "Group / Name" for a component in a
 * group (pages reuse names across groups), or a group's name for all of its members. */
const statusComponentName = z.string().refine((v) => v.split('/').every((part) => part.trim() !== ''), {
  message: 'must name a status-page component: "Name", or "Group / Name" for a component in a group',
});

export const statusPageFormats = ['auto', 'statuspage', 'incidentio', 'instatus', 'statusio', 'gcp', 'rss', 'atom'] as const;

export const statusPageSchema = z.strictObject({
  url: httpUrl,
  format: z.enum(statusPageFormats).default('auto'),
  interval: duration.optional(),
  timeout: duration.optional(),
  maxBytes: bytes.optional(),
});

export const advisoryFormats = ['auto', 'rss', 'atom', 'json'] as const;

/** A provider's security or changelog feed (RSS 2.0, Atom or JSON Feed), polled like its status page. */
export const advisoryFeedSchema = z.strictObject({
  url: httpUrl,
  format: z.enum(advisoryFormats).default('auto'),
  interval: duration.optional(),
  timeout: duration.optional(),
  maxBytes: bytes.optional(),
  /** Items the team has dealt with, by their id or link: no longer a finding. */
  acknowledged: z.array(z.string().trim().min(1, { message: 'must name an item by its id or link' })).optional(),
});

export const providerSchema = z.strictObject({
  name,
  displayName: z.string().optional(),
  docs: httpUrl.optional(),
  statusPage: statusPageSchema.optional(),
  advisories: z.array(advisoryFeedSchema).optional(),
});

export const authSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({ type: z.literal('bearer'), secretEnv: envName }),
  z.strictObject({
    type: z.literal('basic'),
    usernameEnv: envName,
    passwordEnv: envName,
  }),
  z.strictObject({
    type: z.literal('header'),
    header: z.string().min(1),
    secretEnv: envName,
    prefix: z.string().optional(),
  }),
  /** An API key the provider only takes in the query string (`?key=...`); the prober adds it to each request. */
  z.strictObject({
    type: z.literal('query'),
    param: z.string().regex(/^[A-Za-z0-9_.~-]+$/, { message: 'must be a query parameter name such as "key" or "api_key"' }),
    secretEnv: envName,
  }),
  z.strictObject({
    type: z.literal('oauth2'),
    tokenUrl: httpUrl,
    clientIdEnv: envName,
    clientSecretEnv: envName,
    scopes: z.array(z.string()).optional(),
    audience: z.string().optional(),
  }),
]);

/** An HTTP field name (RFC 9110 token). */
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, {
  message: 'must be an HTTP header name such as "X-RateLimit-Reset" (letters, digits and "-"; no spaces or ":")',
});

/** The headers of a rate-limit convention no built-in parser knows (docs/rate-limits.md). */
export const rateLimitHeadersSchema = z.strictObject({
  limit: headerName.optional(),
  remaining: headerName.optional(),
  reset: headerName.optional(),
  retryAfter: headerName.optional(),
});

const MAPPED_FIELDS = ['limit', 'remaining', 'reset', 'retryAfter'] as const;

export const rateLimitSchema = z
  .strictObject({
    /** The provider's documented limit: `limit` requests per `window`. */
    limit: z.number().int().positive().optional(),
    window: duration.optional(),
    /** Share of the limit apimon's own probes may use; overrides the prober default. */
    probeShare: ratio.optional(),
    headers: rateLimitHeadersSchema.optional(),
    /** How `headers.reset` is written; unset, the value tells (as for built-in conventions). */
    resetUnit: z.enum(RESET_UNITS).optional(),
  })
  .superRefine(
    (r, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      if (r.limit !== undefined && r.window === undefined) {
        issue('window', 'is required with limit: the documented limit is `limit` requests per `window`');
      } else if (r.window !== undefined && r.limit === undefined) {
        issue('limit', 'is required with window: the documented limit is `limit` requests per `window`');
      } else if (r.limit === undefined && r.headers === undefined) {
        issue('limit', 'is required: document the limit (limit and window) or name the headers (headers)');
      }
      if (r.headers !== undefined) {
        const named = MAPPED_FIELDS.filter((f) => r.headers?.[f] !== undefined);
        if (named.length === 0) {
          issue('headers', 'must name at least one header: limit, remaining, reset or retryAfter');
        }
        const seen = new Map<string, string>();
        for (const field of named) {
          const name = r.headers[field]!.toLowerCase();
          const first = seen.get(name);
          if (first !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['headers', field],
              message: `names the same header as headers.${first}`,
            });
          }
          seen.set(name, field);
        }
      }
      if (r.resetUnit !== undefined && r.headers?.reset === undefined) {
        issue('resetUnit', 'says how to read headers.reset: name that header too');
      }
    },
    // Checked once the fields themselves are right: a misspelt key is reported alone.
    { when: (payload) => payload.issues.length === 0 }
  );

export const thresholdsSchema = z.strictObject({
  latencyP95: duration.optional(),
  errorRate: ratio.optional(),
  headroom: ratio.optional(),
});

/** Real usage of the documented rate limit that alerts: above 0, at most the limit itself. */
const usageRatio = ratio.refine((v) => (parseRatio(v) ?? 0) > 0, {
  message: 'must be above 0: the share of the documented rate limit (e.g. "80%") real usage may reach before it alerts',
});

/** An API's thresholds: the endpoint ones, plus real usage of its documented limit. */
export const apiThresholdsSchema = thresholdsSchema.extend({ usage: usageRatio.optional() });

/** An endpoint's thresholds; usage is per API (the documented limit is the API's). */
export const endpointThresholdsSchema = thresholdsSchema.extend({
  usage: z
    .unknown()
    .refine(() => false, {
      message: "is judged per API against its documented rate limit: set it in the API's thresholds, not an endpoint's",
    })
    .optional(),
});

const statusCode = z.number().int().min(100).max(599);

/** Requests per second: positive and finite (fractions allowed: 0.5 is one request every 2 s). */
const requestRate = z.number().positive().max(1_000_000);

/**
 * Whether and how hard `apimon loadtest` may load an endpoint (docs/load-testing.md). Set on an
 * API for all of its endpoints, on an endpoint for that one; an endpoint's fields override the
 * API's one by one. `url` (a staging URL) only makes sense per endpoint.
 */
export const loadTestSchema = z.strictObject({
  allowed: z.boolean().optional(),
  url: httpUrl.optional(),
  /** Never send more requests per second than this. */
  maxRate: requestRate.optional(),
  /** Requests in flight at most; a request due while this many are in flight is dropped. */
  maxConcurrency: z.number().int().min(1).max(10_000).optional(),
  /** Default --rates. */
  rates: z.array(requestRate).min(1).max(100).optional(),
  /** Default --stage-duration. */
  stageDuration: duration.optional(),
  /** A run stops at once when, over the last few seconds, these shares of requests fail / get 429. */
  abort: z
    .strictObject({
      errorRate: ratio.optional(),
      rateLimited: ratio.optional(),
    })
    .optional(),
});

export const expectSchema = z.strictObject({
  status: z.array(statusCode).min(1).optional(),
  maxBytes: bytes.optional(),
  bodyContains: z.string().optional(),
  /** Top-level JSON keys the body must have, e.g. [data, total]. */
  jsonKeys: z.array(z.string()).optional(),
});

export const endpointSchema = z.strictObject({
  name,
  url: httpUrl,
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  timeout: duration.optional(),
  interval: duration.optional(),
  thresholds: endpointThresholdsSchema.optional(),
  expect: expectSchema.optional(),
  maxRedirects: z.number().int().min(0).max(20).optional(),
  tls: z
    .strictObject({
      insecureSkipVerify: z.boolean().optional(),
      serverName: z.string().optional(),
    })
    .optional(),
  loadTest: loadTestSchema.optional(),
});

/** A host as HTTP-client instrumentations report it in server.address: a name or an IP. */
const serverAddress = z
  .string()
  .trim()
  .regex(/^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])$/, {
    message: 'must be a host name or IP address such as api.stripe.com (no scheme, path or port; the port goes in serverPort)',
  })
  .transform((v) => v.toLowerCase());

export const trafficMatchSchema = z.strictObject({
  serverAddress,
  serverPort: z.number().int().min(1).max(65535).optional(),
  method: z.enum(HTTP_METHODS).optional(),
  /** The low-cardinality path template the platform's instrumentation puts in url.template. */
  urlTemplate: z
    .string()
    .regex(/^\/\S*$/, { message: 'must be a path template starting with "/", such as /v1/charges/{id}' })
    .optional(),
});

export const apiTrafficSchema = z.strictObject({
  /** Real traffic of this API; an empty list claims none. Default: the hosts of its endpoints. */
  match: z.array(trafficMatchSchema),
});

const promName = z.string().trim().min(1, { message: 'must not be empty' });

export const trafficSourceSchema = z.union([
  z.enum(TRAFFIC_SOURCE_PRESET_NAMES as [string, ...string[]]),
  z.strictObject({
    name,
    convention: z.enum(TRAFFIC_CONVENTIONS),
    duration: promName,
    durationUnit: z.enum(['s', 'ms']).optional(),
    responseSize: promName.optional(),
    labels: z
      .strictObject({
        serverAddress: promName.optional(),
        serverPort: promName.optional(),
        method: promName.optional(),
        statusCode: promName.optional(),
        errorType: promName.optional(),
        urlTemplate: promName.optional(),
      })
      .optional(),
  }),
]);

export const trafficSettingsSchema = z.strictObject({
  /** Where the store keeps the platform's HTTP-client metrics, in order of preference. */
  sources: z.array(trafficSourceSchema).min(1).optional(),
  /** Labels that tell one emitting process and instrumentation library from another. */
  identityLabels: z.array(promName).optional(),
});

/** What the platform does when the API is down: another API, a cache, a queue. */
export const fallbackSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('api'), api: name, description: z.string().optional() }),
  z.strictObject({ type: z.literal('cache'), description: z.string().optional() }),
  z.strictObject({ type: z.literal('queue'), description: z.string().optional() }),
]);

/** What the API can do that the audit recommends when it fits. */
export const capabilitiesSchema = z.strictObject({
  /** Several items per request (bulk endpoints, batch requests). */
  batching: z.boolean().optional(),
  /** Only the fields asked for (a `fields` parameter, sparse fieldsets, GraphQL). */
  fieldSelection: z.boolean().optional(),
});

export const apiSchema = z.strictObject({
  name,
  provider: name,
  criticality: z.enum(CRITICALITIES),
  owner: z.string().min(1),
  description: z.string().optional(),
  docs: httpUrl.optional(),
  auth: authSchema.default({ type: 'none' }),
  rateLimit: rateLimitSchema.optional(),
  timeout: duration.optional(),
  interval: duration.optional(),
  thresholds: apiThresholdsSchema.optional(),
  statusComponents: z.array(statusComponentName).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  traffic: apiTrafficSchema.optional(),
  loadTest: loadTestSchema.optional(),
  fallback: fallbackSchema.optional(),
  capabilities: capabilitiesSchema.optional(),
  /** Probed only from these locations of prober.locations (docs/topologies.md); default: all. */
  locations: z.array(name).min(1, { message: 'must name at least one location (or leave it out: every location)' }).optional(),
  endpoints: z.array(endpointSchema).min(1),
});

export const defaultsSchema = z.strictObject({
  interval: duration.optional(),
  timeout: duration.optional(),
  location: z.string().regex(NAME_RE).optional(),
  maxRedirects: z.number().int().min(0).max(20).optional(),
  maxBytes: bytes.optional(),
});

export /** A store's URL in the catalog: no credentials, since the prober API serves the catalog. */
const storeUrl = httpUrl.refine((v) => !/^[a-z]+:\/\/[^/]*@/i.test(v), {
  message: 'must not hold credentials: the catalog is served by the prober API',
});

/** One location the catalog is probed from, and how many probers split it (docs/topologies.md). */
const proberLocationSchema = z.strictObject({
  name,
  shards: z.number().int().positive().max(1000).optional(),
});

const proberSchema = z.strictObject({
  /** The probers' topology: every location probing this catalog and its shards. Every prober
   * reads it to know how many probers probe each API (the quota guard divides by it). */
  locations: z.array(proberLocationSchema).min(1, { message: 'must declare at least one location (or leave it out: one prober)' }).optional(),
  /** Probes running at once, across all APIs. */
  concurrency: z.number().int().positive().max(10_000).optional(),
  /** Default share of a provider's rate limit that apimon's own probes may use. */
  probeShare: ratio.optional(),
  /** Directory for state that survives restarts (status-page incident history). */
  dataDir: z.string().optional(),
  /** How long incident history is kept. */
  historyRetention: duration.optional(),
  /** Event-loop delay a probe may experience before its timing counts as degraded. */
  timingTolerance: duration.optional(),
  /** Advisory items published this long ago or less count as new until acknowledged. */
  advisoryWindow: duration.optional(),
  /** Run the audit on a schedule and export its findings (apimon_audit_finding). */
  audit: z
    .strictObject({
      /** The store the prober's metrics land in (Prometheus HTTP API base URL). */
      prometheus: storeUrl,
      interval: duration.optional(),
      window: duration.optional(),
    })
    .optional(),
  /** Opt-in: `apimon run` writes last month's report into a directory on the 1st (docs/reports.md). */
  monthlyReport: z
    .strictObject({
      /** The Prometheus-compatible store that scrapes this prober. */
      prometheus: storeUrl,
      /** Where the reports go (relative to the catalog file's directory). */
      dir: z.string().min(1, { message: 'must name a directory' }),
      formats: z.array(z.enum(REPORT_FORMATS)).min(1, { message: 'must name at least one format' }).optional(),
      /** Incident records (incidents/<id>.yaml) for the open-items section (relative to the catalog file). */
      incidents: z.string().min(1, { message: 'must name a directory' }).optional(),
    })
    .optional(),
});

export const catalogSchema = z.strictObject({
  defaults: defaultsSchema.optional(),
  prober: proberSchema.optional(),
  traffic: trafficSettingsSchema.optional(),
  providers: z.array(providerSchema).default([]),
  apis: z.array(apiSchema).min(1),
});

export type CatalogFile = z.infer<typeof catalogSchema>;
export type ApiFile = z.infer<typeof apiSchema>;
export type EndpointFile = z.infer<typeof endpointSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type LoadTestFile = z.infer<typeof loadTestSchema>;
export type TrafficMatchFile = z.infer<typeof trafficMatchSchema>;
export type TrafficSourceFile = z.infer<typeof trafficSourceSchema>;
export type StatusPageFormat = (typeof statusPageFormats)[number];
export type AdvisoryFormat = (typeof advisoryFormats)[number];
export type FallbackConfig = z.infer<typeof fallbackSchema>;
