// What kind of token a probe sends, for the audit's authentication inventory: a JWT (RFC 7519)
// or an opaque secret. Decided by shape only: three base64url segments (RFC 7515 compact
// serialisation; the third is empty for an unsecured token) whose first decodes to a JSON
// object with a string `alg`. The signature is not checked and nothing is trusted. Only `alg`
// and the `exp` claim leave this module: never the token, its other header fields or claims.
import type { CredentialFormat } from '@apimon/core';

export interface CredentialFacts {
  format: CredentialFormat;
  /** The JWT's signing algorithm ("RS256", "none", ...); null for an opaque secret or an alg that is not a plain name. */
  alg: string | null;
  /** The JWT's `exp` claim, epoch ms; null when absent or not a number. */
  expiresAt: number | null;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** JOSE algorithm names are short ASCII words (RFC 7518 section 3.1); anything else is not exported. */
const ALG_NAME = /^[A-Za-z0-9+_.-]{1,32}$/;
/** Decoding a claim set larger than this is not worth it: the token stays a JWT without exp. */
const MAX_PAYLOAD_CHARS = 16_384;

function jsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The shape of a credential value (a bearer token, an API key, an OAuth2 access token). */
export function credentialFacts(value: string): CredentialFacts {
  const opaque: CredentialFacts = { format: 'opaque', alg: null, expiresAt: null };
  const parts = value.trim().split('.');
  if (parts.length !== 3 || !SEGMENT.test(parts[0]) || !SEGMENT.test(parts[1]) || !(parts[2] === '' || SEGMENT.test(parts[2]))) {
    return opaque;
  }
  const header = jsonObject(parts[0]);
  if (!header || typeof header.alg !== 'string') {
    return opaque;
  }
  const claims = parts[1].length <= MAX_PAYLOAD_CHARS ? jsonObject(parts[1]) : null;
  const exp = claims?.exp;
  return {
    format: 'jwt',
    alg: ALG_NAME.test(header.alg) ? header.alg : null,
    expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null,
  };
}
