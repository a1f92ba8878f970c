// A real pino logger writing into memory, so tests can read the JSON lines the service logs.
import { Writable } from 'node:stream';
import { createLogger, type Logger, type LogLevel } from '../logger';

export interface CapturedLogs {
  logger: Logger;
  /** Every line so far, parsed. */
  entries(): Array<Record<string, unknown>>;
  /** The raw text, for "never contains" checks. */
  text(): string;
}

export function captureLogs(level: LogLevel = 'debug'): CapturedLogs {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  const logger = createLogger(level, sink);
  return {
    logger,
    text: () => text,
    entries: () =>
      text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
