// Credentials for a probe, read from the environment variables the catalog names. A missing
// variable is a MisconfiguredError naming the API and the variable, never a value.
import type { Api } from '@apimon/core';
import { MisconfiguredError } from './errors';

type Env = Record<string, string | undefined>;

export function requireEnv(api: Api, env: Env, variable: string, field: string): string {
  const value = env[variable];
  if (value === undefined || value === '') {
    throw MisconfiguredError.missingEnv(api.name, variable, field);
  }
  return value;
}

/**
 * Static credential headers for bearer, basic and header auth; {} for none. OAuth2 needs a
 * token request and is handled by oauth2.ts; its variables are still checked here so a
 * misconfiguration shows before any traffic.
 */
export function staticAuthHeaders(api: Api, env: Env): Record<string, string> {
  const auth = api.auth;
  switch (auth.type) {
    case 'none':
      return {};
    case 'bearer':
      return { Authorization: `Bearer ${requireEnv(api, env, auth.secretEnv, 'auth.secretEnv')}` };
    case 'basic': {
      const user = requireEnv(api, env, auth.usernameEnv, 'auth.usernameEnv');
      const password = requireEnv(api, env, auth.passwordEnv, 'auth.passwordEnv');
      return { Authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` };
    }
    case 'header':
      return { [auth.header]: `${auth.prefix ?? ''}${requireEnv(api, env, auth.secretEnv, 'auth.secretEnv')}` };
    case 'oauth2':
      requireEnv(api, env, auth.clientIdEnv, 'auth.clientIdEnv');
      requireEnv(api, env, auth.clientSecretEnv, 'auth.clientSecretEnv');
      return {};
    case 'query':
      // Added to the URL per request by queryCredential; no header.
      return {};
  }
}

/** The query parameter and key for `auth: { type: query }`, or null for other methods. */
export function queryCredential(api: Api, env: Env): { param: string; value: string } | null {
  return api.auth.type === 'query' ? { param: api.auth.param, value: requireEnv(api, env, api.auth.secretEnv, 'auth.secretEnv') } : null;
}

/** Names of the headers that carry credentials for this API (dropped on a cross-origin redirect). */
export function credentialHeaderNames(api: Api): string[] {
  if (api.auth.type === 'none' || api.auth.type === 'query') {
    return [];
  }
  return api.auth.type === 'header' ? [api.auth.header.toLowerCase()] : ['authorization'];
}
