// How findings write their numbers: short, with units, the same everywhere.

export function fmtMs(ms: number): string {
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(s < 10 ? 2 : 1).replace(/\.?0+$/, '')} s`;
}

export function fmtPct(ratio: number): string {
  const pct = ratio * 100;
  if (pct === 0) {
    return '0%';
  }
  if (pct < 0.01) {
    return '<0.01%';
  }
  return `${pct < 1 ? pct.toFixed(2) : pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
}

export function fmtBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${Math.round(bytes)} B`;
  }
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function fmtCount(n: number): string {
  return n >= 10_000 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 10) / 10);
}

export function fmtSeconds(s: number): string {
  if (s < 120) {
    return `${Math.round(s)} s`;
  }
  if (s < 7200) {
    return `${Math.round(s / 60)} min`;
  }
  if (s < 2 * 86_400) {
    return `${Math.round(s / 3600)} h`;
  }
  return `${Math.round(s / 86_400)} d`;
}

/** Availability-style percentages keep their nines: 99.5%, 99.95%, 99.999%. */
export function fmtAvailability(ratio: number): string {
  return `${(ratio * 100).toFixed(3).replace(/\.?0+$/, '')}%`;
}
