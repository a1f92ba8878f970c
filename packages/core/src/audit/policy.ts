// The numbers the audit judges by, in one place: docs/audit.md quotes them, the rules read
// them, the tests pin them. Change one here and every rule and the docs' table follow.
import type { Criticality } from '../contract';

export const AUDIT_POLICY = {
  timeout: {
    /** The latency a timeout must leave room for. */
    quantile: 0.999,
    /** Room above that quantile: network jitter, a slow day. */
    margin: 1.5,
    /** Longest timeout a criticality tolerates: a checkout cannot wait a minute, a nightly sync can. */
    capMs: { critical: 5_000, standard: 15_000, background: 60_000 } satisfies Record<Criticality, number>,
    /** Shortest timeout ever recommended: a fresh connection to a provider across the internet (DNS, TCP, TLS) alone can take this long. */
    floorMs: 500,
    /** Fewer probes than this say too little about p99.9. */
    minSamples: 200,
    /** Too long: the configured timeout is this many times the recommended one, or more. */
    tooLongFactor: 2,
    /** Too short: the histogram predicts more than this share of calls cut off. */
    tooShortRate: 0.001,
    /** A too-short timeout is high severity from this predicted rate on. */
    tooShortHighRate: 0.01,
    /** ... and needs at least this many probes beyond the timeout: one slow probe (a pause on a
     * busy prober) is no evidence. */
    minSlowProbes: 3,
  },
  cache: {
    /** Body comparisons needed before "bodies repeat" means anything. */
    minComparisons: 10,
    /** Share of probes whose body equals the previous one's for a stable resource. */
    repeatShare: 0.9,
    /** The TTL suggested for a stable resource without cache headers is its probe interval
     * (repeats were seen at that spacing), capped here. */
    maxSuggestedTtlSeconds: 3600,
    /** Medium severity when a cache would save this share of the documented limit. */
    mediumLimitShare: 0.1,
  },
  payload: {
    /** Decoded body size from which a response counts as large. */
    largeBytes: 256 * 1024,
    /** ... and as very large (medium severity). */
    veryLargeBytes: 1024 * 1024,
    /** Bodies smaller than this are not worth compressing. */
    compressMinBytes: 2048,
    /** What gzip typically leaves of JSON or XML (conservative): the basis of the estimate. */
    textCompressedShare: 0.25,
  },
  limits: {
    /** Peak use of the documented limit (or lowest headroom) from which batching is advised. */
    nearUsage: 0.7,
    /** ... and high severity. */
    highUsage: 0.9,
    /** Items per batched request the estimate assumes. */
    batchSize: 10,
  },
  retries: {
    /** Request rate while 429/5xx come back, against the rate otherwise, from which it is a storm. */
    amplification: 1.5,
    /** ... high severity. */
    highAmplification: 3,
    /** Steps (of `step`) with errors needed. */
    minErrorSteps: 2,
    /** Resolution of the comparison, and the rate window of each step. */
    step: '1m',
  },
  fallback: {
    /** Availability objective of a critical API (the dashboards' objective too). */
    availabilityObjective: 0.999,
  },
  hsts: {
    /** max-age below this counts as missing (RFC 6797 deployments use a year; 180 days is the common floor). */
    minMaxAgeSeconds: 180 * 86_400,
  },
} as const;
