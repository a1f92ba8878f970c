// What a caller can inject into a probe: name resolution, trust, environment, clock, shutdown.
import type { LookupFunction } from 'node:net';
import type { LoopStallMonitor } from './loop-stalls';
import type { TokenCache } from './oauth2';

export interface ProbeOptions {
  /**
   * Name resolution, `dns.lookup`-compatible (it must honour `{ all: true }`, which Node's
   * happy-eyeballs connect asks for). Default: the system resolver, except that `*.invalid`
   * names fail at once with ENOTFOUND as RFC 6761 asks.
   */
  lookup?: LookupFunction;
  /** Aborting it (shutdown) destroys the connection; the probe then rejects with ProbeAbortedError. */
  signal?: AbortSignal;
  /** Extra trusted CA certificates (PEM), added to Node's root store: private CAs and tests. */
  ca?: string | string[];
  /** Where auth environment variables are read from. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** OAuth2 access tokens, shared across probes. Default: one cache per process. */
  tokens?: TokenCache;
  /** Wall clock in epoch ms, for rate-limit reset times and HTTP dates. Default: Date.now. */
  now?: () => number;
  /** User-Agent header; a catalog `headers` entry overrides it. Default: apimon/<version>. */
  userAgent?: string;
  /** Watches the event loop for the stalls a probe's timing waits behind. Default: the process's. */
  loopStalls?: LoopStallMonitor;
}
