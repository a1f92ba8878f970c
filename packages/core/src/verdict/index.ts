export * from './verdict';
export * from './steps';
