// docs/install.md and the README's install steps name files, ids, variables and commands of
// this repository: each is checked against the code, so the guide cannot drift from it. The
// guide's Kubernetes overlay is rendered with kubectl against deploy/kubernetes.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globSync } from 'glob';
import { parse, parseAllDocuments } from 'yaml';
import { SIGN_ROOT_URLS_ENV, SIGN_TOKEN_ENVS } from '../../scripts/package/plugin';
import { kubectlVersion, kustomizeHasPatches } from './kubectl';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const guide = read('docs/install.md');
const readme = read('README.md');
/** The README up to its second section: what a visitor sees first. */
const firstScreen = readme.slice(0, readme.indexOf('\n## ', readme.indexOf('\n## ') + 1));
const yamlBlocks = (markdown: string) => [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
const pluginIds = globSync('src/**/plugin.json', { cwd: ROOT })
  .map((f) => (JSON.parse(read(f)) as { id: string }).id)
  .sort();

describe('docs/install.md', () => {
  it('links only files that exist', () => {
    for (const [, target] of guide.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^https?:/.test(target)) {
        continue;
      }
      expect({ target, exists: existsSync(join(ROOT, 'docs', target)) }).toEqual({ target, exists: true });
    }
  });

  it('allows exactly the plugin ids of the app and its nested plugins, in the guide and the README', () => {
    expect(pluginIds).toEqual(['apimon-apimon-app', 'apimon-apimon-datasource', 'apimon-healthboard-panel']);
    for (const text of [guide, firstScreen]) {
      const lists = [
        ...text.matchAll(/allow_loading_unsigned_plugins = ([\w,-]+)/g),
        ...text.matchAll(/GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=([\w,-]+)/g),
      ];
      expect(lists.length).toBeGreaterThan(0);
      for (const [, list] of lists) {
        expect(list.split(',').sort()).toEqual(pluginIds);
      }
    }
  });

  it('names the signing variables, the zip and the npm package as the code does', () => {
    expect(guide).toContain(`export ${SIGN_TOKEN_ENVS[0]}=`);
    expect(guide).toContain(`export ${SIGN_ROOT_URLS_ENV}=`);
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    expect(guide).toContain(`apimon-apimon-app-${version}.zip`);
    const prober = JSON.parse(read('packages/prober/package.json')) as { name: string; version: string };
    expect(guide).toContain(`npm install -g ${prober.name}`);
    expect(guide).toContain(`apimon-prober-${prober.version}.tgz`);
    expect(read('packages/prober/Dockerfile')).toContain(`-t apimon/prober:${prober.version}`);
  });

  it('provisions the data source uids the dashboards and alert rules use', () => {
    const datasources = yamlBlocks(guide)
      .map((b) => parse(b) as { datasources?: Array<{ uid: string; type: string }> })
      .find((d) => d?.datasources)!.datasources!;
    const uids = Object.fromEntries(datasources.map((d) => [d.type, d.uid]));
    const dashboards = globSync('dashboards/*.json', { cwd: ROOT }).map(read).join('\n');
    expect(dashboards).toContain(`"uid": "${uids['apimon-apimon-datasource']}"`);
    expect(dashboards).toContain(`"uid": "${uids.prometheus}"`);
    expect(read('provisioning/alerting/rules.yaml')).toContain(`datasourceUid: ${uids.prometheus}`);
  });

  it("lists the contact points' environment variables", () => {
    const variables = [...read('provisioning/notifications/contact-points.yaml').matchAll(/\$\{(APIMON_[A-Z_]+)\}/g)].map(
      (m) => m[1]
    );
    for (const name of new Set(variables)) {
      expect(guide).toContain(`\`${name}\``);
    }
  });

  it('names the Kubernetes objects, Secret and state directory the manifests and the image use', () => {
    const deployment = parse(read('deploy/kubernetes/deployment.yaml')) as {
      spec: { template: { spec: { containers: Array<{ envFrom: Array<{ secretRef: { name: string } }> }> } } };
    };
    expect(guide).toContain(
      `create secret generic ${deployment.spec.template.spec.containers[0].envFrom[0].secretRef.name}`
    );
    expect(guide).toContain('kubectl apply -k deploy/kubernetes');
    expect(guide).toContain('`/var/lib/apimon` (`APIMON_DATA_DIR`)');
    expect(read('packages/prober/Dockerfile')).toContain('APIMON_DATA_DIR=/var/lib/apimon');
  });

  const kubectl = kubectlVersion();
  // Debian's kubectl 1.20 (the fallback .ci/run installs) predates `patches` in an overlay.
  const overlayRenders = kubectl !== null && kustomizeHasPatches(kubectl) ? it : it.skip;
  if (overlayRenders === it.skip) {
    console.warn(`install guide: the overlay needs kubectl 1.21 or newer to render; found ${JSON.stringify(kubectl)}`);
  }
  overlayRenders(
    'shows a Kubernetes overlay that renders: its namespace, image, catalog and Prometheus selection labels',
    () => {
      const overlay = yamlBlocks(guide).find((b) => b.startsWith('# my-apimon/kustomization.yaml'))!;
      const work = mkdtempSync(join(tmpdir(), 'apimon-overlay-'));
      try {
        // The overlay refers to a checkout beside it (../apimon): this repository.
        symlinkSync(ROOT, join(work, 'apimon'));
        mkdirSync(join(work, 'my-apimon'));
        writeFileSync(join(work, 'my-apimon', 'kustomization.yaml'), overlay);
        cpSync(join(ROOT, 'deploy/kubernetes/catalog.yaml'), join(work, 'my-apimon', 'catalog.yaml'));
        const rendered = execFileSync('kubectl', ['kustomize', join(work, 'my-apimon')], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        const objects = parseAllDocuments(rendered).map(
          (d) =>
            d.toJS() as { kind: string; metadata: { namespace: string; labels?: Record<string, string> }; spec: any }
        );
        expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['monitoring']));
        for (const kind of ['ServiceMonitor', 'PrometheusRule']) {
          expect(objects.find((o) => o.kind === kind)!.metadata.labels).toMatchObject({
            release: 'kube-prometheus-stack',
          });
        }
        const deployment = objects.find((o) => o.kind === 'Deployment')!;
        expect(deployment.spec.template.spec.containers[0].image).toMatch(/^registry\.example\.com\/apimon\/prober:/);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  );
});

describe("the README's first screen", () => {
  it('starts with installing into an existing Grafana in three steps, linking the guide', () => {
    const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections[0]).toBe('Install into your Grafana');
    expect(firstScreen).toContain('](docs/install.md)');
    expect([...firstScreen.matchAll(/^(\d)\. \*\*/gm)].map((m) => m[1])).toEqual(['1', '2', '3']);
    // The commands it shows exist here.
    expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.package).toBeDefined();
    expect(existsSync(join(ROOT, 'deploy/kubernetes/kustomization.yaml'))).toBe(true);
    expect(existsSync(join(ROOT, 'packages/prober/Dockerfile'))).toBe(true);
  });
});
