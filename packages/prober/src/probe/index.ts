export { probeEndpoint, DEFAULT_USER_AGENT, userAgentIn } from './probe';
export { MisconfiguredError, ProbeAbortedError } from './errors';
export { TokenCache } from './oauth2';
export type { ProbeOptions } from './options';
export { PolicyLimitMemory, readRateLimits } from './ratelimit';
export type { ProbeResult, RateLimitObservation } from './types';
