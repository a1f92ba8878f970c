import type { RawSeries } from '../query/response';
import { judgeApi } from '../verdict';
import { assembleMonthlyReport } from './monthly';
import { parseIncidentRecord } from './record';
import { daily, monthlyInputs, sample } from '../test-support/report';

const MIN = 60_000;

function alert(labels: Record<string, string>, fromMs: number, minutes: number): RawSeries {
  const timestamps = Array.from({ length: minutes }, (_, i) => fromMs + i * MIN);
  return { labels: { source: 'apimon', ...labels }, timestamps, values: timestamps.map(() => 1) };
}

describe('the monthly report from query results', () => {
  it('one row per API with issue 12 fields, critical APIs first, counts rounded, ratios exact', () => {
    const r = assembleMonthlyReport(monthlyInputs());
    expect(r.month).toBe('2026-11');
    expect(r.apis.map((a) => a.api)).toEqual(['pay<ments>', 'geo']);
    expect(r.apis[0]).toEqual({
      api: 'pay<ments>',
      provider: 'acme',
      criticality: 'critical',
      availabilityRatio: 0.98,
      latencyP50Seconds: 0.08,
      latencyP95Seconds: 0.25,
      latencyP99Seconds: 0.4,
      latencyThresholdSeconds: 0.2,
      secondsOverLatencyThreshold: 7_200,
      errorRatio: 0.02,
      probes: 10_000,
      failedProbes: 200,
      topCodes: [
        { code: '503', outcome: 'http_5xx', probes: 150 },
        { code: '0', outcome: 'timeout', probes: 40 },
        { code: '429', outcome: 'rate_limited', probes: 10 },
      ],
      minHeadroomRatio: 0.1,
      alertsFired: 0,
      alertFiringSeconds: 0,
      providerIncidents: [
        {
          provider: 'acme',
          id: 'i1',
          title: 'API <script>alert(1)</script> errors',
          impact: 'major',
          status: 'resolved',
          startedAt: '2026-11-10T00:00:00.000Z',
          resolvedAt: '2026-11-10T02:00:00.000Z',
          durationSeconds: 7_200,
          url: 'javascript:alert(1)',
        },
      ],
    });
  });

  it('judges each API with the one verdict, the objective being 1 minus the error threshold', () => {
    const r = assembleMonthlyReport(monthlyInputs());
    const d = r.details[0];
    const verdict = judgeApi(
      {
        latencyP95Seconds: 0.25,
        latencyThresholdSeconds: 0.2,
        errorRatio: 0.02,
        errorThreshold: 0.01,
        headroomRatio: 0.1,
        headroomThreshold: 0.2,
        exhaustionSeconds: null,
        providerStatus: '',
        tlsExpiresAt: null,
      },
      Date.UTC(2026, 11, 1)
    );
    expect(d.state).toBe(verdict.state);
    expect(d.state).toBe('critical');
    expect(d.reasons).toEqual(['p95 250 ms > 200 ms', 'errors 2.0% > 1.0%', 'headroom 10.0% < 20.0%']);
    expect(d.availabilityObjective).toBeCloseTo(0.99, 12);
    expect(d.errorRatioByOutcome).toEqual({ http_5xx: 0.015, timeout: 0.004, rate_limited: 0.001 });
    expect(d.providerErrorRatio).toBeCloseTo(0.019, 12);
    expect(d.rateLimitedProbes).toBe(10);
    expect(d.previous).toMatchObject({ availabilityRatio: 0.999, probes: 10_000, latencyP95Seconds: 0.1 });
    expect(r.details[1].state).toBe('ok');
    expect(r.summary).toMatchObject({
      apis: 2,
      byState: { ok: 1, warning: 0, critical: 1, unknown: 0 },
      objectivesMet: 1,
      objectivesMissed: [{ api: 'pay<ments>', availabilityRatio: 0.98, objective: 1 - 0.01 }],
      latencyBreaches: [{ api: 'pay<ments>', latencyP95Seconds: 0.25, latencyThresholdSeconds: 0.2 }],
      probes: 15_000,
      failedProbes: 200,
      providerIncidents: 1,
    });
    expect(r.scalability.headroomBelowMinimum).toEqual([
      { api: 'pay<ments>', minHeadroomRatio: 0.1, headroomThreshold: 0.2 },
    ]);
  });

  it('an API without probes in the month is unknown, with null numbers rather than zeros', () => {
    const inputs = monthlyInputs({
      probes: [sample({ api: 'pay<ments>', provider: 'acme' }, 10_000)],
      okProbes: [sample({ api: 'pay<ments>', provider: 'acme' }, 9_800)],
    });
    const geo = assembleMonthlyReport(inputs);
    const row = geo.apis.find((a) => a.api === 'geo')!;
    expect(row).toMatchObject({
      availabilityRatio: null,
      errorRatio: null,
      latencyP95Seconds: null,
      probes: 0,
      secondsOverLatencyThreshold: null,
    });
    expect(geo.details.find((d) => d.api === 'geo')!.state).toBe('unknown');
  });

  it('alerts: counts and firing time per API, and incidents without a root cause as open items', () => {
    const tenth = Date.UTC(2026, 10, 10, 14);
    const inputs = monthlyInputs({
      alerts: [
        alert(
          { alertname: 'ApimonErrorRatioHigh', alertstate: 'pending', api: 'pay<ments>', severity: 'critical' },
          tenth,
          5
        ),
        alert(
          { alertname: 'ApimonErrorRatioHigh', alertstate: 'firing', api: 'pay<ments>', severity: 'critical' },
          tenth + 5 * MIN,
          60
        ),
        alert({ alertname: 'ApimonApiDown', alertstate: 'firing', api: 'geo', severity: 'warning' }, tenth, 30),
        // Last month's: counted in the comparison, not this month.
        alert(
          { alertname: 'ApimonErrorRatioHigh', alertstate: 'firing', api: 'pay<ments>', severity: 'critical' },
          Date.UTC(2026, 9, 20),
          10
        ),
      ],
    });
    const withRecord = parseIncidentRecord(
      'api: geo\nfrom: 2026-11-10T13:00:00Z\nto: 2026-11-10T15:00:00Z\nsummary: geo down\nrootCause: expired key\n',
      'incidents/geo.yaml'
    );
    const draft = parseIncidentRecord(
      'api: pay<ments>\nfrom: 2026-11-10T14:00:00Z\nto: 2026-11-10T16:00:00Z\nsummary: errors\n',
      'incidents/pay.yaml'
    );
    if (!withRecord.ok || !draft.ok) {
      throw new Error('fixture records');
    }
    const r = assembleMonthlyReport(inputs);
    expect(r.apis[0]).toMatchObject({ alertsFired: 1, alertFiringSeconds: 3_600 });
    expect(r.details[0]).toMatchObject({ meanSecondsToDetect: 300, meanSecondsToResolve: 3_600 });
    expect(r.details[0].previous!.alertsFired).toBe(1);
    expect(r.openItems.postmortems.map((p) => [p.api, p.missing])).toEqual([
      ['geo', 'record'],
      ['pay<ments>', 'record'],
    ]);
    const recorded = assembleMonthlyReport({ ...inputs, records: [withRecord.record, draft.record] });
    expect(recorded.openItems.postmortems).toEqual([
      {
        api: 'pay<ments>',
        severity: 'critical',
        alerts: ['ApimonErrorRatioHigh'],
        startedAt: '2026-11-10T14:00:00.000Z',
        resolvedAt: '2026-11-10T15:05:00.000Z',
        firingSeconds: 3_600,
        record: 'incidents/pay.yaml',
        missing: 'rootCause',
      },
    ]);
  });

  it('real traffic: volume, growth per day of traffic, peak use of the limit and the forecast', () => {
    const api = { api: 'pay<ments>' };
    const r = assembleMonthlyReport(
      monthlyInputs({
        traffic: {
          requests: [sample(api, 300_000)],
          failed: [sample(api, 3_000)],
          throttled: [sample(api, 12)],
          previousRequests: [sample(api, 20_000)],
          dailyRequests: [daily(api, () => 10_000)],
          dailyPeakUsage: [daily(api, (i) => 0.5 + 0.01 * i)],
          // Last month the store held only two days of traffic.
          previousDailyRequests: [daily(api, (i) => (i < 2 ? 8_000 : null))],
          forecast: { weeklyPeak: [], predicted: [], daysToLimit: [] },
        },
      })
    );
    expect(r.scalability.trafficAvailable).toBe(true);
    const row = r.scalability.apis[0];
    expect(row).toMatchObject({ api: 'pay<ments>', requests: 300_000, previousRequests: 20_000, peakUsageRatio: 0.79 });
    expect(row.growthRatio).toBeCloseTo(0.25, 12);
    // No recorded forecast in the store: the report's own line. 0.79 on the last day, rising
    // 0.01 a day: the limit 21 days after it.
    expect(row.forecast).toMatchObject({ method: 'fitted', daysToLimit: expect.closeTo(20, 9) });
    expect(row.forecast!.reachesLimitAt!.slice(0, 10)).toBe('2026-12-21');
    expect(row.forecast!.predictedUsageRatio).toBeCloseTo(0.8 + 0.3, 9);
    expect(r.details[0].traffic).toEqual({
      requests: 300_000,
      failedRequests: 3_000,
      throttledRequests: 12,
      peakUsageRatio: 0.79,
    });
    expect(assembleMonthlyReport(monthlyInputs()).scalability).toMatchObject({ trafficAvailable: false, apis: [] });
  });

  it('the forecast is the recorded one where the store has it, the fitted line only where it does not', () => {
    const [pay, geo] = [{ api: 'pay<ments>' }, { api: 'geo' }];
    const r = assembleMonthlyReport(
      monthlyInputs({
        traffic: {
          requests: [sample(pay, 300_000), sample(geo, 1_000)],
          failed: [],
          throttled: [],
          previousRequests: [],
          dailyRequests: [daily(pay, () => 10_000), daily(geo, () => 30)],
          dailyPeakUsage: [daily(pay, (i) => 0.5 + 0.01 * i), daily(geo, (i) => 0.1 + 0.001 * i)],
          previousDailyRequests: [],
          // Only pay<ments> has the recorded series; its trend differs from the month's line.
          forecast: {
            weeklyPeak: [sample(pay, 0.81)],
            predicted: [sample(pay, 1.11)],
            daysToLimit: [sample(pay, 19.5)],
          },
        },
      })
    );
    const of = (api: string) => r.scalability.apis.find((a) => a.api === api)!.forecast!;
    expect(of('pay<ments>')).toEqual({
      method: 'recorded',
      peakUsageRatio: 0.81,
      predictedUsageRatio: 1.11,
      predictedAfterDays: 30,
      daysToLimit: 19.5,
      reachesLimitAt: new Date(Date.parse(r.to) + 19.5 * 86_400_000).toISOString(),
      horizonDays: 90,
      atLimit: false,
      slopePerDay: null,
    });
    expect(of('geo')).toMatchObject({ method: 'fitted', reachesLimitAt: null });
    expect(of('geo').slopePerDay).toBeCloseTo(0.001, 9);
  });
});
