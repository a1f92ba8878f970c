import {
  assess,
  errorVerdict,
  headroomVerdict,
  latencyVerdict,
  providerVerdict,
  sortBySeverity,
  tlsVerdict,
} from './severity';
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

describe('signal verdicts (the engine state margins)', () => {
  it('latency: critical above, warning from 80% of the threshold', () => {
    expect(latencyVerdict(0.6, 0.5)).toEqual({ severity: 'critical', reason: 'p95 600 ms > 500 ms' });
    expect(latencyVerdict(0.4, 0.5).severity).toBe('warning');
    expect(latencyVerdict(0.39, 0.5).severity).toBe('ok');
    expect(latencyVerdict(null, 0.5).severity).toBe('ok');
  });
  it('errors: critical above, warning from half the threshold, never at zero', () => {
    expect(errorVerdict(0.3, 0.02).reason).toBe('errors 30% > 2.0%');
    expect(errorVerdict(0.01, 0.02).severity).toBe('warning');
    expect(errorVerdict(0, 0).severity).toBe('ok');
  });
  it('headroom: critical below the minimum, warning under twice it, with time to exhaustion', () => {
    expect(headroomVerdict(0.1, 0.15, 90)).toEqual({
      severity: 'critical',
      reason: 'headroom 10% < 15%, exhausted in 1m',
    });
    expect(headroomVerdict(0.2, 0.15, null).severity).toBe('warning');
    expect(headroomVerdict(0.9, 0.15, null).severity).toBe('ok');
  });
  it('provider: major outage is critical, any other non-operational level a warning', () => {
    expect(providerVerdict('major_outage', 'Down').reason).toBe('provider reports a major outage: Down');
    expect(providerVerdict('partial_outage', null)).toEqual({
      severity: 'warning',
      reason: 'provider reports partial outage',
    });
    expect(providerVerdict('unknown', null).severity).toBe('ok');
  });
  it('tls: critical within 3 days, warning within 14', () => {
    expect(tlsVerdict(2 * DAY, 0)).toMatchObject({ severity: 'critical', daysLeft: 2 });
    expect(tlsVerdict(10 * DAY, 0)).toMatchObject({ severity: 'warning', daysLeft: 10 });
    expect(tlsVerdict(20 * DAY, 0)).toMatchObject({ severity: 'ok', daysLeft: 20 });
    expect(tlsVerdict(-1, 0).reason).toBe('TLS certificate expired');
  });
});

describe('assess', () => {
  it('agrees with the engine state of every recorded API', () => {
    const input = readBoardInput(recordedFrames());
    if (input.kind !== 'rows') {
      throw new Error('expected rows');
    }
    for (const r of input.rows) {
      expect([r.api, assess(r, {}, RECORDED_AT).severity]).toEqual([r.api, r.sourceState]);
    }
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
