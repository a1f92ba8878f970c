// The reports' files: incident records read from disk (one file, or every *.yaml of the incidents
// directory), and the rendered report written in each asked format, PDF last (it needs Chromium;
// the other formats exist even when it is missing).
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseIncidentRecord, type CatalogIssue, type IncidentReportRecord, type ReportFormat } from '@apimon/core';
import { readInputText } from '../catalog/load';
import { findChromium, htmlToPdf } from './pdf';

export type RecordsResult = { ok: true; records: IncidentReportRecord[] } | { ok: false; issues: CatalogIssue[] };

export async function readIncidentRecord(file: string): Promise<RecordsResult> {
  const read = await readInputText(file);
  if (!read.ok) {
    return read;
  }
  const parsed = parseIncidentRecord(read.text, file);
  return parsed.ok ? { ok: true, records: [parsed.record] } : parsed;
}

/**
 * Every incident record of a directory (*.yaml, *.yml). A missing directory holds none; any
 * invalid record fails the whole read, so a typo cannot silently reopen an incident.
 */
export async function readIncidentRecords(dir: string): Promise<RecordsResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { ok: true, records: [] };
    }
    return {
      ok: false,
      issues: [
        {
          file: dir,
          path: '(directory)',
          message: `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        },
      ],
    };
  }
  const records: IncidentReportRecord[] = [];
  const issues: CatalogIssue[] = [];
  const ids = new Map<string, string>();
  for (const name of names) {
    const r = await readIncidentRecord(join(dir, name));
    if (!r.ok) {
      issues.push(...r.issues);
      continue;
    }
    for (const record of r.records) {
      const other = ids.get(record.id);
      if (other) {
        issues.push({ file: record.file, path: 'id', message: `the id "${record.id}" is also the id of ${other}` });
      }
      ids.set(record.id, record.file);
      records.push(record);
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, records };
}

export interface Rendered {
  html(): string;
  md(): string;
  json(): string;
}

export interface WriteOptions {
  dir: string;
  /** File name without extension, e.g. "apimon-report-2026-11". */
  base: string;
  formats: readonly ReportFormat[];
  chromiumPath?: string;
}

/** Writes each format (atomically: a temporary file renamed), PDF last; returns the files. */
export async function writeReport(rendered: Rendered, options: WriteOptions): Promise<string[]> {
  await mkdir(options.dir, { recursive: true });
  const written: string[] = [];
  const put = async (ext: string, data: string | Buffer) => {
    const file = join(options.dir, `${options.base}.${ext}`);
    const tmp = `${file}.tmp-${process.pid}`;
    await writeFile(tmp, data);
    await rename(tmp, file);
    written.push(file);
  };
  let html: string | undefined;
  for (const format of options.formats.filter((f) => f !== 'pdf')) {
    if (format === 'html') {
      html ??= rendered.html();
      await put('html', html);
    } else if (format === 'md') {
      await put('md', rendered.md());
    } else {
      await put('json', rendered.json());
    }
  }
  if (options.formats.includes('pdf')) {
    const chromium = findChromium(options.chromiumPath);
    await put('pdf', await htmlToPdf(html ?? rendered.html(), { chromiumPath: chromium }));
  }
  return written;
}
