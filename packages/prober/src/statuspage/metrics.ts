// Status-page series (names from the contract in @apimon/core). Levels are gauges:
// 0 operational, 1 maintenance, 2 degraded, 3 partial outage, 4 major outage, -1 unknown.
// A failed fetch changes only apimon_provider_fetch_success (to 0): the other series keep the
// last good values, so a flapping status page does not look like a recovered provider.
// apimon_api_provider_status carries each API's own view of its provider's page (its
// statusComponents), so alerts need not guess from the whole page which API is hit.
import { Gauge, type Registry } from 'prom-client';
import {
  INCIDENT_IMPACTS,
  METRIC_DEFS,
  componentLabel,
  isOpenIncident,
  statusLevelValue,
  worstLevel,
  type MetricDef,
  type ProviderSnapshot,
  type StatusLevel,
} from '@apimon/core';

/**
 * Most component series one provider may have. Real pages have up to a few hundred components
 * (one per data centre, or a dozen platforms of twenty); a page with more is broken or hostile,
 * and its series would crowd out everyone else's. The rest are left out, with a warning.
 */
export const MAX_COMPONENT_SERIES = 1000;

type Labels = Record<string, string>;

export class StatusPageMetrics {
  private readonly componentStatus: Gauge;
  private readonly incidentsOpen: Gauge;
  private readonly providerStatus: Gauge;
  private readonly apiStatus: Gauge;
  private readonly fetchSuccess: Gauge;
  private readonly fetchTimestamp: Gauge;
  /** Component label sets written per provider, to remove components that left the page. */
  private readonly components = new Map<string, Labels[]>();
  /** API label sets written per provider, to remove APIs that left it. */
  private readonly apis = new Map<string, Labels[]>();
  private readonly providers = new Map<string, Labels>();

  constructor(registry: Registry) {
    // Names, help texts and label names are the contract's (METRIC_DEFS in @apimon/core).
    const gauge = (def: MetricDef) => {
      const existing = registry.getSingleMetric(def.name);
      if (existing) {
        registry.removeSingleMetric(def.name);
      }
      return new Gauge({ name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] });
    };
    this.componentStatus = gauge(METRIC_DEFS.providerComponentStatus);
    this.incidentsOpen = gauge(METRIC_DEFS.providerIncidentsOpen);
    this.providerStatus = gauge(METRIC_DEFS.providerStatus);
    this.apiStatus = gauge(METRIC_DEFS.apiProviderStatus);
    this.fetchSuccess = gauge(METRIC_DEFS.providerFetchSuccess);
    this.fetchTimestamp = gauge(METRIC_DEFS.providerFetchTimestamp);
  }

  /** A good snapshot: every series of the provider reflects it. Returns how many components
   * were left out for MAX_COMPONENT_SERIES. */
  recordSuccess(location: string, snapshot: ProviderSnapshot): number {
    this.relocate(snapshot.provider, location);
    const base = { provider: snapshot.provider, location };
    this.providers.set(snapshot.provider, base);
    // One series per label (`Group / Name`): two components a reader cannot tell apart either
    // (same group, same name, different ids) share it at their worst level.
    const byLabel = new Map<string, StatusLevel>();
    for (const c of snapshot.components) {
      const label = componentLabel(c);
      const seen = byLabel.get(label);
      if (seen !== undefined || byLabel.size < MAX_COMPONENT_SERIES) {
        byLabel.set(label, seen === undefined ? c.status : worstLevel([seen, c.status]));
      }
    }
    const written: Labels[] = [];
    for (const [component, status] of byLabel) {
      const labels = { ...base, component };
      this.componentStatus.set(labels, statusLevelValue(status));
      written.push(labels);
    }
    const keep = new Set(written.map((l) => l.component));
    for (const old of this.components.get(snapshot.provider) ?? []) {
      if (!keep.has(old.component)) {
        this.componentStatus.remove(old);
      }
    }
    this.components.set(snapshot.provider, written);
    const counts = new Map<string, number>(INCIDENT_IMPACTS.map((i) => [i, 0]));
    for (const i of snapshot.incidents) {
      if (isOpenIncident(i)) {
        counts.set(i.impact, (counts.get(i.impact) ?? 0) + 1);
      }
    }
    for (const [impact, n] of counts) {
      this.incidentsOpen.set({ ...base, impact }, n);
    }
    this.providerStatus.set(base, statusLevelValue(snapshot.indicator));
    this.fetchSuccess.set(base, 1);
    this.fetchTimestamp.set(base, Math.floor((snapshot.fetchedAt ?? 0) / 1000));
    return new Set(snapshot.components.map(componentLabel)).size - byLabel.size;
  }

  /** Each API's status on the provider's page (apiProviderStatus); APIs no longer listed lose their series. */
  recordApiStatuses(location: string, provider: string, statuses: ReadonlyArray<{ api: string; status: StatusLevel }>): void {
    this.relocate(provider, location);
    const written = statuses.map(({ api, status }) => {
      const labels = { api, provider, location };
      this.apiStatus.set(labels, statusLevelValue(status));
      return labels;
    });
    const keep = new Set(written.map((l) => l.api));
    for (const old of this.apis.get(provider) ?? []) {
      if (!keep.has(old.api)) {
        this.apiStatus.remove(old);
      }
    }
    this.apis.set(provider, written);
  }

  /** A failed fetch: only fetch success drops; a provider never fetched gets no other series. */
  recordFailure(location: string, provider: string): void {
    this.relocate(provider, location);
    const base = { provider, location };
    this.providers.set(provider, base);
    this.fetchSuccess.set(base, 0);
  }

  /** The catalog moved to another location: the old location's series would be ghosts. */
  private relocate(provider: string, location: string): void {
    const previous = this.providers.get(provider);
    if (previous && previous.location !== location) {
      this.removeProvider(provider);
    }
  }

  /** The provider left the catalog (or lost its status page): all its series go. */
  removeProvider(provider: string): void {
    const base = this.providers.get(provider);
    for (const labels of this.components.get(provider) ?? []) {
      this.componentStatus.remove(labels);
    }
    this.components.delete(provider);
    for (const labels of this.apis.get(provider) ?? []) {
      this.apiStatus.remove(labels);
    }
    this.apis.delete(provider);
    if (base) {
      for (const impact of INCIDENT_IMPACTS) {
        this.incidentsOpen.remove({ ...base, impact });
      }
      this.providerStatus.remove(base);
      this.fetchSuccess.remove(base);
      this.fetchTimestamp.remove(base);
    }
    this.providers.delete(provider);
  }
}
