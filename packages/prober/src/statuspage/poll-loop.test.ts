// The shared polling schedule of status pages and advisory feeds, on real timers.
import { PollLoop } from './poll-loop';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PollLoop', () => {
  it('doubles the wait per consecutive failure, capped, and honours Retry-After beyond the cap', async () => {
    const outcomes = [{ ok: false }, { ok: false }, { ok: false, retryAfterMs: 5_000 }, { ok: true }];
    const loop = new PollLoop({ intervalMs: 100, maxBackoffMs: 300, attempt: async () => outcomes.shift()! });
    await loop.poll();
    expect([loop.failures, loop.nextDelay()]).toEqual([1, 200]);
    await loop.poll();
    expect([loop.failures, loop.nextDelay()]).toEqual([2, 300]);
    await loop.poll();
    expect([loop.failures, loop.nextDelay()]).toEqual([3, 5_000]);
    await loop.poll();
    expect([loop.failures, loop.nextDelay()]).toEqual([0, 100]);
  });

  it('runs one attempt at a time, counts a throw as a failure and keeps polling until stopped', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const loop = new PollLoop({
      intervalMs: 20,
      attempt: async () => {
        calls += 1;
        if (calls === 1) {
          await new Promise<void>((r) => (release = r));
          throw new Error('boom');
        }
        return { ok: true };
      },
    });
    const first = loop.poll();
    const second = loop.poll();
    expect(second).toBe(first);
    release();
    await first;
    expect([calls, loop.failures]).toEqual([1, 1]);
    loop.start(0);
    await sleep(150);
    loop.stop();
    await loop.settled();
    const seen = calls;
    expect(seen).toBeGreaterThanOrEqual(3);
    expect(loop.nextPollAt).toBeNull();
    await sleep(60);
    expect(calls).toBe(seen);
  });
});
