export * from './sources';
export * from './mapping';
export * from './promql';
export { trafficSettingsOf } from './settings';
