// The prober API's answers read back, tolerantly: third-party data is data, so entries that do
// not look right are skipped and counted, never a crash, and a body of the wrong shape is
// undefined (the caller says which path answered what).
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
