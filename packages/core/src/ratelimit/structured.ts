// A small parser for HTTP Structured Field Values (RFC 9651, formerly RFC 8941): just Lists
// and Dictionaries of Items with Parameters, which is what the RateLimit drafts use.
// Third-party headers are untrusted data: every function here returns null instead of throwing.

export type BareItem =
  | { kind: 'integer'; value: number }
  | { kind: 'decimal'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'token'; value: string }
  | { kind: 'bytes'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'inner-list' };

export interface ParameterisedItem {
  item: BareItem;
  params: Map<string, BareItem>;
}

// RFC 9651 bounds: integers up to 15 digits, decimals 12 + 3 digits.
const INTEGER_RE = /^\d{1,15}$/;
const DECIMAL_RE = /^\d{1,12}\.\d{1,3}$/;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  skipSpaces(): void {
    while (this.peek() === ' ') {
      this.pos++;
    }
  }
  skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') {
      this.pos++;
    }
  }
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
// tchar from RFC 9110 plus ':' and '/' which sf-token allows.
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
// Keys are lowercase in the RFC; real servers sometimes send "Limit=", so letters of either
// case are accepted and folded to lowercase.
const KEY_CHAR = /[a-zA-Z0-9_\-.*]/;

function parseKey(c: Cursor): string | null {
  const first = c.peek();
  if (!(isAlpha(first) || first === '*')) {
    return null;
  }
  const start = c.pos;
  while (!c.done && KEY_CHAR.test(c.peek())) {
    c.pos++;
  }
  return c.text.slice(start, c.pos).toLowerCase();
}

function parseNumber(c: Cursor): BareItem | null {
  let sign = 1;
  if (c.peek() === '-') {
    sign = -1;
    c.pos++;
  }
  const start = c.pos;
  while (!c.done && (isDigit(c.peek()) || c.peek() === '.')) {
    c.pos++;
  }
  const text = c.text.slice(start, c.pos);
  if (INTEGER_RE.test(text)) {
    return { kind: 'integer', value: sign * Number(text) };
  }
  if (DECIMAL_RE.test(text)) {
    return { kind: 'decimal', value: sign * Number(text) };
  }
  return null;
}

function parseString(c: Cursor): BareItem | null {
  c.pos++; // opening quote
  let out = '';
  while (!c.done) {
    const ch = c.peek();
    c.pos++;
    if (ch === '\\') {
      const next = c.peek();
      if (next !== '"' && next !== '\\') {
        return null;
      }
      out += next;
      c.pos++;
    } else if (ch === '"') {
      return { kind: 'string', value: out };
    } else {
      const code = ch.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) {
        return null;
      }
      out += ch;
    }
  }
  return null; // unterminated
}

function parseToken(c: Cursor): BareItem {
  const start = c.pos;
  c.pos++;
  while (!c.done && TOKEN_CHAR.test(c.peek())) {
    c.pos++;
  }
  return { kind: 'token', value: c.text.slice(start, c.pos) };
}

function parseBytes(c: Cursor): BareItem | null {
  c.pos++;
  const end = c.text.indexOf(':', c.pos);
  if (end < 0) {
    return null;
  }
  const value = c.text.slice(c.pos, end);
  if (!/^[A-Za-z0-9+/=]*$/.test(value)) {
    return null;
  }
  c.pos = end + 1;
  return { kind: 'bytes', value };
}

function parseBareItem(c: Cursor): BareItem | null {
  const ch = c.peek();
  if (ch === '-' || isDigit(ch)) {
    return parseNumber(c);
  }
  if (ch === '"') {
    return parseString(c);
  }
  if (isAlpha(ch) || ch === '*') {
    return parseToken(c);
  }
  if (ch === ':') {
    return parseBytes(c);
  }
  if (ch === '?') {
    c.pos++;
    const b = c.peek();
    if (b !== '0' && b !== '1') {
      return null;
    }
    c.pos++;
    return { kind: 'boolean', value: b === '1' };
  }
  return null;
}

function parseParameters(c: Cursor): Map<string, BareItem> | null {
  const params = new Map<string, BareItem>();
  while (c.peek() === ';') {
    c.pos++;
    c.skipSpaces();
    const key = parseKey(c);
    if (key === null) {
      return null;
    }
    let value: BareItem = { kind: 'boolean', value: true };
    if (c.peek() === '=') {
      c.pos++;
      const parsed = parseBareItem(c);
      if (parsed === null) {
        return null;
      }
      value = parsed;
    }
    params.set(key, value);
  }
  return params;
}

function parseItemOrInnerList(c: Cursor): ParameterisedItem | null {
  let item: BareItem | null;
  if (c.peek() === '(') {
    // Inner lists are not used by any rate-limit field; skip over one so the rest still parses.
    c.pos++;
    while (!c.done && c.peek() !== ')') {
      c.skipSpaces();
      if (c.peek() === ')') {
        break;
      }
      if (parseBareItem(c) === null || parseParameters(c) === null) {
        return null;
      }
    }
    if (c.peek() !== ')') {
      return null;
    }
    c.pos++;
    item = { kind: 'inner-list' };
  } else {
    item = parseBareItem(c);
  }
  if (item === null) {
    return null;
  }
  const params = parseParameters(c);
  return params === null ? null : { item, params };
}

/** Moves past the comma between members; false when the text after a member is not one. */
function nextMember(c: Cursor): boolean {
  c.skipOws();
  if (c.done) {
    return true;
  }
  if (c.peek() !== ',') {
    return false;
  }
  c.pos++;
  c.skipOws();
  return !c.done; // a trailing comma is an error
}

/** Parses an sf-list strictly; null if any part is malformed. */
export function parseList(text: string): ParameterisedItem[] | null {
  const c = new Cursor(text);
  c.skipSpaces();
  const out: ParameterisedItem[] = [];
  while (!c.done) {
    const member = parseItemOrInnerList(c);
    if (member === null) {
      return null;
    }
    out.push(member);
    if (!nextMember(c)) {
      return null;
    }
  }
  return out;
}

/** Parses an sf-dictionary strictly; null if any part is malformed. Later keys win. */
export function parseDictionary(text: string): Map<string, ParameterisedItem> | null {
  const c = new Cursor(text);
  c.skipSpaces();
  const out = new Map<string, ParameterisedItem>();
  while (!c.done) {
    const key = parseKey(c);
    if (key === null) {
      return null;
    }
    let member: ParameterisedItem | null;
    if (c.peek() === '=') {
      c.pos++;
      member = parseItemOrInnerList(c);
    } else {
      const params = parseParameters(c);
      member = params === null ? null : { item: { kind: 'boolean', value: true }, params };
    }
    if (member === null) {
      return null;
    }
    out.set(key, member);
    if (!nextMember(c)) {
      return null;
    }
  }
  return out;
}

/** Splits at commas outside double quotes: the members of a list, for parsing one by one. */
export function splitMembers(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '\\') {
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((m) => m.trim()).filter((m) => m !== '');
}

/**
 * Parses a list leniently: strictly when the whole field is well-formed, otherwise member by
 * member, dropping only the malformed members (one bad policy must not hide the others).
 */
export function parseListLenient(text: string): ParameterisedItem[] {
  const strict = parseList(text);
  if (strict !== null) {
    return strict;
  }
  const out: ParameterisedItem[] = [];
  for (const member of splitMembers(text)) {
    const parsed = parseList(member);
    if (parsed !== null && parsed.length === 1) {
      out.push(parsed[0]);
    }
  }
  return out;
}

/** Parses a dictionary leniently, dropping only malformed members. */
export function parseDictionaryLenient(text: string): Map<string, ParameterisedItem> {
  const strict = parseDictionary(text);
  if (strict !== null) {
    return strict;
  }
  const out = new Map<string, ParameterisedItem>();
  for (const member of splitMembers(text)) {
    const parsed = parseDictionary(member);
    parsed?.forEach((v, k) => out.set(k, v));
  }
  return out;
}

/** The value of a numeric item or parameter, or null. */
export function numberOf(item: BareItem | undefined): number | null {
  return item && (item.kind === 'integer' || item.kind === 'decimal') ? item.value : null;
}

/** The value of a string or token item, or null. */
export function nameOf(item: BareItem | undefined): string | null {
  return item && (item.kind === 'string' || item.kind === 'token') ? item.value : null;
}
