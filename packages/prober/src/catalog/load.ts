// Reading a catalog file (or any YAML input validated like it, such as incident records): a
// missing or unreadable file is an issue naming the file, not a throw, for `apimon check`,
// `apimon run`, `apimon report` and the reloads of the running service alike.
import { readFile } from 'node:fs/promises';
import { parseCatalog, type CatalogIssue, type CatalogResult } from '@apimon/core';

export type InputText = { ok: true; text: string } | { ok: false; issues: CatalogIssue[] };

/** The file's text, or one issue saying why it cannot be read. */
export async function readInputText(file: string): Promise<InputText> {
  try {
    return { ok: true, text: await readFile(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : `cannot read (${code ?? String(err)})`;
    return { ok: false, issues: [{ file, path: '(file)', message: why }] };
  }
}

/** Reads and validates a catalog file. */
export async function loadCatalogFile(file: string): Promise<CatalogResult> {
  const read = await readInputText(file);
  return read.ok ? parseCatalog(read.text, file) : read;
}
