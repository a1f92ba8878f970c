// Which advisory items are new: published (or, undated, first seen) within the window and not
// acknowledged in the catalog by id or link. Pure; the prober keeps first-seen times.
import type { AdvisoryItem } from './types';

export interface AdvisoryWindow {
  nowMs: number;
  windowMs: number;
  acknowledged: readonly string[];
  /** When apimon first saw each item id (for items without a date). */
  firstSeen: ReadonlyMap<string, number>;
}

/** An item is acknowledged by its id or its link (with or without a trailing slash). */
export function isAcknowledged(item: AdvisoryItem, acknowledged: readonly string[]): boolean {
  const norm = (s: string) => s.trim().replace(/\/+$/, '');
  const names = new Set(acknowledged.map(norm));
  return names.has(norm(item.id)) || (item.link !== null && names.has(norm(item.link)));
}

/** The item's time for the window: its publication, else when apimon first saw it. */
export function itemTime(item: AdvisoryItem, firstSeen: ReadonlyMap<string, number>): number | null {
  return item.publishedAt ?? firstSeen.get(item.id) ?? null;
}

export function newAdvisories(items: readonly AdvisoryItem[], w: AdvisoryWindow): AdvisoryItem[] {
  return items.filter((item) => {
    const at = itemTime(item, w.firstSeen);
    return at !== null && at >= w.nowMs - w.windowMs && !isAcknowledged(item, w.acknowledged);
  });
}
