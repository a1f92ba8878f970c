// Writes one benchmark's section of bench/RESULTS.md in place, keeping every other section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';

export const RESULTS_FILE = join(__dirname, '..', 'RESULTS.md');

/** Replaces the section whose `## ` heading starts with `headingPrefix` (or appends it). */
export function writeSection(headingPrefix: string, section: string, file = RESULTS_FILE): void {
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const [head, ...sections] = previous.split(/^(?=## )/m);
  const i = sections.findIndex((s) => s.startsWith(headingPrefix));
  const text = section.trimEnd() + '\n\n';
  if (i >= 0) {
    sections[i] = text;
  } else {
    sections.push(text);
  }
  writeFileSync(file, (head + sections.join('')).trimEnd() + '\n');
}

/** "1.23 / 0.98 / 0.75" (1, 5 and 15 minutes). */
export const loadText = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
