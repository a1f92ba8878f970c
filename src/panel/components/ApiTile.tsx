// One API on the board: a tile (grid), a line (list) or a cell (compact). The whole tile is one
// focusable link to the API's detail dashboard, labelled with its state and reasons; the board's
// one tooltip (BoardTooltip, on hover and on keyboard focus) gives the exact values behind the
// rounded ones shown, and the tile names it as its description while it is open.
import React, { memo } from 'react';
import { cx } from '@emotion/css';
import { colorManipulator } from '@grafana/data';
import { STATUS_LEVEL_COLORS, type StatusLevel } from '@apimon/core';
import { useTheme2, Badge, type BadgeColor } from '@grafana/ui';
import type { Assessment, Severity } from '../severity';
import type { BoardRow } from '../summaryFrame';
import { TLS_SHOW_DAYS, type Kpi, type Layout } from '../types';
import { formatDuration, formatPercent, formatSeconds, statusLabel } from '../format';
import { SparklineSvg } from './SparklineSvg';
import { severityColor, type BoardStyles } from './styles';

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  ok: 'OK',
  unknown: 'No data',
};

const CRITICALITY_COLORS: Record<string, BadgeColor> = { critical: 'red', standard: 'blue', background: 'darkgrey' };

/** The status level's colour everywhere apimon shows it (dashboards, data source, board). */
export function statusColorName(status: string): string {
  return STATUS_LEVEL_COLORS[status as StatusLevel] ?? STATUS_LEVEL_COLORS.unknown;
}

/** A provider status pill in the contract's colour (Badge offers no yellow for "degraded"). */
function StatusPill({ status, styles }: { status: string; styles: BoardStyles }) {
  const theme = useTheme2();
  const name = statusColorName(status);
  const color = name === 'text' ? theme.colors.text.secondary : theme.visualization.getColorByName(name);
  return (
    <span
      className={styles.statusPill}
      data-status-color={name}
      style={{ color, borderColor: color, background: colorManipulator.alpha(color, 0.15) }}
    >
      {statusLabel(status || 'unknown')}
    </span>
  );
}

interface Props {
  row: BoardRow;
  assessment: Assessment;
  layout: Layout;
  /** Grid/list narrower than LIST_ROW_MIN_WIDTH stack the list row like a tile. */
  rowLayout: boolean;
  kpis: ReadonlySet<Kpi>;
  /** List layout: the grid columns of a one-line row, matching the KPIs shown. */
  rowColumns?: string;
  href: string | undefined;
  styles: BoardStyles;
  /** Id of the open tooltip when it describes this tile. */
  describedBy?: string;
}

function textClass(styles: BoardStyles, severity: Severity): string {
  return { critical: styles.textCritical, warning: styles.textWarning, ok: styles.textOk, unknown: styles.textUnknown }[
    severity
  ];
}

function accessibleLabel(row: BoardRow, a: Assessment): string {
  const parts = [`${row.api}: ${SEVERITY_LABELS[a.severity]}`];
  if (a.reasons.length > 0) {
    parts.push(a.reasons.join('; '));
  }
  if (row.provider) {
    parts.push(`provider ${row.provider}`);
  }
  if (row.criticality) {
    parts.push(`${row.criticality} criticality`);
  }
  return parts.join(', ');
}

function exact(v: number | null, unit = ''): string {
  return v === null ? 'no data' : `${Number(v.toPrecision(6))}${unit}`;
}

/** The tooltip's content: every value behind the tile, unrounded. */
export function ExactValues({ row, assessment, id }: { row: BoardRow; assessment: Assessment; id?: string }) {
  const t = assessment.thresholds;
  const entries: Array<[string, string]> = [
    ['State', SEVERITY_LABELS[assessment.severity]],
    ['p95 latency', `${exact(row.latencyP95Seconds, ' s')} (threshold ${exact(t.latencyThresholdSeconds, ' s')})`],
    ['Error ratio', `${exact(row.errorRatio)} (threshold ${exact(t.errorThreshold)})`],
    [
      'Rate-limit headroom',
      row.headroomRatio === null
        ? 'no data'
        : row.rateLimitLimit === null
          ? // A spent policy whose limit the provider does not announce (remaining-only headers).
            `${exact(row.headroomRatio)}: ${exact(row.rateLimitRemaining)} left, no limit announced (minimum ${exact(t.headroomThreshold)})`
          : `${exact(row.headroomRatio)} = ${exact(row.rateLimitRemaining)} / ${exact(row.rateLimitLimit)} (minimum ${exact(t.headroomThreshold)})`,
    ],
    [
      'Exhausted in',
      row.exhaustionSeconds === null ? 'not at the current rate' : `${exact(row.exhaustionSeconds, ' s')}`,
    ],
    [
      'Provider status',
      `${row.providerStatus}${row.openIncidents > 0 ? `, ${row.openIncidents} open incident(s)` : ''}`,
    ],
  ];
  if (row.incidentTitle) {
    entries.push(['Incident', row.incidentTitle]);
  }
  entries.push(['TLS expires', row.tlsExpiresAt === null ? 'no data' : new Date(row.tlsExpiresAt).toISOString()]);
  if (row.owner) {
    entries.push(['Owner', row.owner]);
  }
  return (
    <div id={id}>
      <div style={{ fontWeight: 500, marginBottom: 4 }}>{row.api}</div>
      <table>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k}>
              <th scope="row" style={{ textAlign: 'left', paddingRight: 12, fontWeight: 400, opacity: 0.75 }}>
                {k}
              </th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {assessment.reasons.length > 0 && <div style={{ marginTop: 4 }}>{assessment.reasons.join('; ')}</div>}
    </div>
  );
}

function Header({ row, styles, compact }: { row: BoardRow; styles: BoardStyles; compact: boolean }) {
  return (
    <div className={styles.kpis}>
      <div className={styles.titleRow}>
        <span className={styles.name}>{row.api}</span>
        <span className={styles.spacer} />
        {!compact && row.criticality && (
          <Badge text={row.criticality} color={CRITICALITY_COLORS[row.criticality] ?? 'purple'} />
        )}
      </div>
      {!compact && row.provider && <span className={styles.sub}>{row.provider}</span>}
    </div>
  );
}

function Latency({
  row,
  a,
  styles,
  showSparkline,
}: {
  row: BoardRow;
  a: Assessment;
  styles: BoardStyles;
  showSparkline: boolean;
}) {
  const theme = useTheme2();
  const max = a.thresholds.latencyThresholdSeconds;
  return (
    <div className={styles.kpi} data-kpi="latency">
      <span className={styles.kpiLabel}>p95</span>
      <span
        className={cx(
          styles.kpiValue,
          row.latencyP95Seconds === null ? styles.kpiMuted : textClass(styles, a.latency.severity)
        )}
      >
        {row.latencyP95Seconds === null ? 'no data' : formatSeconds(row.latencyP95Seconds)}
        {max !== null && <span className={styles.kpiMuted}> / {formatSeconds(max)}</span>}
      </span>
      {showSparkline && row.sparkline && (
        <SparklineSvg
          className={styles.sparkline}
          data={row.sparkline}
          threshold={max}
          color={a.latency.severity === 'ok' ? theme.colors.text.secondary : severityColor(theme, a.latency.severity)}
          thresholdColor={theme.colors.text.disabled}
        />
      )}
    </div>
  );
}

function Errors({ row, a, styles }: { row: BoardRow; a: Assessment; styles: BoardStyles }) {
  const max = a.thresholds.errorThreshold;
  return (
    <div className={styles.kpi} data-kpi="errors">
      <span className={styles.kpiLabel}>Errors</span>
      <span
        className={cx(
          styles.kpiValue,
          row.errorRatio === null ? styles.kpiMuted : textClass(styles, a.errors.severity)
        )}
      >
        {row.errorRatio === null ? 'no data' : formatPercent(row.errorRatio)}
        {max !== null && <span className={styles.kpiMuted}> / {formatPercent(max)}</span>}
      </span>
    </div>
  );
}

function Headroom({ row, a, styles }: { row: BoardRow; a: Assessment; styles: BoardStyles }) {
  const theme = useTheme2();
  if (row.headroomRatio === null) {
    return (
      <div className={styles.kpi} data-kpi="headroom">
        <span className={styles.kpiLabel}>Quota</span>
        <span className={cx(styles.kpiValue, styles.kpiMuted)}>no rate limit seen</span>
      </div>
    );
  }
  const pct = Math.max(0, Math.min(1, row.headroomRatio)) * 100;
  const color = a.headroom.severity === 'ok' ? theme.colors.success.main : severityColor(theme, a.headroom.severity);
  return (
    <div className={styles.kpi} data-kpi="headroom">
      <span className={styles.kpiLabel}>Quota</span>
      <div
        className={styles.bar}
        role="meter"
        aria-label="Rate-limit headroom"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-valuetext={`${formatPercent(row.headroomRatio)} left`}
      >
        <div className={styles.barFill} style={{ width: `${pct}%`, background: color }} />
      </div>
      <span className={cx(styles.kpiValue, textClass(styles, a.headroom.severity))}>
        {formatPercent(row.headroomRatio)}
        {row.exhaustionSeconds !== null && (
          <span className={styles.kpiMuted}> · {formatDuration(row.exhaustionSeconds)} left</span>
        )}
      </span>
    </div>
  );
}

function Provider({ row, styles }: { row: BoardRow; styles: BoardStyles }) {
  return (
    <div className={styles.status} data-kpi="provider">
      <StatusPill status={row.providerStatus} styles={styles} />
      {row.incidentTitle && (
        <span className={styles.incident} title={row.incidentTitle}>
          {row.incidentTitle}
        </span>
      )}
    </div>
  );
}

function Tls({ a, styles }: { a: Assessment; styles: BoardStyles }) {
  const days = a.tls.daysLeft;
  if (days === null || days >= TLS_SHOW_DAYS) {
    return null;
  }
  return (
    <div className={styles.kpi} data-kpi="tls">
      <span className={styles.kpiLabel}>TLS</span>
      <span className={cx(styles.kpiValue, textClass(styles, a.tls.severity))}>
        {days < 0 ? 'expired' : `${days} day${days === 1 ? '' : 's'} left`}
      </span>
    </div>
  );
}

function ApiTileInner({ row, assessment: a, layout, rowLayout, kpis, rowColumns, href, styles, describedBy }: Props) {
  const compact = layout === 'compact';
  const tileClass = cx(styles.tile, styles[a.severity], compact && styles.tileCompact, rowLayout && styles.tileRow);
  const body = compact ? (
    <>
      <Header row={row} styles={styles} compact />
      <span className={cx(styles.reason, textClass(styles, a.severity))}>
        {a.reasons[0] ?? SEVERITY_LABELS[a.severity]}
      </span>
    </>
  ) : (
    <>
      <Header row={row} styles={styles} compact={false} />
      {(kpis.has('latency') || kpis.has('sparkline')) && (
        <Latency row={row} a={a} styles={styles} showSparkline={kpis.has('sparkline')} />
      )}
      {kpis.has('errors') && <Errors row={row} a={a} styles={styles} />}
      {kpis.has('headroom') && <Headroom row={row} a={a} styles={styles} />}
      {kpis.has('provider') && <Provider row={row} styles={styles} />}
      {kpis.has('tls') && (rowLayout ? <div>{<Tls a={a} styles={styles} />}</div> : <Tls a={a} styles={styles} />)}
    </>
  );
  const common = {
    className: tileClass,
    'aria-label': accessibleLabel(row, a),
    'aria-describedby': describedBy,
    'data-severity': a.severity,
    'data-api': row.api,
    style: rowLayout && rowColumns ? { gridTemplateColumns: rowColumns } : undefined,
  };
  return href ? (
    <a {...common} href={href}>
      {body}
    </a>
  ) : (
    <div {...common} tabIndex={0}>
      {body}
    </div>
  );
}

export const ApiTile = memo(ApiTileInner);
