// Two projects: the Grafana plugin (jsdom, scaffold config) and the Node packages
// (core, prober, sandbox) plus repository-level tests (node environment).
process.env.TZ = 'UTC';

const grafana = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// ESM-only packages @grafana/* 13 pull in, beyond the scaffold's list.
const transformIgnorePatterns = [nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0', '@marcbachmann', 'yaml'])];

// d3-color and friends ship only .mjs; the scaffold's transform skips .mjs, so .mjs goes through it too.
const transform = {
  '^.+\\.(t|j)sx?$': grafana.transform['^.+\\.(t|j)sx?$'],
  '^.+\\.mjs$': grafana.transform['^.+\\.(t|j)sx?$'],
};

module.exports = {
  // Integration tests start real servers and processes on a shared 2-core machine.
  testTimeout: 30_000,
  projects: [
    {
      ...grafana,
      displayName: 'plugin',
      transform,
      transformIgnorePatterns,
      moduleFileExtensions: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'json', 'node'],
    },
    {
      displayName: 'node',
      testEnvironment: 'node',
      transform,
      // Unit tests sit beside the code; tests of packages working together live in test/.
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      transformIgnorePatterns: grafana.transformIgnorePatterns,
    },
  ],
};
