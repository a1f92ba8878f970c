// Every probe in flight holds a socket, so the open-file limit caps the useful concurrency: past
// it, connects fail with EMFILE and would be reported as the provider's fault. Node raises the
// soft limit to the hard one at start-up; this reads what it ended up as.
import { readFileSync } from 'node:fs';

/** Files kept for everything but probes: the listener, scrapes, status-page fetches, logs. */
export const RESERVED_FILES = 128;

/** The process's open-file limit (Linux /proc/self/limits), or undefined when unknown or unlimited. */
export function openFileLimit(readLimits: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | undefined {
  let text: string;
  try {
    text = readLimits();
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  const value = Number(soft);
  return soft === undefined || !Number.isFinite(value) ? undefined : value;
}

/** Slots that fit the limit: the configured concurrency, or fewer when the limit is lower. */
export function slotsWithin(concurrency: number, limit: number | undefined): number {
  return limit === undefined ? concurrency : Math.max(1, Math.min(concurrency, limit - RESERVED_FILES));
}
