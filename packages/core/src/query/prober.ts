// The prober's JSON API -> tables and annotations: incidents from the status-page history and
// the catalog as documentation. Third-party data is data: entries that do not look right are
// skipped and counted, never a crash.
import type { QueryFilters } from './model';
import { filterRegExp } from './matchers';
import type { EngineAnnotation, EngineColumn, EngineTable, Link } from './types';

export interface IncidentRow {
  provider: string;
  /** incident or maintenance */
  kind: string;
  id: string;
  title: string;
  status: string;
  impact: string;
  startedAt: number | null;
  resolvedAt: number | null;
  url: string | null;
  components: string[];
  latestUpdate: string | null;
}

const CLOSED = new Set(['resolved', 'completed', 'postmortem']);

export function isOpen(row: Pick<IncidentRow, 'resolvedAt' | 'status'>): boolean {
  return row.resolvedAt === null && !CLOSED.has(row.status);
}

function listOf(body: unknown, key: string): unknown[] | undefined {
  if (Array.isArray(body)) {
    return body;
  }
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    if (Array.isArray(b[key])) {
      return b[key] as unknown[];
    }
    if (typeof b.data === 'object' && b.data !== null) {
      return listOf(b.data, key);
    }
  }
  return undefined;
}

const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const time = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) {
    return v;
  }
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
};

/** Incidents out of a /api/v1/incidents body ({incidents: [...], truncated}, or an array). */
export function parseIncidents(
  body: unknown
): { rows: IncidentRow[]; skipped: number; truncated: boolean } | undefined {
  const list = listOf(body, 'incidents');
  if (!list) {
    return undefined;
  }
  const rows: IncidentRow[] = [];
  let skipped = 0;
  for (const item of list) {
    if (typeof item !== 'object' || item === null) {
      skipped++;
      continue;
    }
    const i = item as Record<string, unknown>;
    const provider = str(i.provider);
    const title = str(i.title);
    if (!provider || !title) {
      skipped++;
      continue;
    }
    const updates = Array.isArray(i.updates) ? i.updates : [];
    const latest = updates.length > 0 ? str((updates[0] as { text?: unknown } | null)?.text) : null;
    rows.push({
      provider,
      kind: str(i.kind) ?? 'incident',
      id: str(i.id) ?? title,
      title,
      status: str(i.status) ?? 'unknown',
      impact: str(i.impact) ?? 'unknown',
      startedAt: time(i.startedAt),
      resolvedAt: time(i.resolvedAt),
      url: str(i.url),
      components: Array.isArray(i.components) ? i.components.filter((c): c is string => typeof c === 'string') : [],
      latestUpdate: latest,
    });
  }
  const truncated = typeof body === 'object' && body !== null && (body as { truncated?: unknown }).truncated === true;
  return { rows, skipped, truncated };
}

/** A provider's page as the prober sees it: each API's status and the newest open incident. */
export function parseProviderDetail(
  body: unknown
): { apiStatus: Map<string, string>; openTitle: string | null } | undefined {
  if (typeof body !== 'object' || body === null || typeof (body as { provider?: unknown }).provider !== 'string') {
    return undefined;
  }
  const b = body as { apis?: unknown; incidents?: unknown };
  const apiStatus = new Map<string, string>();
  for (const a of Array.isArray(b.apis) ? b.apis : []) {
    const api = str((a as { api?: unknown } | null)?.api);
    const status = str((a as { status?: unknown } | null)?.status);
    if (api && status) {
      apiStatus.set(api, status);
    }
  }
  const open = (
    parseIncidents({
      incidents: Array.isArray(b.incidents)
        ? b.incidents.map((i) => ({ provider: (body as { provider: string }).provider, ...(i as object) }))
        : [],
    })?.rows ?? []
  )
    .filter(isOpen)
    .sort((x, y) => (y.startedAt ?? 0) - (x.startedAt ?? 0));
  return { apiStatus, openTitle: open[0]?.title ?? null };
}

/** Only the providers the filters allow; `apiProviders` maps the api/criticality filters to providers. */
export function filterIncidents(
  rows: IncidentRow[],
  filters: QueryFilters,
  apiProviders: Set<string> | undefined,
  openOnly: boolean
): IncidentRow[] {
  const provider = filterRegExp('provider', filters.provider);
  return rows
    .filter(
      (r) =>
        (!provider || provider.test(r.provider)) &&
        (!apiProviders || apiProviders.has(r.provider)) &&
        (!openOnly || isOpen(r))
    )
    .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
}

const col = (
  name: string,
  type: EngineColumn['type'],
  values: unknown[],
  extra: Partial<EngineColumn> = {}
): EngineColumn => ({
  name,
  type,
  values,
  ...extra,
});

export function incidentsTable(rows: IncidentRow[]): EngineTable {
  const link: Link = { title: 'Open on the status page', url: '${__value.raw}' };
  return {
    name: 'incidents',
    columns: [
      col(
        'startedAt',
        'time',
        rows.map((r) => r.startedAt),
        { displayName: 'Started', unit: 'dateTimeAsIso' }
      ),
      col(
        'resolvedAt',
        'time',
        rows.map((r) => r.resolvedAt),
        { displayName: 'Resolved', unit: 'dateTimeAsIso' }
      ),
      col(
        'provider',
        'string',
        rows.map((r) => r.provider),
        { displayName: 'Provider' }
      ),
      col(
        'kind',
        'string',
        rows.map((r) => r.kind),
        { displayName: 'Kind' }
      ),
      col(
        'title',
        'string',
        rows.map((r) => r.title),
        { displayName: 'Title' }
      ),
      col(
        'status',
        'string',
        rows.map((r) => r.status),
        { displayName: 'Status' }
      ),
      col(
        'impact',
        'string',
        rows.map((r) => r.impact),
        { displayName: 'Impact' }
      ),
      col(
        'components',
        'string',
        rows.map((r) => r.components.join(', ')),
        { displayName: 'Components' }
      ),
      col(
        'open',
        'boolean',
        rows.map((r) => isOpen(r)),
        { displayName: 'Open' }
      ),
      col(
        'url',
        'string',
        rows.map((r) => r.url ?? ''),
        { displayName: 'Link', links: [link] }
      ),
    ],
  };
}

/** Annotations: one region per incident, open ones up to `untilMs`. */
export function incidentAnnotations(rows: IncidentRow[], untilMs: number): EngineAnnotation[] {
  const out: EngineAnnotation[] = [];
  for (const r of rows) {
    if (r.startedAt === null) {
      continue;
    }
    const lines = [`Impact: ${r.impact}`, `Status: ${r.status}`];
    if (r.components.length > 0) {
      lines.push(`Components: ${r.components.join(', ')}`);
    }
    if (r.latestUpdate) {
      lines.push(r.latestUpdate);
    }
    out.push({
      timeMs: r.startedAt,
      timeEndMs: r.resolvedAt ?? Math.max(untilMs, r.startedAt),
      title: `${r.provider}: ${r.title}`,
      text: lines.join('\n'),
      tags: ['apimon', r.kind, `provider:${r.provider}`, `impact:${r.impact}`, `status:${r.status}`],
      url: r.url ?? undefined,
    });
  }
  return out;
}

export interface CatalogRow {
  api: string;
  provider: string;
  criticality: string;
  owner: string;
  description: string;
  docs: string;
  auth: string;
  rateLimit: string;
  endpoint: string;
  method: string;
  url: string;
  timeoutSeconds: number | null;
  intervalSeconds: number | null;
  latencyThresholdSeconds: number | null;
  errorThreshold: number | null;
  headroomThreshold: number | null;
}

function rateLimitText(rl: unknown): string {
  const r = rl as { limit?: unknown; windowMs?: unknown } | undefined;
  const limit = num(r?.limit);
  const windowMs = num(r?.windowMs);
  if (limit === null || windowMs === null) {
    return '';
  }
  const s = windowMs / 1000;
  const unit = s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
  return `${limit} / ${unit}`;
}

function authText(auth: unknown): string {
  const a = auth as Record<string, unknown> | undefined;
  const type = str(a?.type) ?? 'none';
  // Only the method and the environment-variable names: never a value.
  const envs = ['secretEnv', 'usernameEnv', 'passwordEnv', 'clientIdEnv', 'clientSecretEnv']
    .map((k) => str(a?.[k]))
    .filter((v): v is string => v !== null);
  return envs.length > 0 ? `${type} (${envs.join(', ')})` : type;
}

/** One row per endpoint of a /api/v1/catalog body (PublicCatalog, or {catalog: ...}). */
export function parseCatalogRows(body: unknown): CatalogRow[] | undefined {
  let cat = body as { apis?: unknown; catalog?: unknown } | null;
  if (cat && !Array.isArray(cat.apis) && typeof cat.catalog === 'object') {
    cat = cat.catalog as { apis?: unknown };
  }
  if (!cat || !Array.isArray(cat.apis)) {
    return undefined;
  }
  const rows: CatalogRow[] = [];
  for (const item of cat.apis) {
    const a = item as Record<string, unknown> | null;
    const api = str(a?.name);
    if (!a || !api) {
      continue;
    }
    const thresholds = (t: unknown) =>
      t as { latencyP95Ms?: unknown; errorRatio?: unknown; headroomRatio?: unknown } | undefined;
    const base = {
      api,
      provider: str(a.provider) ?? '',
      criticality: str(a.criticality) ?? '',
      owner: str(a.owner) ?? '',
      description: str(a.description) ?? '',
      docs: str(a.docs) ?? '',
      auth: authText(a.auth),
      rateLimit: rateLimitText(a.rateLimit),
    };
    const endpoints = Array.isArray(a.endpoints) ? a.endpoints : [];
    for (const e of endpoints) {
      const ep = e as Record<string, unknown> | null;
      const t = thresholds(ep?.thresholds) ?? thresholds(a.thresholds);
      const latencyMs = num(t?.latencyP95Ms);
      const timeoutMs = num(ep?.timeoutMs) ?? num(a.timeoutMs);
      const intervalMs = num(ep?.intervalMs) ?? num(a.intervalMs);
      rows.push({
        ...base,
        endpoint: str(ep?.name) ?? '',
        method: str(ep?.method) ?? 'GET',
        url: str(ep?.url) ?? '',
        timeoutSeconds: timeoutMs === null ? null : timeoutMs / 1000,
        intervalSeconds: intervalMs === null ? null : intervalMs / 1000,
        latencyThresholdSeconds: latencyMs === null ? null : latencyMs / 1000,
        errorThreshold: num(t?.errorRatio),
        headroomThreshold: num(t?.headroomRatio),
      });
    }
  }
  return rows;
}

export function filterCatalogRows(rows: CatalogRow[], filters: QueryFilters): CatalogRow[] {
  const tests: Array<[RegExp | undefined, (r: CatalogRow) => string]> = [
    [filterRegExp('api', filters.api), (r) => r.api],
    [filterRegExp('provider', filters.provider), (r) => r.provider],
    [filterRegExp('criticality', filters.criticality), (r) => r.criticality],
    [filterRegExp('endpoint', filters.endpoint), (r) => r.endpoint],
  ];
  return rows.filter((r) => tests.every(([re, get]) => !re || re.test(get(r))));
}

export function catalogTable(rows: CatalogRow[]): EngineTable {
  const s = (name: keyof CatalogRow, displayName: string, extra: Partial<EngineColumn> = {}) =>
    col(
      name,
      'string',
      rows.map((r) => r[name]),
      { displayName, ...extra }
    );
  const n = (name: keyof CatalogRow, displayName: string, unit: EngineColumn['unit']) =>
    col(
      name,
      'number',
      rows.map((r) => r[name]),
      { displayName, unit }
    );
  return {
    name: 'catalog',
    columns: [
      s('api', 'API', { links: [apiLink('${__value.raw}')] }),
      s('endpoint', 'Endpoint'),
      s('provider', 'Provider'),
      s('criticality', 'Criticality'),
      s('owner', 'Owner'),
      s('method', 'Method'),
      s('url', 'URL'),
      s('auth', 'Auth'),
      s('rateLimit', 'Rate limit'),
      n('timeoutSeconds', 'Timeout', 's'),
      n('intervalSeconds', 'Interval', 's'),
      n('latencyThresholdSeconds', 'p95 threshold', 's'),
      n('errorThreshold', 'Error threshold', 'percentunit'),
      n('headroomThreshold', 'Headroom threshold', 'percentunit'),
      s('docs', 'Docs'),
      s('description', 'Description'),
    ],
  };
}

/** The API detail dashboard, keeping the time range. */
export function apiLink(api: string): Link {
  const value = api.startsWith('${') ? api : encodeURIComponent(api);
  return {
    title: `API details: ${api.startsWith('${') ? '${__value.text}' : api}`,
    url: `/d/apimon-api?var-api=${value}&\${__url_time_range}`,
  };
}
