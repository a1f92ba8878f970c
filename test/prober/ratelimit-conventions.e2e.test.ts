// Every rate-limit convention end to end with real parts: a local HTTP server sends each
// provider's documented header set (core/src/ratelimit/fixtures), the real prober service probes
// it, its /metrics carries one apimon_ratelimit_*{policy} series per policy, a real Prometheus
// computes headroom with the shipped recording rule (the scarcest policy of each API), and the
// quota guard holds probes back on the scarcest policy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { headroomRatio } from '@apimon/core';
import { PROVIDER_FIXTURES, type HeaderSet } from '../../packages/core/src/ratelimit/fixtures/providers';
import { QuotaGuard } from '../../packages/prober/src/quota';
import { ProberService } from '../../packages/prober/src/service';
import { catalogFrom } from '../../packages/prober/src/test-support/catalogs';
import { find, parseExposition, type Sample } from '../../packages/prober/src/test-support/exposition';
import { captureLogs } from '../../packages/prober/src/test-support/logs';
import { startPrometheus, waitFor, type RunningPrometheus } from '../helpers/prometheus';
import { startTarget, type TestTarget } from '../../packages/prober/src/test-support/target';

jest.setTimeout(120_000);

const DAY_MS = 86_400_000;
const SERIES = {
  limit: 'apimon_ratelimit_limit',
  remaining: 'apimon_ratelimit_remaining',
  resetSeconds: 'apimon_ratelimit_reset_seconds',
} as const;

// Jira over two responses: the points quota with its policy, then spent and without it.
const JIRA_BEFORE: HeaderSet = {
  'Beta-RateLimit-Policy': '"tenant-app-quota";q=100100;w=3600',
  'Beta-RateLimit': '"tenant-app-quota";r=17842;t=2107',
  'X-RateLimit-Limit': '350',
  'X-RateLimit-Remaining': '349',
};
const jiraSpent = PROVIDER_FIXTURES.find((f) => f.id === 'atlassian-quota-spent')!;
const prisjakt = PROVIDER_FIXTURES.find((f) => f.id === 'prisjakt')!;

function apiYaml(name: string, url: string, rateLimit = ''): string {
  return `  - name: ${name}
    provider: ${name}-inc
    criticality: standard
    owner: team-${name}
    interval: 2s
    timeout: 1500ms${rateLimit ? `\n    rateLimit: ${rateLimit}` : ''}
    endpoints: [{ name: probe, url: "${url}", expect: { status: [200, 429] } }]`;
}

describe('rate-limit conventions end to end', () => {
  let dir: string;
  let target: TestTarget;
  let service: ProberService;
  let guard: QuotaGuard;
  let prometheus: RunningPrometheus | undefined;
  let base: string;
  const logs = captureLogs();
  let jiraQuotaSpent = false;
  const scrape = async (): Promise<Sample[]> => parseExposition(await (await fetch(`${base}/metrics`)).text());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-ratelimit-e2e-'));
    const routes: Parameters<typeof startTarget>[0] = {};
    for (const f of PROVIDER_FIXTURES) {
      routes[`/${f.id}`] = { status: f.status ?? 200, headers: () => f.headers(Date.now()) as Record<string, string> };
    }
    routes['/jira'] = {
      headers: () => (jiraQuotaSpent ? jiraSpent.headers(Date.now()) : JIRA_BEFORE) as Record<string, string>,
    };
    target = await startTarget(routes);

    const mapping = prisjakt.mapping!;
    const apis = [
      ...PROVIDER_FIXTURES.map((f) =>
        apiYaml(
          f.id,
          `${target.url}/${f.id}`,
          f.mapping
            ? `{ headers: { limit: ${mapping.limit}, remaining: ${mapping.remaining}, reset: ${mapping.reset} }, resetUnit: ${mapping.resetUnit} }`
            : ''
        )
      ),
      apiYaml('prisjakt-unmapped', `${target.url}/prisjakt`),
      apiYaml('jira', `${target.url}/jira`),
    ];
    const names = [...PROVIDER_FIXTURES.map((f) => f.id), 'prisjakt-unmapped', 'jira'];
    const yaml = `defaults: { location: e2e }
providers:
${names.map((n) => `  - name: ${n}-inc`).join('\n')}
apis:
${apis.join('\n')}
`;
    writeFileSync(join(dir, 'catalog.yaml'), yaml);
    guard = new QuotaGuard(catalogFrom(yaml));
    service = new ProberService({
      configFile: join(dir, 'catalog.yaml'),
      logger: logs.logger,
      quota: guard,
      watch: false,
    });
    const address = await service.start('127.0.0.1', 0);
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await prometheus?.stop();
    await service?.stop(2_000);
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports one apimon_ratelimit_*{policy} series per policy of every provider', async () => {
    const samples = await waitFor(
      async () => {
        const s = await scrape();
        const probed = PROVIDER_FIXTURES.every((f) => find(s, 'apimon_probe_requests_total', { api: f.id }).length > 0);
        return probed ? s : undefined;
      },
      40_000,
      'a probe of every provider'
    );
    for (const f of PROVIDER_FIXTURES) {
      const exported = new Set(
        Object.values(SERIES).flatMap((name) => find(samples, name, { api: f.id }).map((s) => s.labels.policy))
      );
      expect([f.id, [...exported].sort()]).toEqual([f.id, f.expected.map((e) => e.policy).sort()]);
      for (const e of f.expected) {
        for (const [field, name] of Object.entries(SERIES) as Array<[keyof typeof SERIES, string]>) {
          const want = e[field];
          if (want === undefined) {
            continue;
          }
          const got = find(samples, name, { api: f.id, policy: e.policy }).map((s) => s.value);
          const where = `${f.id} ${name}{policy="${e.policy}"}`;
          if (want === null) {
            expect([where, got]).toEqual([where, []]);
          } else if (field === 'resetSeconds') {
            // Built from the clock at response time: a second either way.
            expect([where, Math.abs(got[0] - want) <= 1]).toEqual([where, true]);
          } else {
            expect([where, got]).toEqual([where, [want]]);
          }
        }
      }
    }
  });

  it('remembers a policy limit the provider stops sending, so a spent Jira quota has 0 headroom', async () => {
    await waitFor(
      async () => find(await scrape(), SERIES.limit, { api: 'jira', policy: 'tenant-app-quota' })[0]?.value === 100100,
      30_000,
      'the Jira quota with its policy'
    );
    jiraQuotaSpent = true;
    const samples = await waitFor(
      async () => {
        const s = await scrape();
        return find(s, SERIES.remaining, { api: 'jira', policy: 'tenant-app-quota' })[0]?.value === 0 ? s : undefined;
      },
      30_000,
      'the spent Jira quota'
    );
    expect(find(samples, SERIES.limit, { api: 'jira', policy: 'tenant-app-quota' })[0].value).toBe(100100);
    expect(find(samples, SERIES.remaining, { api: 'jira', policy: 'default' })[0].value).toBe(399);
  });

  it('computes the headroom of every API in a real Prometheus from its scarcest policy', async () => {
    const rules = parseYaml(readFileSync(resolve(__dirname, '../../prometheus/recording.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ record?: string; expr: string }> }>;
    };
    const headroomExpr = rules.groups
      .flatMap((g) => g.rules)
      .find((r) => r.record === 'api:apimon_ratelimit_headroom:ratio')!.expr;
    // Scrapes with room to spare: the machine may be busy.
    prometheus = await startPrometheus(`global: { scrape_interval: 2s }
scrape_configs:
  - job_name: apimon
    scrape_timeout: 2s
    static_configs: [{ targets: ['${base.replace('http://', '')}'] }]
`);
    // The scarcest headroom of each API, a spent policy whose limit the prober never learned
    // included (atlassian-quota-spent: 0, not left out).
    const expected = new Map<string, number>([['jira', 0]]);
    for (const f of PROVIDER_FIXTURES) {
      const known = f.expected
        .map((e) => headroomRatio({ limit: e.limit ?? null, remaining: e.remaining ?? null }))
        .filter((r): r is number => r !== null);
      if (known.length > 0) {
        expected.set(f.id, Math.min(...known));
      }
    }
    expect(expected.get('atlassian-quota-spent')).toBe(0);
    expect(expected.get('azure-arm')).toBe(0);
    const got = await waitFor(
      async () => {
        const result = await prometheus!.query(headroomExpr);
        const byApi = new Map(result.map((r) => [r.metric.api, r.value]));
        const missing = [...expected.keys()].filter((api) => !byApi.has(api));
        if (missing.length > 0 || byApi.get('jira') !== 0 || byApi.get('atlassian-quota-spent') !== 0) {
          throw new Error(`no headroom yet for ${missing.join(', ') || 'none'}; jira ${byApi.get('jira')}`);
        }
        return byApi;
      },
      45_000,
      'headroom of every API in Prometheus'
    );
    for (const [api, ratio] of expected) {
      expect([api, got.get(api)]).toEqual([api, expect.closeTo(ratio, 6)]);
    }
    // Azure Resource Manager sends remaining only: its spent tenant-reads counter is 0 headroom
    // (the counters with requests left have no ratio and do not hide it).
    expect(got.get('azure-arm')).toBe(0);
  });

  it('holds probes back on the scarcest policy, not the roomiest', async () => {
    // Jira: 399 of 400 left in the burst window, but the points quota is spent until its reset.
    const requests = () => target.requests.filter((r) => r.path === '/atlassian-quota-spent').length;
    expect(requests()).toBeGreaterThanOrEqual(1);
    const decision = guard.decide('atlassian-quota-spent', Date.now());
    expect(decision).toMatchObject({ allow: false, reason: 'quota_guard', policy: 'tenant-app-quota' });
    expect(!decision.allow && decision.untilMs - Date.now()).toBeGreaterThan(2700_000);
    await waitFor(
      async () =>
        find(await scrape(), 'apimon_probe_skipped_total', { api: 'atlassian-quota-spent', reason: 'quota_guard' })[0]
          ?.value >= 1,
      15_000,
      'a probe skipped by the quota guard'
    );
    // Once a response is read, no probe goes out until the reset (two more intervals here).
    const before = requests();
    await new Promise((r) => setTimeout(r, 4_500));
    expect(requests()).toBe(before);

    // HubSpot: of 10 a second, 100 per 10 seconds and 250,000 a day, the day allows the fewest.
    expect(guard.budget('hubspot')).toMatchObject({ source: 'headers', limit: 250000, windowMs: DAY_MS });
  });

  it('reads a millisecond reset in milliseconds once the catalog maps it, instead of waiting a day', async () => {
    const now = Date.now();
    // Both answered 429 with X-Rate-Limit-Reset: 600000 (ms). Read as seconds that is a week,
    // capped at a day; mapped with resetUnit: milliseconds it is ten minutes.
    const unmapped = guard.decide('prisjakt-unmapped', now + 601_000);
    expect(unmapped).toMatchObject({ allow: false, reason: 'retry_after' });
    expect(!unmapped.allow && unmapped.untilMs - now).toBeGreaterThan(DAY_MS - 60_000);
    expect(guard.decide('prisjakt', now + 601_000)).toEqual({ allow: true });
    const samples = await scrape();
    expect(find(samples, SERIES.resetSeconds, { api: 'prisjakt', policy: 'default' })[0].value).toBeLessThanOrEqual(
      600
    );
    expect(find(samples, SERIES.resetSeconds, { api: 'prisjakt-unmapped', policy: 'default' })[0].value).toBe(600000);
  });
});
