// Reads an advisory feed into items: RSS 2.0 (and RDF), Atom (RFC 4287) and JSON Feed 1.0/1.1,
// detected from the document when the catalog says `auto`. Third-party data: a missing id,
// an unreadable date, HTML in a title or an enormous feed are handled, never thrown; only a
// document that is not a feed at all is an error (naming the URL).
import { decodeJson, decodeXml, htmlTitle, looksLikeHtml, PayloadError } from '../statuspage/payload';
import { absoluteUrl, htmlToText, isObject, list, obj, objects, text, time, type Json } from '../statuspage/read';
import { atomEntry, isAtomDocument } from '../statuspage/formats/atom';
import { isRssDocument, rssItem } from '../statuspage/formats/rss';
import type { FeedItem } from '../statuspage/formats/feed';
import type { AdvisoryFormat } from '../catalog/schema';
import { MAX_ADVISORY_ITEMS, type AdvisoryFeedFormatName, type AdvisoryItem, type AdvisoryParseResult } from './types';

export interface AdvisoryDocument {
  url: string;
  body: string;
  contentType?: string;
}

/** FNV-1a, hex: a stable id for an item that has neither id nor link. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function toItem(
  raw: {
    id?: string;
    title?: string;
    link?: string;
    body?: string;
    published?: string | number;
    updated?: string | number;
  },
  base: string
): AdvisoryItem | null {
  const title = htmlToText(raw.title ?? '', 200);
  const summary = htmlToText(raw.body ?? '', 500);
  const link = absoluteUrl(raw.link, base) ?? null;
  const publishedAt = time(raw.published) ?? time(raw.updated);
  if (!title && !summary && !link) {
    return null;
  }
  const id = raw.id?.trim() || link || `sha:${fnv1a(`${title}\n${publishedAt ?? ''}\n${summary.slice(0, 200)}`)}`;
  return { id, title: title || summary.slice(0, 120) || link || id, link, summary, publishedAt };
}

const fromFeedItem = (item: FeedItem, base: string) =>
  toItem(
    {
      id: item.id,
      title: item.title,
      link: item.link,
      body: item.body,
      published: item.published,
      updated: item.updated,
    },
    base
  );

function jsonFeedItems(json: Json, base: string): AdvisoryItem[] {
  return objects(json.items)
    .map((item) =>
      toItem(
        {
          // 1.0 allowed numeric ids.
          id: text(item.id),
          title: text(item.title),
          link: text(item.url) ?? text(item.external_url),
          body: text(item.summary) ?? text(item.content_text) ?? text(item.content_html),
          published: text(item.date_published),
          updated: text(item.date_modified),
        },
        base
      )
    )
    .filter((i): i is AdvisoryItem => i !== null);
}

function isJsonFeed(json: unknown): json is Json {
  return (
    isObject(json) &&
    typeof json.version === 'string' &&
    /jsonfeed\.org\/version\//.test(json.version) &&
    Array.isArray(json.items)
  );
}

function detect(doc: AdvisoryDocument): AdvisoryFeedFormatName | null {
  const body = doc.body.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{') || /json/i.test(doc.contentType ?? '')) {
    return 'json';
  }
  if (body.startsWith('<')) {
    return /<(\w+:)?feed[\s>]/.test(body.slice(0, 4096)) && !/<rss[\s>]/.test(body.slice(0, 4096)) ? 'atom' : 'rss';
  }
  return null;
}

function parseAs(format: AdvisoryFeedFormatName, doc: AdvisoryDocument): AdvisoryItem[] {
  if (format === 'json') {
    const json = decodeJson({ role: 'main', url: doc.url, body: doc.body });
    if (!isJsonFeed(json)) {
      throw new PayloadError(
        `${doc.url}: not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1" with an "items" list)`
      );
    }
    return jsonFeedItems(json, doc.url);
  }
  const xml = decodeXml(
    { role: 'main', url: doc.url, body: doc.body },
    format === 'rss' ? 'an RSS feed' : 'an Atom feed'
  );
  if (format === 'rss') {
    if (!isRssDocument(xml)) {
      throw new PayloadError(`${doc.url}: not an RSS feed (no <rss> or <rdf:RDF> root element)`);
    }
    const items = isObject(xml.rss) ? objects(obj(xml.rss.channel).item) : objects(obj(xml['rdf:RDF']).item);
    return items.map((i) => fromFeedItem(rssItem(i), doc.url)).filter((i): i is AdvisoryItem => i !== null);
  }
  if (!isAtomDocument(xml)) {
    throw new PayloadError(`${doc.url}: not an Atom feed (no <feed> root element)`);
  }
  return list(obj(xml.feed).entry)
    .filter(isObject)
    .map((e) => fromFeedItem(atomEntry(e), doc.url))
    .filter((i): i is AdvisoryItem => i !== null);
}

export function parseAdvisoryFeed(doc: AdvisoryDocument, format: AdvisoryFormat): AdvisoryParseResult {
  const warnings: string[] = [];
  const chosen = format === 'auto' ? detect(doc) : format;
  if (format === 'auto' && looksLikeHtml(doc.body)) {
    // A blog page or a login page where the feed should be.
    return { ok: false, error: `${doc.url}: expected an RSS, Atom or JSON feed but got an HTML page${htmlTitle(doc.body)}` };
  }
  if (chosen === null) {
    return { ok: false, error: `${doc.url}: expected an RSS, Atom or JSON feed but got neither XML nor JSON` };
  }
  let items: AdvisoryItem[];
  try {
    items = parseAs(chosen, doc);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  // One entry per id: feeds repeat an item when they update it.
  const byId = new Map<string, AdvisoryItem>();
  for (const item of items) {
    const seen = byId.get(item.id);
    if (!seen || (item.publishedAt ?? 0) > (seen.publishedAt ?? 0)) {
      byId.set(item.id, item);
    }
  }
  // Newest first; undated items keep their place after the dated ones.
  const sorted = [...byId.values()].sort((a, b) => (b.publishedAt ?? -Infinity) - (a.publishedAt ?? -Infinity));
  if (sorted.length > MAX_ADVISORY_ITEMS) {
    warnings.push(`feed has ${sorted.length} items; the newest ${MAX_ADVISORY_ITEMS} are kept`);
  }
  const undated = sorted.filter((i) => i.publishedAt === null).length;
  if (undated > 0) {
    warnings.push(`${undated} item(s) without a readable date: they count from when apimon first saw them`);
  }
  return { ok: true, format: chosen, items: sorted.slice(0, MAX_ADVISORY_ITEMS), warnings };
}
