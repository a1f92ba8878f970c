// One rendering of the reports for the CLI and the Grafana Reports page.
export * from './escape';
export * from './html';
export * from './markdown';
export * from './json';
export { lineChart, barChart, outcomeChart } from './svg';
