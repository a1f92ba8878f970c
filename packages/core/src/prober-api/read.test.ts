import { parseCatalogRows, parseIncidents, parseProviderDetail } from './read';

const NOW = 1_700_000_000_000;

/** A body of GET /api/v1/incidents with one good incident, one old one and three that are not incidents. */
const INCIDENTS_BODY = {
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
};

describe('prober API bodies', () => {
  it('reads incidents and skips entries that are not incidents', () => {
    const parsed = parseIncidents(INCIDENTS_BODY)!;
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
    expect(parseCatalogRows({ catalog: { apis: [] } })).toEqual([]);
    expect(parseCatalogRows('<html>')).toBeUndefined();
  });
});
