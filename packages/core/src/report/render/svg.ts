// Inline SVG charts for the reports: no scripts, no fonts or images to fetch, so a report opens
// offline, prints the same in Chromium, and shows in Grafana's sandboxed frame. Every label is
// escaped. Colours are fixed and print-friendly (they do not follow a Grafana theme: the report
// is a document, read on paper as often as on screen).
import { escapeHtml } from './escape';

export const CHART_COLORS = {
  series: ['#1f60c4', '#e0752d', '#37872d', '#8f3bb8', '#c4162a', '#0a8a8a', '#8a6d0a', '#5c5c5c'],
  threshold: '#c4162a',
  objective: '#c4162a',
  grid: '#d8d9da',
  text: '#464c54',
  ok: '#37872d',
  warning: '#e0752d',
  critical: '#c4162a',
  unknown: '#8e8e8e',
  band: 'rgba(196, 22, 42, 0.12)',
} as const;

/** Fixed colours of probe outcomes in the incident chart (ok green, failures warm). */
export const OUTCOME_COLORS: Record<string, string> = {
  ok: '#73bf69',
  timeout: '#c4162a',
  dns: '#8f3bb8',
  connect: '#a352cc',
  tls: '#5c2d91',
  http_5xx: '#e02f44',
  http_4xx: '#ff9830',
  rate_limited: '#fade2a',
  assertion: '#8ab8ff',
  body_limit: '#5794f2',
};

const fmt = (n: number) => (Math.abs(n) < 1e-9 ? '0' : Number(n.toPrecision(6)).toString());

interface Line {
  label: string;
  values: ReadonlyArray<number | null>;
  color?: string;
}

export interface LineChartOptions {
  title: string;
  /** X labels, one per point ("2026-11-01"). */
  labels: readonly string[];
  lines: readonly Line[];
  /** A dashed horizontal line (a threshold or objective). */
  threshold?: { value: number; label: string } | null;
  formatY: (v: number) => string;
  width?: number;
  height?: number;
  /** Y axis from 0 (default) or from the data's minimum. */
  zeroBased?: boolean;
}

/** A line chart with min/max axis labels and a few x labels; gaps where values are null. */
export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 150;
  const m = { top: 22, right: 12, bottom: 22, left: 62 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const all = o.lines.flatMap((l) => l.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (o.threshold) {
    all.push(o.threshold.value);
  }
  const title = `<text x="${m.left}" y="14" class="ct">${escapeHtml(o.title)}</text>`;
  if (all.length === 0 || o.labels.length === 0) {
    return svg(
      width,
      height,
      o.title,
      `${title}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="cl">no data</text>`
    );
  }
  let min = o.zeroBased === false ? Math.min(...all) : Math.min(0, ...all);
  let max = Math.max(...all);
  if (max === min) {
    max = min + (min === 0 ? 1 : Math.abs(min) * 0.1);
  }
  const pad = (max - min) * 0.08;
  max += pad;
  if (o.zeroBased === false) {
    min -= pad;
  }
  const n = o.labels.length;
  const x = (i: number) => m.left + (n === 1 ? w / 2 : (i * w) / (n - 1));
  const y = (v: number) => m.top + h - ((v - min) / (max - min)) * h;
  const parts: string[] = [title];
  // Grid: min, middle, max.
  for (const v of [min, (min + max) / 2, max]) {
    parts.push(
      `<line x1="${m.left}" x2="${m.left + w}" y1="${fmt(y(v))}" y2="${fmt(y(v))}" stroke="${CHART_COLORS.grid}" stroke-width="1"/>`
    );
    parts.push(
      `<text x="${m.left - 6}" y="${fmt(y(v) + 4)}" text-anchor="end" class="cl">${escapeHtml(o.formatY(v))}</text>`
    );
  }
  const tickEvery = Math.max(1, Math.ceil(n / 6));
  for (let i = 0; i < n; i += tickEvery) {
    parts.push(
      `<text x="${fmt(x(i))}" y="${height - 6}" text-anchor="middle" class="cl">${escapeHtml(o.labels[i].slice(5))}</text>`
    );
  }
  if (o.threshold) {
    const ty = fmt(y(o.threshold.value));
    parts.push(
      `<line x1="${m.left}" x2="${m.left + w}" y1="${ty}" y2="${ty}" stroke="${CHART_COLORS.threshold}" stroke-width="1.5" stroke-dasharray="5 4"/>`
    );
    parts.push(
      `<text x="${m.left + w}" y="${fmt(y(o.threshold.value) - 4)}" text-anchor="end" class="cl" fill="${CHART_COLORS.threshold}">${escapeHtml(o.threshold.label)}</text>`
    );
  }
  o.lines.forEach((line, li) => {
    const color = line.color ?? CHART_COLORS.series[li % CHART_COLORS.series.length];
    let d = '';
    let pen = false;
    line.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${fmt(x(i))} ${fmt(y(v))}`;
      pen = true;
    });
    // A lone point between gaps draws nothing as a path: mark points too when the line is sparse.
    parts.push(
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8" stroke-linejoin="round"><title>${escapeHtml(line.label)}</title></path>`
    );
    line.values.forEach((v, i) => {
      const prev = line.values[i - 1];
      const next = line.values[i + 1];
      if (
        v !== null &&
        Number.isFinite(v) &&
        (prev === null || prev === undefined) &&
        (next === null || next === undefined)
      ) {
        parts.push(`<circle cx="${fmt(x(i))}" cy="${fmt(y(v))}" r="2" fill="${color}"/>`);
      }
    });
  });
  if (o.lines.length > 1) {
    let lx = m.left + 150;
    o.lines.forEach((line, li) => {
      const color = line.color ?? CHART_COLORS.series[li % CHART_COLORS.series.length];
      parts.push(
        `<rect x="${lx}" y="7" width="10" height="3" fill="${color}"/><text x="${lx + 14}" y="12" class="cl">${escapeHtml(line.label)}</text>`
      );
      lx += 24 + Math.min(120, line.label.length * 6);
    });
  }
  return svg(width, height, o.title, parts.join(''));
}

export interface BarRow {
  label: string;
  value: number | null;
  /** A per-row marker (the API's own objective). */
  marker?: number | null;
  color: string;
  text: string;
}

/** Horizontal bars on [min, 1], each with its own marker: availability against objective. */
export function barChart(o: {
  title: string;
  rows: readonly BarRow[];
  min: number;
  max?: number;
  width?: number;
}): string {
  const width = o.width ?? 640;
  const rowH = 18;
  const m = { top: 24, right: 90, bottom: 8, left: 150 };
  const height = m.top + m.bottom + Math.max(1, o.rows.length) * rowH;
  const w = width - m.left - m.right;
  const max = o.max ?? 1;
  const x = (v: number) => m.left + ((Math.min(max, Math.max(o.min, v)) - o.min) / (max - o.min)) * w;
  const parts = [`<text x="${m.left}" y="14" class="ct">${escapeHtml(o.title)}</text>`];
  parts.push(
    `<line x1="${m.left}" x2="${m.left}" y1="${m.top - 4}" y2="${height - m.bottom}" stroke="${CHART_COLORS.grid}"/>`
  );
  o.rows.forEach((r, i) => {
    const top = m.top + i * rowH;
    parts.push(`<text x="${m.left - 6}" y="${top + 12}" text-anchor="end" class="cl">${escapeHtml(r.label)}</text>`);
    if (r.value !== null && Number.isFinite(r.value)) {
      parts.push(
        `<rect x="${m.left}" y="${top + 3}" width="${fmt(Math.max(1, x(r.value) - m.left))}" height="${rowH - 6}" fill="${r.color}"><title>${escapeHtml(`${r.label}: ${r.text}`)}</title></rect>`
      );
    }
    if (r.marker !== null && r.marker !== undefined && Number.isFinite(r.marker)) {
      parts.push(
        `<line x1="${fmt(x(r.marker))}" x2="${fmt(x(r.marker))}" y1="${top + 1}" y2="${top + rowH - 1}" stroke="${CHART_COLORS.objective}" stroke-width="2"/>`
      );
    }
    parts.push(`<text x="${m.left + w + 6}" y="${top + 12}" class="cl">${escapeHtml(r.text)}</text>`);
  });
  return svg(width, height, o.title, parts.join(''));
}

/**
 * Stacked bars per step (probes per outcome), with red bands where alerts fired and ticks
 * where the provider posted: the incident at a glance.
 */
export function outcomeChart(o: {
  title: string;
  times: readonly string[];
  byOutcome: Readonly<Record<string, ReadonlyArray<number | null>>>;
  bands: ReadonlyArray<{ from: string; to: string; label: string }>;
  marks: ReadonlyArray<{ at: string; label: string }>;
  width?: number;
  height?: number;
}): string {
  const width = o.width ?? 680;
  const height = o.height ?? 190;
  const m = { top: 32, right: 12, bottom: 36, left: 50 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const n = o.times.length;
  const parts = [`<text x="${m.left}" y="14" class="ct">${escapeHtml(o.title)}</text>`];
  if (n === 0) {
    return svg(
      width,
      height,
      o.title,
      `${parts[0]}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="cl">no probes in the window</text>`
    );
  }
  const t0 = Date.parse(o.times[0]);
  const t1 = Date.parse(o.times[n - 1]);
  const stepMs = n > 1 ? (t1 - t0) / (n - 1) : 60_000;
  const start = t0 - stepMs;
  const xOf = (ms: number) => m.left + Math.min(w, Math.max(0, ((ms - start) / (t1 - start)) * w));
  const outcomes = Object.keys(o.byOutcome).sort((a, b) => (a === 'ok' ? -1 : b === 'ok' ? 1 : a.localeCompare(b)));
  const totals = o.times.map((_, i) => outcomes.reduce((s, k) => s + (o.byOutcome[k][i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const barW = Math.max(1, w / n - 1);
  o.times.forEach((t, i) => {
    let acc = 0;
    const xEnd = xOf(Date.parse(t));
    for (const k of outcomes) {
      const v = o.byOutcome[k][i] ?? 0;
      if (v <= 0) {
        continue;
      }
      const y0 = m.top + h - (acc / max) * h;
      const y1 = m.top + h - ((acc + v) / max) * h;
      parts.push(
        `<rect x="${fmt(xEnd - barW)}" y="${fmt(y1)}" width="${fmt(barW)}" height="${fmt(Math.max(0.5, y0 - y1))}" fill="${OUTCOME_COLORS[k] ?? CHART_COLORS.unknown}"/>`
      );
      acc += v;
    }
  });
  // Our alerts' firing time: a red strip above the bars and a tint over them.
  for (const b of o.bands) {
    const a = xOf(Date.parse(b.from));
    const z = xOf(Date.parse(b.to));
    const width = fmt(Math.max(1, z - a));
    parts.push(
      `<rect x="${fmt(a)}" y="${m.top - 9}" width="${width}" height="6" fill="${CHART_COLORS.critical}"><title>${escapeHtml(b.label)}</title></rect>`,
      `<rect x="${fmt(a)}" y="${m.top}" width="${width}" height="${h}" fill="${CHART_COLORS.band}"/>`
    );
  }
  parts.push(
    `<line x1="${m.left}" x2="${m.left + w}" y1="${m.top + h}" y2="${m.top + h}" stroke="${CHART_COLORS.grid}"/>`
  );
  parts.push(`<text x="${m.left - 6}" y="${m.top + 4}" text-anchor="end" class="cl">${fmt(Math.round(max))}</text>`);
  parts.push(`<text x="${m.left - 6}" y="${m.top + h + 4}" text-anchor="end" class="cl">0</text>`);
  for (const mk of o.marks) {
    const x = fmt(xOf(Date.parse(mk.at)));
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + h}" stroke="#1f60c4" stroke-width="1.5" stroke-dasharray="2 2"><title>${escapeHtml(mk.label)}</title></line>`
    );
  }
  const every = Math.max(1, Math.ceil(n / 6));
  for (let i = 0; i < n; i += every) {
    parts.push(
      `<text x="${fmt(xOf(Date.parse(o.times[i])))}" y="${m.top + h + 14}" text-anchor="middle" class="cl">${escapeHtml(o.times[i].slice(11, 16))}</text>`
    );
  }
  let lx = m.left;
  for (const k of outcomes) {
    parts.push(
      `<rect x="${lx}" y="${height - 12}" width="9" height="9" fill="${OUTCOME_COLORS[k] ?? CHART_COLORS.unknown}"/><text x="${lx + 12}" y="${height - 4}" class="cl">${escapeHtml(k)}</text>`
    );
    lx += 22 + k.length * 6;
  }
  return svg(width, height, o.title, parts.join(''));
}

function svg(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}" class="chart">${body}</svg>`;
}
