export * from './model';
export * from './policy';
export * from './histogram';
export { fmtBytes, fmtMs, fmtPct } from './format';
export { judgeTimeout, recommendedTimeoutMs, roundTimeoutUp, type TimeoutEvidence } from './timeouts';
export { judgeCacheable, type CacheEvidence } from './caching';
export { judgeLargePayload, judgeUncompressed, type PayloadEvidence } from './payload';
export { judgeNearLimitBatchable, judgeRetryStorm, type LimitEvidence, type RetryEvidence } from './traffic';
export { judgeNoFallback, type FallbackEvidence } from './fallback';
export * from './security';
export { judgeAdvisories, advisoryWeight, type AdvisoryEvidence } from './advisories';
export { auditQueries, current as currentFact, type AuditQueryOptions, type AuditQueries } from './promql';
export {
  collectObservations,
  endpointKey,
  type ApiObservation,
  type CacheDirectives,
  type EndpointObservation,
  type Observations,
} from './collect';
export { judgeCatalog, type JudgeOptions } from './judge';
export { renderFindingsTable, renderFindingsMarkdown } from './render';
