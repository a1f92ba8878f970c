#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx apimon` works right after `npm ci`.
'use strict';
// DNS lookups run on libuv's thread pool (4 threads by default): one provider's slow resolver
// would otherwise show up as dns time in other probes. Must be set before the pool starts.
process.env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE || '32';
require('tsx/cjs');
require('../src/cli/main.ts').runCli();
