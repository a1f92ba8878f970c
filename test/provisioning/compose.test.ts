// docker-compose.yaml cannot run here (no Docker engine): check what it points at instead.
// Build contexts, Dockerfiles and bind mounts exist, the unsigned-plugin allowance names exactly
// our plugin ids, images are pinned, secrets come from the environment, and the addresses the
// services use for each other agree with prometheus.yml and the provisioned data sources.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

interface Service {
  image?: string;
  restart?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  network_mode?: string;
  ports?: string[];
  networks?: Record<string, { aliases?: string[] }>;
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(read('docker-compose.yaml')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;

describe('docker-compose.yaml', () => {
  it('runs Grafana, Prometheus, the prober, the sandbox and the demo platform, each with a health check, after building the plugin', () => {
    expect(Object.keys(services).sort()).toEqual(['grafana', 'platform', 'plugin', 'prober', 'prometheus', 'sandbox']);
    for (const [name, s] of Object.entries(services).filter(([n]) => n !== 'plugin')) {
      expect({ name, healthcheck: Array.isArray(s.healthcheck?.test) }).toEqual({ name, healthcheck: true });
    }
    // The plugin service is one shot: it builds the plugin, fills the volume and exits.
    expect(services.plugin.restart).toBe('no');
  });

  it('never starts Grafana without the plugin its provisioning enables', () => {
    // provisioning/plugins/apps.yaml enables the app; Grafana refuses to start when the plugin
    // is missing ("plugin not installed"), so Grafana waits for the build to complete.
    const apps = parse(read('provisioning/plugins/apps.yaml')) as { apps: Array<{ type: string }> };
    const app = JSON.parse(read('src/plugin.json')) as { id: string };
    expect(apps.apps.map((a) => a.type)).toEqual([app.id]);
    expect(services.grafana.depends_on!.plugin).toEqual({ condition: 'service_completed_successfully' });
    const [volume] = services.plugin.volumes!.map((v) => v.split(':'));
    expect(compose.volumes).toHaveProperty(volume[0]);
    expect(services.grafana.volumes).toContain(`${volume[0]}:/var/lib/grafana/plugins/${app.id}:ro`);
    const dockerfile = read(services.plugin.build!.dockerfile);
    expect(dockerfile).toMatch(/^FROM node:22/m);
    expect(dockerfile).toMatch(/RUN npm ci /);
    expect(dockerfile).toMatch(/RUN npm run build && test -f dist\/plugin\.json/);
    expect(dockerfile).toContain(`cp -a /plugin/. ${volume[1]}/`);
    for (const [, src] of dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)) {
      expect({ src, exists: src === '.' || existsSync(join(ROOT, src)) }).toEqual({ src, exists: true });
    }
  });

  it('lets Prometheus receive load-test results by remote write', () => {
    expect(services.prometheus.command).toContain('--web.enable-remote-write-receiver');
  });

  it('pins the Grafana and Prometheus images', () => {
    expect(services.grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(services.prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
  });

  it('builds the prober and the sandbox from the one apimon image (test/deploy/prober-image.test.ts checks its Dockerfile)', () => {
    for (const name of ['prober', 'sandbox', 'platform']) {
      const build = services[name].build!;
      expect(existsSync(join(ROOT, build.context, 'package.json'))).toBe(true);
      expect(build.dockerfile).toBe('packages/prober/Dockerfile');
      expect(existsSync(join(ROOT, build.context, build.dockerfile))).toBe(true);
    }
    expect(services.sandbox.image).toBe(services.prober.image);
    expect(services.platform.image).toBe(services.prober.image);
    expect(existsSync(join(ROOT, '.dockerignore'))).toBe(true);
  });

  it('mounts only paths that exist (dist/ is what npm run build writes)', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const volume of s.volumes ?? []) {
        const [source] = volume.split(':');
        if (!source.startsWith('.')) {
          expect(compose.volumes).toHaveProperty(source);
          continue;
        }
        if (source === './dist') {
          expect(read('.config/bundler/constants.ts')).toMatch(/DIST_DIR = ['"]dist['"]/);
          continue;
        }
        expect({ name, source, exists: existsSync(join(ROOT, source)) }).toEqual({ name, source, exists: true });
      }
    }
  });

  it('mounts the provisioning and the dashboards where Grafana and the provider expect them', () => {
    const volumes = services.grafana.volumes!;
    expect(volumes).toContain('./provisioning:/etc/grafana/provisioning:ro');
    const provider = parse(read('provisioning/dashboards/apimon.yaml')) as { providers: Array<{ options: { path: string } }> };
    expect(volumes).toContain(`./dashboards:${provider.providers[0].options.path}:ro`);
    expect(services.prometheus.volumes).toContain('./prometheus:/etc/prometheus:ro');
  });

  it('allows exactly our three unsigned plugin ids', () => {
    const ids = [JSON.parse(read('src/plugin.json')).id, JSON.parse(read('src/datasource/plugin.json')).id];
    const panel = join(ROOT, 'src/panel/plugin.json');
    ids.push(existsSync(panel) ? JSON.parse(readFileSync(panel, 'utf8')).id : 'apimon-healthboard-panel');
    const allowed = services.grafana.environment!.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',');
    expect(allowed.sort()).toEqual(ids.sort());
    expect(ids.sort()).toEqual(['apimon-apimon-app', 'apimon-apimon-datasource', 'apimon-healthboard-panel']);
  });

  it('takes the admin password and every contact-point secret from the environment', () => {
    const env = services.grafana.environment!;
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
    const wanted = [...read('provisioning/notifications/contact-points.yaml').matchAll(/\$\{(APIMON_[A-Z_]+)\}/g)].map((m) => m[1]);
    expect(wanted.length).toBeGreaterThanOrEqual(5);
    for (const name of wanted) {
      expect(env[name]).toMatch(new RegExp(`^\\$\\{${name}:-`));
    }
  });

  it('agrees with prometheus.yml and the data sources on the service addresses', () => {
    const prom = parse(read('prometheus/prometheus.yml')) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
    const target = prom.scrape_configs.find((j) => j.job_name === 'apimon')!.static_configs[0].targets[0];
    const [host, port] = target.split(':');
    // The prober shares the sandbox's network namespace; "prober" is an alias of it.
    expect(services.prober.network_mode).toBe('service:sandbox');
    expect(services.sandbox.networks!.default.aliases).toContain(host);
    expect(services.prober.command).toEqual(expect.arrayContaining(['--listen', `0.0.0.0:${port}`]));
    const ds = read('provisioning/datasources/apimon.yaml');
    expect(ds).toContain(`http://${host}:${port}`);
    expect(ds).toContain('http://prometheus:9090');
    // The demo catalog's providers are the sandbox on 127.0.0.1:8480, reachable in that namespace.
    expect(read('catalog.example.yaml')).toContain('127.0.0.1:8480');
    expect(services.sandbox.command).toEqual(['sandbox', '--listen', '0.0.0.0:8480']);
  });

  it('scrapes the demo platform where it listens, calling the sandbox the catalog maps', () => {
    const prom = parse(read('prometheus/prometheus.yml')) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
    const [host, port] = prom.scrape_configs.find((j) => j.job_name === 'platform')!.static_configs[0].targets[0].split(':');
    expect(services.platform.network_mode).toBe('service:sandbox');
    expect(services.sandbox.networks!.default.aliases).toContain(host);
    expect(services.platform.command).toEqual(['platform', '--sandbox', 'http://127.0.0.1:8480', '--listen', `0.0.0.0:${port}`, '--rps', '1', '--semconv', 'both']);
    expect(services.sandbox.ports).toContain(`127.0.0.1:${port}:${port}`);
  });
});
