// A provider's advisory feed (security notices, changelog, deprecations) as apimon reads it:
// items with a stable id, a plain-text title, a link and a publication time. RSS 2.0, Atom and
// JSON Feed all become this.

export interface AdvisoryItem {
  /** The feed's id (RSS guid, Atom id, JSON Feed id), else the link, else a hash of the title
   * and date: what `acknowledged` names (the link works too). */
  id: string;
  /** Plain text (HTML removed), at most 200 characters. */
  title: string;
  /** Absolute http(s) link, or null. */
  link: string | null;
  /** Plain text, at most 500 characters. */
  summary: string;
  /** Epoch ms, or null when the feed gives no readable date. */
  publishedAt: number | null;
}

export type AdvisoryFeedFormatName = 'rss' | 'atom' | 'json';

export type AdvisoryParseResult =
  | { ok: true; format: AdvisoryFeedFormatName; items: AdvisoryItem[]; warnings: string[] }
  | { ok: false; error: string };

/** Items kept per feed (newest first); a feed with more is truncated, with a warning. */
export const MAX_ADVISORY_ITEMS = 500;
