import { readFile } from 'node:fs/promises';
import { parseCatalog, type CatalogResult } from '@apimon/core';

/** Reads and validates a catalog file; a missing or unreadable file is an issue, not a throw. */
export async function loadCatalogFile(file: string): Promise<CatalogResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read (${code ?? String(err)})`;
    return { ok: false, issues: [{ file, path: '(file)', message: why }] };
  }
  return parseCatalog(text, file);
}
