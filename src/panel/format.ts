// Short, exact-enough text for tile values; tooltips show the raw values next to them.

export function formatSeconds(s: number): string {
  if (s < 1) {
    return `${Math.round(s * 1000)} ms`;
  }
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

export function formatPercent(ratio: number): string {
  const p = ratio * 100;
  if (p === 0 || p >= 10) {
    return `${Math.round(p * 10) / 10}%`;
  }
  return `${p < 0.1 ? p.toFixed(2) : p.toFixed(1)}%`;
}

/** Calls per second: "120/s", "20.1/s", "0.52/s". */
export function formatRate(perSecond: number): string {
  if (perSecond >= 100) {
    return `${Math.round(perSecond)}/s`;
  }
  return `${perSecond >= 10 ? perSecond.toFixed(1) : Number(perSecond.toPrecision(2))}/s`;
}

/** "45s", "12m", "3h 5m", "2d 4h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s}s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m}m`;
  }
  const h = Math.floor(m / 60);
  if (h < 24) {
    return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  }
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** "partial_outage" -> "Partial outage". */
export function statusLabel(status: string): string {
  const text = status.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
