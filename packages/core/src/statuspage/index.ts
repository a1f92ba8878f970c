export * from './types';
export * from './vocabulary';
export { normalizeStatusPage, type NormalizeOptions } from './normalize';
export { statusPageRequests, autoCandidates } from './plan';
export { detectFormat } from './detect';
export { isOpenIncident } from './incident';
export { apiProviderStatus, type ApiProviderStatus } from './apistatus';
export { htmlToText, time as parseStatusTime } from './read';
export { FEED_OPEN_WINDOW_MS } from './formats/feed';
