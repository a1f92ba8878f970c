// Emotion styles of the board, built once per theme (useStyles2 caches them), so 500 tiles share
// a handful of class names instead of one css() call each.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { Severity } from '../severity';

export function severityColor(theme: GrafanaTheme2, severity: Severity): string {
  switch (severity) {
    case 'critical':
      return theme.colors.error.main;
    case 'warning':
      return theme.colors.warning.main;
    case 'ok':
      return theme.colors.success.main;
    default:
      return theme.colors.text.disabled;
  }
}

/** Above this width the list layout puts each API on one line; below it rows stack like tiles. */
export const LIST_ROW_MIN_WIDTH = 1000;

export const getStyles = (theme: GrafanaTheme2) => {
  const severityBorder = (s: Severity) => css({ borderLeftColor: severityColor(theme, s) });
  const severityText = (s: Severity) => css({ color: severityColor(theme, s) });
  return {
    root: css({ display: 'flex', flexDirection: 'column', height: '100%', minWidth: 0, gap: theme.spacing(1) }),
    header: css({
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      gap: theme.spacing(0.5, 1.5),
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
    }),
    count: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
    dot: css({
      width: 8,
      height: 8,
      borderRadius: theme.shape.radius.circle,
      display: 'inline-block',
      background: 'currentColor',
    }),
    notice: css({
      display: 'flex',
      alignItems: 'flex-start',
      gap: theme.spacing(1),
      padding: theme.spacing(0.5, 1),
      borderRadius: theme.shape.radius.default,
      background: theme.colors.warning.transparent,
      color: theme.colors.text.primary,
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    scroller: css({ position: 'relative', flex: '1 1 auto', minHeight: 0, overflowY: 'auto', overflowX: 'hidden' }),
    tooltipAnchor: css({ position: 'absolute', pointerEvents: 'none', visibility: 'hidden' }),
    list: css({ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: theme.spacing(1) }),
    item: css({ minWidth: 0, minHeight: 0 }),
    tile: css({
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.75),
      height: '100%',
      boxSizing: 'border-box',
      padding: theme.spacing(1, 1.5),
      background: theme.colors.background.secondary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderLeftWidth: 4,
      borderRadius: theme.shape.radius.default,
      color: theme.colors.text.primary,
      textDecoration: 'none',
      minWidth: 0,
      '&:hover': {
        background: theme.colors.emphasize(theme.colors.background.secondary, 0.03),
        textDecoration: 'none',
      },
      overflow: 'hidden',
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}`, outlineOffset: -2 },
    }),
    tileRow: css({
      display: 'grid',
      alignItems: 'center',
      gap: theme.spacing(2),
      padding: theme.spacing(0.75, 1.5),
      '& > *': { overflow: 'hidden' },
      '& [data-kpi] > :first-child': { minWidth: 0 },
    }),
    tileCompact: css({ gap: theme.spacing(0.25), padding: theme.spacing(0.5, 1) }),
    critical: severityBorder('critical'),
    warning: severityBorder('warning'),
    ok: severityBorder('ok'),
    unknown: severityBorder('unknown'),
    textCritical: severityText('critical'),
    textWarning: severityText('warning'),
    textOk: css({ color: theme.colors.text.primary }),
    textUnknown: css({ color: theme.colors.text.secondary }),
    titleRow: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), minWidth: 0 }),
    name: css({
      fontWeight: theme.typography.fontWeightMedium,
      fontSize: theme.typography.body.fontSize,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
      minWidth: 0,
    }),
    sub: css({
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    }),
    spacer: css({ flex: '1 1 auto' }),
    kpis: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), minWidth: 0 }),
    kpi: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      minWidth: 0,
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    kpiLabel: css({ color: theme.colors.text.secondary, flex: '0 0 auto', minWidth: 64 }),
    kpiValue: css({ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
    kpiMuted: css({ color: theme.colors.text.disabled }),
    sparkline: css({ flex: '1 1 auto', minWidth: 40, height: 22, display: 'block' }),
    bar: css({
      flex: '1 1 auto',
      minWidth: 40,
      height: 6,
      borderRadius: 3,
      background: theme.colors.background.canvas,
      border: `1px solid ${theme.colors.border.weak}`,
      overflow: 'hidden',
    }),
    barFill: css({ height: '100%' }),
    status: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      minWidth: 0,
      '& > :first-child': { flexShrink: 0, whiteSpace: 'nowrap' },
    }),
    statusPill: css({
      display: 'inline-flex',
      padding: '1px 4px',
      borderRadius: theme.shape.radius.default,
      border: '1px solid',
      fontSize: theme.typography.bodySmall.fontSize,
      lineHeight: theme.typography.bodySmall.lineHeight,
    }),
    incident: css({
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
      minWidth: 0,
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    reason: css({
      fontSize: theme.typography.bodySmall.fontSize,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    }),
    tooltip: css({
      display: 'grid',
      gridTemplateColumns: 'auto auto',
      gap: theme.spacing(0.25, 1.5),
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    tooltipTitle: css({ gridColumn: '1 / -1', fontWeight: theme.typography.fontWeightMedium }),
    message: css({
      display: 'flex',
      flexDirection: 'column',
      alignItems: 'center',
      justifyContent: 'center',
      textAlign: 'center',
      gap: theme.spacing(1),
      height: '100%',
      padding: theme.spacing(2),
    }),
    code: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize }),
  };
};

export type BoardStyles = ReturnType<typeof getStyles>;
