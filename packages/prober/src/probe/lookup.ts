// Default name resolution: the system resolver (getaddrinfo, so /etc/hosts applies), except
// for the reserved `.invalid` TLD, which RFC 6761 says resolvers answer negatively at once.
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

function notFound(hostname: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  err.code = 'ENOTFOUND';
  err.syscall = 'getaddrinfo';
  return err;
}

export const defaultLookup: LookupFunction = (hostname, options, callback) => {
  if (/(^|\.)invalid\.?$/i.test(hostname)) {
    process.nextTick(() =>
      callback(notFound(hostname), (options as LookupOptions).all ? ([] as LookupAddress[]) : '', 0)
    );
    return;
  }
  systemLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err || (options as LookupOptions).all) {
      callback(err, addresses, 0);
      return;
    }
    const first = addresses[0];
    callback(null, first.address, first.family);
  });
};
