// The floor under `apimon loadtest`: the same HTTP client (undici's Pool, one request per
// connection at a time, 256 connections at most) driven by the same kind of open-model timer
// loop, and nothing else: no verdicts, histograms, brake, progress or remote write. What it
// costs per request is what Node and undici cost; apimon's CPU above it is apimon's own.
//
// node bench/support/undici-floor.mjs URL RATE SECONDS
//   warms up for SECONDS, then measures SECONDS; prints one JSON line.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const [url, rateText = '5000', secondsText = '10'] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const target = new URL(url);
const MAX_IN_FLIGHT = 256;
const pool = new Pool(target.origin, { connections: MAX_IN_FLIGHT, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
const request = { path: target.pathname, method: 'GET', headers: ['user-agent', 'apimon-bench-floor', 'accept', '*/*'] };

let inFlight = 0;
let completed = 0;
let errors = 0;
let dropped = 0;

function send() {
  inFlight++;
  pool.dispatch(request, {
    onRequestStart() {},
    onResponseStart() {},
    onResponseData() {},
    onResponseEnd() {
      inFlight--;
      completed++;
    },
    onResponseError() {
      inFlight--;
      completed++;
      errors++;
    },
  });
}

/** Sends at `rate` per second for `ms`, on schedule, dropping what is due at the cap. */
function phase(ms) {
  return new Promise((resolve) => {
    const start = performance.now();
    let n = 0;
    const tick = () => {
      const now = performance.now();
      while (start + (n * 1000) / rate <= now && (n * 1000) / rate < ms) {
        n++;
        if (inFlight >= MAX_IN_FLIGHT) {
          dropped++;
        } else {
          send();
        }
      }
      if (now - start >= ms) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, Math.floor(start + (n * 1000) / rate - now)));
    };
    tick();
  });
}

await phase(seconds * 1000);
const cpu0 = process.cpuUsage();
const completed0 = completed;
const dropped0 = dropped;
const t0 = performance.now();
await phase(seconds * 1000);
const cpu = process.cpuUsage(cpu0);
const elapsed = (performance.now() - t0) / 1000;
const requests = completed - completed0;
console.log(
  JSON.stringify({
    requests,
    achievedRate: +(requests / elapsed).toFixed(1),
    dropped: dropped - dropped0,
    errors,
    cpuMsPer1000: +((((cpu.user + cpu.system) / 1000) * 1000) / requests).toFixed(1),
    userMsPer1000: +(((cpu.user / 1000) * 1000) / requests).toFixed(1),
    systemMsPer1000: +(((cpu.system / 1000) * 1000) / requests).toFixed(1),
  })
);
await pool.close();
