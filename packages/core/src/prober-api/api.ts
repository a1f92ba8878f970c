// The prober's read-only JSON API, defined once for both sides: the paths, the bodies the
// server sends (packages/prober types its answers with these) and the error codes clients act
// on instead of reading messages. Additive changes only: the data source of one version may
// talk to the prober of another.
import type { AdvisoryFeedFormatName, AdvisoryItem } from '../advisory/types';
import type { FindingJson } from '../audit/model';
import type { PublicCatalog } from '../catalog/public';
import type { StatusLevel } from '../contract';
import type { ComponentStatus, Incident, StatusPageFormatName } from '../statuspage/types';

export const PROBER_API_PREFIX = '/api/v1';

export const PROBER_API = {
  catalog: `${PROBER_API_PREFIX}/catalog`,
  providers: `${PROBER_API_PREFIX}/providers`,
  provider: (name: string) => `${PROBER_API_PREFIX}/providers/${encodeURIComponent(name)}`,
  incidents: `${PROBER_API_PREFIX}/incidents`,
  advisories: `${PROBER_API_PREFIX}/advisories`,
  audit: `${PROBER_API_PREFIX}/audit`,
} as const;

/** Query parameters of GET /api/v1/incidents. from/to: epoch ms; kind: incident | maintenance. */
export const INCIDENT_PARAMS = ['provider', 'from', 'to', 'kind', 'limit'] as const;
export type IncidentParams = Partial<Record<(typeof INCIDENT_PARAMS)[number], string>>;

export const INCIDENT_KINDS = ['incident', 'maintenance'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** An incident or maintenance of the status-page history. */
export interface IncidentRecord extends Incident {
  kind: IncidentKind;
  /** First and last time a fetch showed it (epoch ms). */
  firstSeenAt: number;
  lastSeenAt: number;
  /** The page stopped listing it while open: resolvedAt is when apimon noticed, not the provider's word. */
  resolvedInferred?: boolean;
}

/** GET /api/v1/incidents */
export interface IncidentsBody {
  from: number;
  to: number;
  count: number;
  truncated: boolean;
  incidents: IncidentRecord[];
}

/** A component as the API shows it, with `label`: how metrics, incidents and statusComponents
 * name it (`Group / Name`). */
export type ComponentBody = ComponentStatus & { label: string };

/** An API's status on its provider's page (the worst of its statusComponents). */
export interface ApiStatusBody {
  api: string;
  status: StatusLevel;
  components: ComponentBody[];
  /** statusComponents names the page does not have. */
  unmatched: string[];
}

interface ProviderCommon {
  provider: string;
  displayName?: string;
  format: StatusPageFormatName | null;
  indicator: StatusLevel;
  fetchedAt: number | null;
  stale: boolean;
  error: string | null;
}

/** GET /api/v1/providers */
export interface ProvidersBody {
  providers: Array<
    ProviderCommon & {
      statusPage: { url: string; format: string } | null;
      openIncidents: number;
      maintenancesInProgress: number;
    }
  >;
}

/** GET /api/v1/providers/{name} */
export interface ProviderDetailBody extends ProviderCommon {
  statusPage: { url: string; format: string; intervalMs: number } | null;
  components: ComponentBody[];
  incidents: Incident[];
  maintenances: Incident[];
  lastAttemptAt: number | null;
  nextPollAt: number | null;
  consecutiveFailures: number;
  apis: ApiStatusBody[];
}

/** GET /api/v1/catalog */
export type CatalogBody = PublicCatalog;

/** One advisory feed's polling state. */
export interface AdvisoryFeedBody {
  url: string;
  format: AdvisoryFeedFormatName | null;
  fetchedAt: number | null;
  stale: boolean;
  error: string | null;
  /** Items read from the feed (the newest MAX_ADVISORY_ITEMS). */
  items: number;
}

/** GET /api/v1/advisories: per provider, its feeds and the items that are new (in the window,
 * not acknowledged), newest first. */
export interface AdvisoriesBody {
  windowMs: number;
  providers: Array<{ provider: string; feeds: AdvisoryFeedBody[]; new: AdvisoryItem[] }>;
}

/** GET /api/v1/audit: the findings of the prober's last scheduled audit (prober.audit). */
export interface AuditBody {
  /** Epoch ms of the run, null before the first one. */
  ranAt: number | null;
  windowMs: number;
  /** Why the last run failed (the findings are the last good run's), or null. */
  error: string | null;
  findings: FindingJson[];
}

/** `code` of an error body: what a client may act on. */
export const PROBER_ERRORS = {
  /** The provider is not in the prober's catalog (nor in its history). */
  unknownProvider: 'unknown_provider',
  badRequest: 'bad_request',
  methodNotAllowed: 'method_not_allowed',
  unauthorized: 'unauthorized',
  notFound: 'not_found',
  notReady: 'not_ready',
  internal: 'internal',
} as const;

export type ProberErrorCode = (typeof PROBER_ERRORS)[keyof typeof PROBER_ERRORS];

/** Every error answer: a message for people, a code for programs, and maybe hints (`providers`, `paths`). */
export interface ErrorBody {
  error: string;
  code: ProberErrorCode;
  [hint: string]: unknown;
}

export function errorBody(code: ProberErrorCode, error: string, hints: Record<string, unknown> = {}): ErrorBody {
  return { error, code, ...hints };
}
