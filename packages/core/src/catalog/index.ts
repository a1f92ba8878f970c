export * from './types';
export * from './defaults';
export { parseCatalog, formatIssue } from './parse';
export { statusPageFormats } from './schema';
export type { AuthConfig, StatusPageFormat } from './schema';
export { redactCatalog, type PublicCatalog } from './public';
export { closestMatch } from './suggest';
export {
  parseShard,
  placeCatalog,
  placementProblem,
  probersOf,
  shardOf,
  topologyOf,
  WHOLE,
  type Placement,
  type Shard,
} from './placement';
