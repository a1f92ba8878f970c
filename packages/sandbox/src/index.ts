// @apimon/sandbox: fake third-party API providers for apimon's demo, tests and benchmarks.
export { createSandbox, parseListen, DEFAULT_LISTEN, type Sandbox, type SandboxOptions } from './server';
export {
  SandboxInputError,
  providerPatchSchema,
  type InputIssue,
  type ProviderPatch,
  type ProviderState,
  type SandboxAdmin,
  type SandboxState,
} from './admin';
export { PROVIDER_NAMES, type ProviderName, type Bursts } from './provider';
export { PROVIDERS } from './providers';
export { OUTAGES, BROKEN_MODES, ERROR_MODES, DEGRADED_EXTRA_MS, type ProviderSettings } from './settings';
export { STATUS_FORMATS, type StatusFormat } from './statuspages/serve';
export { FixedWindowCounter, rateLimitHeaders, type RateLimitConvention } from './ratelimit';
export * from './platform';
export { ADVISORY_FORMATS, ADVISORY_SEEDS, renderAdvisories, type AdvisoryFormat as SandboxAdvisoryFormat } from './advisories';
export { createTlsEndpoints, TLS_PROFILES, type TlsEndpoints, type TlsProfile } from './tls-endpoints';
export { issueCertificate, type CertOptions, type Issued } from './certs';
