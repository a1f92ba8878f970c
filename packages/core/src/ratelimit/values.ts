// Numbers, delays and timestamps as rate-limit headers write them. Header values are third-party
// data: every reader returns null for what it cannot read, never throws, never goes negative.
import type { ResetUnit } from '../contract';
import { parseHttpDate } from './httpdate';
import { splitMembers } from './structured';

export const NUMBER_RE = /^\d+(?:\.\d+)?$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;
// What JavaScript's Date#toString writes, as some Node APIs send their reset:
// "Tue Feb 16 2021 09:02:42 GMT+0100 (Central European Standard Time)".
const JS_DATE_RE = /^[A-Za-z]{3} [A-Za-z]{3} \d{1,2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4}(?: \([^()]*\))?$/;

/**
 * A reset value this large cannot be a delay: 1e9 seconds is ~31 years, while 1e9 as epoch
 * seconds is September 2001. Above 1e12 the value is epoch milliseconds (year 2001 again).
 */
const EPOCH_SECONDS_FLOOR = 1e9;
const EPOCH_MILLIS_FLOOR = 1e12;

/** A non-negative number, or null. Comma-joined repeats: the smallest (most cautious) value. */
export function count(text: string | null): number | null {
  if (text === null) {
    return null;
  }
  const values = splitMembers(text)
    .filter((m) => NUMBER_RE.test(m))
    .map(Number)
    .filter(Number.isFinite);
  return values.length > 0 ? Math.min(...values) : null;
}

const GO_UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6, // micro sign
  μs: 1e-6, // Greek mu, which Go accepts too
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};
const GO_PART_RE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Seconds of a Go duration as time.Duration.String() writes it and OpenAI-style APIs send it:
 * "1s", "6m0s", "2m59.56s", "1h2m3.5s", "500ms", "12ms". "0" is the one unitless value Go writes.
 * Rounded to the nanosecond (Go's resolution) so "2m59.56s" is 179.56, not 179.56000000000003.
 */
export function parseGoDuration(text: string): number | null {
  const value = text.trim();
  if (value === '0') {
    return 0;
  }
  const re = new RegExp(GO_PART_RE.source, 'y');
  let pos = 0;
  let total = 0;
  while (pos < value.length) {
    re.lastIndex = pos;
    const m = re.exec(value);
    if (!m) {
      return null;
    }
    total += Number(m[1]) * GO_UNIT_SECONDS[m[2]];
    pos = re.lastIndex;
  }
  return pos > 0 && Number.isFinite(total) ? Math.round(total * 1e9) / 1e9 : null;
}

/** Epoch milliseconds of an RFC 3339 / ISO 8601 timestamp with a zone ("2023-10-16T09:00Z" too). */
export function parseRfc3339(text: string): number | null {
  const value = text.trim();
  if (!RFC3339_RE.test(value)) {
    return null;
  }
  const ms = Date.parse(value.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : null;
}

function parseJsDate(text: string): number | null {
  if (!JS_DATE_RE.test(text)) {
    return null;
  }
  // Date.parse reads exactly this form in every engine (it is what Date#toString writes).
  const ms = Date.parse(text.replace(/ \([^()]*\)$/, ''));
  return Number.isFinite(ms) ? ms : null;
}

const secondsUntil = (atMs: number, nowMs: number): number => Math.max(0, Math.ceil((atMs - nowMs) / 1000));

function finite(n: number | null): number | null {
  return n !== null && Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * Tries a reader on the whole value, then on each comma-separated member (a header sent twice
 * and joined), then on neighbouring pairs (an HTTP-date has a comma of its own).
 */
function firstReadable(text: string, read: (value: string) => number | null): number | null {
  const whole = read(text);
  if (whole !== null) {
    return whole;
  }
  const members = splitMembers(text);
  if (members.length < 2) {
    return null;
  }
  for (let i = 0; i < members.length; i++) {
    const one = read(members[i]);
    if (one !== null) {
      return one;
    }
    const pair = i + 1 < members.length ? read(`${members[i]}, ${members[i + 1]}`) : null;
    if (pair !== null) {
      return pair;
    }
  }
  return null;
}

function autoReset(value: string, nowMs: number): number | null {
  if (NUMBER_RE.test(value)) {
    const n = Number(value);
    if (!Number.isFinite(n)) {
      return null;
    }
    if (n < EPOCH_SECONDS_FLOOR) {
      return n;
    }
    return secondsUntil(n >= EPOCH_MILLIS_FLOOR ? n : n * 1000, nowMs);
  }
  const at = parseRfc3339(value) ?? parseHttpDate(value) ?? parseJsDate(value);
  if (at !== null) {
    return secondsUntil(at, nowMs);
  }
  return parseGoDuration(value);
}

/**
 * Seconds until a reset written in any form a provider uses, told apart by the value: delay
 * seconds, epoch seconds or epoch milliseconds (by magnitude), an RFC 3339 timestamp, an
 * HTTP-date, JavaScript's Date#toString, or a Go duration ("6m0s"). A reset in the past is 0.
 */
export function resetSecondsOf(text: string | null, nowMs: number): number | null {
  if (text === null) {
    return null;
  }
  return finite(firstReadable(text.trim(), (v) => autoReset(v.trim(), nowMs)));
}

function numberIn(value: string): number | null {
  return NUMBER_RE.test(value) ? Number(value) : null;
}

const RESET_READERS: Record<ResetUnit, (value: string, nowMs: number) => number | null> = {
  seconds: (v) => numberIn(v),
  milliseconds: (v) => {
    const n = numberIn(v);
    return n === null ? null : n / 1000;
  },
  'epoch-seconds': (v, now) => {
    const n = numberIn(v);
    return n === null ? null : secondsUntil(n * 1000, now);
  },
  'epoch-milliseconds': (v, now) => {
    const n = numberIn(v);
    return n === null ? null : secondsUntil(n, now);
  },
  // A bare number is seconds: some providers write "0" or "1" where a duration belongs.
  duration: (v) => numberIn(v) ?? parseGoDuration(v),
  'http-date': (v, now) => {
    const at = parseHttpDate(v);
    return at === null ? null : secondsUntil(at, now);
  },
  rfc3339: (v, now) => {
    const at = parseRfc3339(v);
    return at === null ? null : secondsUntil(at, now);
  },
};

/** Seconds until a reset written in a known unit (the catalog's `resetUnit`). */
export function resetSecondsIn(text: string | null, unit: ResetUnit, nowMs: number): number | null {
  if (text === null) {
    return null;
  }
  const read = RESET_READERS[unit];
  return finite(firstReadable(text.trim(), (v) => read(v.trim(), nowMs)));
}

/**
 * Seconds to wait from a `Retry-After` value: delay seconds or an HTTP-date (RFC 9110 10.2.3).
 * Never negative; null when absent or malformed.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (typeof value !== 'string') {
    return null;
  }
  return finite(
    firstReadable(value.trim(), (v) => {
      const text = v.trim();
      if (NUMBER_RE.test(text)) {
        return Number(text);
      }
      const date = parseHttpDate(text);
      return date === null ? null : secondsUntil(date, nowMs);
    })
  );
}

/** Seconds from a Retry-After written in milliseconds (`retry-after-ms`). */
export function parseRetryAfterMs(value: string | null | undefined): number | null {
  if (typeof value !== 'string') {
    return null;
  }
  const n = count(value.trim());
  return n === null ? null : n / 1000;
}
