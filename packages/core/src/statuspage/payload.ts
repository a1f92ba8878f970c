// Turning a fetched body into JSON or XML with an error message a user can act on: an HTML
// page where JSON was expected, a truncated download, an empty body.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { htmlToText } from './read';
import type { StatusPageDocument } from './types';

/** A payload that cannot be read as the format it claims; its message names the URL and why. */
export class PayloadError extends Error {
  constructor(
    message: string,
    readonly html = false
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

export function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(body);
}

/** ` titled "..."` from an HTML page's <title>, or nothing. */
export function htmlTitle(body: string): string {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body);
  const title = m ? htmlToText(m[1], 80) : '';
  return title ? ` titled "${title}"` : '';
}

function htmlError(doc: StatusPageDocument, expected: string): PayloadError {
  return new PayloadError(`${doc.url}: expected ${expected} but got an HTML page${htmlTitle(doc.body)}`, true);
}

export function decodeJson(doc: StatusPageDocument): unknown {
  const body = doc.body.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    throw new PayloadError(`${doc.url}: empty body where JSON was expected`);
  }
  if (looksLikeHtml(body)) {
    throw htmlError(doc, 'JSON');
  }
  try {
    return JSON.parse(body);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const truncated = /end of (json )?input|unterminated|unexpected end/i.test(reason);
    throw new PayloadError(`${doc.url}: invalid JSON${truncated ? ' (truncated?)' : ''}: ${reason.slice(0, 160)}`);
  }
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  // Keep every value a string: an RSS guid of "12345" must stay an id, not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // HTML entities are decoded by htmlToText afterwards; decoding them here costs 3x parse time.
  htmlEntities: false,
  removeNSPrefix: false,
});

export function decodeXml(doc: StatusPageDocument, expected: string): Record<string, unknown> {
  const body = doc.body.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    throw new PayloadError(`${doc.url}: empty body where ${expected} was expected`);
  }
  if (looksLikeHtml(body)) {
    throw htmlError(doc, expected);
  }
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new PayloadError(`${doc.url}: invalid XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  let parsed: unknown;
  try {
    parsed = xmlParser.parse(body);
  } catch (err) {
    // The validator lets a few malformed documents through that the parser then rejects.
    throw new PayloadError(`${doc.url}: invalid XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (parsed === null || typeof parsed !== 'object') {
    throw new PayloadError(`${doc.url}: no XML document`);
  }
  return parsed as Record<string, unknown>;
}
