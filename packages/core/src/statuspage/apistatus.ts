// An API's view of its provider's page: an API may name the components that concern it
// (`statusComponents`), so a broken "Dashboard" does not paint the payments API red.
//
// How a catalog names a component (case-insensitive, blanks around "/" ignored):
//   1. its label, `Group / Name` for a grouped component, else its name ("EU / API", "Webhooks");
//   2. its bare name, when exactly one component on the page has it ("Card payments");
//   3. a group's name, for every member of the group ("EU").
// A bare name that several groups share is ambiguous: it matches nothing and is reported with
// the labels to choose from, because taking all of them would paint this API red for another
// platform's outage, and taking one would be a guess.
import type { StatusLevel } from '../contract';
import { componentLabel, GROUP_SEPARATOR } from './component';
import type { ComponentStatus } from './types';
import { worstLevel } from './vocabulary';

export interface AmbiguousComponentName {
  /** As written in statusComponents. */
  name: string;
  /** Labels of the components it could mean. */
  candidates: string[];
}

export interface ApiProviderStatus {
  status: StatusLevel;
  /** The page's components this API depends on, as matched. */
  components: ComponentStatus[];
  /** Names from `statusComponents` that match no component on the page. */
  unmatched: string[];
  /** Bare names from `statusComponents` that match components in several groups. */
  ambiguous: AmbiguousComponentName[];
}

/** Comparison form of a label or catalog name: lower case, one blank around each "/". */
export function componentNameKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/ ?\/ ?/g, GROUP_SEPARATOR);
}

/** The components one catalog name refers to on this page, or why it refers to none. */
export function resolveComponentName(
  wanted: string,
  components: readonly ComponentStatus[]
): { matched: ComponentStatus[] } | { ambiguous: string[] } | { unmatched: true } {
  const k = componentNameKey(wanted);
  const byLabel = components.filter((c) => componentNameKey(componentLabel(c)) === k);
  if (byLabel.length > 0) {
    return { matched: byLabel };
  }
  const byName = components.filter((c) => componentNameKey(c.name) === k);
  const groups = new Set(byName.map((c) => c.group));
  if (byName.length > 0) {
    return groups.size === 1 ? { matched: byName } : { ambiguous: [...new Set(byName.map(componentLabel))] };
  }
  const byGroup = components.filter((c) => c.group !== undefined && componentNameKey(c.group) === k);
  return byGroup.length > 0 ? { matched: byGroup } : { unmatched: true };
}

/**
 * Without statusComponents, the API depends on the whole page: the worst of its overall
 * indicator and every component (a page may keep its indicator green while one component is
 * down). With them, it is the worst of the matched components; when none matches, its status
 * is unknown (the names are wrong, ambiguous, or the page renamed them) rather than a guess.
 * The prober exports this as apimon_api_provider_status, which alerts and the verdict read.
 */
export function apiProviderStatus(
  statusComponents: readonly string[] | undefined,
  page: { indicator: StatusLevel; components: readonly ComponentStatus[] }
): ApiProviderStatus {
  if (!statusComponents || statusComponents.length === 0) {
    return {
      status: worstLevel([page.indicator, ...page.components.map((c) => c.status)]),
      components: [],
      unmatched: [],
      ambiguous: [],
    };
  }
  const matched: ComponentStatus[] = [];
  const unmatched: string[] = [];
  const ambiguous: AmbiguousComponentName[] = [];
  for (const wanted of statusComponents) {
    const r = resolveComponentName(wanted, page.components);
    if ('unmatched' in r) {
      unmatched.push(wanted);
    } else if ('ambiguous' in r) {
      ambiguous.push({ name: wanted, candidates: r.ambiguous });
    } else {
      for (const hit of r.matched) {
        if (!matched.includes(hit)) {
          matched.push(hit);
        }
      }
    }
  }
  return {
    status: matched.length > 0 ? worstLevel(matched.map((c) => c.status)) : 'unknown',
    components: matched,
    unmatched,
    ambiguous,
  };
}
