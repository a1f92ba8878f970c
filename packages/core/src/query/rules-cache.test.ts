import { RecordingRulesCache, RULES_RETRY_MS } from './rules-cache';

const rulesBody = (...names: string[]) => ({
  status: 'success',
  data: { groups: [{ rules: names.map((name) => ({ type: 'recording', name, health: 'ok' })) }] },
});

describe('RecordingRulesCache', () => {
  it('asks the store once and keeps the answer', async () => {
    const fetchRules = jest.fn().mockResolvedValue(rulesBody('a:b:rate5m'));
    const cache = new RecordingRulesCache(fetchRules, () => 0);
    expect(cache.current().size).toBe(0);
    const [first, second] = await Promise.all([cache.get(), cache.get()]);
    expect([...first]).toEqual(['a:b:rate5m']);
    expect(second).toBe(first);
    await cache.get();
    expect(fetchRules).toHaveBeenCalledTimes(1);
    expect([...cache.current()]).toEqual(['a:b:rate5m']);
  });

  it('after a failure serves no rules and asks again only after 10 minutes', async () => {
    let now = 0;
    const fetchRules = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue(rulesBody('x:y:rate5m'));
    const cache = new RecordingRulesCache(fetchRules, () => now);
    expect((await cache.get()).size).toBe(0);
    now = RULES_RETRY_MS - 1;
    expect((await cache.get()).size).toBe(0);
    expect(fetchRules).toHaveBeenCalledTimes(1);
    now = RULES_RETRY_MS;
    expect([...(await cache.get())]).toEqual(['x:y:rate5m']);
    expect(fetchRules).toHaveBeenCalledTimes(2);
  });

  it('never asks when disabled', async () => {
    const fetchRules = jest.fn();
    expect((await new RecordingRulesCache(fetchRules, () => 0, false).get()).size).toBe(0);
    expect(fetchRules).not.toHaveBeenCalled();
  });
});
