// The credentials `npm start` gives the prober for the demo catalog: every environment variable
// the catalog's auth names, set to "sandbox" unless the user set it (the sandbox providers take
// any non-empty credential; docker-compose.yaml does the same). Without them the demo's APIs
// would be "not probed: missing env ...".
import { parseCatalog } from '@apimon/core';

export function demoSecrets(catalogText: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const parsed = parseCatalog(catalogText, 'catalog.example.yaml');
  const names = parsed.ok
    ? parsed.catalog.apis.flatMap((api) =>
        Object.entries(api.auth)
          .filter(([key]) => key.endsWith('Env'))
          .map(([, name]) => String(name))
      )
    : [];
  return { ...Object.fromEntries(names.map((name) => [name, 'sandbox'])), ...env };
}
