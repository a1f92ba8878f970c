// Runs the apimon CLI from its bundle (packages/prober/dist/cli.js), as bin/apimon.js does in the
// npm package and the container image, for benchmarks that measure what users run (the
// repository's bin runs the TypeScript sources through tsx, which costs memory of its own).
'use strict';
const { join } = require('node:path');
process.env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE || '32';
require(join(__dirname, '..', '..', 'packages', 'prober', 'dist', 'cli.js')).runCli();
