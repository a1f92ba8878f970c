// What the CLI and the prober's scheduled audit and report send to a store that wants to know
// who asks: a tenant (Mimir, Cortex: X-Scope-OrgID) and credentials (a bearer token, or basic
// auth). From the environment only, never from flags: a flag's value is on every `ps` listing
// and in shell history. The values never appear in a message or a log line; the names do.

export const STORE_ENV = {
  tenant: 'APIMON_STORE_TENANT',
  bearerToken: 'APIMON_STORE_BEARER_TOKEN',
  basicAuth: 'APIMON_STORE_BASIC_AUTH',
} as const;

/** A store setting in the environment that cannot be used; the message names the variable. */
export class StoreAuthError extends Error {}

/** The headers for the store's HTTP API from the environment (none when nothing is set). */
export function storeHeadersFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const headers: Record<string, string> = {};
  const tenant = env[STORE_ENV.tenant];
  if (tenant) {
    // Mimir reads several tenants joined by "|" for queries across them; any other control
    // character would make an invalid header.
    if (/[\u0000-\u001f\u007f]/.test(tenant)) {
      throw new StoreAuthError(`${STORE_ENV.tenant} contains a control character; a tenant ID is plain text`);
    }
    headers['X-Scope-OrgID'] = tenant;
  }
  const token = env[STORE_ENV.bearerToken];
  const basic = env[STORE_ENV.basicAuth];
  if (token && basic) {
    throw new StoreAuthError(
      `${STORE_ENV.bearerToken} and ${STORE_ENV.basicAuth} are both set; set the one your store takes`
    );
  }
  if (token) {
    if (/\s/.test(token.trim())) {
      throw new StoreAuthError(`${STORE_ENV.bearerToken} contains whitespace; set the token alone, without "Bearer"`);
    }
    headers.Authorization = `Bearer ${token.trim()}`;
  }
  if (basic) {
    if (!basic.includes(':')) {
      throw new StoreAuthError(`${STORE_ENV.basicAuth} must be USER:PASSWORD (no ":" found)`);
    }
    headers.Authorization = `Basic ${Buffer.from(basic, 'utf8').toString('base64')}`;
  }
  return headers;
}
