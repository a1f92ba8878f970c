export * from './api';
export * from './read';
export * from './client';
