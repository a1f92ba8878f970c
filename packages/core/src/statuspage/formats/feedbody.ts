// The updates inside a feed item's body. Statuspage-generated feeds (and the many that copy
// them) write each update as a stamp, a heading and the text, newest first:
//
//   <p><small>Nov <var data-var='date'>20</var>, <var data-var='time'>08:17</var> PST</small><br>
//   <strong>Investigating</strong> - We are looking into ...</p>
//
// and a maintenance opens with its window:
//
//   <p><strong>THIS IS A SCHEDULED EVENT Nov <var>25</var>, <var>01:00</var> - <var>03:00</var> PST</strong></p>
//
// The stamps carry no year and a zone abbreviation of the page's time zone. The year is the
// one that puts the stamp nearest the item's own date (so December updates of an item dated
// in January land in the year before); an unknown zone is calibrated against that date.
// Incident pages' layout (heading, text, then "Posted Nov 20, 2024 - 08:17 UTC") reads too.
import { MONTHS, htmlToText, zoneOffsetMinutes } from '../read';
import type { IncidentState } from '../vocabulary';

/** Update headings as Statuspage writes them, with the lifecycle state each one means.
 * "Update" adds text without changing the state. */
const HEADINGS: Readonly<Record<string, { state: IncidentState | null; kind: 'incident' | 'maintenance' | null }>> = {
  investigating: { state: 'investigating', kind: 'incident' },
  identified: { state: 'identified', kind: 'incident' },
  monitoring: { state: 'monitoring', kind: 'incident' },
  resolved: { state: 'resolved', kind: 'incident' },
  postmortem: { state: 'resolved', kind: 'incident' },
  scheduled: { state: 'scheduled', kind: 'maintenance' },
  in_progress: { state: 'in_progress', kind: 'maintenance' },
  verifying: { state: 'in_progress', kind: 'maintenance' },
  completed: { state: 'completed', kind: 'maintenance' },
  update: { state: null, kind: null },
};

export interface FeedUpdate {
  /** Epoch ms, null when the update has no readable stamp. */
  at: number | null;
  /** The heading as a word of the normal form's update status: "postmortem", "in_progress", ... */
  heading: string;
  state: IncidentState | null;
  kind: 'incident' | 'maintenance' | null;
  text: string;
}

export interface FeedBody {
  /** In the order the body lists them (newest first on Statuspage feeds). */
  updates: FeedUpdate[];
  /** "THIS IS A SCHEDULED EVENT ..." */
  window: { start: number | null; end: number | null } | null;
  /** The body as text, for items without headings. */
  text: string;
}

const MONTH = '([A-Za-z]{3,9})\\.?';
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s*([AaPp])\\.?[Mm]\\.?)?';
const ZONE = '([A-Za-z]{1,5}(?:[+-]\\d{1,2}(?::?\\d{2})?)?|[+-]\\d{2}(?::?\\d{2})?)';
// "Nov 20, 08:17 PST", "Nov 20, 2024 - 08:17 PST", "20 Nov 2024, 8:17 AM UTC", "Posted Nov 20, 2024 - 08:17 UTC".
const DATE = `(?:${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?|(\\d{1,2})\\s+${MONTH})(?:,?\\s*(\\d{4}))?`;
const STAMP_RE = new RegExp(`^(?:posted\\s+)?${DATE}\\s*(?:,|-|–|at)?\\s*${TIME}(?:\\s+${ZONE}\\b)?\\s*`, 'i');
const TIME_ONLY_RE = new RegExp(`^${TIME}(?:\\s+${ZONE}\\b)?\\s*$`, 'i');
const HEADING_RE = /^(investigating|identified|monitoring|resolved|post-?mortem|scheduled|in[ _-]?progress|verifying|completed|update)\s*(?:[-–—:]\s*|$)/i;
const WINDOW_RE = /^this is a scheduled event\s+(.*)$/i;

/** A stamp as written: local date and time, year and zone possibly missing. */
interface LocalStamp {
  month: number;
  day: number;
  year: number | null;
  hour: number;
  minute: number;
  second: number;
  zone: string | null;
}

function hour24(hour: number, meridiem: string | undefined): number {
  if (!meridiem) {
    return hour;
  }
  const pm = meridiem.toLowerCase() === 'p';
  return (hour % 12) + (pm ? 12 : 0);
}

function monthOf(word: string | undefined): number | undefined {
  return word === undefined ? undefined : MONTHS[word.slice(0, 3).toLowerCase()];
}

/** A stamp at the start of `line`, and what follows it. */
function readStamp(line: string): { stamp: LocalStamp; rest: string } | null {
  const m = STAMP_RE.exec(line);
  if (!m) {
    return null;
  }
  const month = monthOf(m[1] ?? m[4]);
  const day = Number(m[2] ?? m[3]);
  const hour = hour24(Number(m[6]), m[9]);
  const minute = Number(m[7]);
  const second = Number(m[8] ?? 0);
  const year = m[5] ? Number(m[5]) : null;
  if (month === undefined || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || (year !== null && (year < 1970 || year > 9999))) {
    return null;
  }
  return {
    stamp: { month, day, year, hour, minute, second, zone: m[10] ?? null },
    rest: line.slice(m[0].length),
  };
}

/** "01:00 - 03:00 PST", "22:00 - Nov 26, 02:00 PST": the window of a scheduled event. */
function readWindow(text: string): { start: LocalStamp; end: LocalStamp } | null {
  const start = readStamp(text);
  if (!start) {
    return null;
  }
  const afterDash = /^(?:-|–|to|until)\s*(.*)$/i.exec(start.rest.trim());
  if (!afterDash) {
    return null;
  }
  const endText = afterDash[1].trim();
  let end = readStamp(endText)?.stamp ?? null;
  if (!end) {
    const t = TIME_ONLY_RE.exec(endText);
    if (!t) {
      return null;
    }
    const hour = hour24(Number(t[1]), t[4]);
    if (hour > 23 || Number(t[2]) > 59) {
      return null;
    }
    end = { ...start.stamp, hour, minute: Number(t[2]), second: Number(t[3] ?? 0), zone: t[5] ?? null };
  }
  // The zone is written once, after the end.
  const zone = start.stamp.zone ?? end.zone;
  return { start: { ...start.stamp, zone }, end: { ...end, zone: end.zone ?? zone } };
}

const MAX_ZONE_GUESS_MS = 14 * 3600_000;

/** Wall-clock time of a stamp read as UTC; a missing year is the one nearest `reference`. */
function wallClock(s: LocalStamp, reference: number): number {
  const at = (year: number) => Date.UTC(year, s.month, s.day, s.hour, s.minute, s.second);
  if (s.year !== null) {
    return at(s.year);
  }
  const year = new Date(reference).getUTCFullYear();
  return [year - 1, year, year + 1].map(at).reduce((best, t) => (Math.abs(t - reference) < Math.abs(best - reference) ? t : best));
}

/**
 * Epoch ms of the updates' stamps and of the window's. `reference` is the item's own date (the
 * time of its newest update): a missing year is the one nearest it, and a zone nobody knows
 * takes the offset that makes the newest update meet it (rounded to 15 minutes), or UTC when
 * they are more than 14 hours apart.
 */
function resolveStamps(updates: LocalStamp[], window: LocalStamp[], reference: number): { updates: number[]; window: number[] } {
  const offsetOf = (s: LocalStamp) => (s.zone === null ? undefined : zoneOffsetMinutes(s.zone));
  const unknown = updates.filter((s) => offsetOf(s) === undefined).map((s) => wallClock(s, reference));
  let guessed = 0;
  if (unknown.length > 0) {
    const diff = unknown.reduce((a, b) => Math.max(a, b)) - reference;
    if (Math.abs(diff) <= MAX_ZONE_GUESS_MS) {
      guessed = Math.round(diff / 900_000) * 15;
    }
  }
  const toEpoch = (s: LocalStamp) => wallClock(s, reference) - (offsetOf(s) ?? guessed) * 60_000;
  return { updates: updates.map(toEpoch), window: window.map(toEpoch) };
}

function headingWord(raw: string): string {
  const w = raw.toLowerCase().replace(/[^a-z]/g, '');
  return w === 'inprogress' ? 'in_progress' : w;
}

/** Longest text kept per update; the body is read whole so the oldest update is never cut. */
const MAX_UPDATE_TEXT = 4000;
const MAX_BODY_TEXT = 1_000_000;

/** `reference`: the item's date (or the fetch time when it has none). */
export function parseFeedBody(html: string, reference: number): FeedBody {
  const text = htmlToText(html, MAX_BODY_TEXT);
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const pending: Array<{ stamp: LocalStamp | null; heading: string; text: string[] }> = [];
  let windowStamps: { start: LocalStamp; end: LocalStamp } | null = null;
  let sawWindow = false;
  let stamp: LocalStamp | null = null;
  for (const line of lines) {
    const scheduled = WINDOW_RE.exec(line);
    if (scheduled) {
      sawWindow = true;
      windowStamps ??= readWindow(scheduled[1]);
      continue;
    }
    let rest = line;
    const stamped = readStamp(rest);
    if (stamped) {
      rest = stamped.rest.trim();
      const last = pending[pending.length - 1];
      // Incident pages write "Posted <stamp>" after the update it dates; feeds write the stamp first.
      if (/^posted\s/i.test(line) && last && last.stamp === null && rest === '') {
        last.stamp = stamped.stamp;
        continue;
      }
      stamp = stamped.stamp;
      if (rest === '') {
        continue;
      }
    }
    const heading = HEADING_RE.exec(rest);
    if (heading) {
      pending.push({ stamp, heading: headingWord(heading[1]), text: [rest.slice(heading[0].length)] });
      stamp = null;
    } else if (pending.length > 0) {
      // A further paragraph of the same update (postmortems run long).
      pending[pending.length - 1].text.push(rest);
    }
  }
  const dated = pending.filter((p) => p.stamp !== null);
  const resolved = resolveStamps(
    dated.map((p) => p.stamp!),
    windowStamps ? [windowStamps.start, windowStamps.end] : [],
    reference
  );
  let nextDated = 0;
  const updates: FeedUpdate[] = pending.map((p) => {
    const meaning = HEADINGS[p.heading] ?? { state: null, kind: null };
    const body = p.text.join('\n').trim();
    return {
      at: p.stamp ? resolved.updates[nextDated++] : null,
      heading: p.heading,
      state: meaning.state,
      kind: meaning.kind,
      text: body.length > MAX_UPDATE_TEXT ? `${body.slice(0, MAX_UPDATE_TEXT - 1)}…` : body,
    };
  });
  const window = windowStamps ? { start: resolved.window[0], end: resolved.window[1] } : sawWindow ? { start: null, end: null } : null;
  return { updates, window, text };
}
