// Loopback target for the benchmarks, run as its own process so its CPU is never counted as
// the prober's. Prints "LISTENING <port>" once ready. Serves https when BENCH_TARGET_TLS_CERT
// and BENCH_TARGET_TLS_KEY hold a certificate and key (PEM).
//   GET /ok                 200, small JSON body and GitHub-style rate-limit headers
//   GET /delay?ms=D&id=N    the same after D ms; the delay really applied is kept under N
//   GET /applied            JSON {id: appliedMs} of the delays applied since the last call
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { performance } from 'node:perf_hooks';

const body = JSON.stringify({ data: [{ id: 'ch_1', amount: 1200, currency: 'eur' }], has_more: false });
const headers = {
  'content-type': 'application/json',
  'content-length': Buffer.byteLength(body),
  'x-ratelimit-limit': '5000',
  'x-ratelimit-remaining': '4999',
  'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
};
let applied = {};

const tls = process.env.BENCH_TARGET_TLS_CERT
  ? { cert: process.env.BENCH_TARGET_TLS_CERT, key: process.env.BENCH_TARGET_TLS_KEY }
  : undefined;
const server = (tls ? (handler) => createHttpsServer(tls, handler) : createHttpServer)((req, res) => {
  const start = performance.now();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/ok') {
    res.writeHead(200, headers);
    res.end(body);
  } else if (url.pathname === '/delay') {
    const ms = Number(url.searchParams.get('ms') ?? '0');
    const id = url.searchParams.get('id') ?? '';
    setTimeout(() => {
      applied[id] = performance.now() - start;
      res.writeHead(200, headers);
      res.end(body);
    }, ms);
  } else if (url.pathname === '/applied') {
    const out = JSON.stringify(applied);
    applied = {};
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(out);
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
