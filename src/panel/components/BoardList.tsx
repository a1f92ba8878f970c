// The scrolling list of tiles. Rows have a fixed height per layout, so only the rows in view
// (plus one above and one below) are rendered: a 500-API board costs about what a 30-API one
// does. Tab still walks every API in order: leaving the last rendered tile scrolls the next one
// in and focuses it. One tooltip serves the whole list (BoardTooltip): it follows the tile under
// the pointer or with keyboard focus, and closes on scroll, on leaving and on Escape.
import React, { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AssessedRow } from '../severity';
import type { Kpi, Layout } from '../types';
import { ApiTile } from './ApiTile';
import { BoardTooltip, tileBox, type TileBox } from './BoardTooltip';
import type { BoardStyles } from './styles';

export const GAP_PX = 8;
/** Rows rendered beyond the visible ones, each side. */
const OVERSCAN_ROWS = 1;
/** Room a vertical scrollbar may take from the width. */
const SCROLLBAR_PX = 16;

/** Height of one tile: fixed, so that rows can be skipped without measuring them. */
export function tileHeight(layout: Layout, rowLayout: boolean, kpis: ReadonlySet<Kpi>): number {
  if (layout === 'compact') {
    return 52;
  }
  if (rowLayout) {
    return 52;
  }
  const lines = [
    kpis.has('latency') || kpis.has('sparkline'),
    kpis.has('errors'),
    kpis.has('headroom'),
    kpis.has('traffic'),
    kpis.has('provider'),
    kpis.has('tls'),
  ].filter(Boolean).length;
  return 62 + lines * 26;
}

export function columnCount(layout: Layout, width: number, minTileWidth: number): number {
  if (layout === 'list') {
    return 1;
  }
  const min = Math.max(60, layout === 'compact' ? Math.min(minTileWidth, 180) : minTileWidth);
  return Math.max(1, Math.floor((width - SCROLLBAR_PX + GAP_PX) / (min + GAP_PX)));
}

interface Props {
  rows: AssessedRow[];
  layout: Layout;
  rowLayout: boolean;
  kpis: ReadonlySet<Kpi>;
  rowColumns?: string;
  minTileWidth: number;
  width: number;
  /** Height of the scrolling area's viewport, at most. */
  height: number;
  link: (row: AssessedRow['row']) => string | undefined;
  styles: BoardStyles;
}

export function BoardList({
  rows,
  layout,
  rowLayout,
  kpis,
  rowColumns,
  minTileWidth,
  width,
  height,
  link,
  styles,
}: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  /** The tile Tab is heading to, focused once its row is rendered. */
  const pendingFocus = useRef<number | null>(null);
  /** The tile the tooltip is open for (its index in rows). */
  const [tip, setTip] = useState<{ index: number; box: TileBox } | null>(null);
  const tipId = useId();

  const cols = columnCount(layout, width, minTileWidth);
  const rowHeight = tileHeight(layout, rowLayout, kpis);
  const pitch = rowHeight + GAP_PX;
  const totalRows = Math.ceil(rows.length / cols);
  const visibleRows = Math.ceil(height / pitch) + 1;
  const firstRow = Math.max(0, Math.min(totalRows - 1, Math.floor(scrollTop / pitch)) - OVERSCAN_ROWS);
  const lastRow = Math.min(totalRows, firstRow + visibleRows + 2 * OVERSCAN_ROWS);
  const start = firstRow * cols;
  const end = Math.min(rows.length, lastRow * cols);

  const onScroll = useCallback((e: React.UIEvent<HTMLDivElement>) => {
    setScrollTop(e.currentTarget.scrollTop);
    setTip(null);
  }, []);

  /** Opens the tooltip for the tile `target` is in, if it is not open for it already. */
  const showTipFor = (target: EventTarget) => {
    const item = (target as HTMLElement).closest<HTMLElement>('li[data-index]');
    const tile = item?.firstElementChild as HTMLElement | null | undefined;
    const index = Number(item?.dataset.index);
    if (!tile || !scroller.current || Number.isNaN(index) || tip?.index === index) {
      return;
    }
    setTip({ index, box: tileBox(tile, scroller.current) });
  };
  const hideTip = () => setTip(null);

  const onKeyDown = (e: React.KeyboardEvent<HTMLUListElement>) => {
    if (e.key === 'Escape') {
      hideTip();
      return;
    }
    if (e.key !== 'Tab') {
      return;
    }
    const index = Number((e.target as HTMLElement).closest('li')?.dataset.index);
    const next = index + (e.shiftKey ? -1 : 1);
    if (Number.isNaN(index) || next < 0 || next >= rows.length || (next >= start && next < end)) {
      return;
    }
    e.preventDefault();
    const top = Math.floor(next / cols) * pitch;
    if (scroller.current) {
      scroller.current.scrollTop = e.shiftKey ? top : Math.max(0, top - (height - pitch));
      setScrollTop(scroller.current.scrollTop);
    }
    pendingFocus.current = next;
  };

  useEffect(() => {
    const target = pendingFocus.current;
    if (target !== null && target >= start && target < end) {
      pendingFocus.current = null;
      list.current?.querySelector<HTMLElement>(`li[data-index="${target}"] > *`)?.focus();
    }
  }, [start, end]);

  const templateColumns = layout === 'list' ? '1fr' : `repeat(${cols}, minmax(0, 1fr))`;
  const items = useMemo(() => rows.slice(start, end), [rows, start, end]);

  return (
    <div className={styles.scroller} ref={scroller} onScroll={onScroll}>
      <ul
        ref={list}
        className={styles.list}
        style={{
          gridTemplateColumns: templateColumns,
          gridAutoRows: rowHeight,
          paddingTop: firstRow * pitch,
          paddingBottom: Math.max(0, (totalRows - lastRow) * pitch),
        }}
        aria-label={`API health, ${rows.length} APIs, worst first`}
        onKeyDown={onKeyDown}
        onPointerOver={(e) => showTipFor(e.target)}
        onPointerLeave={hideTip}
        onFocus={(e) => showTipFor(e.target)}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) {
            hideTip();
          }
        }}
      >
        {items.map(({ row, assessment }, i) => (
          <li
            key={row.api}
            className={styles.item}
            data-index={start + i}
            aria-posinset={start + i + 1}
            aria-setsize={rows.length}
          >
            <ApiTile
              row={row}
              assessment={assessment}
              layout={layout}
              rowLayout={rowLayout}
              kpis={kpis}
              rowColumns={rowColumns}
              href={link(row)}
              styles={styles}
              describedBy={tip?.index === start + i ? tipId : undefined}
            />
          </li>
        ))}
      </ul>
      <BoardTooltip target={tip && rows[tip.index] ? { item: rows[tip.index], box: tip.box } : null} id={tipId} styles={styles} />
    </div>
  );
}
