import { parseDictionary, parseList, parseListLenient } from './structured';

describe('structured fields', () => {
  it('parses a list of named items with parameters', () => {
    const list = parseList('"burst";q=100;w=60, daily;q=1000;w=86400;pk=:cHsdsRa894==:;x=?1');
    expect(list?.map((m) => [m.item, Object.fromEntries(m.params)])).toEqual([
      [
        { kind: 'string', value: 'burst' },
        { q: { kind: 'integer', value: 100 }, w: { kind: 'integer', value: 60 } },
      ],
      [
        { kind: 'token', value: 'daily' },
        {
          q: { kind: 'integer', value: 1000 },
          w: { kind: 'integer', value: 86400 },
          pk: { kind: 'bytes', value: 'cHsdsRa894==' },
          x: { kind: 'boolean', value: true },
        },
      ],
    ]);
  });

  it('parses a dictionary, folding key case', () => {
    const dict = parseDictionary('Limit=100, remaining=50, reset=1.5');
    expect([...(dict ?? new Map()).entries()].map(([k, v]) => [k, v.item.value])).toEqual([
      ['limit', 100],
      ['remaining', 50],
      ['reset', 1.5],
    ]);
  });

  it.each(['"open', 'a,', 'a;=1', '1.2345', '1234567890123456', 'a b', '"\\x"'])('rejects %j', (text) => {
    expect(parseList(text)).toBeNull();
  });

  it('keeps the well-formed members of a partly broken list', () => {
    expect(
      parseListLenient('"a";q=1, "b";q=1.2345, "c";q=3').map((m) => m.item.kind === 'string' && m.item.value)
    ).toEqual(['a', 'c']);
  });

  it('keeps a comma inside a quoted string', () => {
    expect(parseListLenient('"a,b";q=1').map((m) => m.item.kind === 'string' && m.item.value)).toEqual(['a,b']);
  });
});
