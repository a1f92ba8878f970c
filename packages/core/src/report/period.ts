// Report periods: calendar months in UTC ("2026-11" is [2026-11-01T00:00Z, 2026-12-01T00:00Z))
// and the points in time an incident report takes. UTC because the store, the alert history and
// the provider's status page all count in it, and a report read in two time zones must agree.

export interface Month {
  /** "2026-11" */
  month: string;
  /** Epoch ms of the first instant of the month (inclusive). */
  fromMs: number;
  /** Epoch ms of the first instant of the next month (exclusive). */
  toMs: number;
}

const MONTH_RE = /^(\d{4})-(\d{2})$/;

function monthOf(year: number, monthIndex: number): Month {
  const fromMs = Date.UTC(year, monthIndex, 1);
  const toMs = Date.UTC(year, monthIndex + 1, 1);
  const d = new Date(fromMs);
  const month = `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  return { month, fromMs, toMs };
}

/** "2026-11" -> the month, or undefined when it is not a YYYY-MM month. */
export function parseMonth(text: string): Month | undefined {
  const m = MONTH_RE.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const monthNumber = Number(m[2]);
  if (monthNumber < 1 || monthNumber > 12) {
    return undefined;
  }
  return monthOf(Number(m[1]), monthNumber - 1);
}

/** The month that holds `ms`. */
export function monthContaining(ms: number): Month {
  const d = new Date(ms);
  return monthOf(d.getUTCFullYear(), d.getUTCMonth());
}

/** The last month that has ended by `nowMs`: the default of `apimon report monthly`. */
export function lastFullMonth(nowMs: number): Month {
  const current = monthContaining(nowMs);
  return monthContaining(current.fromMs - 1);
}

export function previousMonth(month: Month): Month {
  return monthContaining(month.fromMs - 1);
}

/** The `count` months before `nowMs`'s month, newest first (the Reports page's picker). */
export function recentMonths(nowMs: number, count: number): Month[] {
  const out: Month[] = [];
  let m = lastFullMonth(nowMs);
  for (let i = 0; i < count; i++) {
    out.push(m);
    m = previousMonth(m);
  }
  return out;
}

/**
 * A point in time as people write it on a command line: RFC 3339 ("2026-11-03T10:00:00Z",
 * "2026-11-03T10:00+01:00"), a date-time without zone read as UTC ("2026-11-03 10:00"), a
 * date ("2026-11-03", midnight UTC) or Unix seconds ("1793700000"). undefined otherwise.
 */
export function parseTime(text: string): number | undefined {
  const t = text.trim();
  if (/^\d{9,11}(\.\d+)?$/.test(t)) {
    return Math.round(Number(t) * 1000);
  }
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?)?$/i.exec(t);
  if (!m) {
    return undefined;
  }
  const [, date, time, zone] = m;
  const iso = `${date}T${time ?? '00:00'}${time && time.length === 5 ? ':00' : ''}${zone ? zone.toUpperCase() : 'Z'}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return undefined;
  }
  // Date.parse rolls 2026-02-30 over into March; a date that does not exist is a mistake.
  const [y, mo, d] = date.split('-').map(Number);
  const check = new Date(Date.UTC(y, mo - 1, d));
  return check.getUTCMonth() === mo - 1 && check.getUTCDate() === d ? ms : undefined;
}
