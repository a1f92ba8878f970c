export * from './types';
export {
  parseRateLimit,
  parseRetryAfter,
  parseRetryAfterHeaders,
  parseGoDuration,
  resetSecondsOf,
  resetSecondsIn,
  headerLookup,
  compareRestrictiveness,
  MAX_POLICIES,
} from './parse';
export {
  headroomRatio,
  documentedReading,
  documentedHeadroom,
  DOCUMENTED_POLICY,
  type DocumentedLimit,
} from './headroom';
export { parseHttpDate } from './httpdate';
