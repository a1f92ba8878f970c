// Incident records (`incidents/<id>.yaml`): what the team writes after an incident (summary,
// root cause, corrective actions with owner and due date, the provider's ticket), validated
// with the catalog's error quality: file, line, field path, value, and "did you mean" for a
// misspelt key. Pure: reading the files is the caller's job.
import { z } from 'zod';
import { byPosition, readYamlMapping, schemaIssues } from '../catalog/parse';
import { schemaKeys } from '../catalog/schema-keys';
import type { CatalogIssue } from '../catalog/types';
import { parseTime } from './period';

const time = z.string().refine((s) => parseTime(s) !== undefined, {
  message: 'must be a time such as "2026-11-03T10:00:00Z" or "2026-11-03 10:00" (UTC)',
});
const date = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && parseTime(s) !== undefined, {
  message: 'must be a date such as "2026-12-15"',
});
const text = z.string().trim().min(1, { message: 'must not be empty' });

export const correctiveActionSchema = z.strictObject({
  action: text,
  owner: text,
  due: date,
  status: z.enum(['open', 'done']).default('open'),
  ticket: text.optional(),
});

export const incidentRecordSchema = z
  .strictObject({
    /** Defaults to the file's name without .yaml. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'must be letters, digits, ".", "_" or "-"' })
      .optional(),
    api: text,
    from: time,
    to: time,
    summary: text,
    rootCause: text.optional(),
    correctiveActions: z.array(correctiveActionSchema).default([]),
    providerTicket: text.optional(),
  })
  .superRefine((r, ctx) => {
    const from = parseTime(r.from);
    const to = parseTime(r.to);
    if (from !== undefined && to !== undefined && to <= from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must be after from (${r.from})` });
    }
  });

export interface IncidentReportRecord {
  id: string;
  /** The file it was read from. */
  file: string;
  api: string;
  fromMs: number;
  toMs: number;
  summary: string;
  rootCause: string | null;
  correctiveActions: Array<{
    action: string;
    owner: string;
    due: string;
    status: 'open' | 'done';
    ticket: string | null;
  }>;
  providerTicket: string | null;
}

export type IncidentReportRecordResult =
  { ok: true; record: IncidentReportRecord } | { ok: false; issues: CatalogIssue[] };

const KNOWN_KEYS = schemaKeys(incidentRecordSchema);

/** The id a record file gets when it does not say: its name without the extension. */
export function recordIdOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.ya?ml$/i, '');
}

export function parseIncidentRecord(source: string, file: string): IncidentReportRecordResult {
  const read = readYamlMapping(source, file, 'must be a mapping with at least api, from, to and summary');
  if (!read.ok) {
    return read;
  }
  const { doc, lines, data } = read;
  const parsed = incidentRecordSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, issues: byPosition(schemaIssues(parsed.error, data, doc, lines, file, KNOWN_KEYS)) };
  }
  const r = parsed.data;
  return {
    ok: true,
    record: {
      id: r.id ?? recordIdOf(file),
      file,
      api: r.api,
      fromMs: parseTime(r.from)!,
      toMs: parseTime(r.to)!,
      summary: r.summary,
      rootCause: r.rootCause ?? null,
      correctiveActions: r.correctiveActions.map((a) => ({ ...a, ticket: a.ticket ?? null })),
      providerTicket: r.providerTicket ?? null,
    },
  };
}

/** The record of `records` that covers an incident of `api` over [fromMs, toMs], if any. */
export function recordFor(
  records: readonly IncidentReportRecord[],
  api: string,
  fromMs: number,
  toMs: number
): IncidentReportRecord | undefined {
  return records.find((r) => r.api === api && r.fromMs <= toMs && r.toMs >= fromMs);
}
