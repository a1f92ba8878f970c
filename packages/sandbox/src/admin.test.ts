import { SandboxInputError } from '.';
import { AUTH, startSandbox } from './test-support';

type Started = Awaited<ReturnType<typeof startSandbox>>;

describe('sandbox admin API', () => {
  let sb: Started;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.admin.reset());

  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(`${sb.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('GET /_admin/state shows settings, rate-limit windows, counters and status pages of every provider', async () => {
    await fetch(`${sb.url}/acme-pay/v1/charges`, { headers: AUTH['acme-pay'] });
    const state = await (await fetch(`${sb.url}/_admin/state`)).json();
    expect(state.url).toBe(sb.url);
    expect(Object.keys(state.providers)).toEqual(['acme-pay', 'geoloc', 'adstream', 'textly', 'postbird']);
    const acme = state.providers['acme-pay'];
    expect(acme.urls).toEqual({
      api: `${sb.url}/acme-pay/v1/charges`,
      statusPage: `${sb.url}/acme-pay/status`,
      statusFormat: 'statuspage',
    });
    expect(acme.settings).toEqual(
      expect.objectContaining({
        latencyMs: 0,
        errorRate: 0,
        outage: 'none',
        statusPageAdmits: true,
        statusPageBroken: 'none',
      })
    );
    expect(acme.rateLimit).toEqual(
      expect.objectContaining({ convention: 'github', limit: 100, windowSeconds: 1, remaining: 99 })
    );
    expect(acme.counters).toEqual({ requests: 1, responses: { 200: 1 }, connectionFaults: {}, locations: { '': 1 } });
    expect(acme.statusPage.indicator).toBe('operational');
    expect(acme.statusPage.components.map((c: { name: string }) => c.name)).toContain('Card payments');
    expect(state.providers.adstream.settings.payloadBytes).toBe(3 * 1024 * 1024);
  });

  it('POST /_admin/providers/<name> changes behaviour and answers with the new state', async () => {
    const r = await post('/_admin/providers/geoloc', { outage: 'major', statusPageAdmits: true, latencyMs: 5 });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.settings).toEqual(expect.objectContaining({ outage: 'major', statusPageAdmits: true, latencyMs: 5 }));
    expect(body.statusPage.indicator).toBe('major_outage');
    expect(body.statusPage.outageIncidentId).toEqual(expect.any(String));
    expect((await fetch(`${sb.url}/geoloc/v1/geocode?q=a`, { headers: AUTH.geoloc })).status).toBe(503);
    const patched = await post('/_admin/providers/geoloc', { outage: 'none' }, 'PATCH');
    expect((await patched.json()).statusPage.outageIncidentId).toBeNull();
  });

  it('POST /_admin/reset restores defaults, counters and status pages; per provider too', async () => {
    await post('/_admin/providers/textly', { errorRate: 1, outage: 'partial' });
    await post('/_admin/providers/postbird', { latencyMs: 10 });
    await fetch(`${sb.url}/textly/v1/messages`, { headers: AUTH.textly });
    const one = await post('/_admin/providers/postbird/reset', {});
    expect((await one.json()).settings.latencyMs).toBe(0);
    expect(sb.admin.provider('textly').settings.outage).toBe('partial');
    const all = await (await post('/_admin/reset', {})).json();
    expect(all.providers.textly.settings).toEqual(expect.objectContaining({ errorRate: 0, outage: 'none' }));
    expect(all.providers.textly.counters.requests).toBe(0);
    expect(all.providers.textly.statusPage.incidents.every((i: { status: string }) => i.status === 'resolved')).toBe(
      true
    );
  });

  it('rejects bad input with 400 naming every field and value', async () => {
    const r = await post('/_admin/providers/acme-pay', {
      errorRate: 2,
      outage: 'total',
      rateLimit: { limit: 0 },
      latencyms: 5,
      statusPage: { incidents: [{ name: 'x', status: 'resolved', impact: 'huge' }] },
    });
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.error).toMatch(/^invalid settings for provider "acme-pay": /);
    expect(body.error).toContain('errorRate: Too big: expected number to be <=1 (got 2)');
    expect(body.error).toContain(
      'outage: Invalid option: expected one of "none"|"degraded"|"partial"|"major" (got "total")'
    );
    expect(body.error).toContain('rateLimit.limit: must be >= 1 (got 0)');
    expect(body.error).toContain('latencyms: unknown field (got 5)');
    expect(body.error).toContain('statusPage.incidents[0].impact: Invalid option');
    expect(body.issues).toEqual(
      expect.arrayContaining([
        { path: 'errorRate', message: 'Too big: expected number to be <=1', value: 2 },
        { path: 'latencyms', message: 'unknown field', value: 5 },
      ])
    );
    // Nothing was applied.
    expect(sb.admin.provider('acme-pay').settings.errorRate).toBe(0);
  });

  it('rejects provider-specific and cross-field mistakes, bad JSON and unknown providers', async () => {
    const size = await post('/_admin/providers/geoloc', { payloadBytes: 1000 });
    expect(size.status).toBe(400);
    expect((await size.json()).error).toContain(
      'payloadBytes: only adstream serves a payload of configurable size (got 1000)'
    );
    const window = await post('/_admin/providers/acme-pay', {
      statusPage: {
        maintenances: [
          {
            name: 'm',
            status: 'scheduled',
            scheduledFor: '2026-12-01T02:00:00Z',
            scheduledUntil: '2026-12-01T01:00:00Z',
          },
        ],
      },
    });
    expect((await window.json()).error).toContain(
      'statusPage.maintenances[0].scheduledUntil: must be after scheduledFor'
    );
    const time = await post('/_admin/providers/acme-pay', {
      statusPage: { incidents: [{ name: 'x', status: 'resolved', impact: 'minor', startedAt: 'yesterday' }] },
    });
    expect((await time.json()).error).toContain(
      'statusPage.incidents[0].startedAt: must be epoch milliseconds or an ISO 8601 date-time with a zone (got "yesterday")'
    );
    const json = await post('/_admin/providers/acme-pay', '{"errorRate": ');
    expect(json.status).toBe(400);
    expect((await json.json()).error).toContain('body is not valid JSON');
    const unknown = await post('/_admin/providers/stripe', {});
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toBe(
      'unknown provider "stripe"; one of acme-pay, geoloc, adstream, textly, postbird'
    );
    const resetUnknown = await post('/_admin/reset', { provider: 'stripe' });
    expect(resetUnknown.status).toBe(400);
    expect((await fetch(`${sb.url}/_admin/state`, { method: 'DELETE' })).status).toBe(405);
  });

  it('throws SandboxInputError from the programmatic API', () => {
    expect(() => sb.admin.configure('textly', { bursts: { every: 0, length: 1, retryAfterSeconds: 1 } })).toThrow(
      SandboxInputError
    );
    expect(() => sb.admin.configure('textly', { bursts: { every: 0, length: 1, retryAfterSeconds: 1 } })).toThrow(
      'invalid settings for provider "textly": bursts.every: must be >= 1 (got 0)'
    );
  });
});
