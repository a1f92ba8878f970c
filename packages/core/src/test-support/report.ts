// Query results as the store would answer them, for the report's unit tests: a month with two
// APIs, one that broke its objective, and a provider incident with markup in its title.
import type { RawSample, RawSeries } from '../query/response';
import type { MonthlyInputs } from '../report/monthly';
import { parseMonth, previousMonth } from '../report/period';

const month = parseMonth('2026-11')!;
const DAY = 86_400_000;

export const sample = (labels: Record<string, string>, value: number | null): RawSample => ({
  labels,
  timeMs: month.toMs,
  value,
});

export function dayEnds(): number[] {
  const out: number[] = [];
  for (let t = month.fromMs + DAY; t <= month.toMs; t += DAY) {
    out.push(t);
  }
  return out;
}

export const daily = (labels: Record<string, string>, f: (i: number) => number | null): RawSeries => {
  const t = dayEnds();
  return { labels, timestamps: t, values: t.map((_, i) => f(i)) };
};

const pay = { api: 'pay<ments>', provider: 'acme' };
const geo = { api: 'geo', provider: 'maps-co' };

/** Two APIs: pay<ments> (critical) lost 2 % of its probes against a 1 % threshold; geo is fine. */
export function monthlyInputs(overrides: Partial<MonthlyInputs> = {}): MonthlyInputs {
  return {
    month,
    generatedAtMs: month.toMs + 3_600_000,
    source: 'recorded',
    apis: [
      sample({ ...pay, criticality: 'critical', owner: 'pay-team' }, 1),
      sample({ ...geo, criticality: 'standard', owner: 'geo-team' }, 1),
    ],
    probes: [sample(pay, 10_000), sample(geo, 5_000)],
    okProbes: [sample(pay, 9_800), sample(geo, 5_000)],
    probesByCode: [
      sample({ ...pay, code: '200', outcome: 'ok' }, 9_800),
      sample({ ...pay, code: '503', outcome: 'http_5xx' }, 150),
      sample({ ...pay, code: '0', outcome: 'timeout' }, 40),
      sample({ ...pay, code: '429', outcome: 'rate_limited' }, 10),
      sample({ ...geo, code: '200', outcome: 'ok' }, 5_000),
    ],
    latency: {
      latencyP50Seconds: [sample(pay, 0.08), sample(geo, 0.1)],
      latencyP95Seconds: [sample(pay, 0.25), sample(geo, 0.2)],
      latencyP99Seconds: [sample(pay, 0.4), sample(geo, 0.3)],
    },
    latencyThreshold: [sample({ api: pay.api }, 0.2), sample({ api: geo.api }, 0.5)],
    errorThreshold: [sample({ api: pay.api }, 0.01), sample({ api: geo.api }, 0.02)],
    headroomThreshold: [sample({ api: pay.api }, 0.2), sample({ api: geo.api }, 0.15)],
    minHeadroom: [sample(pay, 0.1)],
    secondsOverLatencyThreshold: [sample(pay, 7_200), sample(geo, 0)],
    dayEnds: dayEnds(),
    daily: {
      latencyP95: [daily(pay, (i) => (i === 9 ? 0.6 : 0.1)), daily(geo, () => 0.2)],
      errorRatio: [daily(pay, (i) => (i === 9 ? 0.3 : 0)), daily(geo, () => 0)],
      minHeadroom: [daily(pay, () => 0.5)],
    },
    previous: {
      month: previousMonth(month),
      probes: [sample(pay, 10_000)],
      okProbes: [sample(pay, 9_990)],
      latencyP95: [sample(pay, 0.1)],
    },
    alerts: [],
    incidents: [
      {
        provider: 'acme',
        kind: 'incident',
        id: 'i1',
        title: 'API <script>alert(1)</script> errors',
        status: 'resolved',
        impact: 'major',
        startedAt: month.fromMs + 9 * DAY,
        resolvedAt: month.fromMs + 9 * DAY + 7_200_000,
        url: 'javascript:alert(1)',
        components: ['API'],
        latestUpdate: null,
        updates: [],
      },
      {
        provider: 'acme',
        kind: 'incident',
        id: 'i2',
        title: 'Dashboard slow',
        status: 'resolved',
        impact: 'minor',
        startedAt: month.fromMs,
        resolvedAt: month.fromMs + 60_000,
        url: null,
        components: ['Dashboard'],
        latestUpdate: null,
        updates: [],
      },
    ],
    statusComponents: new Map([[pay.api, ['API']]]),
    traffic: null,
    audit: null,
    records: [],
    minIncidentMs: 300_000,
    warnings: [],
    ...overrides,
  };
}
