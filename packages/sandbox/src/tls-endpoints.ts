// HTTPS endpoints of a fake provider, one per way a provider's TLS set-up can be right or
// wrong, for the audit's proof and demo: each answers every GET with a small JSON document.
//   modern            TLS 1.2/1.3, full chain, HSTS, gzip when asked, no-store: nothing to find
//   legacy-tls        TLS 1.1 only (tls_old_protocol)
//   weak-cipher       TLS 1.2 with a CBC-mode cipher only (tls_weak_cipher)
//   incomplete-chain  the leaf without its intermediate (tls_chain_problem)
//   no-hsts           like modern, without Strict-Transport-Security (hsts_missing)
// One private CA (made at start, never written to disk) signs an intermediate that signs the
// leaf for 127.0.0.1 and localhost; clients trust `ca`. OpenSSL 3 refuses TLS 1.0/1.1 below
// security level 0, so the legacy endpoint lowers it for itself.
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { issueCertificate } from './certs';

export const TLS_PROFILES = ['modern', 'legacy-tls', 'weak-cipher', 'incomplete-chain', 'no-hsts'] as const;
export type TlsProfile = (typeof TLS_PROFILES)[number];

export interface TlsEndpoints {
  /** PEM of the CA to trust (the prober's `ca` option, `NODE_EXTRA_CA_CERTS`). */
  ca: string;
  /** Base URL per profile, e.g. https://127.0.0.1:40123 */
  urls: Record<TlsProfile, string>;
  close(): Promise<void>;
}

const HSTS = 'max-age=31536000; includeSubDomains';

/** A page of listings, a few KB of JSON: worth compressing. */
function body(): string {
  const items = Array.from({ length: 40 }, (_, i) => ({
    id: `lst_${1000 + i}`,
    title: `Listing ${i}`,
    price_eur: 10 + i,
    city: ['Berlin', 'Paris', 'Madrid'][i % 3],
  }));
  return JSON.stringify({ object: 'list', items });
}

function handler(profile: TlsProfile) {
  const text = Buffer.from(body());
  const zipped = gzipSync(text);
  return (req: IncomingMessage, res: ServerResponse) => {
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const payload = gzip ? zipped : text;
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': payload.length,
      'Cache-Control': 'no-store',
      Vary: 'Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      ...(profile === 'no-hsts' ? {} : { 'Strict-Transport-Security': HSTS }),
    });
    res.end(req.method === 'HEAD' ? undefined : payload);
  };
}

export async function createTlsEndpoints(host = '127.0.0.1'): Promise<TlsEndpoints> {
  const root = issueCertificate({ commonName: 'apimon sandbox root CA', isCa: true });
  const intermediate = issueCertificate({ commonName: 'apimon sandbox issuing CA', isCa: true, issuer: root });
  const leaf = issueCertificate({
    commonName: 'localhost',
    altNames: ['localhost', '127.0.0.1'],
    issuer: intermediate,
  });
  const chain = leaf.cert + intermediate.cert;
  const options: Record<TlsProfile, ServerOptions> = {
    modern: { cert: chain, key: leaf.key, minVersion: 'TLSv1.2' },
    'legacy-tls': {
      cert: chain,
      key: leaf.key,
      minVersion: 'TLSv1.1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    },
    'weak-cipher': {
      cert: chain,
      key: leaf.key,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-AES128-SHA',
    },
    'incomplete-chain': { cert: leaf.cert, key: leaf.key, minVersion: 'TLSv1.2' },
    'no-hsts': { cert: chain, key: leaf.key, minVersion: 'TLSv1.2' },
  };
  const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];
  const urls = {} as Record<TlsProfile, string>;
  try {
    for (const profile of TLS_PROFILES) {
      const server = createServer(options[profile], handler(profile));
      const sockets = new Set<Socket>();
      server.on('secureConnection', (s: Socket) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      // Clients that give up on the handshake (a probe meeting TLS 1.1) are not the server's problem.
      server.on('tlsClientError', () => undefined);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => resolve());
      });
      servers.push({ server, sockets });
      const address = server.address() as AddressInfo;
      urls[profile] = `https://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    }
  } catch (err) {
    await Promise.all(servers.map(({ server }) => new Promise((r) => server.close(r))));
    throw err;
  }
  return {
    ca: root.cert,
    urls,
    close: () =>
      Promise.all(
        servers.map(
          ({ server, sockets }) =>
            new Promise<void>((resolve) => {
              for (const s of sockets) {
                s.destroy();
              }
              server.close(() => resolve());
            })
        )
      ).then(() => undefined),
  };
}
