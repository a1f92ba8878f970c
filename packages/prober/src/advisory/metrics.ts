// Advisory series (names from the contract): per provider the count of new items and, for
// the newest of them, one series each (item id and title as labels) whose value is the
// publication time; Grafana annotates dashboards from it. Per feed, whether the last fetch
// worked. A failed fetch changes only its fetch-success series.
import { Gauge, type Registry } from 'prom-client';
import { MAX_ADVISORY_SERIES, METRIC_DEFS, type AdvisoryItem, type MetricDef } from '@apimon/core';

type Labels = Record<string, string>;

/** Titles as label values stay short and on one line. */
const labelText = (s: string) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 119)}…` : one;
};

export class AdvisoryMetrics {
  private readonly published: Gauge;
  private readonly unacknowledged: Gauge;
  private readonly fetchSuccess: Gauge;
  private readonly itemSeries = new Map<string, Labels[]>();
  private readonly countSeries = new Map<string, Labels>();
  private readonly feedSeries = new Map<string, Labels[]>();

  constructor(registry: Registry) {
    const gauge = (def: MetricDef) => {
      if (registry.getSingleMetric(def.name)) {
        registry.removeSingleMetric(def.name);
      }
      return new Gauge({ name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] });
    };
    this.published = gauge(METRIC_DEFS.providerAdvisory);
    this.unacknowledged = gauge(METRIC_DEFS.providerAdvisoriesUnacknowledged);
    this.fetchSuccess = gauge(METRIC_DEFS.providerAdvisoryFetchSuccess);
  }

  /** The provider's new items now (newest first); items no longer new lose their series. */
  setNew(
    provider: string,
    location: string,
    items: AdvisoryItem[],
    timeOf: (item: AdvisoryItem) => number | null
  ): void {
    const base = { provider, location };
    for (const old of this.itemSeries.get(provider) ?? []) {
      this.published.remove(old);
    }
    const written: Labels[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      if (written.length >= MAX_ADVISORY_SERIES) {
        break;
      }
      const labels = { ...base, item: labelText(item.id), title: labelText(item.title) };
      const key = `${labels.item}\u0000${labels.title}`;
      if (!seen.has(key)) {
        seen.add(key);
        this.published.set(labels, Math.floor((timeOf(item) ?? 0) / 1000));
        written.push(labels);
      }
    }
    this.itemSeries.set(provider, written);
    const previous = this.countSeries.get(provider);
    if (previous && previous.location !== location) {
      this.unacknowledged.remove(previous);
    }
    this.unacknowledged.set(base, items.length);
    this.countSeries.set(provider, base);
  }

  feedFetched(provider: string, location: string, feed: string, ok: boolean): void {
    const labels = { provider, location, feed };
    const list = (this.feedSeries.get(provider) ?? []).filter((l) => !(l.feed === feed && l.location === location));
    for (const stale of (this.feedSeries.get(provider) ?? []).filter(
      (l) => l.feed === feed && l.location !== location
    )) {
      this.fetchSuccess.remove(stale);
    }
    this.fetchSuccess.set(labels, ok ? 1 : 0);
    this.feedSeries.set(provider, [...list, labels]);
  }

  /** A feed left the catalog. */
  removeFeed(provider: string, feed: string): void {
    const list = this.feedSeries.get(provider) ?? [];
    for (const l of list.filter((x) => x.feed === feed)) {
      this.fetchSuccess.remove(l);
    }
    this.feedSeries.set(
      provider,
      list.filter((x) => x.feed !== feed)
    );
  }

  /** The provider has no advisory feeds any more: all its series go. */
  removeProvider(provider: string): void {
    for (const l of this.itemSeries.get(provider) ?? []) {
      this.published.remove(l);
    }
    for (const l of this.feedSeries.get(provider) ?? []) {
      this.fetchSuccess.remove(l);
    }
    const count = this.countSeries.get(provider);
    if (count) {
      this.unacknowledged.remove(count);
    }
    this.itemSeries.delete(provider);
    this.feedSeries.delete(provider);
    this.countSeries.delete(provider);
  }
}
