// How `apimon probe` prints a ProbeResult: one JSON object per line, or a readable table.
import { PHASES } from '@apimon/core';
import type { ProbeResult } from '../probe';

/** Milliseconds with microsecond resolution: enough for phases, short enough to read. */
const ms = (v: number) => Math.round(v * 1000) / 1000;

/** The documented JSON line: exactly these keys, in this order. */
export function toJsonLine(r: ProbeResult) {
  return {
    api: r.api,
    endpoint: r.endpoint,
    outcome: r.outcome,
    code: r.code,
    durationMs: ms(r.durationMs),
    loopDelayMs: ms(r.loopDelayMs),
    phases: {
      dns: ms(r.phases.dns),
      connect: ms(r.phases.connect),
      tls: ms(r.phases.tls),
      ttfb: ms(r.phases.ttfb),
      transfer: ms(r.phases.transfer),
    },
    bytes: r.bytes,
    rateLimit: r.rateLimit && {
      policy: r.rateLimit.policy,
      limit: r.rateLimit.limit,
      remaining: r.rateLimit.remaining,
      resetSeconds: r.rateLimit.resetSeconds,
    },
    // Every policy the response declared, scarcest first (the one `rateLimit` repeats).
    rateLimits: r.rateLimits.map((p, i) => ({
      policy: p.policy,
      windowSeconds: p.windowSeconds ?? null,
      unit: p.unit ?? 'requests',
      limit: p.limit,
      remaining: p.remaining,
      resetSeconds: p.resetSeconds,
      convention: p.convention ?? null,
      scarcest: i === 0,
    })),
    retryAfterSeconds: r.retryAfterSeconds,
    tlsExpiresAt: r.tlsExpiresAt,
    error: r.error,
    audit: auditFacts(r),
  };
}

/**
 * What the probe recorded for the audit (docs/audit.md), as the prober exports it: caching,
 * compression and sizes of the final response, its TLS handshake and HSTS, plain http on the
 * way, and the shape of the token it sent (a JWT's alg and exp, never the token or other claims).
 */
function auditFacts(r: ProbeResult) {
  const f = r.facts;
  return {
    plainHttp: r.plainHttp,
    cache: f && {
      noStore: f.cache.noStore,
      noCache: f.cache.noCache,
      private: f.cache.private,
      etag: f.cache.etag,
      lastModified: f.cache.lastModified,
      expires: f.cache.expires,
      vary: f.cache.vary,
      freshnessSeconds: f.cache.freshnessSeconds,
    },
    encoding: f?.encoding ?? null,
    compressionRequested: f?.compressionRequested ?? null,
    wireBytes: f?.wireBytes ?? null,
    decodedBytes: f?.decodedBytes ?? null,
    tls: r.tls && { protocol: r.tls.protocol, cipher: r.tls.cipher, verifyError: r.tls.verifyError },
    hstsMaxAgeSeconds: f?.hstsMaxAgeSeconds ?? null,
    credential: r.credential && { format: r.credential.format, alg: r.credential.alg, expiresAt: r.credential.expiresAt },
  };
}

/** The scarcest policy; with several, named and followed by how many more (`--json` lists them). */
function rateLimitCell(r: ProbeResult): string {
  const rl = r.rateLimit;
  if (!rl) {
    return r.retryAfterSeconds === null ? '-' : `retry in ${r.retryAfterSeconds}s`;
  }
  const left = rl.remaining === null ? '?' : String(rl.remaining);
  const limit = rl.limit === null ? '?' : String(rl.limit);
  const reset = rl.resetSeconds === null ? '' : ` reset ${rl.resetSeconds}s`;
  const more = r.rateLimits.length - 1;
  return more > 0 ? `${rl.policy} ${left}/${limit}${reset} +${more} more` : `${left}/${limit}${reset}`;
}

export function formatTable(results: ProbeResult[]): string {
  const header = [
    'API',
    'ENDPOINT',
    'OUTCOME',
    'CODE',
    'TOTAL ms',
    ...PHASES.map((p) => p.toUpperCase()),
    'BYTES',
    'RATE LIMIT',
    'TLS EXPIRES',
    'ERROR',
  ];
  const rows = results.map((r) => [
    r.api,
    r.endpoint,
    r.outcome,
    r.code === 0 ? '-' : String(r.code),
    r.durationMs.toFixed(1),
    ...PHASES.map((p) => r.phases[p].toFixed(1)),
    String(r.bytes),
    rateLimitCell(r),
    r.tlsExpiresAt === null ? '-' : new Date(r.tlsExpiresAt).toISOString().slice(0, 10),
    r.error ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
