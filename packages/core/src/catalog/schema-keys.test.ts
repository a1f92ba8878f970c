import { z } from 'zod';
import { catalogSchema } from './schema';
import { schemaKeys } from './schema-keys';

describe('schemaKeys', () => {
  it('finds every catalog field, through optional, default, array, union and discriminated union', () => {
    // The list the parser kept by hand before it was derived from the schema (fields added since count too).
    const handWritten = [
      'defaults',
      'prober',
      'providers',
      'apis',
      'name',
      'displayName',
      'docs',
      'statusPage',
      'url',
      'format',
      'interval',
      'timeout',
      'maxBytes',
      'provider',
      'criticality',
      'owner',
      'description',
      'auth',
      'type',
      'secretEnv',
      'usernameEnv',
      'passwordEnv',
      'header',
      'prefix',
      'tokenUrl',
      'clientIdEnv',
      'clientSecretEnv',
      'scopes',
      'audience',
      'rateLimit',
      'limit',
      'window',
      'probeShare',
      'thresholds',
      'latencyP95',
      'errorRate',
      'headroom',
      'statusComponents',
      'tags',
      'endpoints',
      'method',
      'headers',
      'body',
      'expect',
      'status',
      'bodyContains',
      'jsonKeys',
      'maxRedirects',
      'tls',
      'insecureSkipVerify',
      'serverName',
      'location',
      'concurrency',
      'dataDir',
      'historyRetention',
    ];
    expect(schemaKeys(catalogSchema)).toEqual(expect.arrayContaining(handWritten));
  });

  it('does not take record keys (user data) for fields', () => {
    expect(schemaKeys(z.object({ tags: z.record(z.string(), z.object({ x: z.number() })) })).sort()).toEqual([
      'tags',
      'x',
    ]);
  });
});
