import { LatenessTally, LoopStallMonitor, type Stall } from './loop-stalls';
import { clock } from './timing';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds the event loop for `ms`, as a long GC pause or a slow render would. */
function blockLoop(ms: number): void {
  const until = clock() + ms;
  while (clock() < until) {
    // busy
  }
}

describe('LoopStallMonitor on a set clock', () => {
  let now = 0;
  const monitors: LoopStallMonitor[] = [];
  const monitor = (sampleMs: number) => {
    const m = new LoopStallMonitor(sampleMs, () => now).start();
    monitors.push(m);
    return m;
  };
  afterEach(() => monitors.splice(0).forEach((m) => m.stop()));

  it('records a tick that ran late as a stall and dates events behind it', async () => {
    now = 1000;
    const m = monitor(5); // due at 1005
    now = 1205; // the tick runs 200 ms late, and the loop reads its sockets at 1205 too
    // The sampler's tick, then the immediate after the socket reads (however busy the machine).
    for (let waited = 0; m.recent()[0]?.settled === undefined && waited < 5_000; waited += 10) {
      await tick(10);
    }
    expect(m.recent()).toEqual([{ start: 1005, end: 1205, settled: 1205 }]);
    // An event its callback dated in the first batch of sockets after the stall waited behind it ...
    expect(m.stallBefore(1205)).toEqual({ start: 1005, end: 1205, settled: 1205 });
    // ... one dated after the loop had read its sockets did not ...
    expect(m.stallBefore(1206)).toBeNull();
    // ... nor one dated before the stall ended (its batch was stamped when the turn began).
    expect(m.stallBefore(1100)).toBeNull();
  });

  it('counts a stall for the events of the loop turn after it, however long the timers ran', () => {
    now = 0;
    const m = monitor(60_000);
    // As the sampler leaves it between its tick and the immediate that follows the socket reads.
    (m.recent() as Stall[]).push({ start: 100, end: 400 });
    expect(m.stallBefore(430)).toEqual({ start: 100, end: 400 });
    (m.recent() as Stall[])[0].settled = 440;
    expect(m.stallBefore(435)).toEqual({ start: 100, end: 400, settled: 440 });
    expect(m.stallBefore(450)).toBeNull();
  });

  it('sees a stall the sampler has not run to see yet', () => {
    now = 0;
    const m = monitor(60_000); // due at 60000; the test ends long before the real timer fires
    expect(m.stallBefore(59_000)).toBeNull();
    now = 60_001; // within timer granularity of the due time
    expect(m.stallBefore(60_001)).toBeNull();
    now = 60_300;
    expect(m.stallBefore(60_250)).toEqual({ start: 60_000, end: 60_250 });
    expect(m.stallBefore(59_990)).toBeNull();
  });

  it('counts each stretch of blocked time once for a probe', () => {
    now = 0;
    const m = monitor(60_000);
    const tally = new LatenessTally(m);
    now = 60_100;
    tally.event(60_040); // the head: waited 40 ms
    tally.event(60_040); // the end, in the same loop turn
    tally.event(60_100); // a later event behind the same stall adds only the rest
    expect(tally.ms).toBe(100);
    tally.event(59_000); // before the stall: on time
    expect(tally.ms).toBe(100);
  });

  it('leaves out blocked time before the probe began', () => {
    now = 0;
    const m = monitor(60_000);
    const tally = new LatenessTally(m);
    tally.startAt(60_070);
    now = 60_100;
    tally.event(60_100);
    expect(tally.ms).toBe(30);
  });
});

describe('LoopStallMonitor on the real event loop', () => {
  it('measures a busy loop of 150 ms as a stall of about that length', async () => {
    const m = new LoopStallMonitor().start();
    try {
      await tick(30);
      const blockedAt = clock();
      blockLoop(150);
      // Still inside the stall: the sampler has not run yet.
      const pending = m.stallBefore(clock());
      expect(pending).not.toBeNull();
      expect(pending!.end - pending!.start).toBeGreaterThanOrEqual(130);
      await tick(20);
      const seen = m.recent().find((s) => s.end >= blockedAt + 150);
      expect(seen).toBeDefined();
      expect(seen!.end - seen!.start).toBeGreaterThanOrEqual(130);
    } finally {
      m.stop();
    }
  });
});
