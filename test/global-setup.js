// Jest's global setup: the Grafana 12 package set (test/grafana-12) must be installed before the
// plugin-grafana-12 project and the browser tests resolve anything from it. A no-op while its
// node_modules matches its lock, so `npx jest` works on a fresh clone as `npm test` does.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = () => {
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'grafana-packages.mjs'), '--quiet'], {
    stdio: 'inherit',
  });
};
