// deploy/kubernetes as `kubectl kustomize` renders it (offline), validated against the
// Kubernetes and Prometheus Operator schemas (validate-kubernetes.mjs), and checked for what
// the prober needs: probes on /healthz and /readyz, a restricted security context that the
// image satisfies, the catalog ConfigMap mounted so edits reload, credentials from a Secret by
// environment variable name, a Service and ServiceMonitor that find the pod, and a
// PrometheusRule holding exactly the rule files of prometheus/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { parseCatalog } from '@apimon/core';
import { ruleFilePaths } from '../../scripts/provisioning/kubernetes';
import { kubectlVersion } from './kubectl';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any; // checked by the schema validator; read by path here
  data?: Record<string, string>;
}

function render(): K8sObject[] {
  if (!kubectlVersion()) {
    throw new Error('kubectl is needed to render deploy/kubernetes (kubectl kustomize); .ci/run installs it');
  }
  const yaml = execFileSync('kubectl', ['kustomize', join(ROOT, 'deploy', 'kubernetes')], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject);
}

const objects = render();
const one = (kind: string): K8sObject => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const deployment = () => one('Deployment');
const container = () => deployment().spec.template.spec.containers[0];
const proberVersion = (JSON.parse(read('packages/prober/package.json')) as { version: string }).version;

describe('deploy/kubernetes', () => {
  it('renders the catalog, prober, service, service monitor and rules into the apimon namespace, and no Namespace object', () => {
    // A Namespace in the base would be renamed by an overlay's `namespace:` and relabel (or, on
    // `kubectl delete -k`, delete) a shared namespace such as "monitoring".
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'PrometheusRule',
      'Service',
      'ServiceMonitor',
    ]);
    for (const o of objects) {
      expect({ kind: o.kind, namespace: o.metadata.namespace }).toEqual({ kind: o.kind, namespace: 'apimon' });
    }
  });

  it('validates against the Kubernetes and Prometheus Operator schemas', () => {
    // Along with the rendered objects, broken copies prove the validator rejects what the API server would.
    const broken = structuredClone(
      objects.filter((o) => ['Deployment', 'PrometheusRule', 'ServiceMonitor'].includes(o.kind))
    );
    for (const o of broken) {
      o.metadata.name = `broken-${o.metadata.name}`;
    }
    broken.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].ports[0].containerPort = '9464';
    broken.find((o) => o.kind === 'PrometheusRule')!.spec.groups[0].rules[0].for = 'five minutes';
    delete broken.find((o) => o.kind === 'ServiceMonitor')!.spec.selector;
    const out = execFileSync(process.execPath, [join(__dirname, 'validate-kubernetes.mjs')], {
      input: JSON.stringify([...objects, ...broken]),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const problems = (JSON.parse(out) as Array<{ kind: string; name: string; error: string }>).map(
      (p) => `${p.kind} ${p.name}: ${p.error}`
    );
    expect(problems.sort()).toEqual([
      expect.stringMatching(/^apps\/v1 Deployment broken-apimon-prober: .*containerPort must be integer$/),
      expect.stringMatching(/^monitoring.coreos.com\/v1 PrometheusRule broken-apimon: .*\/for must match pattern/),
      expect.stringMatching(
        /^monitoring.coreos.com\/v1 ServiceMonitor broken-apimon-prober: .*must have required property selector$/
      ),
    ]);
  });

  it('runs one prober from the image of this version, with liveness on /healthz, readiness on /readyz and resources', () => {
    expect(deployment().spec.replicas).toBe(1);
    expect(deployment().spec.strategy.type).toBe('Recreate');
    const c = container();
    expect(c.image).toBe(`apimon/prober:${proberVersion}`);
    const port = c.ports.find((p: { name: string }) => p.name === 'metrics');
    expect(c.args).toContain(`--listen=0.0.0.0:${port.containerPort}`);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(c.startupProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits.memory).toEqual(expect.any(String));
    // Probes in flight finish before the kubelet kills the pod.
    const grace = Number(/--shutdown-grace=(\d+)s/.exec(c.args.join(' '))![1]);
    expect(deployment().spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(grace);
  });

  it('meets the restricted Pod Security Standard: non-root, read-only root file system, no capabilities, runtime seccomp profile, as the image allows', () => {
    const pod = deployment().spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container().securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    // The image's numeric USER (packages/prober/Dockerfile) is the pod's user.
    const user = /^USER (\d+):(\d+)$/m.exec(read('packages/prober/Dockerfile'))!;
    expect([pod.securityContext.runAsUser, pod.securityContext.runAsGroup]).toEqual([Number(user[1]), Number(user[2])]);
    // The only writable place is a volume at the state directory.
    const dataDir = container().env.find((e: { name: string }) => e.name === 'APIMON_DATA_DIR').value;
    const stateMount = container().volumeMounts.find((m: { mountPath: string }) => m.mountPath === dataDir);
    expect(stateMount.readOnly).toBeUndefined();
    expect(pod.volumes.find((v: { name: string }) => v.name === stateMount.name).emptyDir).toBeDefined();
    // Only volume types the "restricted" Pod Security Standard allows, no host namespaces.
    expect(
      pod.volumes
        .map((v: Record<string, unknown>) => Object.keys(v).filter((k) => k !== 'name'))
        .flat()
        .sort()
    ).toEqual(['configMap', 'emptyDir']);
    expect([pod.hostNetwork, pod.hostPID, pod.hostIPC]).toEqual([undefined, undefined, undefined]);
  });

  it('mounts the catalog ConfigMap as a directory (updates reach it and reload the prober) holding a valid catalog', () => {
    const configPath = /--config=(\S+)/.exec(container().args.join(' '))![1];
    const mount = container().volumeMounts.find((m: { mountPath: string }) => configPath.startsWith(`${m.mountPath}/`));
    expect(mount).toMatchObject({ readOnly: true });
    expect(mount.subPath).toBeUndefined(); // a subPath mount never sees ConfigMap updates
    const volume = deployment().spec.template.spec.volumes.find((v: { name: string }) => v.name === mount.name);
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap.name)!;
    const key = configPath.slice(mount.mountPath.length + 1);
    expect(configMap.data![key]).toBe(read('deploy/kubernetes/catalog.yaml'));
    const parsed = parseCatalog(configMap.data![key], 'deploy/kubernetes/catalog.yaml');
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  });

  it('reads credentials from a Secret by environment variable name, and no secret value is in the manifests', () => {
    expect(container().envFrom).toEqual([{ secretRef: { name: 'apimon-credentials', optional: true } }]);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const catalog = read('deploy/kubernetes/catalog.yaml');
    expect([...catalog.matchAll(/secretEnv: ([A-Z_]+)/g)].map((m) => m[1])).toEqual([
      'GITHUB_TOKEN',
      'STRIPE_SECRET_KEY',
    ]);
  });

  it('exposes the prober through a Service the ServiceMonitor selects, scraped like prometheus.yml scrapes it', () => {
    const service = one('Service');
    const podLabels = deployment().spec.template.metadata.labels;
    expect(podLabels).toMatchObject(service.spec.selector);
    expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'metrics', targetPort: 'metrics' })]);
    const monitor = one('ServiceMonitor');
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    const [endpoint] = monitor.spec.endpoints;
    expect(endpoint.port).toBe('metrics');
    const prom = parse(read('prometheus/prometheus.yml')) as {
      global: { scrape_interval: string; scrape_timeout: string };
      scrape_configs: Array<{ job_name: string; metrics_path: string }>;
    };
    const job = prom.scrape_configs.find((j) => j.job_name === 'apimon')!;
    expect(endpoint).toMatchObject({
      path: job.metrics_path,
      interval: prom.global.scrape_interval,
      scrapeTimeout: prom.global.scrape_timeout,
    });
    expect(endpoint.relabelings).toEqual([{ action: 'replace', targetLabel: 'job', replacement: job.job_name }]);
  });

  it('holds in its PrometheusRule exactly the rule groups of the rule files prometheus.yml loads (regenerate with npm run provisioning)', () => {
    const files = ruleFilePaths(read);
    expect(files).toEqual(['prometheus/recording.yml', 'prometheus/alerts.yml']);
    const groups = files.flatMap((path) => (parse(read(path)) as { groups: unknown[] }).groups);
    expect(one('PrometheusRule').spec.groups).toEqual(groups);
  });
});
