// The app's Reports page: pick a month (the monthly report) or one of its incidents (an
// incident report) and read the same report `apimon report` writes, rendered by the same code,
// in a sandboxed frame (no scripts run in it) that prints to paper or PDF from the browser.
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  Combobox,
  Field,
  LoadingPlaceholder,
  RadioButtonGroup,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';
import { monthContaining, recentMonths, type IncidentWindow, type Month } from '@apimon/core';
import {
  connectToDataSource,
  incidentReport,
  monthIncidents,
  monthlyReport,
  type RenderedReport,
  type ReportConnection,
} from './reportSource';

export type ReportKind = 'monthly' | 'incident';

export interface ReportsPageProps {
  /** How to reach the store and prober; default: the apimon data source. */
  connect?: () => Promise<ReportConnection>;
  now?: () => number;
  /** The month selected first (YYYY-MM); default: the last full month. */
  initialMonth?: string;
  initialKind?: ReportKind;
}

const KIND_OPTIONS: Array<{ label: string; value: ReportKind }> = [
  { label: 'Monthly report', value: 'monthly' },
  { label: 'Incident report', value: 'incident' },
];
const MONTHS_OFFERED = 12;

const hhmm = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const firing = (s: number) =>
  s < 3600 ? `${Math.round(s / 60)}m` : `${Math.floor(s / 3600)}h ${Math.round((s % 3600) / 60)}m`;

export function incidentLabel(w: IncidentWindow): string {
  return `${w.api} · ${w.severity} · ${hhmm(w.startedAt)} UTC · firing ${firing(w.firingSeconds)}${w.resolvedAt === null ? ' · ongoing' : ''}`;
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

export function ReportsPage({
  connect = connectToDataSource,
  now = Date.now,
  initialMonth,
  initialKind = 'monthly',
}: ReportsPageProps) {
  const styles = useStyles2(getStyles);
  const nowMs = useMemo(() => now(), [now]);
  const full = useMemo(() => recentMonths(nowMs, MONTHS_OFFERED), [nowMs]);
  // Incidents may be in the month still running.
  const withCurrent = useMemo(() => [monthContaining(nowMs), ...full], [nowMs, full]);
  const [kind, setKind] = useState<ReportKind>(initialKind);
  const [month, setMonth] = useState<string>(initialMonth ?? full[0].month);
  const [conn, setConn] = useState<ReportConnection>();
  const [incidents, setIncidents] = useState<IncidentWindow[]>();
  const [incident, setIncident] = useState<number>();
  const [report, setReport] = useState<RenderedReport>();
  const [loading, setLoading] = useState<string>();
  const [error, setError] = useState<string>();
  const frame = useRef<HTMLIFrameElement>(null);
  const request = useRef(0);

  const monthsFor = useCallback(
    (k: ReportKind): Month[] => (k === 'monthly' ? full : withCurrent),
    [full, withCurrent]
  );
  const months = monthsFor(kind);
  const selected = months.find((m) => m.month === month) ?? months[0];

  /** Runs one load; only the latest request may show its answer. */
  const run = useCallback(async <T,>(what: string, job: () => Promise<T>, done: (value: T) => void) => {
    const id = ++request.current;
    setLoading(what);
    setError(undefined);
    try {
      const value = await job();
      if (id === request.current) {
        done(value);
      }
    } catch (err) {
      if (id === request.current) {
        setError((err as Error).message);
      }
    } finally {
      if (id === request.current) {
        setLoading(undefined);
      }
    }
  }, []);

  /** What the page shows for a choice: the month's report, its incidents, or one incident's report. */
  const load = useCallback(
    (c: ReportConnection, k: ReportKind, m: Month, chosen?: IncidentWindow) => {
      setReport(undefined);
      if (k === 'monthly') {
        void run(`Building the report for ${m.month}`, () => monthlyReport(c, m, nowMs), setReport);
      } else if (chosen) {
        void run(`Building the incident report of ${chosen.api}`, () => incidentReport(c, chosen, nowMs), setReport);
      } else {
        void run(`Finding the incidents of ${m.month}`, () => monthIncidents(c, m, nowMs), setIncidents);
      }
    },
    [nowMs, run]
  );

  // The first load once the data source is known: with the choices the page started with.
  const initial = useRef({ kind, selected });
  useEffect(() => {
    connect().then(
      (c) => {
        setConn(c);
        load(c, initial.current.kind, initial.current.selected);
      },
      (err: Error) => setError(err.message)
    );
  }, [connect, load]);

  const chooseKind = (k: ReportKind) => {
    const m = monthsFor(k).find((x) => x.month === month) ?? monthsFor(k)[0];
    setKind(k);
    setMonth(m.month);
    setIncidents(undefined);
    setIncident(undefined);
    if (conn) {
      load(conn, k, m);
    }
  };
  const chooseMonth = (value: string) => {
    const m = months.find((x) => x.month === value) ?? months[0];
    setMonth(m.month);
    setIncidents(undefined);
    setIncident(undefined);
    if (conn) {
      load(conn, kind, m);
    }
  };
  const chooseIncident = (index: number) => {
    setIncident(index);
    if (conn && incidents?.[index]) {
      load(conn, 'incident', selected, incidents[index]);
    }
  };

  const fit = () => {
    const doc = frame.current?.contentDocument;
    if (frame.current && doc?.documentElement) {
      frame.current.style.height = `${doc.documentElement.scrollHeight + 16}px`;
    }
  };

  return (
    <div className={styles.page}>
      <Stack direction="row" gap={2} alignItems="flex-end" wrap="wrap">
        <RadioButtonGroup<ReportKind> options={KIND_OPTIONS} value={kind} onChange={chooseKind} aria-label="Report" />
        <Field label="Month" htmlFor="apimon-report-month" noMargin>
          <Combobox<string>
            id="apimon-report-month"
            aria-label="Month"
            width={18}
            options={months.map((m) => ({ label: m.month, value: m.month }))}
            value={selected.month}
            onChange={(option) => chooseMonth(option.value)}
          />
        </Field>
        {kind === 'incident' && incidents && incidents.length > 0 && (
          <Field label="Incident" htmlFor="apimon-report-incident" noMargin>
            <Combobox<string>
              id="apimon-report-incident"
              aria-label="Incident"
              width={60}
              placeholder="Pick an incident"
              options={incidents.map((w, i) => ({ label: incidentLabel(w), value: String(i) }))}
              value={incident === undefined ? null : String(incident)}
              onChange={(option) => chooseIncident(Number(option.value))}
            />
          </Field>
        )}
      </Stack>
      {report && (
        <Stack direction="row" gap={1}>
          <Button
            icon="file-alt"
            onClick={() => frame.current?.contentWindow?.print()}
            tooltip="Print, or save as PDF from the print dialog"
          >
            Print
          </Button>
          <Button
            variant="secondary"
            icon="download-alt"
            onClick={() => download(`${report.base}.html`, 'text/html', report.html)}
          >
            HTML
          </Button>
          <Button
            variant="secondary"
            icon="download-alt"
            onClick={() => download(`${report.base}.md`, 'text/markdown', report.md)}
          >
            Markdown
          </Button>
          <Button
            variant="secondary"
            icon="download-alt"
            onClick={() => download(`${report.base}.json`, 'application/json', report.json)}
          >
            JSON
          </Button>
        </Stack>
      )}
      {conn && (
        <Text color="secondary" variant="bodySmall">
          From the data source {conn.name}
          {conn.proberConfigured ? '' : ' (no prober URL: provider incidents are left out)'}. Root causes and corrective
          actions come from incident records, which <code>apimon report incident --record</code> reads.
        </Text>
      )}
      {error && (
        <Alert severity="error" title="The report could not be built">
          {error}
        </Alert>
      )}
      {loading && <LoadingPlaceholder text={loading} />}
      {kind === 'incident' && incidents && incidents.length === 0 && !loading && (
        <Alert severity="info" title={`No incidents in ${selected.month}`}>
          No critical or warning alert fired for 5 minutes or more.
        </Alert>
      )}
      {report && !loading && (
        <iframe
          ref={frame}
          className={styles.frame}
          title={report.title}
          srcDoc={report.html}
          // No scripts run in the report; same origin lets the page print it and size it.
          sandbox="allow-same-origin allow-modals"
          onLoad={fit}
        />
      )}
    </div>
  );
}

export default ReportsPage;

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  frame: css({
    width: '100%',
    minHeight: 600,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    // The report is a printable document: white paper in either theme.
    background: '#fff',
  }),
});
