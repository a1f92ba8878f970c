// An API's view of its provider's page: an API may name the components that concern it
// (`statusComponents`), so a broken "Dashboard" does not paint the payments API red. Names
// match case-insensitively, on the component's own name or on "group / name".
import type { StatusLevel } from '../contract';
import type { ComponentStatus } from './types';
import { worstLevel } from './vocabulary';

export interface ApiProviderStatus {
  status: StatusLevel;
  /** The page's components this API depends on, as matched. */
  components: ComponentStatus[];
  /** Names from `statusComponents` that match no component on the page. */
  unmatched: string[];
}

const key = (s: string) => s.trim().toLowerCase();

/**
 * Without statusComponents, the API follows the page's overall indicator. With them, it is
 * the worst of the matched components; when none matches, its status is unknown (the names
 * are wrong or the page renamed them) rather than a guess.
 */
export function apiProviderStatus(
  statusComponents: readonly string[] | undefined,
  page: { indicator: StatusLevel; components: readonly ComponentStatus[] }
): ApiProviderStatus {
  if (!statusComponents || statusComponents.length === 0) {
    return { status: page.indicator, components: [], unmatched: [] };
  }
  const matched: ComponentStatus[] = [];
  const unmatched: string[] = [];
  for (const wanted of statusComponents) {
    const k = key(wanted);
    const hits = page.components.filter((c) => key(c.name) === k || (c.group !== undefined && key(`${c.group} / ${c.name}`) === k));
    if (hits.length === 0) {
      unmatched.push(wanted);
    }
    for (const hit of hits) {
      if (!matched.includes(hit)) {
        matched.push(hit);
      }
    }
  }
  return {
    status: matched.length > 0 ? worstLevel(matched.map((c) => c.status)) : 'unknown',
    components: matched,
    unmatched,
  };
}
