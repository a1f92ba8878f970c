// The catalog's real-traffic mapping as series (docs/real-traffic.md): one
// apimon_traffic_match per claim (an empty label means "any"), and each API's documented rate
// limit, so PromQL can join the platform's own HTTP-client metrics with the catalog. Rewritten
// whole on every catalog load: a claim that is gone must stop matching at once.
import { Gauge, type Registry } from 'prom-client';
import { TRAFFIC_LABELS, TRAFFIC_METRICS, type Catalog } from '@apimon/core';

const L = TRAFFIC_LABELS;

export class TrafficMappingMetrics {
  private readonly match: Gauge;
  private readonly limit: Gauge;
  private readonly window: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.match = new Gauge({
      name: TRAFFIC_METRICS.match,
      help: 'Real traffic this API claims: 1 per catalog claim; an empty server_port, http_request_method or url_template matches any.',
      labelNames: ['api', 'provider', 'location', L.serverAddress, L.serverPort, L.method, L.urlTemplate],
      registers,
    });
    const apiLabels = ['api', 'provider', 'location'];
    this.limit = new Gauge({
      name: TRAFFIC_METRICS.documentedLimit,
      help: "Requests per window the provider's documentation allows (the catalog's rateLimit.limit).",
      labelNames: apiLabels,
      registers,
    });
    this.window = new Gauge({
      name: TRAFFIC_METRICS.documentedWindow,
      help: "The window of the documented rate limit, in seconds (the catalog's rateLimit.window).",
      labelNames: apiLabels,
      registers,
    });
  }

  apply(catalog: Catalog): void {
    this.match.reset();
    this.limit.reset();
    this.window.reset();
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
      }
    }
  }
}
