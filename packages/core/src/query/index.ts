export * from './model';
export * from './types';
