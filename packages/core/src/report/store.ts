// The store and the prober as the reports read them, over the engine's injected Transport (the
// CLI's on Node's fetch, the Reports page's on Grafana's backendSrv): instant vectors, range
// matrices, raw samples of a range selector, the recording rules the store has, and the prober's
// catalog and incident history. Every failure is a QueryError naming the expression or path.
import { PROBER_API } from '../prober-api/api';
import { createProberClient, type ProberClient } from '../prober-api/client';
import { parseIncidents, type IncidentRow } from '../prober-api/read';
import { describedGet } from '../query/context';
import { recordedNames } from '../query/recording';
import { parseMatrix, parseVector, QueryError, type RawSample, type RawSeries } from '../query/response';
import type { Transport } from '../query/types';
import type { TrafficSettings } from '../traffic/sources';

export interface ReportStore {
  instant(expr: string, atMs: number): Promise<RawSample[]>;
  range(expr: string, startMs: number, endMs: number, stepMs: number): Promise<RawSeries[]>;
  /** The raw samples of a range selector (`metric{...}[30d]`) evaluated at atMs. */
  samples(selectorWithRange: string, atMs: number): Promise<RawSeries[]>;
  /** Names of the recording rules the store evaluates; empty when it cannot say. */
  recordingRules(): Promise<ReadonlySet<string>>;
}

const seconds = (ms: number) => String(ms / 1000);

export function createReportStore(transport: Transport): ReportStore {
  const get = describedGet(transport);
  return {
    async instant(expr, atMs) {
      return parseVector(await get('prometheus', '/api/v1/query', { query: expr, time: seconds(atMs) }, expr), expr);
    },
    async range(expr, startMs, endMs, stepMs) {
      const params = { query: expr, start: seconds(startMs), end: seconds(endMs), step: seconds(stepMs) };
      return parseMatrix(await get('prometheus', '/api/v1/query_range', params, expr), expr);
    },
    async samples(expr, atMs) {
      return parseMatrix(await get('prometheus', '/api/v1/query', { query: expr, time: seconds(atMs) }, expr), expr);
    },
    async recordingRules() {
      try {
        return recordedNames(await transport.get('prometheus', '/api/v1/rules', { type: 'record' }));
      } catch {
        // Stores without the rules API (or without rules) are read raw.
        return new Set();
      }
    },
  };
}

/** An incident of the prober's history with every status-page update, oldest first. */
export interface IncidentWithUpdates extends IncidentRow {
  updates: Array<{ at: number; status: string | null; text: string }>;
}

/** What the reports take from the prober's catalog. */
export interface ReportCatalog {
  apis: Array<{ api: string; provider: string; statusComponents: string[] }>;
  /** How the store names real traffic (the catalog's `traffic:`), when the prober says. */
  traffic: TrafficSettings | null;
}

export interface ReportProber {
  configured: boolean;
  client: ProberClient;
  catalog(): Promise<ReportCatalog>;
  /** Incidents (not maintenances) of every provider that overlap [fromMs, toMs]. */
  incidents(
    fromMs: number,
    toMs: number,
    provider?: string
  ): Promise<{ rows: IncidentWithUpdates[]; truncated: boolean }>;
}

/** The most incidents one answer of the prober's API holds (its MAX_INCIDENT_LIMIT). */
const INCIDENT_LIMIT = 10_000;

function updatesOf(item: unknown): IncidentWithUpdates['updates'] {
  const list = (item as { updates?: unknown } | null)?.updates;
  if (!Array.isArray(list)) {
    return [];
  }
  const out: IncidentWithUpdates['updates'] = [];
  for (const u of list) {
    const r = u as { at?: unknown; status?: unknown; text?: unknown } | null;
    const at = typeof r?.at === 'number' ? r.at : typeof r?.at === 'string' ? Date.parse(r.at) : NaN;
    if (Number.isFinite(at) && typeof r?.text === 'string') {
      out.push({ at, status: typeof r.status === 'string' ? r.status : null, text: r.text });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

export function createReportProber(transport: Transport, configured: boolean): ReportProber {
  const get = describedGet(transport);
  const client = createProberClient({ configured, get: (path, params) => get('prober', path, params, `GET ${path}`) });
  return {
    configured,
    client,
    async catalog() {
      const path = PROBER_API.catalog;
      if (!configured) {
        throw new QueryError('the catalog comes from the prober API, and no prober URL is configured', 'prober', path);
      }
      const body = (await get('prober', path, {}, `GET ${path}`)) as { apis?: unknown; traffic?: unknown } | null;
      if (!body || !Array.isArray(body.apis)) {
        throw new QueryError(
          `the prober API answered GET ${path} with something that is not a catalog (no "apis" list)`,
          'prober',
          path
        );
      }
      const apis: ReportCatalog['apis'] = [];
      for (const item of body.apis) {
        const a = item as { name?: unknown; provider?: unknown; statusComponents?: unknown } | null;
        if (typeof a?.name === 'string') {
          apis.push({
            api: a.name,
            provider: typeof a.provider === 'string' ? a.provider : '',
            statusComponents: Array.isArray(a.statusComponents)
              ? a.statusComponents.filter((c): c is string => typeof c === 'string')
              : [],
          });
        }
      }
      return { apis, traffic: trafficSettingsOf(body.traffic) };
    },
    async incidents(fromMs, toMs, provider) {
      const path = PROBER_API.incidents;
      const params: Record<string, string> = {
        from: String(Math.floor(fromMs)),
        to: String(Math.ceil(toMs)),
        kind: 'incident',
        limit: String(INCIDENT_LIMIT),
        ...(provider ? { provider } : {}),
      };
      const body = await get('prober', path, params, `GET ${path}`).catch((err: unknown) => {
        if (provider && err instanceof QueryError && err.status === 404) {
          return { incidents: [] };
        }
        throw err;
      });
      const parsed = parseIncidents(body);
      if (!parsed) {
        throw new QueryError(
          `the prober API answered GET ${path} with something that is not a list of incidents`,
          'prober',
          path
        );
      }
      const items = (body as { incidents?: unknown[] }).incidents ?? (Array.isArray(body) ? body : []);
      // parseIncidents skips what is not an incident; match the updates back by provider and id.
      const updates = new Map<string, IncidentWithUpdates['updates']>();
      for (const item of items) {
        const i = item as { provider?: unknown; id?: unknown; title?: unknown } | null;
        const id = typeof i?.id === 'string' ? i.id : typeof i?.title === 'string' ? i.title : undefined;
        if (typeof i?.provider === 'string' && id !== undefined) {
          updates.set(`${i.provider}\u0000${id}`, updatesOf(item));
        }
      }
      return {
        truncated: parsed.truncated,
        rows: parsed.rows.map((r) => ({ ...r, updates: updates.get(`${r.provider}\u0000${r.id}`) ?? [] })),
      };
    },
  };
}

/** The prober's resolved traffic settings, when they have the shape the queries need. */
function trafficSettingsOf(value: unknown): TrafficSettings | null {
  const t = value as { sources?: unknown; identityLabels?: unknown } | null;
  if (!t || !Array.isArray(t.sources) || !Array.isArray(t.identityLabels) || t.sources.length === 0) {
    return null;
  }
  const ok = t.sources.every((s) => {
    const x = s as { duration?: unknown; labels?: unknown } | null;
    const labels = x?.labels as Record<string, unknown> | null | undefined;
    return (
      typeof x?.duration === 'string' &&
      typeof labels === 'object' &&
      labels !== null &&
      typeof labels.serverAddress === 'string'
    );
  });
  return ok && t.identityLabels.every((l) => typeof l === 'string') ? (t as TrafficSettings) : null;
}
