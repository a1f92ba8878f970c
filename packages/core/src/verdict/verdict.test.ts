import { relativeSteps, TLS_STEPS_SECONDS, verdictSteps } from './steps';
import { acrossLocations, judgeApi, majorityValue, reasonText, type LocationInput, type ReasonFormat, type VerdictInput } from './verdict';

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;

const input = (overrides: Partial<VerdictInput> = {}): VerdictInput => ({
  latencyP95Seconds: 0.1,
  latencyThresholdSeconds: 0.2,
  errorRatio: 0,
  errorThreshold: 0.02,
  headroomRatio: 0.9,
  headroomThreshold: 0.2,
  exhaustionSeconds: null,
  providerStatus: 'operational',
  tlsExpiresAt: null,
  ...overrides,
});

const texts = (overrides: Partial<VerdictInput>, format?: ReasonFormat) =>
  judgeApi(input(overrides), NOW).reasons.map((r) => reasonText(r, format));

describe('judgeApi: state from the thresholds', () => {
  it.each<[string, Partial<VerdictInput>, string]>([
    ['all within', {}, 'ok'],
    ['p95 over its threshold', { latencyP95Seconds: 0.21 }, 'critical'],
    ['p95 at 80 % of it (0.2 * 0.8 is 0.16000000000000003)', { latencyP95Seconds: 0.16 }, 'warning'],
    ['p95 just under 80 %', { latencyP95Seconds: 0.159 }, 'ok'],
    ['errors over', { errorRatio: 0.03 }, 'critical'],
    ['errors at half', { errorRatio: 0.01 }, 'warning'],
    ['no errors against a zero threshold', { errorRatio: 0, errorThreshold: 0 }, 'ok'],
    ['headroom under its minimum', { headroomRatio: 0.1 }, 'critical'],
    ['headroom under twice it', { headroomRatio: 0.3 }, 'warning'],
    ['a full quota against a minimum over 50 %', { headroomRatio: 1, headroomThreshold: 0.6 }, 'ok'],
    ['provider major outage', { providerStatus: 'major_outage' }, 'critical'],
    ['provider degraded', { providerStatus: 'degraded' }, 'warning'],
    ['provider unknown', { providerStatus: 'unknown' }, 'ok'],
    ['provider not known at all', { providerStatus: '' }, 'ok'],
    ['TLS in 2 days', { tlsExpiresAt: NOW + 2 * DAY }, 'critical'],
    ['TLS in 10 days', { tlsExpiresAt: NOW + 10 * DAY }, 'warning'],
    ['TLS in 60 days', { tlsExpiresAt: NOW + 60 * DAY }, 'ok'],
    ['no probe data', { latencyP95Seconds: null, errorRatio: null }, 'unknown'],
    [
      'no probe data but a breach elsewhere',
      { latencyP95Seconds: null, errorRatio: null, headroomRatio: 0 },
      'critical',
    ],
    [
      'no probe data and a provider problem',
      { latencyP95Seconds: null, errorRatio: null, providerStatus: 'degraded' },
      'warning',
    ],
    [
      'no probe data, the source says warning',
      { latencyP95Seconds: null, errorRatio: null, sourceState: 'warning' },
      'warning',
    ],
    ['probe data wins over the source', { sourceState: 'critical' }, 'ok'],
    [
      'no thresholds known',
      { latencyThresholdSeconds: null, errorThreshold: null, headroomThreshold: null, latencyP95Seconds: 9 },
      'ok',
    ],
    [
      'not probed, nothing left in the window',
      { latencyP95Seconds: null, errorRatio: null, notProbed: 'missing env K' },
      'unknown',
    ],
    ['not probed, results still in the window', { notProbed: 'missing env K' }, 'warning'],
  ])('%s -> %s', (_, overrides, state) => {
    expect(judgeApi(input(overrides), NOW).state).toBe(state);
  });

  it('keeps every signal verdict, and the days a certificate has left', () => {
    const v = judgeApi(input({ latencyP95Seconds: 0.3, tlsExpiresAt: NOW + 10.5 * DAY }), NOW);
    expect(v.signals.latency.severity).toBe('critical');
    expect(v.signals.errors.severity).toBe('ok');
    expect(v.signals.tls.severity).toBe('warning');
    expect(v.tlsDaysLeft).toBe(10);
  });
});

describe('reasons', () => {
  it('say why in the terse words of apimon status, critical before warning', () => {
    expect(texts({ latencyP95Seconds: 0.25, errorRatio: 0.012 })).toEqual([
      'p95 250ms > 200ms',
      'errors 1.2% near 2.0%',
    ]);
    expect(texts({ errorRatio: 0.012, headroomRatio: 0.05 })).toEqual([
      'headroom 5.0% < 20.0%',
      'errors 1.2% near 2.0%',
    ]);
    expect(texts({ providerStatus: 'partial_outage', tlsExpiresAt: NOW - 1 })).toEqual([
      'TLS certificate expired',
      'provider reports partial outage',
    ]);
  });

  it('name a missing secret first and a lack of data last', () => {
    expect(texts({ notProbed: 'missing env K', latencyP95Seconds: 0.9 })).toEqual([
      'not probed: missing env K',
      'p95 900ms > 200ms',
    ]);
    expect(texts({ latencyP95Seconds: null, errorRatio: null, providerStatus: 'degraded' })).toEqual([
      'provider reports degraded',
      'no probe results in the window',
    ]);
    expect(texts({ latencyP95Seconds: null, errorRatio: null, notProbed: 'missing env K' })).toEqual([
      'not probed: missing env K',
    ]);
  });

  it('note probes the busy prober could not time, without changing the state', () => {
    // Their durations are not in the p95: the provider is judged on the honest ones only.
    const busy = judgeApi(input({ timingDegradedRatio: 0.25 }), NOW);
    expect(busy.state).toBe('ok');
    expect(busy.reasons.map((r) => reasonText(r))).toEqual(['prober too busy to time 25.0% of probes (left out of p95)']);
    // Every probe of the window timed badly: the p95 is unknown, the errors still count.
    const blind = judgeApi(input({ timingDegradedRatio: 1, latencyP95Seconds: null }), NOW);
    expect(blind.state).toBe('ok');
    expect(blind.signals.latency.severity).toBe('ok');
    expect(blind.reasons.map((r) => reasonText(r))).toEqual(['p95 not judged: the prober was too busy to time the probes']);
    // After what the provider did.
    expect(texts({ timingDegradedRatio: 0.1, errorRatio: 0.05 })).toEqual([
      'errors 5.0% > 2.0%',
      'prober too busy to time 10.0% of probes (left out of p95)',
    ]);
    expect(texts({ timingDegradedRatio: 0 })).toEqual([]);
    expect(texts({ timingDegradedRatio: null })).toEqual([]);
  });

  it('take a front end’s number format, time to exhaustion and incident title', () => {
    const format: ReasonFormat = {
      seconds: (s) => `${s} s`,
      percent: (r) => `${r * 100} pct`,
      duration: (s) => `${s / 60} min`,
      incidentTitle: true,
    };
    expect(
      texts(
        { headroomRatio: 0.1, exhaustionSeconds: 120, providerStatus: 'major_outage', incidentTitle: 'Down' },
        format
      )
    ).toEqual(['headroom 10 pct < 20 pct, exhausted in 2 min', 'provider reports a major outage: Down']);
    expect(texts({ providerStatus: 'major_outage', incidentTitle: 'Down' })).toEqual([
      'provider reports a major outage',
    ]);
  });
});

describe('colour steps', () => {
  /** The colour Grafana gives a value: the last step it reaches. */
  const colour = (steps: Array<{ value: number; color: string }>, v: number) =>
    steps.filter((s) => v >= s.value).pop()!.color;
  const state = { green: 'ok', orange: 'warning', red: 'critical' } as const;

  it('colour a value as the verdict judges it against its threshold', () => {
    for (const [p95, expected] of [
      [0.1, 'ok'],
      [0.17, 'warning'],
      [0.25, 'critical'],
    ] as const) {
      expect(state[colour(verdictSteps('latency', 0.2), p95) as 'green']).toBe(expected);
      expect(judgeApi(input({ latencyP95Seconds: p95 }), NOW).state).toBe(expected);
    }
    for (const [headroom, expected] of [
      [0.05, 'critical'],
      [0.3, 'warning'],
      [0.5, 'ok'],
    ] as const) {
      expect(state[colour(verdictSteps('headroom', 0.2), headroom) as 'green']).toBe(expected);
      expect(state[colour(relativeSteps('headroom'), headroom / 0.2) as 'green']).toBe(expected);
      expect(judgeApi(input({ headroomRatio: headroom }), NOW).state).toBe(expected);
    }
    expect(relativeSteps('errorRatio').map((s) => [s.value, s.color])).toEqual([
      [-Infinity, 'green'],
      [0.5, 'orange'],
      [1, 'red'],
    ]);
  });

  it('colour TLS expiry by the verdict’s limits', () => {
    for (const days of [1, 5, 20]) {
      const v = judgeApi(input({ tlsExpiresAt: NOW + days * DAY }), NOW);
      expect(state[colour(TLS_STEPS_SECONDS, days * 86_400) as 'green']).toBe(v.state);
    }
  });
});

describe('several locations', () => {
  const loc = (location: string, latencyP95Seconds: number | null, errorRatio: number | null = 0): LocationInput => ({
    location,
    latencyP95Seconds,
    errorRatio,
  });
  /** The verdict over these locations, with the API's numbers taken across them as the summary does. */
  const judge = (locations: LocationInput[]) => judgeApi(input({ ...acrossLocations(locations), locations }), NOW);

  it('takes the value a majority of locations reach', () => {
    expect(majorityValue([0.9, 0.1])).toBe(0.1);
    expect(majorityValue([0.9, 0.5, 0.1])).toBe(0.5);
    expect(majorityValue([0.9, 0.5, 0.1, 0.05])).toBe(0.1);
    expect(majorityValue([0.3])).toBe(0.3);
    expect(majorityValue([null, 0.2, NaN])).toBe(0.2);
    expect(majorityValue([])).toBeNull();
  });

  it('calls one slow location a regional problem: a warning, not down', () => {
    const v = judge([loc('eu-west', 0.9), loc('us-east', 0.05)]);
    expect(v.state).toBe('warning');
    expect(v.signals.latency.severity).toBe('ok');
    expect(v.reasons.map((r) => reasonText(r))).toEqual(['regional problem from 1 of 2 locations (eu-west: p95 900ms > 200ms)']);
  });

  it('is critical when a majority of locations breach', () => {
    const slow = judge([loc('a', 0.9), loc('b', 0.5), loc('c', 0.05)]);
    expect(slow.state).toBe('critical');
    expect(slow.reasons.map((r) => reasonText(r))).toEqual(['p95 500ms > 200ms']);
    const failing = judge([loc('a', 0.05, 0.5), loc('b', 0.05, 0.3)]);
    expect(failing.reasons.map((r) => reasonText(r))).toEqual(['errors 30.0% > 2.0%']);
  });

  it('is critical when a majority fails on different signals, and names each location', () => {
    const v = judge([loc('a', 0.9, 0), loc('b', 0.05, 0.5), loc('c', 0.05, 0)]);
    expect(v.state).toBe('critical');
    expect(v.reasons.map((r) => reasonText(r))).toEqual([
      'failing from 2 of 3 locations (a: p95 900ms > 200ms; b: errors 50.0% > 2.0%)',
    ]);
  });

  it('adds a regional reason for another signal next to an API-wide breach', () => {
    const v = judge([loc('a', 0.9, 0.5), loc('b', 0.9, 0), loc('c', 0.05, 0)]);
    expect(v.state).toBe('critical');
    expect(v.reasons.map((r) => reasonText(r))).toEqual(['p95 900ms > 200ms', 'regional problem from 1 of 3 locations (a: errors 50.0% > 2.0%)']);
  });

  it('judges one location as before', () => {
    const v = judge([loc('only', 0.9)]);
    expect(v.state).toBe('critical');
    expect(v.reasons.map((r) => reasonText(r))).toEqual(['p95 900ms > 200ms']);
  });
});
