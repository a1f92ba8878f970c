// Gathers what the audit judges from the store: one instant query per fact over the window,
// read into observations per endpoint and per API. Isomorphic: the transport is the query
// engine's (Node's fetch in the CLI and the prober, Grafana's backendSrv in the plugin).
import type { Catalog } from '../catalog/types';
import { describeFailure, parseVector, type RawSample } from '../query/response';
import type { Transport } from '../query/types';
import type { Bucket } from './histogram';
import type { CredentialShape } from './security';
import { auditQueries, type AuditQueryOptions } from './promql';

/** Cache directives and validators of an endpoint's last response: what the prober records
 * (apimon_endpoint_cache_info) and the audit reads back. */
export interface CacheDirectives {
  noStore: boolean;
  noCache: boolean;
  private: boolean;
  etag: boolean;
  lastModified: boolean;
  expires: boolean;
  /** The Vary header's field names, lowercase, sorted, comma-separated ("" when absent). */
  vary: string;
}

export interface EndpointObservation {
  buckets: Bucket[];
  timeouts: number;
  responseP95Bytes: number | null;
  cache: CacheDirectives | null;
  freshnessSeconds: number | null;
  bodiesSame: number;
  bodiesChanged: number;
  encoding: string | null;
  compressionRequested: boolean;
  wireBytes: number | null;
  decodedBytes: number | null;
  plainHttp: boolean;
  tls: { protocol: string; cipher: string } | null;
  verifyError: string | null;
  hstsMaxAgeSeconds: number | null;
}

export interface ApiObservation {
  okProbes: number;
  allProbes: number;
  misconfigured: string | null;
  /** The shape of the token the probes send (a JWT wins over an opaque one); null when unknown. */
  credential: CredentialShape | null;
  minHeadroom: number | null;
  /** The platform's calls per second over the window; null without real traffic. */
  requestsPerSecond: number | null;
  peakUsage: number | null;
  retry: {
    rateDuringErrors: number | null;
    rateOtherwise: number | null;
    errorSteps: number;
    errorShareDuringErrors: number | null;
  };
}

export interface Observations {
  endpoints: Map<string, EndpointObservation>;
  apis: Map<string, ApiObservation>;
}

export const endpointKey = (api: string, endpoint: string) => `${api}\u0000${endpoint}`;

function emptyEndpoint(): EndpointObservation {
  return {
    buckets: [],
    timeouts: 0,
    responseP95Bytes: null,
    cache: null,
    freshnessSeconds: null,
    bodiesSame: 0,
    bodiesChanged: 0,
    encoding: null,
    compressionRequested: false,
    wireBytes: null,
    decodedBytes: null,
    plainHttp: false,
    tls: null,
    verifyError: null,
    hstsMaxAgeSeconds: null,
  };
}

function emptyApi(): ApiObservation {
  return {
    okProbes: 0,
    allProbes: 0,
    misconfigured: null,
    credential: null,
    minHeadroom: null,
    requestsPerSecond: null,
    peakUsage: null,
    retry: { rateDuringErrors: null, rateOtherwise: null, errorSteps: 0, errorShareDuringErrors: null },
  };
}

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

export async function collectObservations(
  catalog: Catalog,
  transport: Transport,
  options: AuditQueryOptions
): Promise<Observations> {
  const q = auditQueries(options, catalog.traffic);
  const names = Object.keys(q) as Array<keyof typeof q>;
  const results = await Promise.all(
    names.map(async (name) => {
      const expr = q[name];
      try {
        return parseVector(await transport.get('prometheus', '/api/v1/query', { query: expr }), expr);
      } catch (err) {
        throw describeFailure(err, 'prometheus', `the audit's ${name} query`);
      }
    })
  );
  const r = Object.fromEntries(names.map((n, i) => [n, results[i]])) as Record<keyof typeof q, RawSample[]>;

  const endpoints = new Map<string, EndpointObservation>();
  const apis = new Map<string, ApiObservation>();
  for (const api of catalog.apis) {
    apis.set(api.name, emptyApi());
    for (const e of api.endpoints) {
      endpoints.set(endpointKey(api.name, e.name), emptyEndpoint());
    }
  }
  const ep = (s: RawSample) => endpoints.get(endpointKey(s.labels.api ?? '', s.labels.endpoint ?? ''));
  const ap = (s: RawSample) => apis.get(s.labels.api ?? '');

  for (const s of r.latencyBuckets) {
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    if (finite(s.value) && !Number.isNaN(le)) {
      ep(s)?.buckets.push({ le, count: s.value });
    }
  }
  const each = (samples: RawSample[], apply: (o: EndpointObservation, s: RawSample, v: number) => void) => {
    for (const s of samples) {
      const o = ep(s);
      if (o && finite(s.value)) {
        apply(o, s, s.value);
      }
    }
  };
  const bool = (v: string | undefined) => v === 'true';
  each(r.timeouts, (o, _s, v) => (o.timeouts = Math.round(v)));
  each(r.responseP95Bytes, (o, _s, v) => (o.responseP95Bytes = v));
  each(r.cacheInfo, (o, s) => {
    o.cache = {
      noStore: bool(s.labels.no_store),
      noCache: bool(s.labels.no_cache),
      private: bool(s.labels.private),
      etag: bool(s.labels.etag),
      lastModified: bool(s.labels.last_modified),
      expires: bool(s.labels.expires),
      vary: s.labels.vary ?? '',
    };
  });
  each(r.cacheFreshness, (o, _s, v) => (o.freshnessSeconds = v));
  each(r.bodyCompared, (o, s, v) => {
    if (s.labels.result === 'same') {
      o.bodiesSame = Math.round(v);
    } else if (s.labels.result === 'changed') {
      o.bodiesChanged = Math.round(v);
    }
  });
  each(r.contentEncoding, (o, s) => {
    o.encoding = s.labels.encoding ?? null;
    o.compressionRequested = bool(s.labels.requested);
  });
  each(r.wireBytes, (o, _s, v) => (o.wireBytes = v));
  each(r.decodedBytes, (o, _s, v) => (o.decodedBytes = v));
  each(r.plainHttp, (o, _s, v) => (o.plainHttp = v > 0));
  each(
    r.tlsInfo,
    (o, s) => (o.tls = { protocol: s.labels.protocol ?? 'unknown', cipher: s.labels.cipher ?? 'unknown' })
  );
  each(r.tlsVerifyError, (o, s, v) => (o.verifyError = v > 0 ? (s.labels.reason ?? 'unknown') : null));
  each(r.hstsMaxAge, (o, _s, v) => (o.hstsMaxAgeSeconds = v));

  const eachApi = (samples: RawSample[], apply: (o: ApiObservation, s: RawSample, v: number) => void) => {
    for (const s of samples) {
      const o = ap(s);
      if (o && finite(s.value)) {
        apply(o, s, s.value);
      }
    }
  };
  eachApi(r.probesOk, (o, _s, v) => (o.okProbes = v));
  eachApi(r.probesAll, (o, _s, v) => (o.allProbes = v));
  eachApi(r.misconfigured, (o, s) => (o.misconfigured = s.labels.reason ?? null));
  eachApi(r.credential, (o, s) => {
    const format = s.labels.format;
    if ((format === 'jwt' || format === 'opaque') && o.credential?.format !== 'jwt') {
      o.credential = { format, alg: format === 'jwt' && s.labels.alg ? s.labels.alg : null };
    }
  });
  eachApi(r.minHeadroom, (o, _s, v) => (o.minHeadroom = o.minHeadroom === null ? v : Math.min(o.minHeadroom, v)));
  eachApi(r.trafficRate, (o, _s, v) => (o.requestsPerSecond = v));
  eachApi(r.usagePeak, (o, _s, v) => (o.peakUsage = v));
  eachApi(r.rateDuringErrors, (o, _s, v) => (o.retry.rateDuringErrors = v));
  eachApi(r.rateOtherwise, (o, _s, v) => (o.retry.rateOtherwise = v));
  eachApi(r.errorSteps, (o, _s, v) => (o.retry.errorSteps = Math.round(v)));
  eachApi(r.errorShareDuringErrors, (o, _s, v) => (o.retry.errorShareDuringErrors = v));
  return { endpoints, apis };
}
