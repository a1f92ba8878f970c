// Bad input, told precisely: zod's issues flattened to one per field (an unknown key is its own
// field), each with its path and the value found there. The catalog parser adds YAML positions
// and suggestions; the sandbox's admin API answers with them as they are.
import type { z } from 'zod';

export type PathSegment = string | number;

export interface FieldIssue {
  /** Where, down to the unknown key itself for an unknown key. */
  path: PathSegment[];
  /** The unknown key, when that is the problem. */
  unknownKey?: string;
  /** The value at the path (undefined: nothing there). */
  value: unknown;
  issue: z.core.$ZodIssue;
}

/** `apis[0].endpoints[1].url`; keys that are not identifiers are quoted; "(root)" for none. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') {
      out += `[${seg}]`;
    } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) {
      out += out ? `.${seg}` : seg;
    } else {
      out += `[${JSON.stringify(seg)}]`;
    }
  }
  return out || '(root)';
}

export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') {
      return undefined;
    }
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** One issue per field of a zod error's issues (`error.issues`, or a caller's refinement of them). */
export function fieldIssues(issues: readonly z.core.$ZodIssue[], input: unknown): FieldIssue[] {
  return issues.flatMap((issue): FieldIssue[] => {
    const path = issue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, key],
        unknownKey: key,
        value: valueAt(input, [...path, key]),
        issue,
      }));
    }
    return [{ path, value: valueAt(input, path), issue }];
  });
}
