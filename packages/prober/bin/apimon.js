#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx apimon` works right after `npm ci`.
'use strict';
require('tsx/cjs');
require('../src/cli/main.ts').runCli();
