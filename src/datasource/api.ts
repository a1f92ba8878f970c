// The engine's Transport on top of Grafana's backend service: every request goes through
// Grafana's data proxy (`/api/datasources/proxy/uid/<uid>/...`), which adds the store's
// credentials, or through a prober route of plugin.json (with or without the prober token).
import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError, type BackendSrv } from '@grafana/runtime';
import { TransportError, type Target, type Transport } from '@apimon/core';
import { PROBER_ROUTES, type ProberRoute } from './types';

const TARGET_NAMES: Record<Target, string> = { prometheus: 'store', prober: 'prober API' };

export function targetUrl(
  proxyBaseUrl: string,
  target: Target,
  path: string,
  proberRoute: ProberRoute = PROBER_ROUTES.token
): string {
  const base = proxyBaseUrl.replace(/\/+$/, '');
  const rel = path.startsWith('/') ? path : `/${path}`;
  return target === 'prober' ? `${base}/${proberRoute}${rel}` : `${base}${rel}`;
}

/** `proxyBaseUrl` is the data source instance's `url` (the data proxy path). */
export function createGrafanaTransport(
  proxyBaseUrl: string,
  backendSrv: () => BackendSrv = getBackendSrv,
  proberRoute: ProberRoute = PROBER_ROUTES.token
): Transport {
  return {
    async get(target, path, params) {
      const url = targetUrl(proxyBaseUrl, target, path, proberRoute);
      try {
        const response = await lastValueFrom(
          backendSrv().fetch<unknown>({
            url,
            method: 'GET',
            params,
            showErrorAlert: false,
            showSuccessAlert: false,
          })
        );
        if (typeof response.data === 'string') {
          // Grafana hands over a body that is not JSON as text: an HTML login page, a proxy's
          // error page. The engine explains that from the string body (see TransportError).
          throw new TransportError(`${TARGET_NAMES[target]} ${path}: the answer is not JSON`, target, response.status, response.data);
        }
        return response.data;
      } catch (err) {
        throw toTransportError(err, target, path);
      }
    },
  };
}

/** Turns whatever Grafana's fetch rejected with into a TransportError naming the target. */
export function toTransportError(err: unknown, target: Target, path: string): TransportError {
  const where = `${TARGET_NAMES[target]} ${path}`;
  if (err instanceof TransportError) {
    return err;
  }
  if (isFetchError(err)) {
    const detail = errorDetail(err.data) ?? err.statusText ?? err.message ?? 'request failed';
    const status = err.status || undefined;
    const prefix = status ? `${where}: HTTP ${status}` : `${where}: no response`;
    return new TransportError(`${prefix}: ${detail}`, target, status, err.data);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TransportError(`${where}: ${message}`, target);
}

/** Prometheus answers `{status:"error", error}`, Grafana's proxy `{message}`, the prober `{error}`. */
function errorDetail(body: unknown): string | undefined {
  if (typeof body === 'string') {
    return body.trim() ? body.trim().slice(0, 500) : undefined;
  }
  if (!body || typeof body !== 'object') {
    return undefined;
  }
  const record = body as Record<string, unknown>;
  for (const key of ['error', 'message']) {
    const value = record[key];
    if (typeof value === 'string' && value) {
      return value;
    }
    if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).message === 'string') {
      return (value as Record<string, string>).message;
    }
  }
  return undefined;
}
