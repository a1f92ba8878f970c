// The status-page part of the prober's read-only JSON API:
//   GET /api/v1/providers                   every provider with its overall status
//   GET /api/v1/providers/{name}            one provider's snapshot and its APIs' status
//   GET /api/v1/incidents?provider=&from=&to=&kind=&limit=
//                                           incident history overlapping [from, to] (epoch ms)
// Requests for other paths are left to the server (resolves false).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  componentLabel,
  errorBody,
  INCIDENT_KINDS,
  INCIDENT_PARAMS,
  isOpenIncident,
  PROBER_API,
  PROBER_ERRORS,
  type ComponentStatus,
  type IncidentsBody,
  type ProviderDetailBody,
  type ProvidersBody,
} from '@apimon/core';
import { refuseWrite, routePath, sendJson } from '../server';
import type { StatusPageMonitor } from './monitor';

const DAY_MS = 86_400_000;
export const DEFAULT_INCIDENT_WINDOW_MS = DAY_MS;
export const DEFAULT_INCIDENT_LIMIT = 1_000;
export const MAX_INCIDENT_LIMIT = 10_000;
const KNOWN_INCIDENT_PARAMS = new Set<string>(INCIDENT_PARAMS);

class BadRequest extends Error {}

/** A non-negative integer of epoch milliseconds, or undefined when absent. */
function epochParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) {
    return undefined;
  }
  if (!/^\d{1,16}$/.test(raw.trim())) {
    throw new BadRequest(
      `${name}: must be a time in epoch milliseconds, e.g. ${name}=1764000000000 (got ${JSON.stringify(raw.slice(0, 40))})`
    );
  }
  return Number(raw.trim());
}

export async function handleStatusPageApi(
  monitor: StatusPageMonitor,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL
): Promise<boolean> {
  const path = routePath(url);
  const isProviders = path === PROBER_API.providers || path.startsWith(`${PROBER_API.providers}/`);
  const isIncidents = path === PROBER_API.incidents;
  if (!isProviders && !isIncidents) {
    return false;
  }
  if (refuseWrite(req, res)) {
    return true;
  }
  try {
    if (path === PROBER_API.providers) {
      sendJson(res, 200, { providers: listProviders(monitor) } satisfies ProvidersBody);
    } else if (isProviders) {
      let name: string;
      try {
        name = decodeURIComponent(path.slice(`${PROBER_API.providers}/`.length));
      } catch {
        throw new BadRequest('provider name in the path is not valid percent-encoding');
      }
      const detail = providerDetail(monitor, name);
      if (detail === undefined) {
        sendJson(res, 404, unknownProvider(monitor, name));
      } else {
        sendJson(res, 200, detail);
      }
    } else {
      const answer = incidents(monitor, url.searchParams);
      if (answer.status === 404) {
        sendJson(res, 404, answer.body);
      } else {
        sendJson(res, 200, answer.body);
      }
    }
  } catch (err) {
    if (err instanceof BadRequest) {
      sendJson(res, 400, errorBody(PROBER_ERRORS.badRequest, err.message));
    } else {
      throw err;
    }
  }
  return true;
}

function knownProviders(monitor: StatusPageMonitor): string[] {
  return (monitor.currentCatalog?.providers ?? []).map((p) => p.name);
}

function unknownProvider(monitor: StatusPageMonitor, name: string) {
  return errorBody(PROBER_ERRORS.unknownProvider, `unknown provider ${JSON.stringify(name)}`, {
    providers: knownProviders(monitor),
  });
}

function listProviders(monitor: StatusPageMonitor): ProvidersBody['providers'] {
  return (monitor.currentCatalog?.providers ?? []).map((p) => {
    const snapshot = monitor.snapshot(p.name);
    return {
      provider: p.name,
      displayName: p.displayName,
      statusPage: p.statusPage ? { url: p.statusPage.url, format: p.statusPage.format } : null,
      format: snapshot?.format ?? null,
      indicator: snapshot?.indicator ?? 'unknown',
      openIncidents: snapshot ? snapshot.incidents.filter(isOpenIncident).length : 0,
      maintenancesInProgress: snapshot
        ? snapshot.maintenances.filter((m) => m.status === 'in_progress' && isOpenIncident(m)).length
        : 0,
      fetchedAt: snapshot?.fetchedAt ?? null,
      stale: snapshot?.stale ?? false,
      error: snapshot?.error ?? null,
    };
  });
}

/** `label` is how metrics, incidents and statusComponents name the component: `Group / Name`. */
const withLabel = (c: ComponentStatus) => ({ ...c, label: componentLabel(c) });

function providerDetail(monitor: StatusPageMonitor, name: string): ProviderDetailBody | undefined {
  const provider = monitor.currentCatalog?.providers.find((p) => p.name === name);
  if (!provider) {
    return undefined;
  }
  const snapshot = monitor.snapshot(name);
  const poll = monitor.pollState(name);
  return {
    provider: name,
    displayName: provider.displayName,
    statusPage: provider.statusPage
      ? { url: provider.statusPage.url, format: provider.statusPage.format, intervalMs: provider.statusPage.intervalMs }
      : null,
    format: snapshot?.format ?? null,
    indicator: snapshot?.indicator ?? 'unknown',
    components: (snapshot?.components ?? []).map(withLabel),
    incidents: snapshot?.incidents ?? [],
    maintenances: snapshot?.maintenances ?? [],
    fetchedAt: snapshot?.fetchedAt ?? null,
    stale: snapshot?.stale ?? false,
    error: snapshot?.error ?? null,
    lastAttemptAt: poll?.lastAttemptAt ?? null,
    nextPollAt: poll?.nextPollAt ?? null,
    consecutiveFailures: poll?.failures ?? 0,
    apis: monitor.apiStatuses(name).map((a) => ({ ...a, components: a.components.map(withLabel) })),
  };
}

function incidents(monitor: StatusPageMonitor, params: URLSearchParams): { status: 200 | 404; body: unknown } {
  for (const key of params.keys()) {
    if (!KNOWN_INCIDENT_PARAMS.has(key)) {
      throw new BadRequest(`unknown parameter ${JSON.stringify(key)}; known: ${INCIDENT_PARAMS.join(', ')}`);
    }
  }
  const provider = params.get('provider') ?? undefined;
  const to = epochParam(params, 'to') ?? monitor.currentTime();
  const from = epochParam(params, 'from') ?? to - DEFAULT_INCIDENT_WINDOW_MS;
  if (from > to) {
    throw new BadRequest(`from (${from}) is after to (${to})`);
  }
  const kind = params.get('kind') ?? undefined;
  if (kind !== undefined && !(INCIDENT_KINDS as readonly string[]).includes(kind)) {
    throw new BadRequest(`kind: must be "incident" or "maintenance" (got ${JSON.stringify(kind.slice(0, 40))})`);
  }
  const limitRaw = params.get('limit');
  let limit = DEFAULT_INCIDENT_LIMIT;
  if (limitRaw !== null) {
    if (!/^\d{1,6}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > MAX_INCIDENT_LIMIT) {
      throw new BadRequest(
        `limit: must be a whole number from 1 to ${MAX_INCIDENT_LIMIT} (got ${JSON.stringify(limitRaw.slice(0, 40))})`
      );
    }
    limit = Number(limitRaw);
  }
  if (
    provider !== undefined &&
    !knownProviders(monitor).includes(provider) &&
    monitor.incidentHistory.size(provider) === 0
  ) {
    return { status: 404, body: unknownProvider(monitor, provider) };
  }
  const found = monitor.incidentHistory
    .query(provider, from, to, Number.MAX_SAFE_INTEGER)
    .filter((e) => kind === undefined || e.kind === kind);
  return {
    status: 200,
    body: {
      from,
      to,
      count: Math.min(found.length, limit),
      truncated: found.length > limit,
      incidents: found.slice(0, limit),
    } satisfies IncidentsBody,
  };
}
