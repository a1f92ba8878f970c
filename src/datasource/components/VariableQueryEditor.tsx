import React, { useMemo } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Combobox } from '@grafana/ui';
import type { QueryFilters } from '@apimon/core';
import type { ApimonDataSource } from '../datasource';
import { VARIABLE_LABELS, type ApimonDataQuery, type ApimonOptions, type ApimonVariableQuery, type VariableLabel } from '../types';
import { FilterPicker } from './FilterPicker';

type Props = QueryEditorProps<ApimonDataSource, ApimonDataQuery, ApimonOptions, ApimonVariableQuery>;

const LABEL_OPTIONS = VARIABLE_LABELS.map((l) => ({ value: l, label: l }));

/** The narrowing filters offered per listed label: endpoints of "$api", APIs of a provider, ... */
const NARROWED_BY: Record<VariableLabel, Array<keyof QueryFilters>> = {
  api: ['provider', 'criticality'],
  provider: ['criticality'],
  criticality: [],
  endpoint: ['api', 'provider'],
  location: [],
};

/** Editor of a query variable: which label to list, optionally narrowed by other filters. */
export function VariableQueryEditor({ query, onChange, datasource }: Props) {
  const label: VariableLabel = query.label ?? 'api';
  const filters: QueryFilters = useMemo(
    () => ({ api: query.api, provider: query.provider, criticality: query.criticality }),
    [query.api, query.provider, query.criticality]
  );
  const set = (patch: Partial<ApimonVariableQuery>) => onChange({ ...query, label, refId: query.refId ?? 'variable', ...patch });

  return (
    <EditorRows>
      <EditorRow>
        <EditorField label="Values of">
          <Combobox<VariableLabel>
            id="apimon-variable-label"
            aria-label="Variable label"
            width={20}
            options={LABEL_OPTIONS}
            value={label}
            onChange={(option) => {
              // Keep only the filters that still apply to the new label.
              const keep = NARROWED_BY[option.value];
              const cleared = Object.fromEntries(FILTERS.map((f) => [f, keep.includes(f) ? query[f] : undefined]));
              set({ ...cleared, label: option.value });
            }}
          />
        </EditorField>
        {NARROWED_BY[label].map((f) => (
          <EditorField key={f} label={`${f[0].toUpperCase()}${f.slice(1)}`} optional>
            <FilterPicker datasource={datasource} label={f} value={query[f]} filters={filters} onChange={(v) => set({ [f]: v })} />
          </EditorField>
        ))}
      </EditorRow>
    </EditorRows>
  );
}

const FILTERS: Array<keyof QueryFilters> = ['api', 'provider', 'criticality', 'endpoint', 'location'];
