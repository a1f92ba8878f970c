// Defensive readers for third-party payloads: every field may be missing, null or of the
// wrong type, and none of that may throw. Parsers read through these instead of casting.

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  // XML parsers give a single child as an object, not a one-element list.
  return value === undefined || value === null || value === '' ? [] : [value];
}

export function objects(value: unknown): Json[] {
  return list(value).filter(isObject);
}

/** A non-empty trimmed string, or undefined. Numbers are accepted (ids are sometimes numeric). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) {
    return Number(value);
  }
  return undefined;
}

export const MONTHS: Readonly<Record<string, number>> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

// Zone abbreviations, minutes east of UTC: RFC 822's (as RSS uses them) and those status
// pages print after their local times ("Nov 20, 08:17 PST"). Where one abbreviation has
// several meanings, the one status pages mean most often wins: CST is US Central, IST India,
// BST British Summer Time, AST Atlantic.
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, west: 60, bst: 60, ist: 330,
  cet: 60, cest: 120, met: 60, mest: 120, eet: 120, eest: 180, msk: 180,
  wat: 60, cat: 120, sast: 120, eat: 180, gst: 240, pkt: 300, ict: 420, wib: 420,
  sgt: 480, hkt: 480, awst: 480, pht: 480, kst: 540, jst: 540,
  acst: 570, acdt: 630, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150, brt: -180, art: -180,
};

/** Minutes east of UTC for a zone abbreviation, a numeric offset ("+0100", "-05:00") or
 * "UTC+1" / "GMT+05:30"; undefined when unknown. */
export function zoneOffsetMinutes(zone: string): number | undefined {
  const z = zone.trim().toLowerCase();
  if (Object.prototype.hasOwnProperty.call(ZONES, z)) {
    return ZONES[z];
  }
  // "UTC+1", "GMT+05:30"; bare offsets need two hour digits: "+0100", "-05:00", "+03".
  const m = /^(?:utc|gmt)([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z) ?? /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(z);
  if (!m) {
    return undefined;
  }
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59) {
    return undefined;
  }
  const total = hours * 60 + minutes;
  return m[1] === '-' ? -total : total;
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
// "Tue, 10 Jun 2025 14:03:00 GMT", "10 Jun 2025 14:03 +0200", and JavaScript's Date#toString
// ("Sat Jun 11 2022 18:55:50 GMT+0000 (Coordinated Universal Time)") as Instatus sends it.
const RFC822_RE = /^(?:[a-z]{3},?\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([a-z]{1,5}|[+-]\d{4})?$/i;
const JS_DATE_RE = /^[a-z]{3}\s+([a-z]{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(?:GMT|UTC)?([+-]\d{4})?(?:\s*\(.*\))?$/i;

function utc(year: number, month: number, day: number, h: number, mi: number, s: number, ms: number, offsetMin: number): number | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || h > 24 || mi > 59 || s > 60) {
    return null;
  }
  const t = Date.UTC(year, month, day, h, mi, s, ms) - offsetMin * 60_000;
  return Number.isFinite(t) ? t : null;
}

/**
 * Epoch milliseconds from the time formats status pages use: ISO 8601 with or without zone
 * (no zone means UTC, which is what these APIs mean), RFC 822 (RSS), JavaScript Date strings
 * (Instatus), epoch seconds or milliseconds. Anything else is null, never a throw.
 */
/** The largest time a JavaScript Date can represent. */
const MAX_DATE_MS = 8.64e15;

export function time(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Ten digits or fewer are seconds (until the year 2286).
    const ms = value < 1e11 ? Math.round(value * 1000) : Math.round(value);
    // Before 1970 or beyond what a Date can hold is not a time a status page meant.
    return ms >= 0 && ms <= MAX_DATE_MS ? ms : null;
  }
  const s = text(value);
  if (!s) {
    return null;
  }
  if (/^\d{9,13}$/.test(s)) {
    return time(Number(s));
  }
  let m = ISO_RE.exec(s);
  if (m) {
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    const offset = m[8] ? zoneOffsetMinutes(m[8]) : 0;
    return offset === undefined
      ? null
      : utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms, offset);
  }
  m = RFC822_RE.exec(s);
  if (m) {
    let year = Number(m[3]);
    if (year < 100) {
      year += year < 50 ? 2000 : 1900;
    }
    const offset = m[7] ? zoneOffsetMinutes(m[7]) : 0;
    const month = MONTHS[m[2].toLowerCase()];
    return offset === undefined || month === undefined
      ? null
      : utc(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0, offset);
  }
  m = JS_DATE_RE.exec(s);
  if (m) {
    const month = MONTHS[m[1].toLowerCase()];
    const offset = m[7] ? zoneOffsetMinutes(m[7]) : 0;
    return offset === undefined || month === undefined
      ? null
      : utc(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), 0, offset);
  }
  return null;
}

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', copy: '©', reg: '®', trade: '™', middot: '·', bull: '•',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Plain text from an HTML fragment: no tags, scripts or styles; entities decoded; block
 * elements become line breaks; runs of blanks collapse. Used for every description field. */
export function htmlToText(value: unknown, maxLength = 4000): string {
  const s = typeof value === 'string' ? value : text(value);
  if (!s) {
    return '';
  }
  const out = decodeEntities(
    s
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/?(p|div|li|ul|ol|h[1-6]|tr|table|blockquote|pre)\b[^>]*>/gi, '\n')
      // Inline markup joins its neighbours ("<b>bad</b>." -> "bad."); other tags separate words.
      .replace(/<\/?(a|b|strong|em|i|u|span|var|small|code|abbr|sub|sup|mark)\b[^>]*>/gi, '')
      .replace(/<[^>]*>/g, ' ')
  )
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
  return out.length > maxLength ? `${out.slice(0, maxLength - 1)}…` : out;
}

/** Resolve a possibly relative link against the page's URL; undefined when it is not http(s). */
export function absoluteUrl(link: unknown, base?: string): string | undefined {
  const s = text(link);
  if (!s) {
    return undefined;
  }
  try {
    const u = base ? new URL(s, base) : new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}
