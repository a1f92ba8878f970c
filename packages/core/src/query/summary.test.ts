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

  it('judges an API probed from several locations by what a majority of them see, and names a regional problem', () => {
    const results = {
      info: [s({ api: 'payments', provider: 'acme-pay', criticality: 'critical', owner: 't', location: 'eu-west' }, 1)],
      // Pooled over both locations the p95 is the slow one's: it must not decide.
      latencyP95Seconds: [s({ api: 'payments' }, 0.9)],
      latencyThresholdSeconds: [s({ api: 'payments' }, 0.2)],
      errorRatio: [s({ api: 'payments' }, 0)],
      errorThreshold: [s({ api: 'payments' }, 0.01)],
      locationLatencyP95Seconds: [s({ api: 'payments', location: 'us-east' }, 0.05), s({ api: 'payments', location: 'eu-west' }, 0.9)],
      locationErrorRatio: [s({ api: 'payments', location: 'eu-west' }, 0), s({ api: 'payments', location: 'us-east' }, 0)],
    };
    const [payments] = summaryRows(results, NOW);
    expect(payments).toMatchObject({
      latencyP95Seconds: 0.05,
      errorRatio: 0,
      state: 'warning',
      failingLocations: 'eu-west',
      locations: [
        { location: 'eu-west', latencyP95Seconds: 0.9, errorRatio: 0 },
        { location: 'us-east', latencyP95Seconds: 0.05, errorRatio: 0 },
      ],
      reasons: ['regional problem from 1 of 2 locations (eu-west: p95 900ms > 200ms)'],
    });
    // The table carries the locations as JSON text, and reading it back gives the same verdict.
    const table = summaryTable([payments]);
    const cell = table.columns.find((c) => c.name === 'locations')!.values[0];
    expect(JSON.parse(cell as string)).toEqual(payments.locations);
    // Both locations slow: the API is down, not a region.
    results.locationLatencyP95Seconds[0].value = 0.7;
    expect(summaryRows(results, NOW)[0]).toMatchObject({ state: 'critical', latencyP95Seconds: 0.7, failingLocations: null });
  });

  it("carries the platform's real traffic per API, null without traffic data, and leaves the state to the probes", () => {
    const base = {
      info: [
        s({ api: 'payments', provider: 'acme-pay', criticality: 'critical', owner: 't' }, 1),
        s({ api: 'geocoding', provider: 'geoloc', criticality: 'standard', owner: 't' }, 1),
      ],
      latencyP95Seconds: [s({ api: 'payments' }, 0.05), s({ api: 'geocoding' }, 0.05)],
      latencyThresholdSeconds: [s({ api: 'payments' }, 0.2), s({ api: 'geocoding' }, 0.5)],
      errorRatio: [s({ api: 'payments' }, 0), s({ api: 'geocoding' }, 0)],
      errorThreshold: [s({ api: 'payments' }, 0.01), s({ api: 'geocoding' }, 0.02)],
    };
    const rows = summaryRows(
      {
        ...base,
        trafficRequestsPerSecond: [s({ api: 'payments' }, 20)],
        trafficErrorRatio: [s({ api: 'payments' }, 0.5)],
        trafficRateLimitedPerSecond: [s({ api: 'payments' }, 0)],
        trafficLatencyP95Seconds: [s({ api: 'payments' }, 3)],
        trafficUsageRatio: [s({ api: 'payments' }, 0.95)],
      },
      NOW
    );
    const payments = rows.find((r) => r.api === 'payments')!;
    expect(payments).toMatchObject({
      trafficRequestsPerSecond: 20,
      trafficErrorRatio: 0.5,
      trafficRateLimitedPerSecond: 0,
      trafficLatencyP95Seconds: 3,
      trafficUsageRatio: 0.95,
    });
    // Real errors and latency far over the thresholds: informational, the probes judge.
    expect(payments.state).toBe('ok');
    expect(rows.find((r) => r.api === 'geocoding')).toMatchObject({
      trafficRequestsPerSecond: null,
      trafficErrorRatio: null,
      trafficRateLimitedPerSecond: null,
      trafficLatencyP95Seconds: null,
      trafficUsageRatio: null,
    });
    const table = summaryTable(rows);
    expect(table.columns.find((c) => c.name === 'trafficUsageRatio')).toMatchObject({ unit: 'percentunit', values: [null, 0.95] });
  });

  it('joins the instant results per API and picks the tightest rate-limit policy', () => {
    const rows = summaryRows(
      {
        info: [
          s({ api: 'payments', provider: 'acme-pay', criticality: 'critical', owner: 'team', location: 'a' }, 1),
          s({ api: 'payments', provider: 'acme-pay', criticality: 'critical', owner: 'team', location: 'b' }, 1),
        ],
        latencyP95Seconds: [s({ api: 'payments' }, 0.12)],
        errorRatio: [s({ api: 'payments' }, 0)],
        remaining: [
          s({ api: 'payments', endpoint: 'a', policy: 'hour' }, 500),
          s({ api: 'payments', endpoint: 'a', policy: 'second' }, 2),
        ],
        limit: [
          s({ api: 'payments', endpoint: 'a', policy: 'hour' }, 1000),
          s({ api: 'payments', endpoint: 'a', policy: 'second' }, 10),
        ],
        apiProviderStatus: [s({ api: 'payments', provider: 'acme-pay', location: 'a' }, 2)],
        openIncidents: [s({ provider: 'acme-pay' }, 1)],
        tlsExpiry: [s({ api: 'payments' }, 1_800_000_000)],
        latencyThresholdSeconds: [s({ api: 'payments' }, NaN)],
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

  it('a spent policy without a limit (remaining-only headers) is 0 headroom; one with requests left is no ratio', () => {
    const rows = summaryRows(
      {
        info: [s({ api: 'arm', provider: 'azure' }, 1), s({ api: 'arm-roomy', provider: 'azure' }, 1)],
        headroomThreshold: [s({ api: 'arm' }, 0.15), s({ api: 'arm-roomy' }, 0.15)],
        remaining: [
          s({ api: 'arm', endpoint: 'vms', policy: 'subscription-writes' }, 1199),
          s({ api: 'arm', endpoint: 'vms', policy: 'subscription-reads' }, 0),
          s({ api: 'arm-roomy', endpoint: 'vms', policy: 'subscription-reads' }, 11999),
        ],
        limit: [],
      },
      NOW
    );
    expect(rows.map((r) => [r.api, r.headroomRatio, r.rateLimitRemaining, r.rateLimitLimit, r.state])).toEqual([
      ['arm', 0, 0, null, 'critical'],
      ['arm-roomy', null, 11999, null, 'unknown'],
    ]);
  });

  it('judges each API by its own status on the provider page; the prober API fills in where the store has none', () => {
    const info = [s({ api: 'payments', provider: 'acme-pay' }, 1), s({ api: 'payouts', provider: 'acme-pay' }, 1), s({ api: 'refunds', provider: 'acme-pay' }, 1)];
    const rows = summaryRows(
      {
        info,
        // acme-pay's Card payments component is down; payouts depends on Payouts only.
        apiProviderStatus: [s({ api: 'payments', provider: 'acme-pay' }, 4), s({ api: 'payouts', provider: 'acme-pay' }, 0)],
      },
      NOW,
      { apiStatus: new Map([['refunds', 'degraded']]), incidentTitles: new Map() }
    );
    expect(rows.map((r) => [r.api, r.providerStatus, r.state])).toEqual([
      ['payments', 'major_outage', 'critical'],
      ['payouts', 'operational', 'unknown'],
      ['refunds', 'degraded', 'warning'],
    ]);
    // Neither the store nor the prober knows: unknown, not the provider's worst.
    expect(summaryRows({ info }, NOW)[1].providerStatus).toBe('unknown');
  });

  it('an API the prober cannot probe says why, instead of just having no data', () => {
    const rows = summaryRows(
      {
        info: [s({ api: 'payments', provider: 'acme-pay' }, 1), s({ api: 'geocoding', provider: 'geoloc' }, 1)],
        misconfigured: [s({ api: 'payments', reason: 'missing env PAY_API_KEY' }, 1)],
        latencyP95Seconds: [s({ api: 'geocoding' }, 0.1)],
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

  it('carries the share of probes the busy prober timed badly, and says so without judging the provider by it', () => {
    const rows = summaryRows(
      {
        info: [s({ api: 'payments', provider: 'acme-pay' }, 1), s({ api: 'geocoding', provider: 'geoloc' }, 1)],
        // payments: every probe of the window timed badly, so no p95; its errors still count.
        errorRatio: [s({ api: 'payments' }, 0), s({ api: 'geocoding' }, 0)],
        latencyP95Seconds: [s({ api: 'geocoding' }, 0.1)],
        timingDegradedRatio: [s({ api: 'payments' }, 1), s({ api: 'geocoding' }, 0)],
      },
      NOW
    );
    expect(rows.map((r) => [r.api, r.state, r.timingDegradedRatio, r.reasons])).toEqual([
      ['geocoding', 'ok', 0, []],
      ['payments', 'ok', 1, ['p95 not judged: the prober was too busy to time the probes']],
    ]);
  });

  it('the table has every SUMMARY_FIELDS column', () => {
    const table = summaryTable([{ ...row(), state: 'ok' }]);
    expect(table.columns.map((c) => c.name).sort()).toEqual(Object.values(SUMMARY_FIELDS).sort());
  });
});
