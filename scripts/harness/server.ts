// The browser harness: one page that renders the real health-board panel (and the data
// source's query and config editors) inside @grafana/ui's theme, bundled with esbuild.
// Data comes from recorded engine results (default) or from the query engine against a live
// store: `npm run harness -- --prometheus http://127.0.0.1:9090 [--prober http://127.0.0.1:9464]`
// (the prober token, if any, is read from APIMON_PROBER_TOKEN). `--grafana 12` bundles the page
// with the Grafana 12 package set (test/grafana-12: @grafana/* 12.4, React 18) instead of the
// root's Grafana 13 set.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build, type Plugin } from 'esbuild';
import { createQueryEngine, type ApimonQuery, type EngineResult, type Transport } from '@apimon/core';
import { createFetchTransport } from '../../packages/prober/src/query/transport';
import { FIXTURE_DIR, scaleRecording, shiftRecording, type RecordedResult } from './fixtures';
import { monthlySnapshot } from './snapshot';
import {
  GRAFANA_PACKAGE_SETS,
  packageDir,
  packageSet,
  REPO_ROOT,
  resolveInSet,
  type GrafanaPackageSet,
  type GrafanaPackageSetId,
} from '../../test/helpers/grafana-packages';

export interface HarnessOptions {
  port?: number;
  /** Live mode: query this Prometheus-compatible store instead of the recording. */
  prometheusUrl?: string;
  proberUrl?: string;
  proberToken?: string;
  /** The @grafana/* and React the page is bundled with (default: the root's, Grafana 13). */
  packages?: GrafanaPackageSet;
}

export interface Harness {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Every variant the page can ask for; each maps to a panel state. */
export const FIXTURES = ['scenario', 'empty', 'partial', 'foreign', 'error'] as const;
export type Fixture = (typeof FIXTURES)[number];

const HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>apimon harness</title>
<style>html,body{margin:0;padding:0}</style></head>
<body><div id="root"></div><script src="/bundle.js"></script></body>
</html>`;

/**
 * @grafana/plugin-compat feature-detects runtime APIs newer than the installed @grafana/runtime
 * by importing them by name; webpack lets such imports be undefined, esbuild refuses them. This
 * gives plugin-compat a @grafana/runtime with the absent names as undefined (what webpack does).
 */
const runtimeForPluginCompat = (packages: GrafanaPackageSet): Plugin => ({
  name: 'runtime-for-plugin-compat',
  setup(b) {
    const runtimeEntry = resolveInSet(packages, '@grafana/runtime').replace(/cjs\/index\.cjs$/, 'esm/index.mjs');
    b.onResolve({ filter: /^@grafana\/runtime$/ }, (args) =>
      args.importer.includes('@grafana/plugin-compat')
        ? { path: 'runtime-compat', namespace: 'runtime-compat' }
        : undefined
    );
    b.onLoad({ filter: /.*/, namespace: 'runtime-compat' }, () => {
      const exported = readFileSync(runtimeEntry, 'utf8');
      const absent = PLUGIN_COMPAT_PROBES.filter((name) => !new RegExp(`\\b${name}\\b`).test(exported));
      return {
        contents: `export * from ${JSON.stringify(runtimeEntry)};\n${absent.map((n) => `export const ${n} = undefined;`).join('\n')}`,
        resolveDir: __dirname,
      };
    });
  },
});

/**
 * Takes every package the set declares (@grafana/*, React, what Grafana shares with plugins)
 * from the set's folder, whoever imports it, so the page has one React and one @grafana/ui.
 * The root set needs nothing: it is where imports resolve anyway.
 */
function fromPackageSet(packages: GrafanaPackageSet): Plugin {
  const manifest = JSON.parse(readFileSync(join(packages.dir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const names = Object.keys(manifest.dependencies).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const filter = new RegExp(`^(${names.join('|')})(/.*)?$`);
  return {
    name: `packages-${packages.id}`,
    setup(b) {
      b.onResolve({ filter }, (args) =>
        args.resolveDir === packages.dir
          ? undefined
          : b.resolve(args.path, { kind: args.kind, resolveDir: packages.dir })
      );
    },
  };
}

const PLUGIN_COMPAT_PROBES = [
  'getDataSourceInstance',
  'getDataSourceInstanceList',
  'getDataSourceInstanceListItem',
  'getDataSourceInstanceSettings',
  'getDefaultDataSourceInstanceListItem',
  'registerRuntimeDataSourceInstance',
  'useDataSourceInstance',
  'useDataSourceInstanceList',
  'useDataSourceInstanceListItem',
  'useDefaultDataSourceInstanceListItem',
];

/**
 * The page renders its editors inside the router Grafana shares with plugins as "react-router"
 * (react-router-dom-v5-compat, a dependency of @grafana/ui), as Grafana renders plugin pages:
 * @grafana/ui's links read that router's context, not the one of the root's react-router-dom.
 */
function grafanaRouter(packages: GrafanaPackageSet): Plugin {
  const page = join(__dirname, 'page.tsx');
  return {
    name: 'grafana-router',
    setup(b) {
      b.onResolve({ filter: /^react-router-dom$/ }, (args) =>
        args.importer === page
          ? b.resolve('react-router-dom-v5-compat', {
              kind: args.kind,
              resolveDir: packageDir(packages, '@grafana/ui'),
            })
          : undefined
      );
    },
  };
}

export async function bundlePage(packages: GrafanaPackageSet = packageSet('grafana-13')): Promise<string> {
  const out = await build({
    entryPoints: [join(__dirname, 'page.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    sourcemap: false,
    logLevel: 'error',
    plugins: [
      runtimeForPluginCompat(packages),
      grafanaRouter(packages),
      ...(packages.dir === REPO_ROOT ? [] : [fromPackageSet(packages)]),
    ],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'dataurl', '.woff': 'empty', '.woff2': 'empty', '.css': 'empty', '.png': 'dataurl' },
  });
  return out.outputFiles[0].text;
}

function loadRecording(): RecordedResult {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'scenario.json'), 'utf8')) as RecordedResult;
}

/** The recorded result reshaped into each state the panel must explain. */
export function fixtureResult(fixture: Fixture, apis: number | undefined, nowMs: number): RecordedResult {
  let rec = shiftRecording(loadRecording(), nowMs);
  if (apis !== undefined) {
    rec = scaleRecording(rec, apis);
  }
  const result = rec.result;
  switch (fixture) {
    case 'empty':
      return {
        ...rec,
        result: {
          ...result,
          series: [],
          tables: result.tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, values: [] })) })),
        },
      };
    case 'partial': {
      // An older prober: no rate-limit or TLS fields, and its provider API unreachable.
      const dropped = new Set([
        'headroomRatio',
        'headroomThreshold',
        'rateLimitRemaining',
        'rateLimitLimit',
        'exhaustionSeconds',
        'tlsExpiresAt',
      ]);
      return {
        ...rec,
        result: {
          ...result,
          tables: result.tables.map((t) => ({ ...t, columns: t.columns.filter((c) => !dropped.has(c.name)) })),
          warnings: [
            'provider status per API and incident titles unavailable: the prober API did not answer (connection refused)',
          ],
        },
      };
    }
    case 'foreign':
      // A latency query fed to the board: series, but no summary table.
      return { ...rec, result: { ...result, tables: [] } };
    default:
      return rec;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function liveEngine(options: HarnessOptions) {
  const transport = createFetchTransport({
    prometheusUrl: options.prometheusUrl!,
    proberUrl: options.proberUrl,
    proberToken: options.proberToken,
    timeoutMs: 10_000,
  });
  return { transport, engine: createQueryEngine({ transport, proberConfigured: options.proberUrl !== undefined }) };
}

/** Label values for the editors' pickers: from the recording's summary rows. */
function recordedLabelValues(label: string): string[] {
  const table = loadRecording().result.tables[0];
  const column = table.columns.find((c) => c.name === label);
  return [...new Set((column?.values ?? []).filter((v): v is string => typeof v === 'string' && v !== ''))].sort();
}

/**
 * @grafana/ui's Icon fetches its SVGs from Grafana's public folder (public/img/icons/ in 12,
 * public/build/img/icons/ in 13); the package ships them, so the harness serves them as Grafana does.
 */
function iconFile(packages: GrafanaPackageSet, pathname: string): string | undefined {
  const icon = /^\/public\/(?:build\/)?img\/icons\/([\w/-]+\.svg)$/.exec(pathname);
  if (!icon) {
    return undefined;
  }
  const root = join(packageDir(packages, '@grafana/ui'), 'dist', 'public', 'img', 'icons');
  const file = join(root, icon[1]);
  return file.startsWith(root + sep) && existsSync(file) ? file : undefined;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const packages = options.packages ?? packageSet('grafana-13');
  const bundle = await bundlePage(packages);
  const live = options.prometheusUrl ? liveEngine(options) : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://harness');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      return send(res, 200, 'text/html; charset=utf-8', HTML);
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const icon = iconFile(packages, url.pathname);
    if (icon) {
      return send(res, 200, 'image/svg+xml', readFileSync(icon, 'utf8'));
    }
    if (url.pathname === '/bundle.js') {
      return send(res, 200, 'text/javascript; charset=utf-8', bundle);
    }
    if (url.pathname === '/api/result') {
      const fixture = (url.searchParams.get('fixture') ?? 'scenario') as Fixture;
      const apis = url.searchParams.has('apis') ? Number(url.searchParams.get('apis')) : undefined;
      if (!FIXTURES.includes(fixture)) {
        return send(
          res,
          400,
          'application/json',
          JSON.stringify({ error: `unknown fixture "${fixture}": one of ${FIXTURES.join(', ')}` })
        );
      }
      if (fixture === 'error') {
        return send(
          res,
          502,
          'application/json',
          JSON.stringify({
            error: 'Prometheus at http://127.0.0.1:9090 did not answer: connect ECONNREFUSED (is the store running?)',
          })
        );
      }
      if (live && fixture === 'scenario' && apis === undefined) {
        const toMs = Date.now();
        const range = { fromMs: toMs - 3_600_000, toMs, stepMs: 60_000 };
        const query: ApimonQuery = { kind: 'summary' };
        try {
          const result: EngineResult = await live.engine.run(query, range);
          const body: RecordedResult = { recordedAtMs: toMs, range, query, result };
          return send(res, 200, 'application/json', JSON.stringify(body));
        } catch (err) {
          return send(res, 502, 'application/json', JSON.stringify({ error: (err as Error).message }));
        }
      }
      return send(res, 200, 'application/json', JSON.stringify(fixtureResult(fixture, apis, Date.now())));
    }
    // view=snapshot: the monthly dashboard's panels as a snapshot holds them (live mode only).
    if (url.pathname === '/api/snapshot') {
      if (!live) {
        return send(res, 503, 'application/json', JSON.stringify({ error: 'the snapshot view needs a live store: start the harness with --prometheus' }));
      }
      const fromMs = Number(url.searchParams.get('from'));
      const toMs = Number(url.searchParams.get('to'));
      try {
        return send(res, 200, 'application/json', JSON.stringify(await monthlySnapshot(live.transport, live.engine, fromMs, toMs)));
      } catch (err) {
        return send(res, 502, 'application/json', JSON.stringify({ error: (err as Error).message }));
      }
    }
    // The editors' data source reaches the store through here, as through Grafana's data proxy.
    const proxied = /^\/proxy\/(prometheus|prober)(\/.*)$/.exec(url.pathname);
    if (proxied) {
      const [, target, path] = proxied;
      if (live) {
        try {
          const body = await (live.transport as Transport).get(
            target as 'prometheus' | 'prober',
            path,
            Object.fromEntries(url.searchParams)
          );
          return send(res, 200, 'application/json', JSON.stringify(body));
        } catch (err) {
          return send(res, 502, 'application/json', JSON.stringify({ error: (err as Error).message }));
        }
      }
      const label = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
      if (target === 'prometheus' && label) {
        return send(
          res,
          200,
          'application/json',
          JSON.stringify({ status: 'success', data: recordedLabelValues(decodeURIComponent(label[1])) })
        );
      }
      return send(
        res,
        503,
        'application/json',
        JSON.stringify({
          status: 'error',
          error: 'the harness replays a recording: start it with --prometheus for live queries',
        })
      );
    }
    return send(res, 404, 'text/plain', 'not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(res, 500, 'text/plain', err.message));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const grafana = flag(args, 'grafana') ?? '13';
  Promise.resolve()
    .then(() => {
      if (!GRAFANA_PACKAGE_SETS.some((set) => set.id === `grafana-${grafana}`)) {
        throw new Error(
          `--grafana ${grafana}: one of ${GRAFANA_PACKAGE_SETS.map((set) => set.grafanaMajor).join(', ')}`
        );
      }
    })
    .then(() =>
      startHarness({
        port: Number(flag(args, 'port') ?? 3100),
        prometheusUrl: flag(args, 'prometheus'),
        proberUrl: flag(args, 'prober'),
        proberToken: process.env.APIMON_PROBER_TOKEN || undefined,
        packages: packageSet(`grafana-${grafana}` as GrafanaPackageSetId),
      })
    )
    .then((h) => {
      process.stdout.write(
        `apimon harness on ${h.url}  (try ${h.url}/?theme=light&layout=list, ?fixture=empty|partial|foreign|error, ?apis=500, ?view=editors)\n`
      );
    })
    .catch((err: Error) => {
      process.stderr.write(`harness: ${err.message}\n`);
      process.exit(1);
    });
}
