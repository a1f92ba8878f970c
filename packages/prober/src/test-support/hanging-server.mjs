// Two providers on 127.0.0.1 in one process of their own (as real providers are, so they never
// compete with the prober for the test's event loop): a TCP server that accepts every
// connection, reads and drops what it is sent and never answers (a provider that hangs), and an
// HTTP server that answers every request with 200 at once. Prints "LISTENING <hanging port>
// <healthy port>", then "OPEN <now> MAX <most at once>" whenever the number of connections
// open on the hanging server changes.
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';

const sockets = new Set();
let max = 0;
const report = () => process.stdout.write(`OPEN ${sockets.size} MAX ${max}\n`);
const server = createServer((socket) => {
  sockets.add(socket);
  max = Math.max(max, sockets.size);
  socket.on('error', () => undefined);
  // Reading what the client sent lets its close be seen at once.
  socket.resume();
  socket.on('close', () => {
    sockets.delete(socket);
    report();
  });
  report();
});
const healthy = createHttpServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 11 });
  res.end('{"ok":true}');
});
server.listen(0, '127.0.0.1', () =>
  healthy.listen(0, '127.0.0.1', () =>
    process.stdout.write(`LISTENING ${server.address().port} ${healthy.address().port}\n`)
  )
);
process.on('SIGTERM', () => {
  for (const socket of sockets) {
    socket.destroy();
  }
  healthy.closeAllConnections();
  healthy.close();
  server.close(() => process.exit(0));
});
