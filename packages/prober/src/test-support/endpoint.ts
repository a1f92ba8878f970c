// Builds a resolved Api/Endpoint through the real catalog parser (YAML is a superset of JSON).
import { formatIssue, parseCatalog, type Api, type Endpoint } from '@apimon/core';

export function endpointFor(
  endpoint: Record<string, unknown>,
  api: Record<string, unknown> = {}
): { api: Api; endpoint: Endpoint } {
  const text = JSON.stringify({
    providers: [{ name: 'acme' }],
    apis: [
      {
        name: 'test-api',
        provider: 'acme',
        criticality: 'standard',
        owner: 'tests',
        ...api,
        endpoints: [{ name: 'e', ...endpoint }],
      },
    ],
  });
  const result = parseCatalog(text, 'test-catalog.yaml');
  if (!result.ok) {
    throw new Error(result.issues.map(formatIssue).join('\n'));
  }
  return { api: result.catalog.apis[0], endpoint: result.catalog.apis[0].endpoints[0] };
}
