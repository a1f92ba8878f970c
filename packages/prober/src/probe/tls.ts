// TLS for a probe: connection options from the catalog, the earliest certificate expiry in the
// presented chain, and readable handshake errors.
import {
  connect,
  createSecureContext,
  rootCertificates,
  type DetailedPeerCertificate,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { isIP, type LookupFunction } from 'node:net';
import type { Endpoint } from '@apimon/core';

export interface TlsSettings {
  rejectUnauthorized: boolean;
  /** SNI and the name the certificate must match; absent for an IP literal without serverName. */
  servername?: string;
  /** Set when extra CAs are trusted; otherwise Node's default context (its root store). */
  secureContext?: SecureContext;
}

// Building a context parses every root certificate (tens of ms of CPU): once per CA set.
const contexts = new Map<string, SecureContext>();

function contextWith(extra: string[]): SecureContext {
  const key = extra.join('\n');
  let context = contexts.get(key);
  if (!context) {
    // `ca` replaces Node's root store, so the public roots are kept next to the extra ones.
    context = createSecureContext({ ca: [...rootCertificates, ...extra] });
    contexts.set(key, context);
  }
  return context;
}

export function tlsSettings(config: Endpoint['tls'], hostname: string, extraCa?: string | string[]): TlsSettings {
  const servername = config.serverName ?? (isIP(hostname) ? undefined : hostname);
  const extra = extraCa === undefined ? [] : Array.isArray(extraCa) ? extraCa : [extraCa];
  return {
    rejectUnauthorized: !config.insecureSkipVerify,
    servername,
    secureContext: extra.length > 0 ? contextWith(extra) : undefined,
  };
}

/**
 * Earliest notAfter (epoch ms) in the chain the server presented, walking issuerCertificate
 * up to the self-signed root (which refers to itself). Null when no certificate was presented.
 */
export function chainExpiry(socket: TLSSocket): number | null {
  let cert: DetailedPeerCertificate | undefined;
  try {
    cert = socket.getPeerCertificate(true);
  } catch {
    return null;
  }
  let earliest: number | null = null;
  const seen = new Set<string>();
  while (cert && cert.valid_to && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    const notAfter = Date.parse(cert.valid_to);
    if (Number.isFinite(notAfter) && (earliest === null || notAfter < earliest)) {
      earliest = notAfter;
    }
    cert = cert.issuerCertificate;
  }
  return earliest;
}

/** Error codes that mean the certificate (or its chain, or its name) was not accepted. */
const CERT_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_CERT_ALTNAME_FORMAT',
]);

/** True when the certificate, its chain or its name was not accepted. */
export function isCertificateError(err: NodeJS.ErrnoException): boolean {
  return CERT_CODES.has(err.code ?? '');
}

/** True when an error comes from the TLS layer (certificate checks, protocol, handshake). */
export function isTlsError(err: NodeJS.ErrnoException): boolean {
  const code = err.code ?? '';
  return CERT_CODES.has(code) || code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

/** "certificate has expired (CERT_HAS_EXPIRED)"; Node's messages are already plain English. */
export function describeTlsError(err: NodeJS.ErrnoException): string {
  const code = err.code;
  let message = err.message;
  if (code === 'EPROTO') {
    // OpenSSL's text is "...:SSL routines:ssl3_get_record:wrong version number:..." : keep the reason.
    const reason = /routines:[^:]*:([^:]+)/.exec(message)?.[1];
    message = reason ? `TLS protocol error: ${reason} (is the server speaking TLS?)` : 'TLS protocol error';
    return message;
  }
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

const PROTOCOL_VERSION_CODES = new Set([
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
  'ERR_SSL_WRONG_SSL_VERSION',
  'ERR_SSL_VERSION_TOO_LOW',
]);

/** The server and Node's defaults (TLS 1.2 and newer) share no protocol version. */
export function isProtocolVersionError(err: NodeJS.ErrnoException): boolean {
  return PROTOCOL_VERSION_CODES.has(err.code ?? '') || /unsupported protocol|protocol version/i.test(err.message);
}

export interface LegacyHandshakeTarget {
  host: string;
  port: number;
  servername?: string;
  lookup: LookupFunction;
  timeoutMs: number;
}

/**
 * One handshake that also accepts TLS 1.0 and 1.1 and legacy ciphers (OpenSSL 3 refuses them
 * below security level 0), to learn what a server that Node's defaults cannot talk to offers.
 * Nothing is sent over it and the certificate is not checked: it only names the protocol and
 * cipher for the audit. Null when that handshake fails too.
 */
export function legacyHandshake(target: LegacyHandshakeTarget): Promise<{ protocol: string; cipher: string } | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: { protocol: string; cipher: string } | null) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(value);
      }
    };
    const socket = connect({
      host: target.host,
      port: target.port,
      servername: target.servername,
      lookup: target.lookup,
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'ALL:@SECLEVEL=0',
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => finish(null), Math.max(1, target.timeoutMs));
    socket.once('secureConnect', () => finish({ protocol: socket.getProtocol() ?? 'unknown', cipher: socket.getCipher()?.name ?? 'unknown' }));
    socket.once('error', () => finish(null));
  });
}
