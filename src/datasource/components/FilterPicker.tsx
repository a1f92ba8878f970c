import React, { useCallback } from 'react';
import { Combobox, type ComboboxOption } from '@grafana/ui';
import type { QueryFilters } from '@apimon/core';
import type { ApimonDataSource } from '../datasource';

export const ALL_VALUE = '';

interface Props {
  datasource: ApimonDataSource;
  /** Label in the store whose values are offered. */
  label: keyof QueryFilters;
  value: string | undefined;
  /** The other filters: offered values are narrowed by them (endpoints of the chosen API). */
  filters: QueryFilters;
  onChange: (value: string | undefined) => void;
  width?: number;
}

/**
 * One filter: a value from the store, a template variable, or a typed regex ("pay.*",
 * "payments|geocoding"). Values load when the picker opens, narrowed by the other filters.
 */
export function FilterPicker({ datasource, label, value, filters, onChange, width = 24 }: Props) {
  const loadOptions = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      const { [label]: _self, ...others } = filters;
      let values: string[] = [];
      try {
        values = await datasource.labelValues(label, others);
      } catch {
        // The store is unreachable: variables and typed values still work; Save & test says why.
      }
      const variables = datasource.variableNames().map((name) => `$${name}`);
      const options: Array<ComboboxOption<string>> = [
        { value: ALL_VALUE, label: 'All', description: `every ${label}` },
        ...variables.map((v) => ({ value: v, label: v, description: 'template variable' })),
        ...values.map((v) => ({ value: v, label: v })),
      ];
      const needle = input.trim().toLowerCase();
      return needle ? options.filter((o) => (o.label ?? o.value).toLowerCase().includes(needle)) : options;
    },
    [datasource, label, filters]
  );

  // customValueDescription is new in Grafana 12.4's Combobox; 12.0 to 12.3 ignore it and show
  // their own "Use custom value". aria-label is Grafana 13's; on 12 the id ties the input to the
  // EditorField's label.
  return (
    <Combobox<string>
      id={`apimon-filter-${label}`}
      aria-label={`${label} filter`}
      width={width}
      value={value ? { value, label: value } : { value: ALL_VALUE, label: 'All' }}
      options={loadOptions}
      createCustomValue
      customValueDescription="regex or value"
      onChange={(option) => onChange(option.value === ALL_VALUE ? undefined : option.value)}
    />
  );
}
