// The fault scenario of the provisioning tests: healthy APIs, and one API per injected fault
// (latency, errors, quota running out, quota exhausted, provider outage, API down, certificate
// expiring, a secret gone missing, a broken probe), the faults starting 20 minutes before the
// end of a 3-hour history; and the platform's real traffic to most of them (docs/real-traffic.md):
// healthy, growing towards a documented limit, failing while the probes pass, throttled, slow.
import type { SyntheticApi } from './synthetic';

const critical = { latency: 0.2, errorRatio: 0.01, headroom: 0.2 };
const standard = { latency: 0.5, errorRatio: 0.02, headroom: 0.15 };
const background = { latency: 2, errorRatio: 0.05, headroom: 0.1 };

export const SCENARIO_APIS: SyntheticApi[] = [
  // Healthy: same provider as a faulty API, to prove rules are per API (maps shares geoloc's
  // page with geo-errors, whose own component goes into a major outage).
  // Real calls start failing while the probes keep passing.
  {
    api: 'search',
    provider: 'acme',
    criticality: 'critical',
    owner: 'search-team',
    endpoint: 'query',
    thresholds: critical,
    latencySeconds: 0.08,
    errorRatio: 0,
    rateLimit: { limit: 100, remaining: 90, resetSeconds: 1 },
    tlsDaysLeft: 80,
    fault: {},
    traffic: { rps: 10, latencySeconds: 0.08, fault: { errorRatio: 0.2 } },
  },
  // Real calls in the old conventions (milliseconds).
  {
    api: 'maps',
    provider: 'geoloc',
    criticality: 'standard',
    owner: 'search-team',
    endpoint: 'tiles',
    thresholds: standard,
    latencySeconds: 0.15,
    errorRatio: 0.005,
    tlsDaysLeft: 60,
    traffic: { rps: 2, latencySeconds: 0.15, convention: 'old' },
  },
  // Near its own minimum (30 % left of a critical API's 20 %): a warning that fires no alert.
  // Real usage of its documented limit (100/s) grows 20 -> 33/s, then a peak at 90/s (threshold 80 %).
  {
    api: 'pay-quota',
    provider: 'acme',
    criticality: 'critical',
    owner: 'payments-team',
    endpoint: 'payouts',
    thresholds: critical,
    latencySeconds: 0.08,
    errorRatio: 0,
    rateLimit: { limit: 100, remaining: 30, resetSeconds: 20 },
    fault: {},
    traffic: {
      rps: 20,
      growthPerHour: 5,
      latencySeconds: 0.08,
      documentedLimit: { limit: 100, windowSeconds: 1, usageThreshold: 0.8 },
      fault: { rps: 90 },
    },
  },
  // Faults.
  {
    api: 'pay-slow',
    provider: 'acme',
    criticality: 'critical',
    owner: 'payments-team',
    endpoint: 'charge',
    thresholds: critical,
    latencySeconds: 0.09,
    errorRatio: 0,
    tlsDaysLeft: 80,
    fault: { latencySeconds: 0.45 },
    traffic: { rps: 5, latencySeconds: 0.09, fault: { latencySeconds: 0.45 } },
  },
  {
    api: 'geo-errors',
    provider: 'geoloc',
    criticality: 'standard',
    owner: 'search-team',
    endpoint: 'forward',
    thresholds: standard,
    latencySeconds: 0.1,
    errorRatio: 0,
    fault: { errorRatio: 0.3, errorOutcome: 'http_5xx', providerLevel: 4 },
    traffic: { rps: 4, latencySeconds: 0.1, fault: { errorRatio: 0.3 } },
  },
  {
    api: 'mail-burn',
    provider: 'postbird',
    criticality: 'standard',
    owner: 'messaging-team',
    endpoint: 'send',
    thresholds: standard,
    latencySeconds: 0.12,
    errorRatio: 0,
    rateLimit: { limit: 600, remaining: 600, resetSeconds: 3000 },
    fault: { quotaBurnPerMinute: 25 },
  },
  {
    api: 'sms-quota',
    provider: 'textly',
    criticality: 'standard',
    owner: 'messaging-team',
    endpoint: 'send',
    thresholds: standard,
    latencySeconds: 0.1,
    errorRatio: 0,
    rateLimit: { limit: 50, remaining: 45, resetSeconds: 40 },
    fault: { remaining: 0 },
    traffic: {
      rps: 2,
      latencySeconds: 0.1,
      documentedLimit: { limit: 3000, windowSeconds: 60, usageThreshold: 0.85 },
      fault: { throttledRatio: 0.5 },
    },
  },
  {
    api: 'ad-feed',
    provider: 'adstream',
    criticality: 'background',
    owner: 'growth-team',
    endpoint: 'inventory',
    thresholds: background,
    latencySeconds: 0.6,
    errorRatio: 0,
    fault: { providerLevel: 4 },
  },
  {
    api: 'crm-down',
    provider: 'crmco',
    criticality: 'critical',
    owner: 'sales-team',
    endpoint: 'contacts',
    thresholds: critical,
    latencySeconds: 0.1,
    errorRatio: 0,
    fault: { errorRatio: 1, errorOutcome: 'timeout', latencySeconds: 2 },
    traffic: { rps: 3, latencySeconds: 0.1, fault: { errorRatio: 1, errorKind: 'timeout', latencySeconds: 2 } },
  },
  {
    api: 'pay-nokey',
    provider: 'acme',
    criticality: 'critical',
    owner: 'payments-team',
    endpoint: 'refund',
    thresholds: critical,
    latencySeconds: 0.09,
    errorRatio: 0,
    fault: { misconfigured: 'missing env REFUND_API_KEY' },
  },
  // Half the probes fail (401: the probe's credential expired) while the real calls succeed.
  {
    api: 'cdn-probe',
    provider: 'cdnco',
    criticality: 'standard',
    owner: 'platform-team',
    endpoint: 'purge',
    thresholds: standard,
    latencySeconds: 0.05,
    errorRatio: 0,
    fault: { errorRatio: 0.5, errorOutcome: 'http_4xx' },
    traffic: { rps: 3, latencySeconds: 0.05 },
  },
  {
    api: 'tls-soon',
    provider: 'certco',
    criticality: 'standard',
    owner: 'platform-team',
    endpoint: 'ping',
    thresholds: standard,
    latencySeconds: 0.1,
    errorRatio: 0,
    tlsDaysLeft: 90,
    fault: { tlsDaysLeft: 5 },
  },
];

/** Calls per second to a host no API claims. */
export const SCENARIO_UNMAPPED_RPS = 1;

/** Which APIs each alert expression must return once the faults are in (and none before). */
export const EXPECTED_FIRING: Record<string, string[]> = {
  ApimonLatencyHigh: ['crm-down', 'pay-slow'],
  ApimonErrorRatioHigh: ['cdn-probe', 'crm-down', 'geo-errors'],
  ApimonRateLimitHeadroomLow: ['sms-quota'],
  ApimonRateLimitExhaustionSoon: ['mail-burn'],
  ApimonApiDown: ['crm-down'],
  // One location in the scenario: nothing is regional (test/prober/locations.integration.test.ts has several).
  ApimonApiRegionalProblem: [],
  ApimonApiFailingInMostLocations: [],
  ApimonTlsCertificateExpiring: ['tls-soon'],
  ApimonProviderMajorOutage: ['ad-feed', 'geo-errors'],
  ApimonProviderSilentOutage: ['crm-down'],
  ApimonApiNotProbed: ['pay-nokey'],
  ApimonTrafficUsageNearLimit: ['pay-quota'],
  ApimonTrafficErrorRatioHigh: ['crm-down', 'geo-errors', 'search'],
  ApimonTrafficThrottled: ['sms-quota'],
  ApimonTrafficLatencyHigh: ['crm-down', 'pay-slow'],
  ApimonTrafficFailingProbesPass: ['search'],
  ApimonProbesFailingTrafficPasses: ['cdn-probe'],
  ApimonNoData: [],
};
