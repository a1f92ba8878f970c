import { createDataFrame, FieldType } from '@grafana/data';
import { readBoardInput } from './summaryFrame';
import { recordedFrames } from './test-support/board';

describe('readBoardInput', () => {
  it('reads every API of the recorded summary with its sparkline', () => {
    const input = readBoardInput(recordedFrames());
    expect(input.kind).toBe('rows');
    if (input.kind !== 'rows') {
      return;
    }
    expect(input.missing).toEqual([]);
    expect(input.rows.map((r) => r.api).sort()).toEqual([
      'ad-feed',
      'crm-down',
      'geo-errors',
      'mail-burn',
      'maps',
      'pay-slow',
      'search',
      'sms-quota',
      'tls-soon',
    ]);
    const mail = input.rows.find((r) => r.api === 'mail-burn')!;
    expect(mail).toMatchObject({
      provider: 'postbird',
      criticality: 'standard',
      rateLimitRemaining: 100,
      rateLimitLimit: 600,
      exhaustionSeconds: 240,
    });
    expect(mail.sparkline?.timestamps.length).toBeGreaterThan(10);
    expect(input.rows.find((r) => r.api === 'ad-feed')!.incidentTitle).toBe('Inventory API unavailable in all regions');
  });

  it('is "none" without frames or with only empty frames', () => {
    expect(readBoardInput(undefined).kind).toBe('none');
    expect(readBoardInput([]).kind).toBe('none');
    expect(readBoardInput([createDataFrame({ fields: [] })]).kind).toBe('none');
  });

  it('names the missing api field and what the query returned instead', () => {
    const input = readBoardInput(recordedFrames((r) => ({ ...r, tables: [] })));
    expect(input).toMatchObject({ kind: 'missing', missing: ['api'] });
    if (input.kind === 'missing') {
      expect(input.seen).toEqual(['Time', 'Value']);
    }
  });

  it('accepts any frame with the summary field names, listing the absent ones', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'api', type: FieldType.string, values: ['a', 'b', ''] },
        { name: 'latencyP95Seconds', type: FieldType.string, values: ['0.3', 'n/a', '1'] },
        { name: 'tlsExpiresAt', type: FieldType.string, values: ['2030-01-01T00:00:00Z', '1800000000000', null] },
      ],
    });
    const input = readBoardInput([frame]);
    expect(input.kind).toBe('rows');
    if (input.kind !== 'rows') {
      return;
    }
    // The row without a name is skipped; strings are parsed, junk is no data.
    expect(input.rows.map((r) => [r.api, r.latencyP95Seconds, r.tlsExpiresAt])).toEqual([
      ['a', 0.3, Date.parse('2030-01-01T00:00:00Z')],
      ['b', null, 1_800_000_000_000],
    ]);
    expect(input.missing).toContain('errorRatio');
    expect(input.missing).toContain('providerStatus');
    expect(input.missing).not.toContain('latencyP95Seconds');
    expect(input.rows[0].providerStatus).toBe('unknown');
  });

  it('keeps a source state only from a frame that carries no probe numbers to judge', () => {
    const verdictOnly = createDataFrame({
      fields: [
        { name: 'api', type: FieldType.string, values: ['a'] },
        { name: 'state', type: FieldType.string, values: ['critical'] },
      ],
    });
    const withNumbers = createDataFrame({
      fields: [
        { name: 'api', type: FieldType.string, values: ['a'] },
        { name: 'state', type: FieldType.string, values: ['critical'] },
        { name: 'latencyP95Seconds', type: FieldType.number, values: [null] },
        { name: 'errorRatio', type: FieldType.number, values: [null] },
      ],
    });
    const only = readBoardInput([verdictOnly]);
    const judged = readBoardInput([withNumbers]);
    expect(only.kind === 'rows' && only.rows[0].sourceState).toBe('critical');
    expect(judged.kind === 'rows' && judged.rows[0].sourceState).toBeNull();
  });
});
