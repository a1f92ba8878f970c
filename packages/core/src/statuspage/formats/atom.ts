// Atom feeds (RFC 4287): feed/entry with id, title, link rel="alternate" href, updated,
// published, summary or content (type="html" or text) and category term.
import { PayloadError, decodeXml } from '../payload';
import { isObject, list, obj, objects, text, type Json } from '../read';
import type { ParsedStatusPage, StatusPageDocument } from '../types';
import { feedToPage, type FeedItem } from './feed';
import { nodeText } from './rss';

export function isAtomDocument(xml: Json): boolean {
  return 'feed' in xml;
}

function linkOf(entry: Json): string | undefined {
  const links = list(entry.link);
  const hrefs = links.map((l) => (isObject(l) ? { rel: text(l['@_rel']) ?? 'alternate', href: text(l['@_href']) } : { rel: 'alternate', href: text(l) }));
  return (hrefs.find((l) => l.rel === 'alternate' && l.href) ?? hrefs.find((l) => l.href))?.href;
}

export function atomEntry(entry: Json): FeedItem {
  return {
    id: nodeText(entry.id),
    title: nodeText(entry.title),
    link: linkOf(entry),
    body: nodeText(entry.content) ?? nodeText(entry.summary),
    published: nodeText(entry.published),
    updated: nodeText(entry.updated),
    categories: list(entry.category)
      .map((c) => (isObject(c) ? (text(c['@_label']) ?? text(c['@_term'])) : text(c)))
      .filter((c): c is string => !!c),
  };
}

export function parseAtom(docs: StatusPageDocument[], now: number): ParsedStatusPage {
  const main = docs.find((d) => d.role === 'main');
  if (!main) {
    throw new PayloadError('no feed document');
  }
  const xml = decodeXml(main, 'an Atom feed');
  if (!isAtomDocument(xml)) {
    throw new PayloadError(`${main.url}: not an Atom feed (no <feed> root element)`);
  }
  return feedToPage('atom', objects(obj(xml.feed).entry).map(atomEntry), now);
}
