// Two projects: the Grafana plugin (jsdom, scaffold config) and the Node packages
// (core, prober, sandbox) plus repository-level tests (node environment).
process.env.TZ = 'UTC';

const grafana = require('./.config/jest.config');

// d3-color and friends ship only .mjs; the scaffold's transform skips .mjs (see ENVIRONMENT.md).
const transform = {
  '^.+\\.(t|j)sx?$': grafana.transform['^.+\\.(t|j)sx?$'],
  '^.+\\.mjs$': grafana.transform['^.+\\.(t|j)sx?$'],
};

module.exports = {
  projects: [
    {
      ...grafana,
      displayName: 'plugin',
      transform,
      moduleFileExtensions: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'json', 'node'],
    },
    {
      displayName: 'node',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      transformIgnorePatterns: grafana.transformIgnorePatterns,
    },
  ],
};
