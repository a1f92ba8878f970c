// "Save & test" and `apimon status` preflight: does the store answer as a Prometheus-compatible
// API and hold apimon series, does the prober answer as the apimon prober API; one message per
// problem saying what to fix.
import { METRICS } from '../contract';
import { PROBER_API } from '../prober-api/api';
import { parseCatalogRows } from '../prober-api/read';
import { describeFailure, parseVector } from './response';
import type { RecordingRulesCache } from './rules-cache';
import { TransportError, type Target, type Transport } from './types';

export interface ConnectionCheck {
  target: Target;
  ok: boolean;
  message: string;
}

export interface ConnectionReport {
  ok: boolean;
  /** One line for Grafana's "Save & test". */
  message: string;
  checks: ConnectionCheck[];
}

export async function testConnection(
  transport: Transport,
  rules: RecordingRulesCache,
  proberConfigured: boolean
): Promise<ConnectionReport> {
  const checks: ConnectionCheck[] = [];
  // APIs per provider, each API once however many locations probe it.
  const probe = `count by (provider) (count by (api, provider) (${METRICS.apiInfo}))`;
  try {
    const body = await transport.get('prometheus', '/api/v1/query', { query: probe });
    const b = body as { status?: unknown; data?: { resultType?: unknown } } | null;
    if (typeof b !== 'object' || b === null || b.status !== 'success' || b.data?.resultType !== 'vector') {
      checks.push({
        target: 'prometheus',
        ok: false,
        message:
          'the store URL answers, but not as a Prometheus-compatible API (no {"status":"success"} from /api/v1/query): check the URL (Mimir needs the /prometheus prefix)',
      });
    } else {
      const samples = parseVector(body, probe);
      const apis = samples.reduce((n, s) => n + (s.value ?? 0), 0);
      if (samples.length === 0) {
        checks.push({
          target: 'prometheus',
          ok: false,
          message: `the store works but holds no apimon metrics (no ${METRICS.apiInfo} in the last 5 minutes): make it scrape the prober's /metrics (apimon run)`,
        });
      } else {
        const names = await rules.get();
        const recorded = names.size > 0 ? `, recording rules found (${names.size})` : '';
        checks.push({
          target: 'prometheus',
          ok: true,
          message: `store ok: ${apis} APIs of ${samples.length} providers${recorded}`,
        });
      }
    }
  } catch (err) {
    const failure = describeFailure(err, 'prometheus', '/api/v1/query');
    const notJson =
      err instanceof TransportError &&
      typeof err.body === 'string' &&
      failure.status !== undefined &&
      failure.status < 300;
    const message =
      failure.status === undefined
        ? `the store is unreachable: ${(err as Error).message}`
        : notJson
          ? 'the store URL answers, but not with JSON: it is not a Prometheus-compatible API (check the URL)'
          : failure.message;
    checks.push({ target: 'prometheus', ok: false, message });
  }
  if (proberConfigured) {
    try {
      const body = await transport.get('prober', PROBER_API.catalog, {});
      const rows = parseCatalogRows(body);
      if (!rows) {
        checks.push({
          target: 'prober',
          ok: false,
          message:
            'the prober URL answers, but not as the apimon prober API (no catalog at /api/v1/catalog): check the URL',
        });
      } else {
        const apis = new Set(rows.map((r) => r.api)).size;
        checks.push({ target: 'prober', ok: true, message: `prober API ok: ${apis} APIs in the catalog` });
      }
    } catch (err) {
      const failure = describeFailure(err, 'prober', PROBER_API.catalog);
      let message = failure.message;
      if (failure.status === undefined) {
        message = `the prober API is unreachable: ${(err as Error).message}`;
      } else if (failure.status === 401 || failure.status === 403) {
        message = `the prober API rejected the token (HTTP ${failure.status}): set the prober token the prober was started with`;
      }
      checks.push({ target: 'prober', ok: false, message });
    }
  }
  const failed = checks.filter((c) => !c.ok);
  return {
    ok: failed.length === 0,
    message: (failed.length > 0 ? failed : checks).map((c) => c.message).join('; '),
    checks,
  };
}
