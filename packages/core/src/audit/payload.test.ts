import { judgeLargePayload, judgeUncompressed, type PayloadEvidence } from './payload';

const base = (over: Partial<PayloadEvidence>): PayloadEvidence => ({
  api: 'ad-feed',
  endpoint: 'listings',
  decodedBytes: 600 * 1024,
  wireBytes: 600 * 1024,
  wireP95Bytes: 600 * 1024,
  encoding: 'identity',
  compressionRequested: true,
  fieldSelection: false,
  callsPerDay: null,
  ...over,
});

describe('payloads', () => {
  it('a large response: its size, the bytes a day with real traffic, field selection when the API has it', () => {
    const f = judgeLargePayload(
      base({ fieldSelection: true, docs: 'https://docs.adstream.test/fields', callsPerDay: 1000 })
    );
    expect(f).toMatchObject({
      kind: 'large_payload',
      severity: 'low',
      evidence: { decodedBytes: 614_400, fieldSelection: true },
    });
    expect(f!.summary).toBe("Responses are 600 KiB decoded: 586 MiB a day for the platform's 1000 calls.");
    expect(judgeLargePayload(base({ decodedBytes: null }))!.summary).toBe('Responses are 600 KiB on the wire (p95).');
    expect(f!.recommendation).toMatch(/supports field selection .*see https:\/\/docs\.adstream\.test\/fields/);
    expect(judgeLargePayload(base({ decodedBytes: 2 * 1024 * 1024 }))!.severity).toBe('medium');
    expect(judgeLargePayload(base({ decodedBytes: 100 * 1024 }))).toBeNull();
  });

  it('uncompressed when compression was asked for and the body is worth it', () => {
    const f = judgeUncompressed(base({ callsPerDay: 100 }));
    expect(f).toMatchObject({
      kind: 'uncompressed',
      severity: 'medium',
      evidence: { encoding: 'identity', compressionRequested: true },
    });
    expect(f!.estimatedGain!.values).toEqual({ bytesPerCall: 460_800, bytesPerDay: 46_080_000 });
    expect(judgeUncompressed(base({ encoding: 'gzip', wireBytes: 90_000 }))).toBeNull();
    expect(judgeUncompressed(base({ compressionRequested: false }))).toBeNull();
    expect(judgeUncompressed(base({ decodedBytes: 500 }))).toBeNull();
  });
});
