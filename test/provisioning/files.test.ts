// The committed provisioning files: Grafana's documented formats (schemas.ts), every reference
// resolves (data-source uids, contact points, templates, dashboards, panels), dashboard queries
// of the apimon data source are valid ApimonQuery objects, the generated files equal the
// generator's output, and promtool accepts and passes the rule files and their tests.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DASHBOARDS } from '@apimon/core';
import { ALERT_SIGNALS } from '../../scripts/provisioning/alerts';
import { renderAll } from '../../scripts/provisioning/generate';
import { ALERT_GROUP, runbookUrlFromEnv, SELF_ALERT_GROUP } from '../../scripts/provisioning/render-alerts';
import { SELF_ALERT_SIGNALS } from '../../scripts/provisioning/self-alerts';
import {
  alertRulesFile,
  apimonTarget,
  contactPointsFile,
  dashboardProvidersFile,
  dashboardSchema,
  datasourcesFile,
  pluginsFile,
  policiesFile,
  REQUIRED_SETTINGS,
  templatesFile,
} from './schemas';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const yamlOf = (path: string) => parse(read(path)) as unknown;

const datasources = datasourcesFile.parse(yamlOf('provisioning/datasources/apimon.yaml'));
const rules = alertRulesFile.parse(yamlOf('provisioning/alerting/rules.yaml'));
const contactPoints = contactPointsFile.parse(yamlOf('provisioning/notifications/contact-points.yaml'));
const policies = policiesFile.parse(yamlOf('provisioning/notifications/notification-policies.yaml'));
const templates = templatesFile.parse(yamlOf('provisioning/alerting/notification-templates.yaml'));
const dashboardFiles = readdirSync(join(ROOT, 'dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map((f) => ({ file: f, json: JSON.parse(read(`dashboards/${f}`)) as Record<string, unknown> }));
const datasourceUids = new Set(datasources.datasources.map((d) => d.uid));

describe('data sources, dashboard provider, plugins', () => {
  it('provisions the built-in Prometheus and the apimon data source with fixed uids', () => {
    const byType = new Map(datasources.datasources.map((d) => [d.type, d]));
    expect(byType.get('prometheus')?.uid).toBe('apimon-prometheus');
    const plugin = JSON.parse(read('src/datasource/plugin.json')) as { id: string };
    expect(byType.get(plugin.id)?.uid).toBe('apimon');
    expect(byType.get(plugin.id)?.jsonData).toEqual(expect.objectContaining({ proberUrl: expect.stringMatching(/^http:\/\/prober:\d+$/) }));
    expect(datasources.datasources.filter((d) => d.isDefault)).toHaveLength(1);
  });

  it('loads the dashboards from the folder docker compose mounts', () => {
    const file = dashboardProvidersFile.parse(yamlOf('provisioning/dashboards/apimon.yaml'));
    expect(file.providers).toHaveLength(1);
    const compose = read('docker-compose.yaml');
    expect(compose).toContain(`./dashboards:${file.providers[0].options.path}`);
  });

  it('puts dashboards and alert rules in one folder, named by title by both provisioners', () => {
    // Grafana's alert-rule provisioning finds or creates a folder by title (random uid); a
    // dashboard provider with a folderUid looks the folder up by uid and would make a second one.
    const provider = dashboardProvidersFile.parse(yamlOf('provisioning/dashboards/apimon.yaml')).providers[0];
    expect(provider.folderUid).toBeUndefined();
    expect(new Set(rules.groups.map((g) => g.folder))).toEqual(new Set([provider.folder]));
  });

  it('enables the app plugin by its id', () => {
    const file = pluginsFile.parse(yamlOf('provisioning/plugins/apps.yaml'));
    const app = JSON.parse(read('src/plugin.json')) as { id: string };
    expect(file.apps).toEqual([expect.objectContaining({ type: app.id, disabled: false })]);
  });
});

describe('alert rules', () => {
  const group = rules.groups[0];

  it('has one Grafana rule per signal, with the same expression as prometheus/alerts.yml', () => {
    const prom = yamlOf('prometheus/alerts.yml') as { groups: Array<{ rules: Array<{ alert: string; expr: string; for: string }> }> };
    const promRules = prom.groups.flatMap((g) => g.rules);
    expect(group.rules.map((r) => r.title)).toEqual(ALERT_SIGNALS.map((s) => s.alert));
    for (const rule of group.rules) {
      const a = rule.data.find((d) => d.refId === 'A')!;
      const twin = promRules.find((r) => r.alert === rule.title)!;
      expect(a.model.expr).toBe(twin.expr);
      expect(rule.for).toBe(twin.for);
    }
  });

  it('queries only provisioned data sources or expressions, and its condition is one of its queries', () => {
    for (const rule of group.rules) {
      const refIds = rule.data.map((d) => d.refId);
      expect(refIds).toContain(rule.condition);
      for (const d of rule.data) {
        expect(d.datasourceUid === '__expr__' || datasourceUids.has(d.datasourceUid)).toBe(true);
        expect(d.model.refId).toBe(d.refId);
      }
      const condition = rule.data.find((d) => d.refId === rule.condition)!;
      expect(condition.model).toEqual(expect.objectContaining({ type: 'math', expression: expect.stringContaining('$A') }));
    }
  });

  it('keeps "$" out of labels, which Grafana interpolates as environment variables', () => {
    // Grafana does not interpolate annotations or query models, but it does interpolate labels.
    for (const rule of group.rules) {
      for (const value of Object.values(rule.labels)) {
        expect(value).not.toContain('$');
      }
    }
  });

  it('sets severity from criticality (or critical), summary, description, runbook and the API dashboard link', () => {
    for (const rule of group.rules) {
      // A regional problem is a warning whatever the criticality: the API still works from most locations.
      expect(rule.labels.severity).toMatch(/criticality|^critical$|^warning$/);
      expect(rule.annotations).toEqual(
        expect.objectContaining({ summary: expect.any(String), description: expect.any(String), runbook: expect.any(String) })
      );
      expect(rule.dashboardUid).toBe('apimon-api');
      const apiDashboard = dashboards.find((d) => d.json.uid === 'apimon-api')!.json as { panels: Array<{ id: number }> };
      expect(apiDashboard.panels.map((p) => p.id)).toContain(rule.panelId);
    }
  });

  it('never links a runbook relative to Grafana: no runbook_url by default, an absolute one when configured', () => {
    // A relative runbook_url (docs/provisioning.md#...) resolves against Grafana's own URL.
    const urls = (files: Map<string, string>) =>
      ['provisioning/alerting/rules.yaml', 'prometheus/alerts.yml'].flatMap((path) =>
        (parse(files.get(path)!) as { groups: Array<{ rules: Array<{ annotations: Record<string, string> }> }> }).groups
          .flatMap((g) => g.rules)
          .map((r) => r.annotations.runbook_url)
      );
    expect(urls(renderAll()).every((u) => u === undefined)).toBe(true);
    const base = 'https://git.example.com/org/apimon/blob/main/docs/provisioning.md';
    const configured = urls(renderAll({ runbookUrl: runbookUrlFromEnv(base) }));
    expect(configured).toHaveLength(2 * (ALERT_SIGNALS.length + SELF_ALERT_SIGNALS.length));
    expect(configured).toContain(`${base}#apimonlatencyhigh`);
    for (const url of configured) {
      expect(url).toMatch(/^https:\/\/git\.example\.com\/.+#apimon[a-z]+$/);
    }
    // The anchors are the runbook headings of docs/provisioning.md.
    const doc = read('docs/provisioning.md').toLowerCase();
    for (const signal of [...ALERT_SIGNALS, ...SELF_ALERT_SIGNALS]) {
      expect(doc).toContain(`### ${signal.alert.toLowerCase()}`);
    }
    expect(() => runbookUrlFromEnv('docs/provisioning.md')).toThrow(/not an absolute URL/);
    expect(() => runbookUrlFromEnv(`${base}#x`)).toThrow(/#fragment/);
    expect(runbookUrlFromEnv('  ')).toBeUndefined();
  });

  it('names the threshold in the description where the signal has one', () => {
    for (const rule of group.rules) {
      if (rule.data.some((d) => d.refId === 'T')) {
        expect(rule.annotations.description + rule.annotations.summary).toContain('$values.T');
      }
    }
  });

  it('documents every rule in docs/provisioning.md', () => {
    const doc = read('docs/provisioning.md');
    for (const signal of [...ALERT_SIGNALS, ...SELF_ALERT_SIGNALS]) {
      expect(doc).toContain(`| ${signal.alert} |`);
      expect(doc.toLowerCase()).toContain(`### ${signal.alert.toLowerCase()}`);
    }
  });
});

describe("the prober's own alert rules", () => {
  const group = rules.groups.find((g) => g.name === SELF_ALERT_GROUP)!;
  const prober = dashboards.find((d) => d.json.uid === 'apimon-prober')!.json as { panels: Array<{ id: number }> };

  it('are a group of their own next to the API rules, with the same expressions as prometheus/alerts.yml', () => {
    expect(rules.groups.map((g) => g.name)).toEqual([ALERT_GROUP, SELF_ALERT_GROUP]);
    const prom = yamlOf('prometheus/alerts.yml') as { groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for: string }> }> };
    expect(prom.groups.map((g) => g.name)).toEqual([ALERT_GROUP, SELF_ALERT_GROUP]);
    const promRules = prom.groups[1].rules;
    expect(group.rules.map((r) => r.title)).toEqual(SELF_ALERT_SIGNALS.map((s) => s.alert));
    expect(promRules.map((r) => r.alert)).toEqual(SELF_ALERT_SIGNALS.map((s) => s.alert));
    for (const rule of group.rules) {
      const twin = promRules.find((r) => r.alert === rule.title)!;
      expect(rule.data.find((d) => d.refId === 'A')!.model.expr).toBe(twin.expr);
      expect(rule.for).toBe(twin.for);
    }
    const uids = [...rules.groups.flatMap((g) => g.rules.map((r) => r.uid))];
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('page critical when a prober is gone, warn otherwise, and link the prober-health dashboard', () => {
    for (const rule of group.rules) {
      expect(rule.labels.severity).toBe(['ApimonProberDown', 'ApimonProberLocationMissing'].includes(rule.title) ? 'critical' : 'warning');
      expect(rule.labels.source).toBe('apimon');
      expect(rule.dashboardUid).toBe('apimon-prober');
      expect(prober.panels.map((p) => p.id)).toContain(rule.panelId);
      expect(rule.annotations.dashboard_url).toMatch(/^\/d\/apimon-prober(\?var-instance=\{\{ \$labels\.instance \}\})?$/);
    }
  });

  it('read process metrics of apimon probers only: every process_* and nodejs_* series is joined on apimon_build_info', () => {
    for (const signal of SELF_ALERT_SIGNALS) {
      if (/\b(process|nodejs)_/.test(signal.expr)) {
        expect({ alert: signal.alert, joined: signal.expr.includes('group_left (location) max by (job, instance, location) (apimon_build_info)') }).toEqual({ alert: signal.alert, joined: true });
      }
    }
  });
});

describe('contact points, notification policies, templates', () => {
  it('has the settings each integration requires, secrets only from environment variables', () => {
    const secretKeys = new Set(['integrationKey', 'apiKey', 'authorization_credentials', 'password', 'url', 'addresses']);
    for (const cp of contactPoints.contactPoints) {
      for (const r of cp.receivers) {
        for (const key of REQUIRED_SETTINGS[r.type] ?? []) {
          expect({ receiver: r.uid, key, set: typeof r.settings[key] === 'string' && (r.settings[key] as string).length > 0 }).toEqual({ receiver: r.uid, key, set: true });
        }
        for (const [key, value] of Object.entries(r.settings)) {
          if (secretKeys.has(key) && key !== 'apiUrl') {
            expect({ receiver: r.uid, key, value }).toEqual({ receiver: r.uid, key, value: expect.stringMatching(/^\$\{APIMON_[A-Z_]+\}$/) });
          }
        }
      }
    }
    expect(contactPoints.contactPoints.flatMap((c) => c.receivers.map((r) => r.type)).sort()).toEqual(['email', 'opsgenie', 'pagerduty', 'webhook']);
  });

  it('routes to existing contact points: critical to the pager, warnings to e-mail, grouped by api', () => {
    const names = new Set(contactPoints.contactPoints.map((c) => c.name));
    const root = policies.policies[0];
    const walk = (p: typeof root): string[] => [p.receiver, ...(p.routes ?? []).flatMap(walk)];
    for (const receiver of walk(root)) {
      expect(names).toContain(receiver);
    }
    expect(root.group_by).toContain('api');
    const route = (severity: string) => root.routes!.filter((r) => r.object_matchers?.some(([l, op, v]) => l === 'severity' && new RegExp(`^(?:${v})$`).test(severity) && (op === '=' || op === '=~')));
    expect(route('critical').map((r) => r.receiver)).toEqual(['apimon-pager', 'apimon-email']);
    expect(route('critical')[0].continue).toBe(true);
    expect(route('warning').map((r) => r.receiver)).toEqual(['apimon-email']);
    expect(route('info').map((r) => r.receiver)).toEqual(['apimon-webhook']);
    const pager = contactPoints.contactPoints.find((c) => c.name === 'apimon-pager')!;
    expect(pager.receivers.map((r) => r.type).sort()).toEqual(['opsgenie', 'pagerduty']);
  });

  it('provisions nothing that needs an environment variable: contact points and policies ship disabled', () => {
    // Grafana expands ${VAR} in provisioning files (os.ExpandEnv: unset is empty) and refuses an
    // integration with an empty address or key, which stops Grafana; the policy tree replaces
    // the organisation's. So they live in provisioning/notifications/, which Grafana never reads.
    // The committed files (a local copy of the notifications into alerting/ is git-ignored).
    const tracked = spawnSync('git', ['ls-files', 'provisioning'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n');
    const loaded = tracked.filter((f) => /^provisioning\/(datasources|dashboards|plugins|alerting)\/[^/]+\.(ya?ml|json)$/.test(f));
    expect(loaded).toContain('provisioning/alerting/rules.yaml');
    for (const file of loaded) {
      expect({ file, envVars: [...read(file).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]) }).toEqual({ file, envVars: [] });
    }
    expect(loaded).not.toContain('provisioning/alerting/contact-points.yaml');
    expect(read('provisioning/notifications/README.md')).toContain('cp provisioning/notifications/*.yaml provisioning/alerting/');
  });

  it('defines every template the contact points use', () => {
    const defined = new Set(templates.templates.flatMap((t) => [...t.template.matchAll(/define "([^"]+)"/g)].map((m) => m[1])));
    const used = [...read('provisioning/notifications/contact-points.yaml').matchAll(/template "([^"]+)"/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) {
      expect(defined).toContain(name);
    }
  });
});

describe('dashboards', () => {
  it('provisions exactly the dashboards of src/dashboards.ts, with their uids and titles', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual(DASHBOARDS.map((d) => d.uid).sort());
    for (const { file, json } of dashboards) {
      const meta = DASHBOARDS.find((d) => d.uid === json.uid)!;
      expect(file).toBe(`${meta.uid}.json`);
      expect(json.title).toBe(meta.title);
    }
  });

  it.each(dashboardFiles)('%s follows the dashboard model, with unique panel ids and no overlapping panels', (file) => {
    const d = dashboardSchema.parse(dashboards.find((x) => x.file === file)!.json);
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 0; i < d.panels.length; i++) {
      const a = d.panels[i].gridPos;
      expect(a.x + a.w).toBeLessThanOrEqual(24);
      for (let j = i + 1; j < d.panels.length; j++) {
        const b = d.panels[j].gridPos;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect({ file, panels: [d.panels[i].id, d.panels[j].id], overlap }).toEqual({ file, panels: [d.panels[i].id, d.panels[j].id], overlap: false });
      }
    }
  });

  it('references only provisioned data sources (panels, targets, variables, annotations)', () => {
    for (const { file, json } of dashboards) {
      const uids = [...JSON.stringify(json).matchAll(/"datasource":\{"type":"([^"]+)","uid":"([^"]+)"\}/g)].map((m) => m[2]);
      expect(uids.length).toBeGreaterThan(0);
      for (const u of uids) {
        expect({ file, uid: u, provisioned: u === '-- Grafana --' || u === '-- Mixed --' || datasourceUids.has(u) }).toEqual({ file, uid: u, provisioned: true });
      }
    }
  });

  it('stores valid ApimonQuery objects for the apimon data source (targets and annotations)', () => {
    let count = 0;
    for (const { json } of dashboards) {
      const d = json as { panels: Array<{ targets?: Array<{ datasource: { type: string } }> }>; annotations: { list: Array<{ datasource: { type: string }; target?: unknown }> } };
      const targets = d.panels.flatMap((p) => p.targets ?? []).filter((t) => t.datasource.type === 'apimon-apimon-datasource');
      for (const t of targets) {
        apimonTarget.parse(t);
        count++;
      }
      for (const a of d.annotations.list.filter((x) => x.datasource.type === 'apimon-apimon-datasource')) {
        apimonTarget.omit({ datasource: true }).parse(a.target);
        count++;
      }
    }
    expect(count).toBeGreaterThan(20);
  });

  it('rejects what is not an ApimonQuery', () => {
    const base = { refId: 'A', datasource: { type: 'apimon-apimon-datasource', uid: 'apimon' } };
    expect(apimonTarget.safeParse({ ...base, kind: 'latency', percentiles: ['p95'] }).success).toBe(true);
    expect(apimonTarget.safeParse({ ...base, kind: 'latncy' }).success).toBe(false);
    expect(apimonTarget.safeParse({ ...base, kind: 'latency', percentiles: ['p42'] }).success).toBe(false);
    expect(apimonTarget.safeParse({ ...base, kind: 'availability', sloTarget: 99.9 }).success).toBe(false);
    expect(apimonTarget.safeParse({ ...base, kind: 'errors', expr: 'up' }).success).toBe(false);
  });
});

describe('generated files', () => {
  it('equal what `npm run provisioning` produces', () => {
    for (const [path, content] of renderAll()) {
      expect({ path, upToDate: read(path) === content }).toEqual({ path, upToDate: true });
    }
  });
});

const promtool = spawnSync('promtool', ['--version']).status === 0;
(promtool ? describe : describe.skip)('promtool', () => {
  const tool = (...args: string[]) => spawnSync('promtool', args, { cwd: join(ROOT, 'prometheus'), encoding: 'utf8' });

  it('accepts prometheus.yml and the rule files', () => {
    const config = tool('check', 'config', 'prometheus.yml');
    expect(config.stdout + config.stderr).toContain('SUCCESS');
    expect(config.status).toBe(0);
    const check = tool('check', 'rules', 'recording.yml', 'alerts.yml');
    expect(check.status).toBe(0);
  });

  it('passes the rule unit tests (every alert fires when it should and stays quiet otherwise)', () => {
    const files = readdirSync(join(ROOT, 'prometheus', 'tests')).filter((f) => f.endsWith('.test.yml'));
    expect(files.sort()).toEqual([
      'alerts.test.yml',
      'locations.test.yml',
      'recording.test.yml',
      'self-alerts.test.yml',
      'traffic-alerts.test.yml',
      'traffic-forecast.test.yml',
      'traffic.test.yml',
    ]);
    const res = tool('test', 'rules', ...files.map((f) => `tests/${f}`));
    expect({ status: res.status, output: res.stdout + res.stderr }).toEqual({ status: 0, output: expect.not.stringContaining('FAILED') });
  });

  it('tests every alert firing (exact exp_alerts lists prove the other APIs and probers of a test stay quiet)', () => {
    const cases = ['alerts.test.yml', 'locations.test.yml', 'traffic-alerts.test.yml', 'self-alerts.test.yml'].flatMap((file) => {
      const tests = parse(read(`prometheus/tests/${file}`)) as { tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }> };
      return tests.tests.flatMap((t) => t.alert_rule_test);
    });
    for (const signal of [...ALERT_SIGNALS, ...SELF_ALERT_SIGNALS]) {
      const mine = cases.filter((c) => c.alertname === signal.alert);
      expect({ alert: signal.alert, fires: mine.some((c) => c.exp_alerts.length > 0) }).toEqual({ alert: signal.alert, fires: true });
    }
  });
});
