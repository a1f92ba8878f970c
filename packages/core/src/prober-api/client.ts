// A typed client of the prober's JSON API for the query engine: the paths and error codes of
// api.ts, the tolerant readers of read.ts, and one clear QueryError for everything else.
import { QueryError } from '../query/response';
import { PROBER_API, PROBER_ERRORS, type IncidentParams } from './api';
import { parseCatalogRows, parseIncidents, parseProviderDetail, type CatalogRow, type IncidentRow } from './read';

/** GET on the prober API; rejects with a QueryError (status and code from the answer). */
export type ProberGet = (path: string, params: Record<string, string>) => Promise<unknown>;

/** What the summary takes from a provider's page: each API's status and the newest open incident. */
export interface ProviderView {
  apiStatus: Map<string, string>;
  openTitle: string | null;
}

export interface ProberClient {
  catalog(): Promise<CatalogRow[]>;
  /** undefined: the prober does not know the provider (another prober's, or none with a page). */
  provider(name: string): Promise<ProviderView | undefined>;
  /** A provider the prober does not know has no incidents. */
  incidents(params: IncidentParams): Promise<{ rows: IncidentRow[]; truncated: boolean }>;
}

const isCode = (err: unknown, code: string) => err instanceof QueryError && err.code === code;

export function createProberClient(options: { configured: boolean; get: ProberGet }): ProberClient {
  const call = (path: string, params: Record<string, string>, what: string) => {
    if (!options.configured) {
      throw new QueryError(`${what} come from the prober API, and no prober URL is configured`, 'prober', path);
    }
    return options.get(path, params);
  };
  return {
    async catalog() {
      const path = PROBER_API.catalog;
      const rows = parseCatalogRows(await call(path, {}, 'the catalog'));
      if (!rows) {
        throw new QueryError(
          `the prober API answered GET ${path} with something that is not a catalog (no "apis" list)`,
          'prober',
          path
        );
      }
      return rows;
    },

    async provider(name) {
      const path = PROBER_API.provider(name);
      let body: unknown;
      try {
        body = await call(path, {}, 'provider status pages');
      } catch (err) {
        if (err instanceof QueryError && err.status === 404) {
          return undefined;
        }
        throw err;
      }
      const detail = parseProviderDetail(body);
      if (!detail) {
        throw new QueryError(`GET ${path} did not answer with a provider`, 'prober', path);
      }
      return detail;
    },

    async incidents(params) {
      const path = PROBER_API.incidents;
      let body: unknown;
      try {
        body = await call(path, params as Record<string, string>, 'incidents');
      } catch (err) {
        if (params.provider && isCode(err, PROBER_ERRORS.unknownProvider)) {
          return { rows: [], truncated: false };
        }
        throw err;
      }
      const parsed = parseIncidents(body);
      if (!parsed) {
        throw new QueryError(
          `the prober API answered GET ${path} with something that is not a list of incidents`,
          'prober',
          path
        );
      }
      return { rows: parsed.rows, truncated: parsed.truncated };
    },
  };
}
