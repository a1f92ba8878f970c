export { AdvisoryMonitor, type AdvisoryMonitorOptions } from './monitor';
