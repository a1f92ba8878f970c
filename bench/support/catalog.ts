// Catalogs for the benchmarks, built through the real catalog parser.
import { parseCatalog, type Api, type Catalog, type Endpoint } from '@apimon/core';

export function parseOrThrow(yaml: string): Catalog {
  const result = parseCatalog(yaml, 'bench-catalog.yaml');
  if (!result.ok) {
    throw new Error(`bench catalog rejected: ${JSON.stringify(result.issues.slice(0, 3))}`);
  }
  return result.catalog;
}

/** One API with one endpoint per URL, for calling the probe function directly. */
export function probeTargets(urls: string[], timeout = '5s'): Array<{ api: Api; endpoint: Endpoint }> {
  const yaml = [
    'providers: [{ name: bench }]',
    'apis:',
    '  - name: bench',
    '    provider: bench',
    '    criticality: standard',
    '    owner: bench',
    `    timeout: ${timeout}`,
    '    interval: 1m',
    '    endpoints:',
    ...urls.map((url, i) => `      - { name: e${i}, url: "${url}" }`),
  ].join('\n');
  const api = parseOrThrow(yaml).apis[0];
  return api.endpoints.map((endpoint) => ({ api, endpoint }));
}

/** A catalog of `count` APIs against one loopback target, as a large platform might have. With
 * `https`, every endpoint is https://localhost (a name to resolve, a handshake to make: all five
 * phases of a real provider) and trusts the target's throwaway certificate. */
export function largeCatalogYaml(count: number, targetPort: number, https = false): string {
  const criticality = ['critical', 'standard', 'background'];
  const lines = ['prober: { concurrency: 32, probeShare: 5% }', 'providers:'];
  const providers = Math.ceil(count / 10);
  for (let p = 0; p < providers; p++) {
    lines.push(`  - { name: provider-${p} }`);
  }
  lines.push('apis:');
  for (let i = 0; i < count; i++) {
    lines.push(
      `  - name: api-${i}`,
      `    provider: provider-${Math.floor(i / 10)}`,
      `    criticality: ${criticality[i % 3]}`,
      `    owner: team-${i % 17}`,
      // every third API documents its limit, so the quota guard has budgets to keep
      ...(i % 3 === 0 ? ['    rateLimit: { limit: 6000, window: 1m }'] : []),
      '    endpoints:',
      https
        ? `      - { name: list, url: "https://localhost:${targetPort}/ok?api=${i}", tls: { insecureSkipVerify: true } }`
        : `      - { name: list, url: "http://127.0.0.1:${targetPort}/ok?api=${i}" }`
    );
  }
  return lines.join('\n') + '\n';
}
