// The health board: which third-party APIs are in trouble right now, and how. Reads the
// summary frame, assesses every API against its thresholds, and lays the APIs out worst first.
import React, { useMemo } from 'react';
import { LoadingState, textUtil, type PanelProps } from '@grafana/data';
import { Icon, useStyles2, useTheme2 } from '@grafana/ui';
import { SUMMARY_FIELDS } from '@apimon/core';
import { assess, sortBySeverity, type AssessedRow, type Severity } from '../severity';
import { readBoardInput, type BoardRow, type SummaryField } from '../summaryFrame';
import { DEFAULT_OPTIONS, KPIS, type HealthBoardOptions, type Kpi } from '../types';
import { SEVERITY_LABELS } from './ApiTile';
import { BoardList } from './BoardList';
import { getStyles, LIST_ROW_MIN_WIDTH, severityColor, type BoardStyles } from './styles';

export type HealthBoardProps = PanelProps<HealthBoardOptions>;

const SUMMARY_HINT =
  'Use the apimon data source with the query kind "Summary", or a query whose fields carry the summary\'s names.';

/** `${api}` and `${provider}` first (URL-encoded), then the dashboard's own variables. */
export function tileLink(
  template: string,
  row: BoardRow,
  replaceVariables: HealthBoardProps['replaceVariables']
): string | undefined {
  if (!template.trim()) {
    return undefined;
  }
  const filled = template.replace(/\$\{(api|provider)\}/g, (_, name: 'api' | 'provider') =>
    encodeURIComponent(row[name])
  );
  const url = textUtil.sanitizeUrl(replaceVariables(filled));
  return url && url !== 'about:blank' ? url : undefined;
}

function Message({
  styles,
  title,
  children,
  icon = 'info-circle',
}: {
  styles: BoardStyles;
  title: string;
  children: React.ReactNode;
  icon?: 'info-circle' | 'exclamation-triangle';
}) {
  return (
    <div className={styles.message} role="status">
      <Icon name={icon} size="xl" aria-hidden />
      <strong>{title}</strong>
      <div>{children}</div>
    </div>
  );
}

function rowColumns(kpis: ReadonlySet<Kpi>): string {
  const cols = ['minmax(140px, 1.2fr)'];
  if (kpis.has('latency') || kpis.has('sparkline')) {
    cols.push('minmax(200px, 1.5fr)');
  }
  if (kpis.has('errors')) {
    cols.push('minmax(140px, 0.8fr)');
  }
  if (kpis.has('headroom')) {
    cols.push('minmax(210px, 1.1fr)');
  }
  if (kpis.has('traffic')) {
    cols.push('minmax(170px, 1fr)');
  }
  if (kpis.has('provider')) {
    cols.push('minmax(160px, 1.4fr)');
  }
  if (kpis.has('tls')) {
    cols.push('120px');
  }
  return cols.join(' ');
}

export function HealthBoardPanel({ data, options: partialOptions, width, height, replaceVariables }: HealthBoardProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const options: HealthBoardOptions = { ...DEFAULT_OPTIONS, ...partialOptions };
  const input = useMemo(() => readBoardInput(data.series), [data.series]);
  // The end of the query's range: TLS days left count from there, as the summary's state does.
  const nowMs = data.timeRange.to.valueOf();
  const { latencyThresholdSeconds, errorThreshold, headroomThreshold, kpis: chosenKpis } = partialOptions;
  const assessed = useMemo<AssessedRow[]>(() => {
    if (input.kind !== 'rows') {
      return [];
    }
    const overrides = { latencyThresholdSeconds, errorThreshold, headroomThreshold };
    return sortBySeverity(input.rows.map((row) => ({ row, assessment: assess(row, overrides, nowMs) })));
  }, [input, latencyThresholdSeconds, errorThreshold, headroomThreshold, nowMs]);
  // Real traffic takes a line only on a board where some API has it (the summary's traffic
  // fields are null without the platform's metrics in the store).
  const hasTraffic = input.kind === 'rows' && input.rows.some((r) => r.trafficRequestsPerSecond !== null && r.trafficRequestsPerSecond !== undefined);
  const kpis = useMemo(() => {
    const chosen = new Set<Kpi>(chosenKpis?.length ? chosenKpis : KPIS);
    if (!hasTraffic) {
      chosen.delete('traffic');
    }
    return chosen;
  }, [chosenKpis, hasTraffic]);

  const errorText = data.errors
    ?.map((e) => e.message)
    .filter(Boolean)
    .join('; ');
  if (data.state === LoadingState.Error && (input.kind !== 'rows' || input.rows.length === 0)) {
    return (
      <Message styles={styles} title="The query failed" icon="exclamation-triangle">
        <p>{errorText || 'The data source returned an error without a message.'}</p>
        <p>
          Check the data source with Save &amp; test (Connections › Data sources › apimon) and that the prober and the
          store are up.
        </p>
      </Message>
    );
  }
  if (input.kind === 'none') {
    return (
      <Message styles={styles} title={data.state === LoadingState.Loading ? 'Loading APIs…' : 'No data'}>
        {data.state === LoadingState.Loading ? null : <p>{SUMMARY_HINT}</p>}
      </Message>
    );
  }
  if (input.kind === 'missing') {
    return (
      <Message styles={styles} title="This data is not an apimon summary" icon="exclamation-triangle">
        <p>
          Missing field{input.missing.length > 1 ? 's' : ''}:{' '}
          <span className={styles.code}>{input.missing.map((f: SummaryField) => SUMMARY_FIELDS[f]).join(', ')}</span>
          {input.seen.length > 0 && (
            <>
              {' '}
              (the query returned{' '}
              <span className={styles.code}>
                {input.seen.slice(0, 8).join(', ')}
                {input.seen.length > 8 ? ', …' : ''}
              </span>
              )
            </>
          )}
          .
        </p>
        <p>{SUMMARY_HINT} An Organize fields transformation can rename fields.</p>
      </Message>
    );
  }
  if (assessed.length === 0) {
    return (
      <Message styles={styles} title="No APIs match">
        <p>
          The summary is empty: widen the query&apos;s API, provider or criticality filters, or check that the catalog
          lists APIs and the prober is probing them.
        </p>
      </Message>
    );
  }

  const counts = assessed.reduce<Record<Severity, number>>(
    (acc, a) => ({ ...acc, [a.assessment.severity]: acc[a.assessment.severity] + 1 }),
    { critical: 0, warning: 0, unknown: 0, ok: 0 }
  );
  const notices = [
    ...(input.missing.length > 0
      ? [
          `Missing fields ${input.missing.map((f) => SUMMARY_FIELDS[f]).join(', ')}: those KPIs show "no data". ${SUMMARY_HINT}`,
        ]
      : []),
    ...(data.series.flatMap((f) => f.meta?.notices ?? []).map((n) => n.text) ?? []),
    ...(data.state === LoadingState.Error && errorText ? [`Part of the query failed: ${errorText}`] : []),
  ];
  const rowLayout = options.layout === 'list' && width >= LIST_ROW_MIN_WIDTH;
  const columnsForRows = rowLayout ? rowColumns(kpis) : undefined;

  return (
    <div className={styles.root} style={{ width, height }}>
      <div className={styles.header} aria-label="Summary of API states">
        {(['critical', 'warning', 'unknown', 'ok'] as const)
          .filter((s) => counts[s] > 0)
          .map((s) => (
            <span key={s} className={styles.count}>
              <span className={styles.dot} style={{ color: severityColor(theme, s) }} aria-hidden />
              {counts[s]} {SEVERITY_LABELS[s].toLowerCase()}
            </span>
          ))}
      </div>
      {notices.map((text) => (
        <div key={text} className={styles.notice} role="note">
          <Icon name="exclamation-triangle" aria-hidden />
          <span>{text}</span>
        </div>
      ))}
      <BoardList
        rows={assessed}
        layout={options.layout}
        rowLayout={rowLayout}
        kpis={kpis}
        rowColumns={columnsForRows}
        minTileWidth={options.minTileWidth}
        width={width}
        height={height}
        link={(row) => tileLink(options.linkTemplate, row, replaceVariables)}
        styles={styles}
      />
    </div>
  );
}
