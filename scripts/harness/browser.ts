// The system's Chromium through playwright-core, headless with the flags that work on these
// machines (no browser download): the same lookup and flags as the reports' PDF printing
// (CHROMIUM_PATH or APIMON_CHROMIUM when set, else the first Chromium or Chrome on the PATH).
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../packages/prober/src/report/pdf';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
}
