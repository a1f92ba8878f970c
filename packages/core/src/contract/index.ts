// The one vocabulary of apimon: metric names, labels and label values (metrics.ts), the PromQL
// building blocks over them (promql.ts), the recording rules (recording.ts) and the Grafana
// ids, links and defaults (grafana.ts), the audit's finding kinds and severities (audit.ts).
// Everything that writes or reads apimon's series imports them from here; nothing spells a
// metric name or a dashboard uid by hand.
export * from './metrics';
export * from './promql';
export * from './recording';
export * from './grafana';
export * from './audit';
