// Real servers on 127.0.0.1 (port 0) for probe tests, each closed by the test that started it,
// open connections included.
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';

export interface Running {
  port: number;
  server: net.Server;
  /** "http://127.0.0.1:PORT/path" (or https). */
  url(path?: string): string;
}

export class TestServers {
  private readonly closers: Array<() => Promise<void>> = [];

  private async listen(server: net.Server, scheme: string): Promise<Running> {
    const sockets = new Set<Socket>();
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    // TLS servers hand out their own sockets; track those too.
    server.on('secureConnection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) {
            s.destroy();
          }
          server.close(() => resolve());
        })
    );
    const port = (server.address() as AddressInfo).port;
    return { port, server, url: (path = '/') => `${scheme}://127.0.0.1:${port}${path}` };
  }

  http(handler: http.RequestListener): Promise<Running> {
    return this.listen(http.createServer(handler), 'http');
  }

  /** `tls`: certificate and key, and any other server option (protocol versions, ciphers). */
  https(tls: https.ServerOptions & { cert: string; key: string }, handler: http.RequestListener): Promise<Running> {
    return this.listen(https.createServer(tls, handler), 'https');
  }

  /** A raw TCP server, for faults HTTP servers do not make (resets, silence, garbage). */
  tcp(onConnection: (socket: Socket) => void): Promise<Running> {
    return this.listen(net.createServer(onConnection), 'http');
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((close) => close()));
  }
}
