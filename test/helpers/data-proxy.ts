// A getBackendSrv() for tests, backed by real HTTP: it does what Grafana's data proxy does for
// a frontend data source (the thinnest seam we can mock, since no Grafana server runs here).
// `<proxyBase>/<route path>/...` goes to the route's URL with the route's headers (plugin.json
// routes), anything else under `<proxyBase>/...` goes to the data source URL with its auth.
// Errors reject the way Grafana's fetch does: {status, statusText, data, config}.
import { Observable } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';

export interface ProxyRoute {
  path: string;
  url: string;
  headers?: Record<string, string>;
}

export interface DataProxyOptions {
  /** The instance's `url` as Grafana gives it to the frontend. */
  proxyBase: string;
  /** The data source URL (the store). */
  url: string;
  basicAuth?: { user: string; password: string };
  /** jsonData.httpHeaderNameN / secureJsonData.httpHeaderValueN. */
  headers?: Record<string, string>;
  routes?: ProxyRoute[];
  /** Node's fetch (jsdom test environments do not have one). */
  fetchImpl?: typeof fetch;
}

export interface RecordedRequest {
  url: string;
  upstream: string;
  headers: Record<string, string>;
}

export interface FakeBackendSrv {
  backendSrv: BackendSrv;
  requests: RecordedRequest[];
}

export function createDataProxyBackendSrv(options: DataProxyOptions): FakeBackendSrv {
  const requests: RecordedRequest[] = [];
  const doFetch = options.fetchImpl ?? fetch;

  const resolve = (request: BackendSrvRequest): { upstream: string; headers: Record<string, string> } => {
    if (!request.url.startsWith(options.proxyBase)) {
      throw new Error(`test data proxy: ${request.url} is not under ${options.proxyBase}`);
    }
    const rest = request.url.slice(options.proxyBase.length).replace(/^\/+/, '');
    const query = new URLSearchParams(
      Object.entries(request.params ?? {}).flatMap(([k, v]) =>
        Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]]
      )
    ).toString();
    const suffix = query ? `?${query}` : '';
    // Grafana applies the data source's basic auth and headers first, then the route's.
    const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
    if (options.basicAuth) {
      headers.Authorization = `Basic ${Buffer.from(`${options.basicAuth.user}:${options.basicAuth.password}`).toString('base64')}`;
    }
    const route = options.routes?.find((r) => rest === r.path || rest.startsWith(`${r.path}/`));
    if (route) {
      const tail = rest.slice(route.path.length);
      return {
        upstream: `${route.url.replace(/\/+$/, '')}${tail}${suffix}`,
        headers: { ...headers, ...(route.headers ?? {}) },
      };
    }
    return { upstream: `${options.url.replace(/\/+$/, '')}/${rest}${suffix}`, headers };
  };

  const fetchObservable = <T>(request: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable<FetchResponse<T>>((subscriber) => {
      let upstream: string;
      let headers: Record<string, string>;
      try {
        ({ upstream, headers } = resolve(request));
      } catch (err) {
        subscriber.error({ status: 400, statusText: 'Bad Request', data: { message: String(err) }, config: request });
        return;
      }
      requests.push({ url: request.url, upstream, headers });
      doFetch(upstream, { method: request.method ?? 'GET', headers })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // Grafana keeps a non-JSON body as text.
          }
          if (!res.ok) {
            subscriber.error({ status: res.status, statusText: res.statusText, data, config: request });
            return;
          }
          subscriber.next({
            data: data as T,
            status: res.status,
            statusText: res.statusText,
            ok: true,
            headers: res.headers,
            redirected: res.redirected,
            type: res.type,
            url: res.url,
            config: request,
          });
          subscriber.complete();
        })
        .catch((err: unknown) => {
          // Grafana's proxy answers 502 when the upstream cannot be reached.
          const message =
            err instanceof Error ? `${err.message}${err.cause ? `: ${String(err.cause)}` : ''}` : String(err);
          subscriber.error({ status: 502, statusText: 'Bad Gateway', data: { message }, config: request });
        });
    });

  const unsupported = (name: string) => () => {
    throw new Error(`test data proxy: backendSrv.${name} is not used by the apimon data source`);
  };

  const backendSrv = {
    fetch: fetchObservable,
    get: unsupported('get'),
    delete: unsupported('delete'),
    post: unsupported('post'),
    patch: unsupported('patch'),
    put: unsupported('put'),
    request: unsupported('request'),
    datasourceRequest: unsupported('datasourceRequest'),
  } as unknown as BackendSrv;

  return { backendSrv, requests };
}
