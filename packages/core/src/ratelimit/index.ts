export * from './types';
export { parseRateLimit, parseRetryAfter, resetSecondsOf, headerLookup } from './parse';
export {
  headroomRatio,
  documentedReading,
  documentedHeadroom,
  DOCUMENTED_POLICY,
  type DocumentedLimit,
} from './headroom';
export { parseHttpDate } from './httpdate';
