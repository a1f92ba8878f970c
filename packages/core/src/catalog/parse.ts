// Turns catalog text into a validated, resolved Catalog or a list of issues that each name
// the file, the line, the field path and the bad value. Pure: reading the file is the
// caller's job, so the plugin and the CLI share this.
import { isMap, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { fieldIssues, formatPath, valueAt, type PathSegment } from '../input-issues';
import { catalogSchema } from './schema';
import { schemaKeys } from './schema-keys';
import { resolveCatalog } from './resolve';
import { findLiteralSecrets } from './secrets';
import { closestMatch } from './suggest';
import type { CatalogIssue, CatalogResult } from './types';

/** Renders a value for an error message, short and on one line. */
export function renderValue(value: unknown): string {
  let s: string;
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'string') {
    s = JSON.stringify(value);
  } else if (value !== null && typeof value === 'object') {
    s = Array.isArray(value) ? `a list of ${value.length}` : 'a mapping';
  } else {
    s = String(value);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Line and column of a field path in a parsed YAML document (its key when `key` is given). */
export function position(
  doc: Document,
  lines: LineCounter,
  path: readonly PathSegment[],
  key?: string
): { line?: number; column?: number } {
  let node: unknown = doc.getIn(path as PathSegment[], true);
  // Walk up to the nearest node that exists (a missing field points at its parent).
  for (let i = path.length; !isNode(node) && i > 0; i--) {
    node = doc.getIn(path.slice(0, i - 1) as PathSegment[], true);
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === key);
    if (pair && isNode(pair.key)) {
      node = pair.key;
    }
  }
  const range = isNode(node) ? node.range : undefined;
  if (!range) {
    return {};
  }
  const pos = lines.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

/** Every key the schema knows, for "did you mean" suggestions on a misspelt key. */
const KNOWN_KEYS = schemaKeys(catalogSchema);

/**
 * A union (a preset name or a mapping, say) fails as a whole; report the branch that fits the
 * value's type, so the message says what is wrong with it rather than "Invalid input".
 */
function unionBranch(issue: z.core.$ZodIssue, data: unknown): z.core.$ZodIssue[] | undefined {
  if (issue.code !== 'invalid_union') {
    return undefined;
  }
  const value = valueAt(data, issue.path.filter((p): p is PathSegment => typeof p !== 'symbol'));
  const isMapping = value !== null && typeof value === 'object';
  // A mapping fits the branch that looked inside it; a plain value the one that did not
  // reject its type outright.
  const fits = (branch: z.core.$ZodIssue[]) =>
    isMapping
      ? branch.every((i) => i.path.length > 0 || i.code === 'unrecognized_keys')
      : !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type');
  const fitting = issue.errors.filter(fits);
  return fitting.length === 1 ? fitting[0].map((i) => ({ ...i, path: [...issue.path, ...i.path] })) : undefined;
}

/** What a wrong type should have been, in the words of the catalog's docs. */
const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

/**
 * A schema's issues on a YAML document, each with file, line, field path and value: "is
 * required", "must be one of" with a "did you mean", unknown keys with the closest known one.
 * Shared by every YAML input validated like the catalog (incident records too).
 */
export function schemaIssues(
  error: z.ZodError,
  data: unknown,
  doc: Document,
  lines: LineCounter,
  file: string,
  knownKeys: readonly string[] = KNOWN_KEYS
): CatalogIssue[] {
  const issues = error.issues.flatMap((i) => unionBranch(i, data) ?? [i]);
  return fieldIssues(issues, data).map(({ path, unknownKey, value, issue }): CatalogIssue => {
    if (unknownKey !== undefined) {
      const suggestion = closestMatch(unknownKey, knownKeys);
      return {
        file,
        ...position(doc, lines, path.slice(0, -1), unknownKey),
        path: formatPath(path),
        message: `unknown field "${unknownKey}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
      };
    }
    let message = issue.message;
    if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
      message = 'is required';
    } else if (issue.code === 'invalid_type') {
      message = `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    } else if ((issue.code === 'invalid_value' && 'values' in issue) || (issue.code === 'invalid_union' && 'options' in issue)) {
      // An enum, or the `type` of a discriminated union (auth, fallback).
      const values = ('values' in issue ? issue.values : (issue as { options: unknown[] }).options).map(String);
      message = `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
      const suggestion = typeof value === 'string' ? closestMatch(value, values) : undefined;
      if (suggestion) {
        message += `; did you mean "${suggestion}"?`;
      }
    }
    return {
      file,
      ...position(doc, lines, path),
      path: formatPath(path),
      message,
      value: value === undefined ? undefined : renderValue(value),
    };
  });
}

/** Issues in reading order: by line, then column. */
export function byPosition(issues: CatalogIssue[]): CatalogIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/**
 * YAML text as a parsed document whose root is a mapping, or issues naming the file, line and
 * column of a syntax error (or the root, with `rootMessage`, when it is not a mapping).
 */
export function readYamlMapping(
  text: string,
  file: string,
  rootMessage: string
): { ok: true; doc: Document; lines: LineCounter; data: Record<string, unknown> } | { ok: false; issues: CatalogIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = e.pos ? lines.linePos(e.pos[0]) : undefined;
        return {
          file,
          line: pos?.line,
          column: pos?.col,
          path: '(yaml)',
          message: `invalid YAML: ${e.message.split('\n')[0]}`,
        };
      }),
    };
  }
  let data: unknown;
  try {
    // Aliases are resolved here; an unresolved or excessive alias throws.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, issues: [{ file, path: '(yaml)', message: `invalid YAML: ${(err as Error).message}` }] };
  }
  if (!isMap(doc.contents) || data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, issues: [{ file, line: 1, path: '(root)', message: rootMessage, value: renderValue(data) }] };
  }
  return { ok: true, doc, lines, data: data as Record<string, unknown> };
}

export function parseCatalog(text: string, file = 'catalog.yaml'): CatalogResult {
  const read = readYamlMapping(text, file, 'must be a mapping with at least an "apis" list');
  if (!read.ok) {
    return read;
  }
  const { doc, lines, data } = read;

  const secretIssues = findLiteralSecrets(data).map((s) => ({
    file,
    ...position(doc, lines, s.path),
    path: formatPath(s.path),
    message: s.message,
  }));

  const parsed = catalogSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, issues: byPosition([...secretIssues, ...schemaIssues(parsed.error, data, doc, lines, file)]) };
  }
  const resolved = resolveCatalog(parsed.data);
  const issues = [
    ...secretIssues,
    ...resolved.issues.map((i) => ({ file, ...position(doc, lines, i.path), path: formatPath(i.path), message: i.message, value: i.value })),
  ];
  if (issues.length > 0) {
    return { ok: false, issues: byPosition(issues) };
  }
  return { ok: true, catalog: resolved.catalog };
}

/** One line per issue: `catalog.yaml:14:9: apis[0].timeout: must be a duration ... (got "2 secs")`. */
export function formatIssue(issue: CatalogIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}${issue.column ? `:${issue.column}` : ''}` : issue.file;
  const got = issue.value !== undefined ? ` (got ${issue.value})` : '';
  return `${where}: ${issue.path}: ${issue.message}${got}`;
}
