// Several probers, one catalog (docs/topologies.md): which endpoints this prober probes, from
// its location and shard, and how many probers probe each API. Every prober computes the same
// answer from the same catalog, so together they probe each endpoint exactly once per location,
// and each one's share of a provider's limit is the catalog's share divided by the probers
// that probe the API.
//
// Shards are chosen by a stable hash of "api/endpoint" alone: the location is not in it, so
// adding a location never moves an endpoint between shards, and jump consistent hashing
// (Lamping and Veach, 2014) moves only the endpoints the new shard takes when a location goes
// from n to n + 1 shards.
import type { Api, Catalog, ProberLocation } from './types';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

/** Where one prober runs: its location and its shard of that location. */
export interface Placement {
  location: string;
  shard: Shard;
}

/** "2/3" -> { index: 2, count: 3 }; a message saying what is wrong otherwise. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > 1000 || index < 1 || index > count) {
    return `must be INDEX/COUNT with 1 <= INDEX <= COUNT <= 1000, such as 1/2 (got "${text}")`;
  }
  return { index, count };
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const U64 = (1n << 64n) - 1n;

/** FNV-1a, 64 bits, over the UTF-16 code units (names are [a-z0-9_-], so ASCII). */
function fnv1a64(key: string): bigint {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) {
    h = ((h ^ BigInt(key.charCodeAt(i))) * FNV_PRIME) & U64;
  }
  return h;
}

/** Jump consistent hash: a bucket in [0, count) for a 64-bit key. */
function jumpHash(key: bigint, count: number): number {
  let b = -1;
  let j = 0;
  let k = key;
  while (j < count) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & U64;
    j = Math.floor(((b + 1) * 2 ** 31) / (Number(k >> 33n) + 1));
  }
  return b;
}

/** The shard (1-based) of one endpoint among `count`. */
export function shardOf(api: string, endpoint: string, count: number): number {
  return count <= 1 ? 1 : jumpHash(fnv1a64(`${api}/${endpoint}`), count) + 1;
}

/**
 * The declared topology, or the one a catalog without `prober.locations` implies: this
 * prober's location with the shard count it runs with.
 */
export function topologyOf(catalog: Pick<Catalog, 'prober'>, placement: Placement): ProberLocation[] {
  return catalog.prober.locations.length > 0
    ? catalog.prober.locations
    : [{ name: placement.location, shards: placement.shard.count }];
}

/** The locations an API is probed from: its pinned ones, or every location. */
export function locationsOf(api: Pick<Api, 'locations'>, topology: readonly ProberLocation[]): ProberLocation[] {
  return api.locations ? topology.filter((l) => api.locations!.includes(l.name)) : [...topology];
}

/** How many probers probe an API: per location, the shards holding at least one of its endpoints. */
export function probersOf(
  api: Pick<Api, 'name' | 'locations' | 'endpoints'>,
  topology: readonly ProberLocation[]
): number {
  let probers = 0;
  for (const location of locationsOf(api, topology)) {
    probers += new Set(api.endpoints.map((e) => shardOf(api.name, e.name, location.shards))).size;
  }
  return probers;
}

/** What is wrong with a placement against the catalog's declared topology, or null. */
export function placementProblem(
  catalog: Pick<Catalog, 'prober'>,
  placement: Placement
): { path: string; message: string } | null {
  const declared = catalog.prober.locations;
  if (declared.length === 0) {
    return null;
  }
  const location = declared.find((l) => l.name === placement.location);
  if (!location) {
    return {
      path: 'prober.locations',
      message: `this prober runs in location "${placement.location}", which prober.locations does not declare (declared: ${declared.map((l) => l.name).join(', ')})`,
    };
  }
  if (location.shards !== placement.shard.count) {
    return {
      path: `prober.locations[${declared.indexOf(location)}].shards`,
      message: `location "${location.name}" declares ${location.shards} shard(s), but this prober runs as shard ${placement.shard.index}/${placement.shard.count}`,
    };
  }
  return null;
}

/**
 * The catalog as one prober sees it: its location, only the APIs probed from that location and,
 * of those, only the endpoints of its shard (an API left without endpoints is left out), each
 * API with the number of probers that probe it. Call placementProblem first.
 */
export function placeCatalog(catalog: Catalog, placement: Placement): Catalog {
  const topology = topologyOf(catalog, placement);
  const { index, count } = placement.shard;
  const apis: Api[] = [];
  for (const api of catalog.apis) {
    if (!locationsOf(api, topology).some((l) => l.name === placement.location)) {
      continue;
    }
    const endpoints = api.endpoints.filter((e) => shardOf(api.name, e.name, count) === index);
    if (endpoints.length > 0) {
      apis.push({ ...api, endpoints, probers: probersOf(api, topology) });
    }
  }
  return { ...catalog, location: placement.location, apis };
}
