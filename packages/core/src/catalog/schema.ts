// The catalog file as users write it (catalog.yaml). Values stay in their written form here
// (durations as "200ms", ratios as "2%"); resolve.ts turns them into numbers and applies the
// criticality defaults. Every object is strict so a misspelt key is an error, not a silent
// default.
import { z } from 'zod';
import { CRITICALITIES } from '../contract';
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

export const statusPageFormats = ['auto', 'statuspage', 'incidentio', 'instatus', 'statusio', 'gcp', 'rss', 'atom'] as const;

export const statusPageSchema = z.strictObject({
  url: httpUrl,
  format: z.enum(statusPageFormats).default('auto'),
  interval: duration.optional(),
  timeout: duration.optional(),
  maxBytes: bytes.optional(),
});

export const providerSchema = z.strictObject({
  name,
  displayName: z.string().optional(),
  docs: httpUrl.optional(),
  statusPage: statusPageSchema.optional(),
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
  z.strictObject({
    type: z.literal('oauth2'),
    tokenUrl: httpUrl,
    clientIdEnv: envName,
    clientSecretEnv: envName,
    scopes: z.array(z.string()).optional(),
    audience: z.string().optional(),
  }),
]);

export const rateLimitSchema = z.strictObject({
  limit: z.number().int().positive(),
  window: duration,
  /** Share of the limit apimon's own probes may use; overrides the prober default. */
  probeShare: ratio.optional(),
});

export const thresholdsSchema = z.strictObject({
  latencyP95: duration.optional(),
  errorRate: ratio.optional(),
  headroom: ratio.optional(),
});

const statusCode = z.number().int().min(100).max(599);

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
  thresholds: thresholdsSchema.optional(),
  expect: expectSchema.optional(),
  maxRedirects: z.number().int().min(0).max(20).optional(),
  tls: z
    .strictObject({
      insecureSkipVerify: z.boolean().optional(),
      serverName: z.string().optional(),
    })
    .optional(),
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
  thresholds: thresholdsSchema.optional(),
  statusComponents: z.array(z.string()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  endpoints: z.array(endpointSchema).min(1),
});

export const defaultsSchema = z.strictObject({
  interval: duration.optional(),
  timeout: duration.optional(),
  location: z.string().regex(NAME_RE).optional(),
  maxRedirects: z.number().int().min(0).max(20).optional(),
  maxBytes: bytes.optional(),
});

export const proberSchema = z.strictObject({
  /** Probes running at once, across all APIs. */
  concurrency: z.number().int().positive().max(10_000).optional(),
  /** Default share of a provider's rate limit that apimon's own probes may use. */
  probeShare: ratio.optional(),
  /** Directory for state that survives restarts (status-page incident history). */
  dataDir: z.string().optional(),
  /** How long incident history is kept. */
  historyRetention: duration.optional(),
});

export const catalogSchema = z.strictObject({
  defaults: defaultsSchema.optional(),
  prober: proberSchema.optional(),
  providers: z.array(providerSchema).default([]),
  apis: z.array(apiSchema).min(1),
});

export type CatalogFile = z.infer<typeof catalogSchema>;
export type ApiFile = z.infer<typeof apiSchema>;
export type EndpointFile = z.infer<typeof endpointSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type StatusPageFormat = (typeof statusPageFormats)[number];
