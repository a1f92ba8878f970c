// RSS 2.0 (and RSS 1.0/RDF) feeds: channel/item with title, link, description (often HTML,
// sometimes content:encoded), pubDate (RFC 822), guid and category.
import { PayloadError, decodeXml } from '../payload';
import { isObject, list, obj, objects, text, type Json } from '../read';
import type { ParsedStatusPage, StatusPageDocument } from '../types';
import { feedToPage, type FeedItem } from './feed';

/** Text of an XML node that may carry attributes (`{ '#text': ..., '@_isPermaLink': ... }`). */
export function nodeText(node: unknown): string | undefined {
  if (isObject(node)) {
    return text(node['#text']);
  }
  return text(node);
}

export function isRssDocument(xml: Json): boolean {
  return 'rss' in xml || 'rdf:RDF' in xml;
}

function itemsOf(xml: Json): Json[] {
  if (isObject(xml.rss)) {
    return objects(obj(xml.rss.channel).item);
  }
  const rdf = obj(xml['rdf:RDF']);
  return objects(rdf.item);
}

export function rssItem(item: Json): FeedItem {
  return {
    id: nodeText(item.guid),
    title: nodeText(item.title),
    link: nodeText(item.link),
    body: nodeText(item['content:encoded']) ?? nodeText(item.description),
    published: nodeText(item.pubDate) ?? nodeText(item['dc:date']),
    categories: list(item.category).map(nodeText).filter((c): c is string => !!c),
  };
}

export function parseRss(docs: StatusPageDocument[], now: number): ParsedStatusPage {
  const main = docs.find((d) => d.role === 'main');
  if (!main) {
    throw new PayloadError('no feed document');
  }
  const xml = decodeXml(main, 'an RSS feed');
  if (!isRssDocument(xml)) {
    throw new PayloadError(`${main.url}: not an RSS feed (no <rss> or <rdf:RDF> root element)`);
  }
  return feedToPage('rss', itemsOf(xml).map(rssItem), now);
}
