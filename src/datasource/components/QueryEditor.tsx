import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { getDefaultTimeRange, type GrafanaTheme2, type QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Combobox, InlineSwitch, Input, MultiCombobox, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import {
  ERROR_MODES,
  GROUP_BY,
  PERCENTILES,
  QUERY_KINDS,
  RATELIMIT_SIGNALS,
  TRAFFIC_GROUP_BY,
  USAGE_SIGNALS,
  type Percentile,
  type QueryFilters,
  type QueryKind,
  type UsageSignal,
} from '@apimon/core';
import type { ApimonDataSource } from '../datasource';
import type { ApimonDataQuery, ApimonOptions } from '../types';
import { FilterPicker } from './FilterPicker';

export type Props = QueryEditorProps<ApimonDataSource, ApimonDataQuery, ApimonOptions>;

export const KIND_DESCRIPTIONS: Record<QueryKind, { label: string; description: string }> = {
  latency: { label: 'Latency', description: 'Percentiles (or mean) of probe duration, against the latency threshold' },
  phases: { label: 'Phases', description: 'DNS, connect, TLS, time to first byte, transfer' },
  errors: { label: 'Errors', description: 'Error ratio, or failures per second by outcome' },
  codes: { label: 'Status codes', description: 'Responses per second by HTTP status code' },
  ratelimit: { label: 'Rate limit', description: 'Remaining, limit, headroom ratio, time to exhaustion' },
  availability: { label: 'Availability', description: 'Success ratio and SLO error-budget burn' },
  status: { label: 'Provider status', description: "What each provider's status page says" },
  incidents: { label: 'Incidents', description: 'Provider incidents from the status-page history' },
  catalog: { label: 'Catalog', description: 'Endpoints, limits, auth, owner, thresholds: the integration docs' },
  summary: { label: 'Summary', description: 'One row per API with every headline KPI and its state' },
  traffic: { label: 'Real traffic', description: "The platform's own calls per second to each API (OpenTelemetry metrics)" },
  trafficErrors: { label: 'Real errors', description: 'Share of failed real calls (429 apart), or real calls per second by status code' },
  trafficLatency: { label: 'Real latency', description: "Percentiles of the real calls' duration, against the latency threshold" },
  trafficUsage: { label: 'Usage of the limit', description: 'Real usage of the documented rate limit: now, daily peak, forecast, days to the limit' },
  trafficUnmapped: { label: 'Unmapped hosts', description: 'Real calls to hosts no catalog API claims: integrations missing from the catalog' },
};

const KIND_OPTIONS = QUERY_KINDS.map((kind) => ({ value: kind, ...KIND_DESCRIPTIONS[kind] }));
const GROUPED_KINDS: QueryKind[] = ['latency', 'phases', 'errors', 'codes', 'ratelimit', 'availability'];
const TRAFFIC_GROUPED_KINDS: QueryKind[] = ['traffic', 'trafficErrors', 'trafficLatency'];
const FILTER_LABELS: Array<keyof QueryFilters> = ['api', 'provider', 'criticality', 'endpoint'];
/** Real traffic has no endpoint; unmapped calls belong to no API, so no filter applies to them. */
function filterLabelsOf(kind: QueryKind): Array<keyof QueryFilters> {
  if (kind === 'trafficUnmapped') {
    return [];
  }
  return kind.startsWith('traffic') ? FILTER_LABELS.filter((l) => l !== 'endpoint') : FILTER_LABELS;
}
const PERCENTILE_OPTIONS = PERCENTILES.map((p) => ({ value: p, label: p === 'mean' ? 'mean' : p }));
const GROUP_OPTIONS = GROUP_BY.map((g) => ({ value: g, label: g }));
const TRAFFIC_GROUP_OPTIONS = TRAFFIC_GROUP_BY.map((g) => ({ value: g, label: g }));
const TRAFFIC_PERCENTILE_OPTIONS = PERCENTILE_OPTIONS.filter((p) => p.value !== 'mean');
const TRAFFIC_ERROR_MODE_OPTIONS = ERROR_MODES.map((m) => ({ value: m, label: m === 'ratio' ? 'Ratio' : 'Rate by status code' }));
const USAGE_SIGNAL_LABELS: Record<UsageSignal, string> = {
  usage: 'now',
  peak: 'daily peak',
  forecast: 'forecast',
  daysToLimit: 'days to the limit',
};
const USAGE_SIGNAL_OPTIONS = USAGE_SIGNALS.map((s) => ({ value: s, label: USAGE_SIGNAL_LABELS[s] }));
const ERROR_MODE_OPTIONS = ERROR_MODES.map((m) => ({ value: m, label: m === 'ratio' ? 'Ratio' : 'Rate by outcome' }));
const SIGNAL_OPTIONS = RATELIMIT_SIGNALS.map((s) => ({ value: s, label: s === 'exhaustion' ? 'time to exhaustion' : s }));

export function QueryEditor({ query, datasource, onChange, onRunQuery, range }: Props) {
  const styles = useStyles2(getStyles);
  const kind: QueryKind = query.kind ?? 'latency';
  const filters: QueryFilters = useMemo(
    () => ({ api: query.api, provider: query.provider, criticality: query.criticality, endpoint: query.endpoint }),
    [query.api, query.provider, query.criticality, query.endpoint]
  );

  const update = (patch: Partial<ApimonDataQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  const generated = useMemo(() => {
    try {
      return { lines: datasource.describeQuery({ ...query, kind }, range ?? getDefaultTimeRange()), error: undefined };
    } catch (err) {
      return { lines: [], error: err instanceof Error ? err.message : String(err) };
    }
  }, [datasource, query, kind, range]);

  return (
    <EditorRows>
      <EditorRow>
        <EditorField label="Kind" tooltip={KIND_DESCRIPTIONS[kind].description}>
          <Combobox<QueryKind>
            id="apimon-kind"
            aria-label="Query kind"
            width={26}
            options={KIND_OPTIONS}
            value={kind}
            onChange={(option) => update({ kind: option.value })}
          />
        </EditorField>
        {filterLabelsOf(kind).map((label) => (
          <EditorField key={label} label={label[0].toUpperCase() + label.slice(1)} optional>
            <FilterPicker
              datasource={datasource}
              label={label}
              value={query[label]}
              filters={filters}
              onChange={(value) => update({ [label]: value })}
            />
          </EditorField>
        ))}
      </EditorRow>
      <EditorRow>
        {kind === 'trafficLatency' && (
          <EditorField label="Percentiles">
            <MultiCombobox<Percentile>
              id="apimon-traffic-percentiles"
              aria-label="Percentiles"
              width="auto"
              minWidth={20}
              options={TRAFFIC_PERCENTILE_OPTIONS}
              value={query.percentiles ?? ['p95']}
              onChange={(options) => update({ percentiles: options.map((o) => o.value) })}
            />
          </EditorField>
        )}
        {TRAFFIC_GROUPED_KINDS.includes(kind) && (
          <EditorField label="Group by">
            <RadioButtonGroup
              aria-label="Group by"
              options={TRAFFIC_GROUP_OPTIONS}
              value={query.groupBy ?? 'api'}
              onChange={(groupBy) => update({ groupBy })}
            />
          </EditorField>
        )}
        {kind === 'trafficErrors' && (
          <EditorField label="Errors as">
            <RadioButtonGroup
              options={TRAFFIC_ERROR_MODE_OPTIONS}
              value={query.errorMode ?? 'ratio'}
              onChange={(errorMode) => update({ errorMode })}
            />
          </EditorField>
        )}
        {kind === 'trafficUsage' && (
          <EditorField label="Usage">
            <RadioButtonGroup
              aria-label="Usage signal"
              options={USAGE_SIGNAL_OPTIONS}
              value={query.usageSignal ?? 'usage'}
              onChange={(usageSignal) => update({ usageSignal })}
            />
          </EditorField>
        )}
        {kind === 'latency' && (
          <EditorField label="Percentiles">
            <MultiCombobox<Percentile>
              id="apimon-percentiles"
              aria-label="Percentiles"
              width="auto"
              minWidth={20}
              options={PERCENTILE_OPTIONS}
              value={query.percentiles ?? ['p95']}
              onChange={(options) => update({ percentiles: options.map((o) => o.value) })}
            />
          </EditorField>
        )}
        {GROUPED_KINDS.includes(kind) && (
          <EditorField label="Group by">
            <RadioButtonGroup
              aria-label="Group by"
              options={GROUP_OPTIONS}
              value={query.groupBy ?? 'api'}
              onChange={(groupBy) => update({ groupBy })}
            />
          </EditorField>
        )}
        {kind === 'errors' && (
          <EditorField label="Errors as">
            <RadioButtonGroup
              options={ERROR_MODE_OPTIONS}
              value={query.errorMode ?? 'ratio'}
              onChange={(errorMode) => update({ errorMode })}
            />
          </EditorField>
        )}
        {kind === 'ratelimit' && (
          <EditorField label="Signal">
            <RadioButtonGroup
              options={SIGNAL_OPTIONS}
              value={query.rateLimitSignal ?? 'headroom'}
              onChange={(rateLimitSignal) => update({ rateLimitSignal })}
            />
          </EditorField>
        )}
        {kind === 'availability' && (
          <EditorField label="SLO target (%)" tooltip="Availability objective; the burn rate is measured against it">
            <Input
              id="apimon-slo"
              aria-label="SLO target"
              type="number"
              width={12}
              step={0.01}
              min={0}
              max={100}
              defaultValue={((query.sloTarget ?? 0.99) * 100).toString()}
              onBlur={(e) => {
                const percent = Number(e.currentTarget.value);
                if (percent > 0 && percent < 100) {
                  update({ sloTarget: percent / 100 });
                }
              }}
            />
          </EditorField>
        )}
        {kind === 'summary' && (
          <EditorField label="Window" tooltip="The KPIs are computed over this window at the end of the time range (e.g. 5m, 1h)">
            <Input
              id="apimon-window"
              aria-label="Summary window"
              width={12}
              placeholder="5m"
              defaultValue={query.window ?? ''}
              onBlur={(e) => {
                const value = e.currentTarget.value.trim();
                if (value !== (query.window ?? '')) {
                  update({ window: value || undefined });
                }
              }}
            />
          </EditorField>
        )}
        {kind === 'incidents' && (
          <EditorField label="Open only">
            <InlineSwitch
              aria-label="Open incidents only"
              value={Boolean(query.openOnly)}
              onChange={(e) => update({ openOnly: e.currentTarget.checked })}
            />
          </EditorField>
        )}
      </EditorRow>
      <EditorRow>
        <Stack direction="column" gap={0.5}>
          <Text variant="bodySmall" color="secondary">
            Generated queries (read-only)
          </Text>
          {generated.error !== undefined ? (
            <Text color="error">{generated.error}</Text>
          ) : (
            <pre className={styles.code} aria-label="Generated PromQL">
              {generated.lines.length ? generated.lines.join('\n') : 'No PromQL: this kind reads the prober API only.'}
            </pre>
          )}
        </Stack>
      </EditorRow>
    </EditorRows>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({
    margin: 0,
    padding: theme.spacing(1),
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    background: theme.colors.background.secondary,
    maxWidth: '100%',
  }),
});
