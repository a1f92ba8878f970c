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
    retryAfterSeconds: r.retryAfterSeconds,
    tlsExpiresAt: r.tlsExpiresAt,
    error: r.error,
  };
}

function rateLimitCell(r: ProbeResult): string {
  const rl = r.rateLimit;
  if (!rl) {
    return r.retryAfterSeconds === null ? '-' : `retry in ${r.retryAfterSeconds}s`;
  }
  const left = rl.remaining === null ? '?' : String(rl.remaining);
  const limit = rl.limit === null ? '?' : String(rl.limit);
  const reset = rl.resetSeconds === null ? '' : ` reset ${rl.resetSeconds}s`;
  return `${left}/${limit}${reset}`;
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
