// How the reports write numbers, for people: one set of formats for the HTML, the Markdown, the
// Grafana page and the verdict's reasons, so the same number reads the same everywhere.
import type { ReasonFormat } from '../verdict';

const DASH = '–';

/** 0.99912 -> "99.91%", 0.0004 -> "0.04%", 1 -> "100%"; null -> "–". */
export function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) {
    return DASH;
  }
  const p = ratio * 100;
  if (p === 100 || p === 0) {
    return `${p}%`;
  }
  // Availability lives near 100%: enough decimals that 99.95% and 99.99% differ.
  const decimals = p > 99 || p < 1 ? 2 : 1;
  return `${p.toFixed(decimals)}%`;
}

/** Seconds as latency: 0.1234 -> "123 ms", 2.5 -> "2.50 s". */
export function latency(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return DASH;
  }
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

/** Seconds as a duration: 45 -> "45s", 5400 -> "1h 30m", 200000 -> "2d 7h". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return DASH;
  }
  let s = Math.round(Math.abs(seconds));
  const sign = seconds < 0 ? '-' : '';
  if (s < 60) {
    return `${sign}${s}s`;
  }
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  const parts =
    d > 0
      ? [`${d}d`, h > 0 ? `${h}h` : '']
      : h > 0
        ? [`${h}h`, m > 0 ? `${m}m` : '']
        : [`${m}m`, s % 60 > 0 ? `${s % 60}s` : ''];
  return sign + parts.filter(Boolean).join(' ');
}

/** 1234567 -> "1,234,567". */
export function count(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) {
    return DASH;
  }
  return Math.round(n).toLocaleString('en-US');
}

/** Change between two values as a signed percentage: "+12.0%", "-3.5%". */
export function change(current: number | null | undefined, previous: number | null | undefined): string {
  if (current === null || current === undefined || previous === null || previous === undefined || previous === 0) {
    return DASH;
  }
  const r = (current / previous - 1) * 100;
  return `${r >= 0 ? '+' : ''}${r.toFixed(1)}%`;
}

/** Change of a ratio in percentage points: "+0.12 pp". */
export function pointsChange(current: number | null | undefined, previous: number | null | undefined): string {
  if (current === null || current === undefined || previous === null || previous === undefined) {
    return DASH;
  }
  const pp = (current - previous) * 100;
  return `${pp >= 0 ? '+' : ''}${pp.toFixed(2)} pp`;
}

/** "2026-11-03 14:05 UTC" from an ISO time; "–" for null. */
export function dateTime(isoOrMs: string | number | null | undefined): string {
  if (isoOrMs === null || isoOrMs === undefined) {
    return DASH;
  }
  const d = new Date(isoOrMs);
  if (Number.isNaN(d.getTime())) {
    return DASH;
  }
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "November 2026" from "2026-11". */
export function monthTitle(month: string): string {
  const [y, m] = month.split('-').map(Number);
  const name = new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
  return `${name} ${y}`;
}

/** The verdict's reasons in the report's words. */
export const REPORT_FORMAT: ReasonFormat & { duration: (s: number) => string } = {
  seconds: latency,
  percent,
  duration,
  incidentTitle: true,
};
