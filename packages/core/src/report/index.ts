// Reports: the monthly report and incident reports, built from the store, the alert history,
// the prober's API and the team's incident records, rendered once for the CLI and Grafana.
export * from './period';
export * from './types';
export * from './alerts';
export * from './queries';
export * from './store';
export * from './record';
export * from './forecast';
export * from './format';
export * from './monthly';
export * from './incident';
export * from './render';
