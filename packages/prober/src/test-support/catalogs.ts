// Small catalogs for prober tests, built through the real parser so they are always valid.
import { parseCatalog, type Catalog } from '@apimon/core';

export function catalogFrom(yaml: string): Catalog {
  const result = parseCatalog(yaml, 'test.yaml');
  if (!result.ok) {
    throw new Error(`test catalog is invalid:\n${result.issues.map((i) => `${i.path}: ${i.message}`).join('\n')}`);
  }
  return result.catalog;
}

/** A catalog of APIs each with the named endpoints, all pointing at `baseUrl`. */
export function catalogYaml(
  baseUrl: string,
  apis: Record<string, string[]>,
  extra = '',
  timing = { interval: '1s', timeout: '800ms' }
): string {
  const body = Object.entries(apis)
    .map(
      ([api, endpoints]) => `  - name: ${api}
    provider: ${api}-inc
    criticality: standard
    owner: team-${api}
    interval: ${timing.interval}
    timeout: ${timing.timeout}
    endpoints:
${endpoints.map((e) => `      - { name: ${e}, url: "${baseUrl}/${api}/${e}" }`).join('\n')}`
    )
    .join('\n');
  const providers = Object.keys(apis)
    .map((api) => `  - name: ${api}-inc`)
    .join('\n');
  return `defaults: { location: test }\nproviders:\n${providers}\napis:\n${body}\n${extra}`;
}
