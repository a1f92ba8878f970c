export * from './types';
export { parseAdvisoryFeed, type AdvisoryDocument } from './parse';
export { newAdvisories, isAcknowledged, itemTime, type AdvisoryWindow } from './state';
