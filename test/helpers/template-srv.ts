// A stand-in for Grafana's TemplateSrv (part of the Grafana server's frontend, which cannot
// run here): dashboard variables with their current values, and replace() with Grafana's
// rules for $var / ${var} / [[var]] and a format function for multi-value variables.
import type { ScopedVars, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

export interface TestVariable {
  name: string;
  value: string | string[];
  multi?: boolean;
  includeAll?: boolean;
}

type Format = (value: string | string[], variable: { multi?: boolean; includeAll?: boolean; name: string }) => string;

const VARIABLE_RE = /\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)\]\]/g;

export function createTemplateSrv(variables: TestVariable[]): Pick<TemplateSrv, 'replace' | 'getVariables'> {
  const byName = new Map(variables.map((v) => [v.name, v]));
  return {
    getVariables: () =>
      variables.map(
        (v) =>
          ({ name: v.name, type: 'custom', multi: v.multi, includeAll: v.includeAll }) as unknown as TypedVariableModel
      ),
    replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
      if (!target) {
        return target ?? '';
      }
      return target.replace(VARIABLE_RE, (match, a, b, c) => {
        const name = a ?? b ?? c;
        const scoped = scopedVars?.[name];
        const variable = byName.get(name);
        if (!scoped && !variable) {
          return match;
        }
        const value = scoped ? (scoped.value as string | string[]) : variable!.value;
        if (typeof format === 'function') {
          return (format as Format)(value, { name, multi: variable?.multi, includeAll: variable?.includeAll });
        }
        return Array.isArray(value) ? `{${value.join(',')}}` : value;
      });
    },
  };
}
