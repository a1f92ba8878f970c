import {
  catalogTable,
  filterCatalogRows,
  filterIncidents,
  incidentAnnotations,
  parseCatalogRows,
  parseIncidents,
  parseProviderDetail,
} from './prober';
import { summaryRows, summaryTable } from './summary';
import { SUMMARY_FIELDS, type ApiSummary } from './summary-row';
import { judgeApi } from '../verdict';

const NOW = 1_700_000_000_000;

function row(overrides: Partial<ApiSummary> = {}): Omit<ApiSummary, 'state'> {
  return {
    api: 'payments',
    provider: 'acme-pay',
    criticality: 'critical',
    latencyP95Seconds: 0.1,
    latencyThresholdSeconds: 0.2,
    errorRatio: 0,
    errorThreshold: 0.02,
    headroomRatio: 0.9,
    headroomThreshold: 0.2,
    rateLimitRemaining: 90,
    rateLimitLimit: 100,
    exhaustionSeconds: null,
    providerStatus: 'operational',
    openIncidents: 0,
    tlsExpiresAt: null,
    ...overrides,
  };
}

describe('summary rows', () => {
  const s = (labels: Record<string, string>, value: number | null) => ({ labels, timeMs: NOW, value });

  it('joins the instant results per API and picks the tightest rate-limit policy', () => {
    const rows = summaryRows(
      {
        info: [
          s({ api: 'payments', provider: 'acme-pay', criticality: 'critical', owner: 'team', location: 'a' }, 1),
          s({ api: 'payments', provider: 'acme-pay', criticality: 'critical', owner: 'team', location: 'b' }, 1),
        ],
        latencyP95: [s({ api: 'payments' }, 0.12)],
        errorRatio: [s({ api: 'payments' }, 0)],
        remaining: [
          s({ api: 'payments', endpoint: 'a', policy: 'hour' }, 500),
          s({ api: 'payments', endpoint: 'a', policy: 'second' }, 2),
        ],
        limit: [
          s({ api: 'payments', endpoint: 'a', policy: 'hour' }, 1000),
          s({ api: 'payments', endpoint: 'a', policy: 'second' }, 10),
        ],
        providerStatus: [s({ provider: 'acme-pay' }, 2)],
        openIncidents: [s({ provider: 'acme-pay' }, 1)],
        tlsExpiry: [s({ api: 'payments' }, 1_800_000_000)],
        latencyThreshold: [s({ api: 'payments' }, NaN)],
      },
      NOW,
      { apiStatus: new Map(), incidentTitles: new Map([['acme-pay', 'Card payments degraded']]) }
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      api: 'payments',
      owner: 'team',
      rateLimitRemaining: 2,
      rateLimitLimit: 10,
      headroomRatio: 0.2,
      providerStatus: 'degraded',
      openIncidents: 1,
      incidentTitle: 'Card payments degraded',
      tlsExpiresAt: 1_800_000_000_000,
      latencyThresholdSeconds: null,
      state: 'warning',
    });
  });

  it('the prober’s per-API status wins over the provider indicator', () => {
    const rows = summaryRows(
      { info: [s({ api: 'payments', provider: 'acme-pay' }, 1)], providerStatus: [s({ provider: 'acme-pay' }, 4)] },
      NOW,
      { apiStatus: new Map([['payments', 'operational']]), incidentTitles: new Map() }
    );
    expect(rows[0].providerStatus).toBe('operational');
    expect(rows[0].state).toBe('unknown');
  });

  it('an API the prober cannot probe says why, instead of just having no data', () => {
    const rows = summaryRows(
      {
        info: [s({ api: 'payments', provider: 'acme-pay' }, 1), s({ api: 'geocoding', provider: 'geoloc' }, 1)],
        misconfigured: [s({ api: 'payments', reason: 'missing env PAY_API_KEY' }, 1)],
        latencyP95: [s({ api: 'geocoding' }, 0.1)],
        errorRatio: [s({ api: 'geocoding' }, 0)],
      },
      NOW
    );
    expect(rows.map((r) => [r.api, r.state, r.notProbed, r.reasons])).toEqual([
      ['geocoding', 'ok', null, []],
      ['payments', 'unknown', 'missing env PAY_API_KEY', ['not probed: missing env PAY_API_KEY']],
    ]);
    // Results still in the window from before the secret went missing: at least a warning.
    expect(judgeApi(row({ notProbed: 'missing env PAY_API_KEY' }), NOW).state).toBe('warning');
  });

  it('the table has every SUMMARY_FIELDS column', () => {
    const table = summaryTable([{ ...row(), state: 'ok' }]);
    expect(table.columns.map((c) => c.name).sort()).toEqual(Object.values(SUMMARY_FIELDS).sort());
  });
});

describe('prober API bodies', () => {
  it('reads incidents and skips entries that are not incidents', () => {
    const parsed = parseIncidents({
      truncated: true,
      incidents: [
        {
          provider: 'acme-pay',
          kind: 'incident',
          id: 'i1',
          title: 'Errors',
          status: 'investigating',
          impact: 'major',
          startedAt: NOW - 60_000,
          resolvedAt: null,
          url: 'https://s/i1',
          components: ['API', 3],
          updates: [{ at: NOW, text: 'Looking into it' }],
        },
        {
          provider: 'geoloc',
          title: 'Old',
          status: 'resolved',
          impact: 'minor',
          startedAt: '2023-11-14T00:00:00Z',
          resolvedAt: NOW - 1,
        },
        null,
        { title: 'no provider' },
        'text',
      ],
    })!;
    expect(parsed.skipped).toBe(3);
    expect(parsed.truncated).toBe(true);
    expect(parsed.rows[0]).toEqual({
      provider: 'acme-pay',
      kind: 'incident',
      id: 'i1',
      title: 'Errors',
      status: 'investigating',
      impact: 'major',
      startedAt: NOW - 60_000,
      resolvedAt: null,
      url: 'https://s/i1',
      components: ['API'],
      latestUpdate: 'Looking into it',
    });
    expect(parsed.rows[1].startedAt).toBe(Date.parse('2023-11-14T00:00:00Z'));
    expect(parseIncidents({ nope: 1 })).toBeUndefined();
    const open = filterIncidents(parsed.rows, { provider: 'acme.*' }, undefined, true);
    expect(open.map((r) => r.id)).toEqual(['i1']);
    expect(filterIncidents(parsed.rows, {}, new Set(['geoloc']), false).map((r) => r.id)).toEqual(['Old']);
    const [annotation] = incidentAnnotations(open, NOW + 5);
    expect(annotation).toEqual({
      timeMs: NOW - 60_000,
      timeEndMs: NOW + 5,
      title: 'acme-pay: Errors',
      text: 'Impact: major\nStatus: investigating\nComponents: API\nLooking into it',
      tags: ['apimon', 'incident', 'provider:acme-pay', 'impact:major', 'status:investigating'],
      url: 'https://s/i1',
    });
  });

  it('reads a provider detail: per-API status and the newest open incident', () => {
    const detail = parseProviderDetail({
      provider: 'acme-pay',
      apis: [{ api: 'payments', status: 'degraded' }, { api: 7 }],
      incidents: [
        { title: 'older', status: 'identified', startedAt: 1, resolvedAt: null },
        { title: 'newer', status: 'investigating', startedAt: 2, resolvedAt: null },
        { title: 'done', status: 'resolved', startedAt: 3, resolvedAt: 4 },
      ],
    })!;
    expect([...detail.apiStatus]).toEqual([['payments', 'degraded']]);
    expect(detail.openTitle).toBe('newer');
    expect(parseProviderDetail([])).toBeUndefined();
  });

  it('turns the public catalog into one documented row per endpoint, without secrets', () => {
    const rows = parseCatalogRows({
      apis: [
        {
          name: 'payments',
          provider: 'acme-pay',
          criticality: 'critical',
          owner: 'payments-team',
          auth: { type: 'basic', usernameEnv: 'PAY_USER', passwordEnv: 'PAY_PASS' },
          rateLimit: { limit: 600, windowMs: 3_600_000 },
          timeoutMs: 2000,
          intervalMs: 15000,
          thresholds: { latencyP95Ms: 200, errorRatio: 0.02, headroomRatio: 0.2 },
          endpoints: [
            {
              name: 'charges',
              url: 'https://pay/charges',
              method: 'POST',
              timeoutMs: 1000,
              thresholds: { latencyP95Ms: 150, errorRatio: 0.01, headroomRatio: 0.2 },
            },
            { name: 'refunds' },
          ],
        },
        { nope: true },
      ],
    })!;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      auth: 'basic (PAY_USER, PAY_PASS)',
      rateLimit: '600 / 1h',
      timeoutSeconds: 1,
      intervalSeconds: 15,
      latencyThresholdSeconds: 0.15,
      method: 'POST',
    });
    expect(rows[1]).toMatchObject({
      endpoint: 'refunds',
      method: 'GET',
      timeoutSeconds: 2,
      latencyThresholdSeconds: 0.2,
    });
    expect(filterCatalogRows(rows, { endpoint: 'ref.*' }).map((r) => r.endpoint)).toEqual(['refunds']);
    expect(catalogTable(rows).columns[0].links?.[0].url).toBe(
      '/d/apimon-api?var-api=${__value.raw}&${__url_time_range}'
    );
    expect(parseCatalogRows({ catalog: { apis: [] } })).toEqual([]);
    expect(parseCatalogRows('<html>')).toBeUndefined();
  });
});
