// Reads Prometheus text exposition into samples, so tests can ask for one series' value.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE_RE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL_RE = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const m = LINE_RE.exec(line);
    if (!m) {
      throw new Error(`not an exposition line: ${line}`);
    }
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL_RE)) {
      labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** Samples of `name` whose labels include every pair in `match`. */
export function find(samples: Sample[], name: string, match: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** The single value of `name` with labels `match` (exactly those labels when `exact`). */
export function valueOf(
  samples: Sample[],
  name: string,
  match: Record<string, string> = {},
  exact = false
): number | undefined {
  const hits = find(samples, name, match).filter(
    (s) => !exact || Object.keys(s.labels).length === Object.keys(match).length
  );
  if (hits.length > 1) {
    throw new Error(`${hits.length} series of ${name} match ${JSON.stringify(match)}`);
  }
  return hits[0]?.value;
}
