// Every rule over every API and endpoint of the catalog: the observations from the store (and
// the advisory items from the feeds) in, the sorted findings out. Pure.
import type { AdvisoryItem } from '../advisory/types';
import type { Catalog } from '../catalog/types';
import { formatDuration } from '../units';
import { judgeAdvisories } from './advisories';
import { judgeCacheable } from './caching';
import { endpointKey, type ApiObservation, type EndpointObservation, type Observations } from './collect';
import { judgeNoFallback } from './fallback';
import { sortFindings, type Finding } from './model';
import { judgeLargePayload, judgeUncompressed } from './payload';
import {
  authMethodFinding,
  judgeBasicAuth,
  judgeCredentialsInUrl,
  judgeHsts,
  judgePlainHttp,
  judgeSecretMissing,
  judgeTlsChain,
  judgeTlsCipher,
  judgeTlsProtocol,
  type TransportEvidence,
} from './security';
import { judgeTimeout } from './timeouts';
import { judgeNearLimitBatchable, judgeRetryStorm } from './traffic';

export interface JudgeOptions {
  windowMs: number;
  /** Resolution of the retry comparison, as written ("1m"). */
  step: string;
  /** New advisory items per provider (see advisory/state.ts). */
  advisories?: ReadonlyMap<string, AdvisoryItem[]>;
  /** Probes needed before the timeout rules judge (default: AUDIT_POLICY.timeout.minSamples). */
  minTimeoutSamples?: number;
}

export function judgeCatalog(catalog: Catalog, obs: Observations, options: JudgeOptions): Finding[] {
  const windowText = formatDuration(options.windowMs);
  const out: Array<Finding | null> = [];
  for (const api of catalog.apis) {
    const a: ApiObservation | undefined = obs.apis.get(api.name);
    const callsPerDay = a?.requestsPerSecond == null ? null : a.requestsPerSecond * 86_400;
    const limitPerDay = api.rateLimit ? (api.rateLimit.limit * 86_400_000) / api.rateLimit.windowMs : null;
    const schemes = [...new Set(api.endpoints.map((e) => new URL(e.url).protocol.replace(':', '')))].join(', ');
    const auth = {
      api: api.name,
      auth: api.auth,
      schemes,
      misconfigured: a?.misconfigured ?? null,
      credential: a?.credential ?? null,
    };
    out.push(authMethodFinding(auth), judgeCredentialsInUrl(auth), judgeBasicAuth(auth), judgeSecretMissing(auth));

    if (a) {
      out.push(
        judgeNearLimitBatchable({
          api: api.name,
          batching: api.capabilities.batching,
          peakUsage: a.peakUsage,
          minHeadroom: a.minHeadroom,
          callsPerDay,
          limitText: api.rateLimit ? `${api.rateLimit.limit} per ${formatDuration(api.rateLimit.windowMs)}` : null,
          windowText,
        }),
        judgeRetryStorm({ api: api.name, ...a.retry, stepText: options.step, windowText }),
        judgeNoFallback({
          api: api.name,
          criticality: api.criticality,
          hasFallback: api.fallback !== undefined,
          okProbes: a.okProbes,
          allProbes: a.allProbes,
          windowMs: options.windowMs,
          windowText,
        })
      );
    }
    const items = options.advisories?.get(api.provider);
    if (items) {
      out.push(judgeAdvisories({ api: api.name, provider: api.provider, items }));
    }

    for (const e of api.endpoints) {
      const o: EndpointObservation | undefined = obs.endpoints.get(endpointKey(api.name, e.name));
      const transport: TransportEvidence = {
        api: api.name,
        endpoint: e.name,
        url: e.url,
        auth: api.auth,
        plainHttp: (o?.plainHttp ?? false) || new URL(e.url).protocol === 'http:',
        tls: o?.tls ?? null,
        verifyError: o?.verifyError ?? null,
        insecureSkipVerify: e.tls.insecureSkipVerify,
        hstsMaxAgeSeconds: o?.hstsMaxAgeSeconds ?? null,
      };
      out.push(
        judgePlainHttp(transport),
        judgeTlsProtocol(transport),
        judgeTlsCipher(transport),
        judgeTlsChain(transport),
        judgeHsts(transport)
      );
      if (!o) {
        continue;
      }
      out.push(
        judgeTimeout(
          {
            api: api.name,
            endpoint: e.name,
            criticality: api.criticality,
            configuredMs: e.timeoutMs,
            buckets: o.buckets,
            timeouts: o.timeouts,
            callsPerDay,
            windowText,
          },
          { minSamples: options.minTimeoutSamples }
        )
      );
      if (o.cache) {
        out.push(
          judgeCacheable({
            api: api.name,
            endpoint: e.name,
            method: e.method,
            probeIntervalSeconds: e.intervalMs / 1000,
            ...o.cache,
            freshnessSeconds: o.freshnessSeconds ?? 0,
            bodiesSame: o.bodiesSame,
            bodiesChanged: o.bodiesChanged,
            callsPerDay,
            limitPerDay,
            windowText,
          })
        );
      }
      const payload = {
        api: api.name,
        endpoint: e.name,
        decodedBytes: o.decodedBytes,
        wireBytes: o.wireBytes,
        wireP95Bytes: o.responseP95Bytes,
        encoding: o.encoding,
        compressionRequested: o.compressionRequested,
        fieldSelection: api.capabilities.fieldSelection,
        docs: api.docs,
        callsPerDay,
      };
      out.push(judgeLargePayload(payload), judgeUncompressed(payload));
    }
  }
  return sortFindings(out.filter((f): f is Finding => f !== null));
}
