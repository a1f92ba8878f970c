import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDuration } from '@apimon/core';

/** A user's mistake on the command line: printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {}

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
}

/** A flag's value as an http:// or https:// URL, or a UsageError naming the flag and value. */
export function httpUrlFlag(flag: string, value: string, usage: string): string {
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') {
      return value;
    }
  } catch {
    // reported below
  }
  throw new UsageError(`--${flag}: "${value}" is not an http:// or https:// URL\n${usage}`);
}

/** A flag's value as a positive duration in milliseconds ("30s", "5m", "1h", "30d"). */
export function durationFlag(flag: string, value: string, usage: string, examples = '"30s", "5m" or "1h"'): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(`--${flag}: "${value}" is not a duration such as ${examples}\n${usage}`);
  }
  return ms;
}
