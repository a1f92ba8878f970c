// The admin API: change a provider's behaviour at run time, read the whole state, reset.
// The same operations are offered programmatically (SandboxAdmin, for tests of other packages)
// and over HTTP under /_admin/ (for the demo and for curl). Input is validated with zod; a bad
// value is rejected naming the field and the value.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { fieldIssues, formatPath, STATUS_LEVELS } from '@apimon/core';
import { PROVIDER_NAMES, sendJson, type ProviderName } from './provider';
import { RATE_LIMIT_CONVENTIONS, rateLimitHeaders } from './ratelimit';
import type { ProviderRuntime, SettingsPatch } from './runtime';
import { BROKEN_MODES, CONNECTION_FAULTS, ERROR_MODES, OUTAGES, type ProviderSettings } from './settings';
import {
  indicatorOf,
  type ModelIncident,
  type ModelMaintenance,
  type ModelComponent,
  type Level,
} from './statuspages/model';

const level = z.enum(STATUS_LEVELS);
const time = z.union(
  [z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))],
  {
    error: 'must be epoch milliseconds or an ISO 8601 date-time with a zone',
  }
);
const incidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

const statusPageSchema = z.strictObject({
  indicator: level.nullable().optional(),
  components: z
    .array(z.strictObject({ name: text(100), status: level, group: text(100).optional() }))
    // Enough for a page of a dozen platform groups sharing twenty-odd component names.
    .max(500)
    .optional(),
  incidents: z
    .array(
      z.strictObject({
        id: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, "-" or "_"')
          .optional(),
        name: text(200),
        status: incidentStatus,
        impact: z.enum(['none', 'minor', 'major', 'critical']),
        startedAt: time.optional(),
        resolvedAt: time.nullable().optional(),
        components: z.array(text(100)).max(50).optional(),
        updates: z
          .array(
            z.strictObject({
              status: z.enum([...incidentStatus.options, 'postmortem']),
              body: text(4000),
              at: time.optional(),
            })
          )
          .max(50)
          .optional(),
      })
    )
    .max(50)
    .optional(),
  maintenances: z
    .array(
      z.strictObject({
        id: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, "-" or "_"')
          .optional(),
        name: text(200),
        status: z.enum(['scheduled', 'in_progress', 'completed']),
        scheduledFor: time,
        scheduledUntil: time,
        components: z.array(text(100)).max(50).optional(),
        body: text(2000).optional(),
      })
    )
    .max(20)
    .optional(),
});

const count = z.number().int('must be a whole number').nonnegative('must be >= 0');

export const providerPatchSchema = z.strictObject({
  latencyMs: z.number().min(0).max(120_000).optional(),
  jitterMs: z.number().min(0).max(60_000).optional(),
  baseLatency: z
    .strictObject({ medianMs: z.number().min(0).max(60_000), sigma: z.number().min(0).max(3) })
    .nullable()
    .optional(),
  regionalLatencyMs: z
    .record(z.string().regex(/^[a-z0-9_-]+$/, 'must be a location name: [a-z0-9_-]+'), z.number().min(0).max(120_000))
    .optional(),
  errorRate: z.number().min(0).max(1).optional(),
  errorMode: z.enum(ERROR_MODES).optional(),
  outage: z.enum(OUTAGES).optional(),
  rateLimit: z
    .strictObject({
      limit: count.min(1, 'must be >= 1').optional(),
      windowSeconds: count.min(1, 'must be >= 1').max(86_400).optional(),
      remaining: count.nullable().optional(),
      reset: count.nullable().optional(),
      convention: z.enum(RATE_LIMIT_CONVENTIONS).optional(),
      quota: z
        .strictObject({
          limit: count.min(1, 'must be >= 1'),
          windowSeconds: count.min(1, 'must be >= 1').max(31 * 86_400),
        })
        .nullable()
        .optional(),
    })
    .optional(),
  bursts: z
    .strictObject({
      every: count.min(1, 'must be >= 1'),
      length: count.min(1, 'must be >= 1'),
      retryAfterSeconds: count.max(3600),
    })
    .nullable()
    .optional(),
  connectionFault: z
    .strictObject({
      kind: z.enum(CONNECTION_FAULTS),
      rate: z.number().min(0).max(1).default(1),
      dripIntervalMs: z.number().int('must be a whole number').min(10).max(60_000).default(1_000),
    })
    .nullable()
    .optional(),
  statusPageAdmits: z.boolean().optional(),
  statusPageBroken: z.enum(BROKEN_MODES).optional(),
  statusPage: statusPageSchema.optional(),
  capacity: z
    .strictObject({
      concurrency: count.min(1, 'must be >= 1').max(10_000),
      serviceMs: z.number().min(0).max(60_000),
    })
    .nullable()
    .optional(),
  payloadBytes: count
    .min(64, 'must be >= 64')
    .max(256 * 1024 * 1024)
    .optional(),
});

/** What `configure` accepts (times as epoch ms or ISO strings). */
export type ProviderPatch = z.input<typeof providerPatchSchema>;

export interface InputIssue {
  /** Dotted path of the field, e.g. "rateLimit.limit" or "statusPage.incidents[0].impact". */
  path: string;
  message: string;
  value: unknown;
}

/** Bad admin input: its message names every field and value at fault. */
export class SandboxInputError extends Error {
  constructor(
    readonly issues: InputIssue[],
    context: string
  ) {
    super(
      `${context}: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}${i.value === undefined ? '' : ` (got ${JSON.stringify(i.value)})`}`).join('; ')}`
    );
    this.name = 'SandboxInputError';
  }
}

export function issuesOf(error: z.ZodError, input: unknown): InputIssue[] {
  return fieldIssues(error.issues, input).map(({ path, unknownKey, value, issue }) => ({
    path: path.length > 0 ? formatPath(path) : '',
    message: unknownKey !== undefined ? 'unknown field' : issue.message,
    value,
  }));
}

export function parseProviderPatch(provider: ProviderName, input: unknown): SettingsPatch {
  const context = `invalid settings for provider "${provider}"`;
  const result = providerPatchSchema.safeParse(input);
  if (!result.success) {
    throw new SandboxInputError(issuesOf(result.error, input), context);
  }
  const patch = result.data;
  const extra: InputIssue[] = [];
  if (patch.payloadBytes !== undefined && provider !== 'adstream') {
    extra.push({
      path: 'payloadBytes',
      message: 'only adstream serves a payload of configurable size',
      value: patch.payloadBytes,
    });
  }
  patch.statusPage?.maintenances?.forEach((m, i) => {
    if (m.scheduledUntil <= m.scheduledFor) {
      extra.push({
        path: `statusPage.maintenances[${i}].scheduledUntil`,
        message: 'must be after scheduledFor',
        value: m.scheduledUntil,
      });
    }
  });
  if (extra.length > 0) {
    throw new SandboxInputError(extra, context);
  }
  return patch as SettingsPatch;
}

export interface ProviderState {
  name: ProviderName;
  displayName: string;
  urls: { api: string; statusPage: string; statusFormat: string };
  settings: ProviderSettings;
  rateLimit: {
    convention: string;
    limit: number;
    windowSeconds: number;
    remaining: number;
    resetAt: string;
    /** The second window (settings.rateLimit.quota) as it stands, or null. */
    quota: { limit: number; windowSeconds: number; remaining: number; resetAt: string } | null;
    /** The rate-limit headers the next successful answer would carry (before counting it). */
    headers: Record<string, string>;
  };
  counters: {
    requests: number;
    responses: Record<string, number>;
    /** Requests hit by each connection fault (hang, reset, drip). */
    connectionFaults: Record<string, number>;
    /** Requests by the caller's location (callerLocation), "" for callers that name none. */
    locations: Record<string, number>;
  };
  statusPage: {
    indicator: Level;
    indicatorSetDirectly: boolean;
    components: ModelComponent[];
    incidents: ModelIncident[];
    maintenances: ModelMaintenance[];
    /** The incident the provider opened for an injected outage, while open. */
    outageIncidentId: string | null;
  };
}

export interface SandboxState {
  url: string;
  seed: number;
  providers: Record<ProviderName, ProviderState>;
}

export interface SandboxAdmin {
  /** Everything: settings, counters, rate-limit windows and status models of every provider. */
  state(): SandboxState;
  provider(name: ProviderName): ProviderState;
  /** Change a provider's behaviour; throws SandboxInputError naming the fields at fault. */
  configure(name: ProviderName, patch: ProviderPatch): ProviderState;
  /** Back to the defaults: one provider, or all. */
  reset(name?: ProviderName): void;
}

export function isProviderName(name: string): name is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(name);
}

export function createAdmin(
  runtimes: Record<ProviderName, ProviderRuntime>,
  url: string,
  seed: number,
  clock: () => number
): SandboxAdmin {
  const providerState = (name: ProviderName): ProviderState => {
    const rt = runtimes[name];
    const now = clock();
    const reading = rt.counter.peek(now);
    const quota = rt.quotaCounter?.peek(now) ?? null;
    const s = rt.settings;
    return {
      name,
      displayName: rt.def.displayName,
      urls: { api: `${url}${rt.def.apiPath}`, statusPage: `${url}/${name}/status`, statusFormat: rt.def.statusFormat },
      settings: structuredClone(s),
      rateLimit: {
        convention: s.rateLimit.convention,
        limit: reading.limit,
        windowSeconds: reading.windowSeconds,
        remaining: reading.remaining,
        resetAt: new Date(reading.resetAtMs).toISOString(),
        quota: quota && {
          limit: quota.limit,
          windowSeconds: quota.windowSeconds,
          remaining: quota.remaining,
          resetAt: new Date(quota.resetAtMs).toISOString(),
        },
        headers: rateLimitHeaders(
          s.rateLimit.convention,
          reading,
          now,
          { remaining: s.rateLimit.remaining, reset: s.rateLimit.reset },
          quota
        ),
      },
      counters: { requests: rt.requests, responses: { ...rt.responses }, connectionFaults: { ...rt.connectionFaults }, locations: { ...rt.locations } },
      statusPage: {
        indicator: indicatorOf(rt.status),
        indicatorSetDirectly: rt.status.indicator !== null,
        components: structuredClone(rt.status.components),
        incidents: structuredClone(rt.status.incidents),
        maintenances: structuredClone(rt.status.maintenances),
        outageIncidentId: rt.autoIncidentId,
      },
    };
  };
  return {
    state: () => ({
      url,
      seed,
      providers: Object.fromEntries(PROVIDER_NAMES.map((n) => [n, providerState(n)])) as Record<
        ProviderName,
        ProviderState
      >,
    }),
    provider: providerState,
    configure(name, patch) {
      if (!isProviderName(name)) {
        throw new SandboxInputError(
          [{ path: 'provider', message: `unknown provider; one of ${PROVIDER_NAMES.join(', ')}`, value: name }],
          'invalid admin request'
        );
      }
      runtimes[name].configure(parseProviderPatch(name, patch));
      return providerState(name);
    },
    reset(name) {
      for (const n of name ? [name] : PROVIDER_NAMES) {
        runtimes[n].reset();
      }
    },
  };
}

const MAX_BODY = 1024 * 1024;

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      throw new SandboxInputError(
        [{ path: '', message: `body larger than ${MAX_BODY} bytes`, value: undefined }],
        'invalid admin request'
      );
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') {
    return {};
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SandboxInputError(
      [{ path: '', message: `body is not valid JSON: ${(err as Error).message}`, value: undefined }],
      'invalid admin request'
    );
  }
}

/** Serve /_admin/...: GET state, GET/POST/PATCH providers/<name>, POST reset. */
export async function handleAdminRequest(
  admin: SandboxAdmin,
  req: IncomingMessage,
  res: ServerResponse,
  path: string
): Promise<void> {
  const method = req.method ?? 'GET';
  const fail = (status: number, message: string, extra: Record<string, unknown> = {}) =>
    sendJson(res, status, { error: message, ...extra });
  try {
    if (path === '/_admin/state' || path === '/_admin' || path === '/_admin/') {
      if (method !== 'GET') {
        return fail(405, `${method} ${path}: use GET`);
      }
      return sendJson(res, 200, admin.state());
    }
    if (path === '/_admin/reset') {
      if (method !== 'POST') {
        return fail(405, `${method} ${path}: use POST`);
      }
      const body = await readJson(req);
      const provider = body && typeof body === 'object' ? (body as { provider?: unknown }).provider : undefined;
      if (provider !== undefined && (typeof provider !== 'string' || !isProviderName(provider))) {
        throw new SandboxInputError(
          [{ path: 'provider', message: `unknown provider; one of ${PROVIDER_NAMES.join(', ')}`, value: provider }],
          'invalid admin request'
        );
      }
      admin.reset(provider);
      return sendJson(res, 200, admin.state());
    }
    const m = /^\/_admin\/providers\/([^/]+)(\/reset)?\/?$/.exec(path);
    if (m) {
      const name = decodeURIComponent(m[1]);
      if (!isProviderName(name)) {
        return fail(404, `unknown provider "${name}"; one of ${PROVIDER_NAMES.join(', ')}`);
      }
      if (m[2]) {
        if (method !== 'POST') {
          return fail(405, `${method} ${path}: use POST`);
        }
        admin.reset(name);
        return sendJson(res, 200, admin.provider(name));
      }
      if (method === 'GET') {
        return sendJson(res, 200, admin.provider(name));
      }
      if (method === 'POST' || method === 'PATCH') {
        return sendJson(res, 200, admin.configure(name, (await readJson(req)) as ProviderPatch));
      }
      return fail(405, `${method} ${path}: use GET, POST or PATCH`);
    }
    return fail(
      404,
      `no admin endpoint ${path}; see GET /_admin/state, POST /_admin/reset, GET|POST /_admin/providers/<name>`
    );
  } catch (err) {
    if (err instanceof SandboxInputError) {
      return fail(400, err.message, { issues: err.issues });
    }
    throw err;
  }
}
