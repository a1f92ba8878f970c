// The catalog's real-traffic mapping as series (docs/real-traffic.md): one
// apimon_traffic_match per claim (an empty label means "any"), and each API's documented rate
// limit and the usage of it that alerts, so PromQL can join the platform's own HTTP-client
// metrics with the catalog. Rewritten whole on every catalog load: a claim that is gone must
// stop matching at once.
import { Gauge, type Registry } from 'prom-client';
import { METRIC_DEFS, TRAFFIC_LABELS, type Catalog, type MetricDef } from '@apimon/core';

const L = TRAFFIC_LABELS;

export class TrafficMappingMetrics {
  private readonly match: Gauge;
  private readonly limit: Gauge;
  private readonly window: Gauge;
  private readonly usageThreshold: Gauge;

  constructor(registry: Registry) {
    // Names, help texts and label names are the contract's (METRIC_DEFS in @apimon/core).
    const gauge = (def: MetricDef) =>
      new Gauge({ name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] });
    this.match = gauge(METRIC_DEFS.trafficMatch);
    this.limit = gauge(METRIC_DEFS.rateLimitDocumentedLimit);
    this.window = gauge(METRIC_DEFS.rateLimitDocumentedWindow);
    this.usageThreshold = gauge(METRIC_DEFS.thresholdUsage);
  }

  apply(catalog: Catalog): void {
    this.match.reset();
    this.limit.reset();
    this.window.reset();
    this.usageThreshold.reset();
    for (const api of catalog.apis) {
      const base = { api: api.name, provider: api.provider, location: catalog.location };
      for (const m of api.traffic.matches) {
        this.match.set(
          {
            ...base,
            [L.serverAddress]: m.serverAddress,
            [L.serverPort]: m.serverPort === undefined ? '' : String(m.serverPort),
            [L.method]: m.method ?? '',
            [L.urlTemplate]: m.urlTemplate ?? '',
          },
          1
        );
      }
      if (api.rateLimit) {
        this.limit.set(base, api.rateLimit.limit);
        this.window.set(base, api.rateLimit.windowMs / 1000);
        this.usageThreshold.set(base, api.thresholds.usageRatio);
      }
    }
  }
}
