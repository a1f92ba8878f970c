// @apimon/core: isomorphic code shared by the prober, the CLI and the Grafana plugin.
// No Node-only or browser-only imports belong here.
export * from './contract';
export * from './verdict';
export * from './units';
export * from './catalog';
export * from './query';
export * from './statuspage';
export * from './ratelimit';
export * from './traffic';
export * from './prober-api';
export * from './input-issues';
export * from './audit';
export * from './advisory';
export * from './report';
