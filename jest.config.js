// Three projects: the Grafana plugin (jsdom, scaffold config), the plugin's built artifact once
// more against the Grafana 12 package set, and the Node packages (core, prober, sandbox) plus
// repository-level tests (node environment).
process.env.TZ = 'UTC';
const path = require('path');

const grafana = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// ESM-only packages @grafana/* 13 pull in, beyond the scaffold's list.
const transformIgnorePatterns = [nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0', '@marcbachmann', 'yaml'])];

// d3-color and friends ship only .mjs; the scaffold's transform skips .mjs, so .mjs goes through it too.
const transform = {
  '^.+\\.(t|j)sx?$': grafana.transform['^.+\\.(t|j)sx?$'],
  '^.+\\.mjs$': grafana.transform['^.+\\.(t|j)sx?$'],
};

// The Grafana 12 set (test/grafana-12, installed by scripts/grafana-packages.mjs): every package
// it declares (@grafana/*, React 18 and what Grafana shares with plugins) is taken from there,
// by the tests and by everything they load, so one React and one @grafana/data are in play.
// APIMON_GRAFANA_12_PACKAGES may name another folder of Grafana 12 packages (grafana-packages.ts).
const GRAFANA_12_DIR = process.env.APIMON_GRAFANA_12_PACKAGES || path.join(__dirname, 'test', 'grafana-12');
const grafana12Packages = Object.keys(require(path.join(GRAFANA_12_DIR, 'package.json')).dependencies);
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const grafana12ModuleNameMapper = Object.fromEntries(
  grafana12Packages.map((name) => [
    `^(${escapeRegExp(name)})(/.*)?$`,
    `${path.join(GRAFANA_12_DIR, 'node_modules')}/$1$2`,
  ])
);

const pluginProject = {
  ...grafana,
  displayName: 'plugin',
  transform,
  transformIgnorePatterns,
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'jsx', 'ts', 'tsx', 'json', 'node'],
};

module.exports = {
  // Integration tests start real servers and processes on a shared 2-core machine.
  testTimeout: 30_000,
  globalSetup: '<rootDir>/test/global-setup.js',
  projects: [
    pluginProject,
    {
      // The built plugin (dist/) loaded as Grafana 12 loads it; test/helpers/grafana-packages.ts.
      ...pluginProject,
      displayName: 'plugin-grafana-12',
      testMatch: ['<rootDir>/src/**/*artifact*.test.tsx'],
      moduleNameMapper: { ...grafana12ModuleNameMapper, ...pluginProject.moduleNameMapper },
      globals: { APIMON_GRAFANA_PACKAGES: 'grafana-12' },
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
