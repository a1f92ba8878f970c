import { AbortMonitor, MIN_REQUESTS } from './abort';

describe('the emergency brake', () => {
  const limits = { errorRatio: 0.2, rateLimitedRatio: 0.05 };

  it('says nothing before enough requests', () => {
    const m = new AbortMonitor(limits);
    for (let i = 0; i < MIN_REQUESTS - 1; i++) {
      m.record('http_5xx', i);
    }
    expect(m.verdict(100)).toBeNull();
  });

  it('stops on a 429 share above the threshold, before the error share; at the threshold it goes on', () => {
    const m = new AbortMonitor(limits);
    for (let i = 0; i < 100; i++) {
      m.record(i % 20 === 0 ? 'rate_limited' : 'ok', i * 10);
    }
    expect(m.verdict(1000)).toBeNull();
    m.record('rate_limited', 1000);
    expect(m.verdict(1000)).toEqual({ reason: 'rate_limited', ratio: 6 / 101, requests: 101 });
  });

  it('never stops at 100 % (a brake turned off)', () => {
    const m = new AbortMonitor({ errorRatio: 1, rateLimitedRatio: 1 });
    for (let i = 0; i < 100; i++) {
      m.record('dropped', i * 10);
    }
    expect(m.verdict(1000)).toBeNull();
  });

  it('counts dropped requests and every failed outcome as errors', () => {
    const m = new AbortMonitor(limits);
    for (let i = 0; i < 100; i++) {
      m.record(i % 10 === 0 ? 'dropped' : i % 10 === 1 ? 'timeout' : i % 10 === 2 ? 'http_5xx' : 'ok', i * 10);
    }
    expect(m.verdict(1000)).toEqual({ reason: 'error_ratio', ratio: 0.3, requests: 100 });
  });

  it('forgets what is older than its window', () => {
    const m = new AbortMonitor(limits);
    for (let i = 0; i < 50; i++) {
      m.record('http_5xx', i);
    }
    for (let i = 0; i < 100; i++) {
      m.record('ok', 10_000 + i * 10);
    }
    expect(m.verdict(11_000)).toBeNull();
  });

  it('judges the last requests at rates too low to fill the window', () => {
    const m = new AbortMonitor(limits);
    // One request every 2 s: never 20 in 5 s.
    for (let i = 0; i < MIN_REQUESTS; i++) {
      m.record(i < 5 ? 'http_5xx' : 'ok', i * 2000);
    }
    expect(m.verdict(MIN_REQUESTS * 2000)).toEqual({ reason: 'error_ratio', ratio: 0.25, requests: MIN_REQUESTS });
  });
});
