// One rendering of the reports for the CLI and the Grafana Reports page.
export * from './escape';
export * from './html';
export * from './markdown';
export * from './json';
export { lineChart, barChart, outcomeChart } from './svg';

/** The formats `apimon report --format` writes (pdf: the HTML printed by Chromium). */
export const REPORT_FORMATS = ['html', 'pdf', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
