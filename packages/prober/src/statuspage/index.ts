export { StatusPageMonitor, HISTORY_FILE, MAX_BACKOFF_MS, type ApiStatus, type StatusPageMonitorOptions } from './monitor';
export { IncidentHistory, type HistoryEntry } from './history';
export { fetchDocument, type FetchFn } from './fetch';
