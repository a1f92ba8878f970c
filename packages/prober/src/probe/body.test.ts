import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { bodyProblem, decodeBody } from './body';

const expectation = (extra: object) => ({ status: [200], maxBytes: 1024, ...extra });

describe('decodeBody', () => {
  it('decodes gzip, deflate and br, and passes identity through', () => {
    const text = '{"ok":true}';
    for (const [encoding, body] of [
      ['gzip', gzipSync(text)],
      ['deflate', deflateSync(text)],
      ['br', brotliCompressSync(text)],
      ['identity', Buffer.from(text)],
    ] as const) {
      expect(decodeBody(body, { 'content-encoding': encoding }, 1024)).toEqual({ ok: true, text });
    }
  });

  it('caps the decoded size: a compression bomb is too large, not a memory spike', () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    expect(decodeBody(bomb, { 'content-encoding': 'gzip' }, 64 * 1024)).toEqual({
      ok: false,
      tooLarge: true,
      error: 'decoded gzip body exceeds maxBytes 65536',
    });
  });

  it('a body that does not decode is reported as such', () => {
    const result = decodeBody(Buffer.from('not gzip'), { 'content-encoding': 'gzip' }, 1024);
    expect(result).toMatchObject({
      ok: false,
      tooLarge: false,
      error: expect.stringMatching(/^cannot decode gzip body/),
    });
  });
});

describe('bodyProblem', () => {
  it('is null when every expectation holds', () => {
    expect(
      bodyProblem('{"data":[],"total":0}', expectation({ bodyContains: '"data"', jsonKeys: ['data', 'total'] }))
    ).toBeNull();
  });

  it('names the missing text and the missing keys', () => {
    expect(bodyProblem('{"a":1}', expectation({ bodyContains: 'healthy' }))).toBe('body does not contain "healthy"');
    expect(bodyProblem('{"a":1}', expectation({ jsonKeys: ['a', 'b'] }))).toBe('JSON body lacks key b');
  });

  it('never quotes the body when it is not JSON', () => {
    const problem = bodyProblem('token=abc123', expectation({ jsonKeys: ['a'] }));
    expect(problem).toBe('body is not valid JSON; expected an object with keys a');
    expect(bodyProblem('null', expectation({ jsonKeys: ['a'] }))).toBe('JSON body is null, not an object with keys a');
  });
});
