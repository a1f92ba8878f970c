// The board's one tooltip. @grafana/ui's Tooltip sets floating-ui up for its trigger when it
// mounts: one per tile made that a third of the board's first render. Instead the board keeps
// a single Tooltip, anchored to an invisible box laid over the tile in question (hovered or
// focused), which scrolls with the list like the tile does.
import React from 'react';
import { Tooltip } from '@grafana/ui';
import type { AssessedRow } from '../severity';
import { ExactValues } from './ApiTile';
import type { BoardStyles } from './styles';

/** A tile's box within the scroller's content (what `position: absolute` there refers to). */
export interface TileBox {
  top: number;
  left: number;
  width: number;
  height: number;
}

/** Where `tile` sits in `scroller`'s scrolled content. */
export function tileBox(tile: HTMLElement, scroller: HTMLElement): TileBox {
  const t = tile.getBoundingClientRect();
  const s = scroller.getBoundingClientRect();
  return {
    top: t.top - s.top + scroller.scrollTop,
    left: t.left - s.left + scroller.scrollLeft,
    width: t.width,
    height: t.height,
  };
}

/**
 * The `inert` attribute as this React renders it: React 19 (Grafana 13) knows the boolean
 * attribute; React 18 (Grafana 12) drops `inert={true}` and passes unknown attributes only as
 * strings. Decided by the React Grafana provides at run time.
 */
const INERT = { inert: (Number(React.version.split('.')[0]) >= 19 ? true : '') as unknown as boolean };

interface Props {
  /** The tile the tooltip is open for, or null when closed. */
  target: { item: AssessedRow; box: TileBox } | null;
  id: string;
  styles: BoardStyles;
}

export function BoardTooltip({ target, id, styles }: Props) {
  if (!target) {
    return null;
  }
  const { item, box } = target;
  return (
    <Tooltip show content={<ExactValues id={id} row={item.row} assessment={item.assessment} />}>
      {/* inert: the Tooltip makes its trigger focusable, and this box must not be a Tab stop. */}
      <div className={styles.tooltipAnchor} style={box} aria-hidden {...INERT} />
    </Tooltip>
  );
}
