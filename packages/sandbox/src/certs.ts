// Throwaway X.509 certificates for the sandbox's TLS endpoints and for TLS tests, built at run
// time with node:crypto (EC P-256, ECDSA-SHA256) so no private key is ever committed and no
// openssl binary is needed. Only the DER needed for a CA, an intermediate, a leaf and a
// self-signed certificate is written here.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

function length(n: number): Buffer {
  if (n < 0x80) {
    return Buffer.from([n]);
  }
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) {
    bytes.unshift(v & 0xff);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...items: Buffer[]) => tlv(0x30, ...items);
const set = (...items: Buffer[]) => tlv(0x31, ...items);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer) => tlv(0x03, Buffer.from([0]), b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);

function integer(b: Buffer): Buffer {
  return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) {
      chunk.unshift(0x80 | (v & 0x7f));
    }
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function altNames(names: string[]): Buffer {
  return seq(
    ...names.map((n) => {
      if (isIP(n) === 4) {
        return tlv(0x87, Buffer.from(n.split('.').map(Number)));
      }
      return tlv(0x82, Buffer.from(n, 'ascii'));
    })
  );
}

export interface Issued {
  cert: string;
  key: string;
  /** notAfter, epoch ms (whole seconds, as the certificate stores it). */
  notAfter: number;
  keyObject: KeyObject;
  subject: string;
}

export interface CertOptions {
  /** Common name; also the issuer for a self-signed certificate. */
  commonName: string;
  /** DNS names and IPv4 addresses the certificate is valid for (leaf only). */
  altNames?: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** Issuing CA; absent = self-signed. */
  issuer?: Issued;
  isCa?: boolean;
}

function pem(label: string, der: Buffer): string {
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export function issueCertificate(options: CertOptions): Issued {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 30 * 86_400_000);
  const extensions: Buffer[] = [];
  if (options.isCa) {
    extensions.push(extension('2.5.29.19', true, seq(bool(true))));
    extensions.push(extension('2.5.29.15', true, tlv(0x03, Buffer.from([1, 0x06])))); // keyCertSign, cRLSign
  } else {
    extensions.push(extension('2.5.29.19', true, seq()));
    extensions.push(extension('2.5.29.17', false, altNames(options.altNames ?? [options.commonName])));
  }
  const serial = randomBytes(12);
  serial[0] = (serial[0] & 0x3f) | 0x40; // positive, and no leading zero byte (DER wants minimal integers)
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ecdsaSha256,
    name(options.issuer?.subject ?? options.commonName),
    seq(time(notBefore), time(notAfter)),
    name(options.commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions))
  );
  const signer = options.issuer?.keyObject ?? privateKey;
  const certificate = seq(tbs, ecdsaSha256, bits(sign('sha256', tbs, signer)));
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    cert: pem('CERTIFICATE', certificate),
    key: keyPem,
    notAfter: Math.floor(notAfter.getTime() / 1000) * 1000,
    keyObject: createPrivateKey(keyPem),
    subject: options.commonName,
  };
}
