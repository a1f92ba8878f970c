// Human-friendly units used in the catalog: durations ("200ms", "1m30s"), sizes ("1MB",
// "512KiB") and ratios ("2%", 0.02). Parsers return undefined for bad input so callers can
// report the field that holds it.

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/;

/** Parses "250ms", "2s", "1m30s", "1.5h" into milliseconds. Plain numbers are seconds. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? input * 1000 : undefined;
  }
  let rest = input.trim();
  if (rest === '') {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(rest)) {
    return Number(rest) * 1000;
  }
  let total = 0;
  while (rest.length > 0) {
    const m = DURATION_RE.exec(rest);
    if (!m) {
      return undefined;
    }
    total += Number(m[1]) * DURATION_UNITS_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** Formats milliseconds the way Prometheus writes durations: "1m30s", "250ms". */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 1000) {
    return `${Math.round(ms)}ms`;
  }
  let s = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) {
    parts.push(`${s}s`);
  }
  return parts.join('');
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Parses "1MB", "512KiB", "2048" (bytes) into bytes. */
export function parseBytes(input: string | number): number | undefined {
  if (typeof input === 'number') {
    return Number.isInteger(input) && input >= 0 ? input : undefined;
  }
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(input.trim());
  if (!m) {
    return undefined;
  }
  const unit = (m[2] || 'b').toLowerCase();
  const factor = SIZE_UNITS[unit];
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}

/** Parses "2%" or a plain ratio (0.02) into a ratio in [0, 1]. */
export function parseRatio(input: string | number): number | undefined {
  let value: number;
  if (typeof input === 'number') {
    value = input;
  } else {
    const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(input.trim());
    if (m) {
      value = Number(m[1]) / 100;
    } else if (/^\d+(\.\d+)?$/.test(input.trim())) {
      value = Number(input);
    } else {
      return undefined;
    }
  }
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
}
