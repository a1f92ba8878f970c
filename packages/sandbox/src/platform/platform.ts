// The demo "platform": a service making real outbound calls to the sandbox providers at a rate
// that follows its day, instrumented with the real OpenTelemetry Node SDK and serving its
// metrics the way the OTel Prometheus exporter does (GET /metrics). Its admin API raises the
// traffic (a peak) and sets known error ratios and latency per target. See docs/sandbox.md.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { issuesOf, readJson, SandboxInputError } from '../admin';
import { sendJson } from '../provider';
import { parseListen } from '../server';
import { makeCall } from './calls';
import { APP_RECORDED_HEADER, semconvModeFromEnv, startTelemetry, type SemconvMode } from './telemetry';
import {
  dailyShape,
  DEFAULT_SALE,
  isFaultedCall,
  NO_FAULTS,
  sandboxTargets,
  saleMultiplier,
  WeightedRotation,
  type PlatformTarget,
  type SaleEvent,
  type TargetFaults,
} from './workload';

export const DEFAULT_PLATFORM_LISTEN = '127.0.0.1:8490';
const DAY_MS = 86_400_000;
const TICK_MS = 50;

export interface PlatformOptions {
  /** "host:port" or a port; default 127.0.0.1:8490; port 0 picks a free one. */
  listen?: string | number;
  /** Origin of the sandbox providers, e.g. http://127.0.0.1:8480. */
  sandboxUrl: string;
  targets?: PlatformTarget[];
  /** Calls per second at the daily mean (the shape multiplies it). Default 5. */
  rps?: number;
  /** Follow the daily shape and the sale event; false: a flat rate. Default true. */
  shape?: boolean;
  /** Length of the platform's day; shorter compresses time (a day in a minute for a demo). */
  dayMs?: number;
  /** Hour of the platform's day at start; default: the UTC wall clock's hour when a day is 24 h, else 9. */
  startHour?: number;
  sale?: SaleEvent | null;
  /** Default: what OTEL_SEMCONV_STABILITY_OPT_IN says (unset: old, as the instrumentation does). */
  semconv?: SemconvMode;
  serviceName?: string;
  /** Calls in flight at most; beyond, calls are dropped and counted. Default 200. */
  maxInFlight?: number;
  timeoutMs?: number;
}

export interface TargetState {
  name: string;
  url: string;
  client: PlatformTarget['client'];
  urlTemplate: string | null;
  weight: number;
  faults: TargetFaults;
  calls: number;
  /** Calls that were retries of a 429 or 5xx (counted in calls too). */
  retried: number;
  responses: Record<string, number>;
  failures: Record<string, number>;
}

export interface PlatformState {
  semconv: SemconvMode;
  rps: number;
  shape: boolean;
  hourOfDay: number;
  peak: { multiplier: number; untilMs: number } | null;
  currentRps: number;
  inFlight: number;
  dropped: number;
  targets: TargetState[];
}

const trafficPatchSchema = z.strictObject({
  rps: z.number().min(0).max(10_000).optional(),
  shape: z.boolean().optional(),
  /** Multiply the traffic for a while (a sale, a marketing push); null ends a peak. */
  peak: z
    .strictObject({ multiplier: z.number().min(0).max(100), seconds: z.number().positive().max(7 * 86_400) })
    .nullable()
    .optional(),
});

const faultsPatchSchema = z.strictObject({
  errorRatio: z.number().min(0).max(1).optional(),
  errorStatus: z.number().int().min(400).max(599).optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  retries: z.number().int().min(0).max(10).optional(),
});

export type TrafficPatch = z.input<typeof trafficPatchSchema>;
export type FaultsPatch = z.input<typeof faultsPatchSchema>;

export interface PlatformAdmin {
  state(): PlatformState;
  setTraffic(patch: TrafficPatch): PlatformState;
  setFaults(target: string, patch: FaultsPatch): TargetState;
  /** Back to the options' rate and shape, no peak, no faults; counters kept. */
  reset(): PlatformState;
}

export interface Platform {
  url: string;
  port: number;
  admin: PlatformAdmin;
  close(): Promise<void>;
}

function parse<T>(schema: z.ZodType<T>, input: unknown, context: string): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw new SandboxInputError(issuesOf(r.error, input), context);
  }
  return r.data;
}

export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const { host, port } = parseListen(options.listen ?? DEFAULT_PLATFORM_LISTEN);
  const sandbox = new URL(options.sandboxUrl);
  const localhostOrigin = `${sandbox.protocol}//localhost${sandbox.port ? `:${sandbox.port}` : ''}`;
  const targets = (options.targets ?? sandboxTargets()).map((t) => ({
    ...t,
    resolved: new URL(t.url.replace('{sandbox-localhost}', localhostOrigin).replace('{sandbox}', sandbox.origin)),
  }));
  const dayMs = options.dayMs ?? DAY_MS;
  const startedAt = Date.now();
  const startHour = options.startHour ?? (dayMs === DAY_MS ? ((startedAt % DAY_MS) / DAY_MS) * 24 : 9);
  const telemetry = startTelemetry(options.semconv ?? semconvModeFromEnv(process.env.OTEL_SEMCONV_STABILITY_OPT_IN), options.serviceName ?? 'marketplace');

  let rps = options.rps ?? 5;
  let shaped = options.shape ?? true;
  let peak: { multiplier: number; untilMs: number } | null = null;
  let inFlight = 0;
  let dropped = 0;
  const faults = new Map<string, TargetFaults>(targets.map((t) => [t.name, { ...NO_FAULTS }]));
  const counters = new Map(targets.map((t) => [t.name, { calls: 0, retried: 0, responses: {} as Record<string, number>, failures: {} as Record<string, number> }]));
  const rotation = new WeightedRotation(targets.map((t) => t.weight));
  const maxInFlight = options.maxInFlight ?? 200;
  const timeoutMs = options.timeoutMs ?? 10_000;

  const hourOfDay = (now: number) => (startHour + ((now - startedAt) / dayMs) * 24) % 24;
  const currentRps = (now: number) => {
    const hour = hourOfDay(now);
    const shape = shaped ? dailyShape(hour) * saleMultiplier(hour, options.sale === undefined ? DEFAULT_SALE : options.sale) : 1;
    const boost = peak && peak.untilMs > now ? peak.multiplier : 1;
    return rps * shape * boost;
  };

  const send = (index: number, attempt = 0) => {
    const target = targets[index];
    const count = counters.get(target.name)!;
    count.calls += 1;
    count.retried += attempt > 0 ? 1 : 0;
    const f = faults.get(target.name)!;
    const headers: Record<string, string> = { ...target.headers };
    if (f.delayMs > 0) {
      headers['x-envoy-fault-delay-request'] = String(f.delayMs);
    }
    if (isFaultedCall(count.calls, f.errorRatio)) {
      headers['x-envoy-fault-abort-request'] = String(f.errorStatus);
    }
    if (target.urlTemplate) {
      headers[APP_RECORDED_HEADER] = '1';
    }
    inFlight += 1;
    void makeCall(target.client, { method: target.method, url: target.resolved, headers, timeoutMs })
      .then((call) => {
        if (call.status > 0) {
          count.responses[call.status] = (count.responses[call.status] ?? 0) + 1;
        } else {
          count.failures[call.errorType ?? 'Error'] = (count.failures[call.errorType ?? 'Error'] ?? 0) + 1;
        }
        telemetry.app.record({ ...call, urlTemplate: target.urlTemplate }, target.urlTemplate !== undefined);
        return call.status;
      })
      .finally(() => {
        inFlight -= 1;
      })
      .then((status) => {
        // The naive client: every 429 or 5xx is sent again at once, up to `retries` times.
        if ((status === 429 || status >= 500) && attempt < faults.get(target.name)!.retries && inFlight < maxInFlight) {
          send(index, attempt + 1);
        }
      });
  };

  // Open model: calls are due at the rate whether or not earlier ones have answered.
  let due = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    due += (currentRps(Date.now()) * (now - last)) / 1000;
    last = now;
    while (due >= 1) {
      due -= 1;
      if (inFlight >= maxInFlight) {
        dropped += 1;
      } else {
        send(rotation.next());
      }
    }
  }, TICK_MS);

  const targetState = (t: (typeof targets)[number]): TargetState => {
    const c = counters.get(t.name)!;
    return {
      name: t.name,
      url: t.resolved.toString(),
      client: t.client,
      urlTemplate: t.urlTemplate ?? null,
      weight: t.weight,
      faults: { ...faults.get(t.name)! },
      calls: c.calls,
      retried: c.retried,
      responses: { ...c.responses },
      failures: { ...c.failures },
    };
  };

  const admin: PlatformAdmin = {
    state: () => {
      const now = Date.now();
      return {
        semconv: telemetry.mode,
        rps,
        shape: shaped,
        hourOfDay: Math.round(hourOfDay(now) * 100) / 100,
        peak: peak && peak.untilMs > now ? { ...peak } : null,
        currentRps: Math.round(currentRps(now) * 1000) / 1000,
        inFlight,
        dropped,
        targets: targets.map(targetState),
      };
    },
    setTraffic(input) {
      const patch = parse(trafficPatchSchema, input, 'invalid traffic settings');
      rps = patch.rps ?? rps;
      shaped = patch.shape ?? shaped;
      if (patch.peak !== undefined) {
        peak = patch.peak && { multiplier: patch.peak.multiplier, untilMs: Date.now() + patch.peak.seconds * 1000 };
      }
      return admin.state();
    },
    setFaults(name, input) {
      const target = targets.find((t) => t.name === name);
      if (!target) {
        throw new SandboxInputError(
          [{ path: 'target', message: `unknown target; one of ${targets.map((t) => t.name).join(', ')}`, value: name }],
          'invalid fault settings'
        );
      }
      const patch = parse(faultsPatchSchema, input, `invalid fault settings for target "${name}"`);
      faults.set(name, { ...faults.get(name)!, ...patch });
      return targetState(target);
    },
    reset() {
      rps = options.rps ?? 5;
      shaped = options.shape ?? true;
      peak = null;
      for (const t of targets) {
        faults.set(t.name, { ...NO_FAULTS });
      }
      return admin.state();
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://platform').pathname;
    const method = req.method ?? 'GET';
    try {
      if (path === '/metrics') {
        return telemetry.exporter.getMetricsRequestHandler(req, res);
      }
      if (path === '/_admin/state' && method === 'GET') {
        return sendJson(res, 200, admin.state());
      }
      if (path === '/_admin/traffic' && method === 'POST') {
        return sendJson(res, 200, admin.setTraffic((await readJson(req)) as TrafficPatch));
      }
      if (path === '/_admin/reset' && method === 'POST') {
        return sendJson(res, 200, admin.reset());
      }
      const m = /^\/_admin\/targets\/([^/]+)\/?$/.exec(path);
      if (m && method === 'POST') {
        return sendJson(res, 200, admin.setFaults(decodeURIComponent(m[1]), (await readJson(req)) as FaultsPatch));
      }
      return sendJson(res, 404, {
        error: `no ${method} ${path}; see GET /metrics, GET /_admin/state, POST /_admin/traffic, POST /_admin/targets/<name>, POST /_admin/reset`,
      });
    } catch (err) {
      if (err instanceof SandboxInputError) {
        return sendJson(res, 400, { error: err.message, issues: err.issues });
      }
      return sendJson(res, 500, { error: (err as Error).message });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (err) {
    clearInterval(timer);
    await telemetry.shutdown();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url: origin,
    port: address.port,
    admin,
    async close() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await telemetry.shutdown();
    },
  };
}
