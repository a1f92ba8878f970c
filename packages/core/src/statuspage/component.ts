// How a component is named outside its page: `Group / Name` when the page puts it in a group,
// else its name. Pages reuse child names across groups (twelve platforms, each with "API"),
// so the name alone is not an identity; the label is what metrics, incident lists, the CLI
// and `statusComponents` use. Inside one snapshot a component is keyed by the page's own id.
import type { ComponentStatus } from './types';
import { worstLevel } from './vocabulary';

/** Between a group and a component name, in labels and in catalog `statusComponents`. */
export const GROUP_SEPARATOR = ' / ';

export function componentLabel(component: { name: string; group?: string }): string {
  return component.group ? `${component.group}${GROUP_SEPARATOR}${component.name}` : component.name;
}

/** The key one component has in a snapshot: the page's id where it gives one, else its label. */
export function componentKey(component: ComponentStatus): string {
  return component.id !== undefined ? `id:${component.id}` : `label:${componentLabel(component)}`;
}

/** The same component listed more than once (an id repeated, or a component named by several
 * incidents): keep one, at its worst level. Components that only share a name stay apart. */
export function mergeComponents(components: ComponentStatus[]): ComponentStatus[] {
  const byKey = new Map<string, ComponentStatus>();
  for (const c of components) {
    const key = componentKey(c);
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, status: worstLevel([seen.status, c.status]) } : c);
  }
  return [...byKey.values()];
}
