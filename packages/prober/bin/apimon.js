#!/usr/bin/env node
// The apimon command. In the repository it runs the TypeScript sources through tsx, so
// `npx apimon` works right after `npm ci` and is never stale; the npm package (and the
// container image built from it) ships no sources and runs the bundle (scripts/bundle.mjs).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
// DNS lookups run on libuv's thread pool (4 threads by default): one provider's slow resolver
// would otherwise show up as dns time in other probes. Must be set before the pool starts.
process.env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE || '32';
const source = join(__dirname, '..', 'src', 'cli', 'main.ts');
if (existsSync(source)) {
  require('tsx/cjs');
  require(source).runCli();
} else {
  require('../dist/cli.js').runCli();
}
