// Which API a real-traffic series belongs to. Each API claims hosts (optionally narrowed by
// port, method and url template): written in the catalog (`traffic.match`) or, by default, the
// hosts of its endpoints. The claims become apimon_traffic_match series and PromQL does the
// join (promql.ts). Rules, in the order they apply (docs/real-traffic.md):
// - A series belongs to the most specific claim that matches it: a url template beats none,
//   then a method, then a port.
// - Two APIs cannot write the same claim: that is a catalog error, since no series could say
//   which of them it is.
// - A claim written in the catalog takes its host away from every other API's endpoint-derived
//   claims.
// - When several APIs' endpoints share a host (and port) and none of them claims it in the
//   catalog, the host is "shared": nobody gets its traffic (it shows as unmapped) until their
//   catalog entries tell them apart with url templates.
import type { HttpMethod } from '../contract/metrics';

export interface TrafficMatch {
  /** Lowercase host name or IP, as in server.address. */
  serverAddress: string;
  serverPort?: number;
  method?: HttpMethod;
  urlTemplate?: string;
}

export interface ApiTraffic {
  /** The claims that stay after the precedence rules; empty: no real traffic is this API's. */
  matches: TrafficMatch[];
  /** catalog: written under traffic.match; endpoints: taken from the endpoints' URLs. */
  from: 'catalog' | 'endpoints';
}

/** A host several APIs' endpoints share that no catalog entry claims for one of them. */
export interface SharedTrafficHost {
  serverAddress: string;
  serverPort?: number;
  apis: string[];
}

export interface TrafficClaimInput {
  api: string;
  /** traffic.match as written (undefined: take the endpoints' hosts). */
  explicit?: TrafficMatch[];
  endpointUrls: string[];
}

export interface TrafficClaimIssue {
  /** Index of the API in the input, and of its match. */
  apiIndex: number;
  matchIndex: number;
  message: string;
  value: string;
}

export interface ResolvedTrafficClaims {
  perApi: ApiTraffic[];
  shared: SharedTrafficHost[];
  issues: TrafficClaimIssue[];
}

/** Identity of a claim: two claims with the same key cannot belong to two APIs. */
export function matchKey(m: TrafficMatch): string {
  return JSON.stringify([m.serverAddress, m.serverPort ?? null, m.method ?? null, m.urlTemplate ?? null]);
}

/** "api.example.com:443 POST /v1/charges", with "any ..." for what the claim leaves open. */
export function describeMatch(m: TrafficMatch): string {
  const host = m.serverPort === undefined ? `${m.serverAddress} (any port)` : `${m.serverAddress}:${m.serverPort}`;
  return `${host}, ${m.method ?? 'any method'}, ${m.urlTemplate ?? 'any url template'}`;
}

/**
 * The claim an endpoint URL implies: its host, and its port only when the URL names one
 * (instrumentations in some languages leave default ports out of server.port, so a claim
 * without a port matches them all).
 */
export function endpointMatch(url: string): TrafficMatch | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const match: TrafficMatch = { serverAddress: u.hostname.toLowerCase() };
  if (u.port !== '') {
    match.serverPort = Number(u.port);
  }
  return match;
}

function uniqueMatches(matches: TrafficMatch[]): TrafficMatch[] {
  const seen = new Set<string>();
  return matches.filter((m) => {
    const k = matchKey(m);
    if (seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  });
}

export function resolveTrafficClaims(inputs: TrafficClaimInput[]): ResolvedTrafficClaims {
  const issues: TrafficClaimIssue[] = [];
  const explicitOwner = new Map<string, string>();
  const explicitHosts = new Map<string, string>();

  const perApi: ApiTraffic[] = inputs.map((input, apiIndex) => {
    if (input.explicit === undefined) {
      return { matches: [], from: 'endpoints' };
    }
    const kept: TrafficMatch[] = [];
    const ownKeys = new Set<string>();
    input.explicit.forEach((m, matchIndex) => {
      const key = matchKey(m);
      if (ownKeys.has(key)) {
        return;
      }
      ownKeys.add(key);
      const owner = explicitOwner.get(key);
      if (owner !== undefined) {
        issues.push({
          apiIndex,
          matchIndex,
          message: `API "${owner}" already claims this traffic (${describeMatch(m)}); tell the two apart with urlTemplate or method, or remove one claim`,
          value: JSON.stringify(m.serverAddress),
        });
        return;
      }
      explicitOwner.set(key, input.api);
      if (!explicitHosts.has(m.serverAddress)) {
        explicitHosts.set(m.serverAddress, input.api);
      }
      kept.push(m);
    });
    return { matches: kept, from: 'catalog' };
  });

  // Endpoint-derived claims: dropped where the catalog claims the host for another API,
  // withheld from everyone where several APIs would share them.
  const derived = new Map<string, { match: TrafficMatch; apis: number[] }>();
  inputs.forEach((input, apiIndex) => {
    if (input.explicit !== undefined) {
      return;
    }
    const matches = uniqueMatches(input.endpointUrls.map(endpointMatch).filter((m): m is TrafficMatch => m !== undefined));
    for (const m of matches) {
      if (explicitHosts.has(m.serverAddress)) {
        continue;
      }
      const key = matchKey(m);
      const entry = derived.get(key) ?? { match: m, apis: [] };
      entry.apis.push(apiIndex);
      derived.set(key, entry);
    }
  });
  const shared: SharedTrafficHost[] = [];
  for (const { match, apis } of derived.values()) {
    if (apis.length === 1) {
      perApi[apis[0]].matches.push(match);
    } else {
      shared.push({ ...match, apis: apis.map((i) => inputs[i].api) });
    }
  }
  return { perApi, shared, issues };
}
