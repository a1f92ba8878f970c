import { assess, sortBySeverity } from './severity';
import { FieldType } from '@grafana/data';
import { readBoardInput, type BoardRow } from './summaryFrame';
import { RECORDED_AT, recordedFrames } from './test-support/board';

const DAY = 86_400_000;

const row = (over: Partial<BoardRow> = {}): BoardRow => ({
  api: 'x',
  provider: 'p',
  criticality: 'standard',
  owner: '',
  sourceState: null,
  latencyP95Seconds: 0.1,
  latencyThresholdSeconds: 0.5,
  errorRatio: 0,
  errorThreshold: 0.02,
  headroomRatio: null,
  headroomThreshold: 0.15,
  rateLimitRemaining: null,
  rateLimitLimit: null,
  exhaustionSeconds: null,
  providerStatus: 'operational',
  openIncidents: 0,
  incidentTitle: null,
  tlsExpiresAt: null,
  ...over,
});

describe('the board’s words for the core verdict', () => {
  const reasons = (over: Partial<BoardRow>) => assess(row(over), {}, 0).reasons;
  it('latency: critical above, warning from 80% of the threshold', () => {
    expect(assess(row({ latencyP95Seconds: 0.6 }), {}, 0)).toMatchObject({
      severity: 'critical',
      latency: { severity: 'critical' },
      reasons: ['p95 600 ms > 500 ms'],
    });
    expect(assess(row({ latencyP95Seconds: 0.4 }), {}, 0).latency.severity).toBe('warning');
    expect(assess(row({ latencyP95Seconds: 0.39 }), {}, 0).latency.severity).toBe('ok');
    expect(assess(row({ latencyP95Seconds: null }), {}, 0).latency.severity).toBe('ok');
  });
  it('judges exactly 80% of the threshold as the CLI does (0.2 * 0.8 is 0.16000000000000003)', () => {
    expect(assess(row({ latencyP95Seconds: 0.16, latencyThresholdSeconds: 0.2 }), {}, 0)).toMatchObject({
      severity: 'warning',
      reasons: ['p95 160 ms near 200 ms'],
    });
  });
  it('errors: critical above, warning from half the threshold, never at zero', () => {
    expect(reasons({ errorRatio: 0.3, errorThreshold: 0.02 })).toEqual(['errors 30% > 2.0%']);
    expect(assess(row({ errorRatio: 0.01, errorThreshold: 0.02 }), {}, 0).errors.severity).toBe('warning');
    expect(assess(row({ errorRatio: 0, errorThreshold: 0 }), {}, 0).errors.severity).toBe('ok');
  });
  it('headroom: critical below the minimum, warning under twice it, with time to exhaustion', () => {
    expect(reasons({ headroomRatio: 0.1, headroomThreshold: 0.15, exhaustionSeconds: 90 })).toEqual([
      'headroom 10% < 15%, exhausted in 1m',
    ]);
    expect(assess(row({ headroomRatio: 0.2 }), {}, 0).headroom.severity).toBe('warning');
    expect(assess(row({ headroomRatio: 0.9 }), {}, 0).headroom.severity).toBe('ok');
  });
  it('provider: major outage is critical, any other non-operational level a warning', () => {
    expect(reasons({ providerStatus: 'major_outage', incidentTitle: 'Down' })).toEqual([
      'provider reports a major outage: Down',
    ]);
    expect(reasons({ providerStatus: 'partial_outage' })).toEqual(['provider reports partial outage']);
    expect(assess(row({ providerStatus: 'unknown' }), {}, 0).provider.severity).toBe('ok');
  });
  it('tls: critical within 3 days, warning within 14', () => {
    expect(assess(row({ tlsExpiresAt: 2 * DAY }), {}, 0).tls).toMatchObject({ severity: 'critical', daysLeft: 2 });
    expect(assess(row({ tlsExpiresAt: 10 * DAY }), {}, 0).tls).toMatchObject({ severity: 'warning', daysLeft: 10 });
    expect(assess(row({ tlsExpiresAt: 20 * DAY }), {}, 0).tls).toMatchObject({ severity: 'ok', daysLeft: 20 });
    expect(reasons({ tlsExpiresAt: -1 })).toEqual(['TLS certificate expired']);
  });
});

describe('assess', () => {
  it('agrees with the engine state of every recorded API', () => {
    const input = readBoardInput(recordedFrames());
    if (input.kind !== 'rows') {
      throw new Error('expected rows');
    }
    const table = recordedFrames().find((f) => f.name === 'summary')!;
    const states = table.fields.find((f) => f.name === 'state')!.values as string[];
    expect(input.rows.length).toBeGreaterThan(5);
    input.rows.forEach((r, i) => {
      expect([r.api, assess(r, {}, RECORDED_AT).severity]).toEqual([r.api, states[i]]);
      expect(r.sourceState).toBeNull();
    });
  });

  it('reads notProbed from the summary frame when it has the field, and does without it', () => {
    const frames = recordedFrames();
    const table = frames.find((f) => f.fields.some((x) => x.name === 'api' && x.type !== FieldType.time))!;
    const apis = table.fields.find((x) => x.name === 'api')!.values as string[];
    table.fields.push({
      name: 'notProbed',
      type: FieldType.string,
      config: {},
      values: apis.map((a) => (a === 'search' ? 'missing env SEARCH_KEY' : '')),
    });
    const input = readBoardInput(frames);
    if (input.kind !== 'rows') {
      throw new Error('expected rows');
    }
    expect(input.rows.filter((r) => r.notProbed).map((r) => [r.api, r.notProbed])).toEqual([
      ['search', 'missing env SEARCH_KEY'],
    ]);
    expect(input.missing).toEqual([]);
    const plain = readBoardInput(recordedFrames());
    expect(plain.kind === 'rows' && plain.rows.every((r) => r.notProbed === null)).toBe(true);
  });

  it('uses the panel overrides instead of the catalog thresholds', () => {
    const slow = row({ latencyP95Seconds: 0.3 });
    expect(assess(slow, {}, 0).severity).toBe('ok');
    expect(assess(slow, { latencyThresholdSeconds: 0.25 }, 0)).toMatchObject({
      severity: 'critical',
      reasons: ['p95 300 ms > 250 ms'],
    });
    expect(assess(row({ errorRatio: 0.05 }), { errorThreshold: 0.1 }, 0).severity).toBe('warning');
    expect(assess(row({ headroomRatio: 0.3 }), { headroomThreshold: 0.5 }, 0).severity).toBe('critical');
  });

  it('is unknown without probe data, unless a signal is critical or the source says more', () => {
    expect(assess(row({ latencyP95Seconds: null, errorRatio: null }), {}, 0)).toMatchObject({
      severity: 'unknown',
      reasons: ['no probe results in the window'],
    });
    expect(
      assess(row({ latencyP95Seconds: null, errorRatio: null, providerStatus: 'major_outage' }), {}, 0).severity
    ).toBe('critical');
    expect(assess(row({ latencyP95Seconds: null, errorRatio: null, sourceState: 'warning' }), {}, 0).severity).toBe(
      'warning'
    );
  });

  it('names why an API is not probed first: unknown without data, at least a warning with data', () => {
    const reason = 'missing env PAY_API_KEY';
    expect(assess(row({ latencyP95Seconds: null, errorRatio: null, notProbed: reason }), {}, 0)).toMatchObject({
      severity: 'unknown',
      reasons: ['not probed: missing env PAY_API_KEY'],
    });
    expect(assess(row({ notProbed: reason }), {}, 0)).toMatchObject({
      severity: 'warning',
      reasons: ['not probed: missing env PAY_API_KEY'],
    });
    expect(assess(row({ notProbed: reason, latencyP95Seconds: 0.9 }), {}, 0)).toMatchObject({
      severity: 'critical',
      reasons: ['not probed: missing env PAY_API_KEY', 'p95 900 ms > 500 ms'],
    });
  });

  it('sorts worst first, then by name', () => {
    const rows = [
      row({ api: 'b' }),
      row({ api: 'a', errorRatio: 0.5 }),
      row({ api: 'c', latencyP95Seconds: null, errorRatio: null }),
      row({ api: 'a2', latencyP95Seconds: 0.45 }),
    ];
    const sorted = sortBySeverity(rows.map((r) => ({ row: r, assessment: assess(r, {}, 0) })));
    expect(sorted.map((s) => `${s.row.api}:${s.assessment.severity}`)).toEqual([
      'a:critical',
      'a2:warning',
      'c:unknown',
      'b:ok',
    ]);
  });
});
