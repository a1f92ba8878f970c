import { Scheduler, type JobSpec, type SaturationEvent } from './scheduler';
import { FakeClock, seededRandom } from './test-support/fake-clock';

interface Job {
  name: string;
  group: string;
  /** How long a run takes on the fake clock; Infinity hangs until aborted. */
  takesMs: number;
  /** A hanging run that also ignores its abort signal. */
  ignoresAbort?: boolean;
}

function setup(concurrency: number, jobs: Array<JobSpec<Job>>, seed: number | (() => number) = 1) {
  const clock = new FakeClock();
  const starts = new Map<string, number[]>();
  const delays = new Map<string, number[]>();
  const order: string[] = [];
  const overlaps: string[] = [];
  const saturated: string[] = [];
  const due: string[] = [];
  const deadlines: string[] = [];
  const saturation: SaturationEvent[] = [];
  let active = 0;
  let maxActive = 0;
  const activeByGroup = new Map<string, number>();
  const maxActiveByGroup = new Map<string, number>();
  const scheduler = new Scheduler<Job>({
    concurrency,
    clock,
    random: typeof seed === 'number' ? seededRandom(seed) : seed,
    onDue: (j) => due.push(j.name),
    onStart: (j, delayMs) => delays.set(j.name, [...(delays.get(j.name) ?? []), delayMs]),
    onSkip: (j, reason) => (reason === 'overlap' ? overlaps : saturated).push(j.name),
    onDeadline: (j) => deadlines.push(j.name),
    onSaturation: (e) => saturation.push(e),
    run: (job, signal) => {
      starts.set(job.name, [...(starts.get(job.name) ?? []), clock.now()]);
      order.push(job.name);
      active++;
      maxActive = Math.max(maxActive, active);
      activeByGroup.set(job.group, (activeByGroup.get(job.group) ?? 0) + 1);
      maxActiveByGroup.set(job.group, Math.max(maxActiveByGroup.get(job.group) ?? 0, activeByGroup.get(job.group)!));
      return new Promise<void>((resolve) => {
        const done = () => {
          active--;
          activeByGroup.set(job.group, activeByGroup.get(job.group)! - 1);
          resolve();
        };
        if (Number.isFinite(job.takesMs)) {
          clock.setTimeout(done, job.takesMs);
        }
        if (!job.ignoresAbort) {
          signal.addEventListener('abort', done, { once: true });
        }
      });
    },
  });
  scheduler.update(jobs);
  return {
    clock,
    scheduler,
    starts,
    delays,
    order,
    overlaps,
    saturated,
    due,
    deadlines,
    saturation,
    stats: () => ({ active, maxActive, maxActiveByGroup }),
  };
}

interface SpecOptions extends Partial<Omit<Job, 'name' | 'takesMs'>> {
  deadlineMs?: number;
  priority?: number;
}

const spec = (
  name: string,
  intervalMs: number,
  takesMs: number,
  { deadlineMs = 5_000, priority = 1, group = 'g', ...extra }: SpecOptions = {}
): JobSpec<Job> => ({
  key: name,
  intervalMs,
  deadlineMs,
  group,
  priority,
  data: { name, takesMs, group, ...extra },
});

describe('Scheduler', () => {
  it('spreads first runs over the interval and keeps later runs on the grid within the jitter', async () => {
    const jobs = Array.from({ length: 60 }, (_, i) => spec(`job${i}`, 10_000, 10));
    const { clock, scheduler, starts } = setup(100, jobs);
    scheduler.start();
    await clock.advance(10_000 * 6);

    const firsts = jobs.map((j) => starts.get(j.key)![0]);
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...firsts)).toBeLessThan(10_000);
    // 60 uniform draws over 10 s: every quarter of the interval gets some.
    for (let q = 0; q < 4; q++) {
      expect(firsts.filter((t) => t >= q * 2_500 && t < (q + 1) * 2_500).length).toBeGreaterThan(3);
    }
    // Later runs: first + n * interval, moved by at most 5% of the interval (500 ms).
    let jittered = 0;
    for (const j of jobs) {
      const runs = starts.get(j.key)!;
      expect(runs.length).toBeGreaterThanOrEqual(5);
      runs.forEach((t, n) => {
        const offset = t - (runs[0] + n * 10_000);
        expect(Math.abs(offset)).toBeLessThanOrEqual(500);
        if (offset !== 0) {
          jittered++;
        }
      });
    }
    expect(jittered).toBeGreaterThan(100);
  });

  it('caps the per-run jitter at one second for long intervals', async () => {
    const { clock, scheduler, starts } = setup(1, [spec('slow', 600_000, 10)]);
    scheduler.start();
    await clock.advance(600_000 * 5);
    const runs = starts.get('slow')!;
    runs.forEach((t, n) => expect(Math.abs(t - (runs[0] + n * 600_000))).toBeLessThanOrEqual(1_000));
  });

  it('never runs more than `concurrency` jobs at once and eventually runs every queued job', async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => spec(`job${i}`, 60_000, 3_000));
    const { clock, scheduler, starts, stats } = setup(3, jobs);
    scheduler.start();
    await clock.advance(90_000);
    expect(stats().maxActive).toBe(3);
    expect(jobs.every((j) => (starts.get(j.key)?.length ?? 0) >= 1)).toBe(true);
  });

  it('keeps everyone else on schedule while one target hangs', async () => {
    const jobs = [spec('hangs', 1_000, Infinity, { deadlineMs: 2_500 }), spec('b', 1_000, 50), spec('c', 1_000, 50)];
    const { clock, scheduler, starts, deadlines } = setup(2, jobs, 7);
    scheduler.start();
    await clock.advance(20_000);
    for (const name of ['b', 'c']) {
      const runs = starts.get(name)!;
      // One run per second for 20 s, each on its own grid point (±50 ms jitter).
      expect(runs.length).toBeGreaterThanOrEqual(19);
      runs.forEach((t, n) => expect(Math.abs(t - (runs[0] + n * 1_000))).toBeLessThanOrEqual(50));
    }
    // The hanging job is aborted at its deadline each time and is not stacked in between.
    expect(deadlines.filter((d) => d === 'hangs').length).toBeGreaterThanOrEqual(5);
    expect(starts.get('hangs')!.length).toBeLessThanOrEqual(8);
  });

  it('frees the slot at the deadline even when the work ignores the abort', async () => {
    const jobs = [spec('stuck', 100_000, Infinity, { ignoresAbort: true, deadlineMs: 1_000 }), spec('next', 100_000, 10)];
    const { clock, scheduler, starts } = setup(1, jobs, 3);
    scheduler.start();
    await clock.advance(100_000);
    // Whatever order they came due in, the other job ran within the stuck one's deadline.
    const stuckAt = starts.get('stuck')![0];
    const nextAt = starts.get('next')![0];
    if (nextAt > stuckAt) {
      expect(nextAt - stuckAt).toBeLessThanOrEqual(1_000);
    }
    expect(scheduler.running).toBe(0);
  });

  it('skips a run that comes due while the previous one is still going, instead of stacking it', async () => {
    const { clock, scheduler, starts, overlaps, saturated } = setup(4, [spec('slow', 1_000, 2_500, { deadlineMs: 10_000 })]);
    scheduler.start();
    await clock.advance(10_000);
    expect(saturated).toEqual([]);
    const runs = starts.get('slow')!;
    // Runs at first, first+3s, first+6s (±jitter): the two grid points in between are skipped.
    for (let n = 1; n < runs.length; n++) {
      expect(runs[n] - runs[n - 1]).toBeGreaterThan(2_500);
    }
    expect(overlaps.length).toBeGreaterThanOrEqual(2 * (runs.length - 1));
    expect(overlaps.every((o) => o === 'slow')).toBe(true);
  });

  it('keeps unchanged jobs on their grid across an update, starts new ones, drops removed ones', async () => {
    const { clock, scheduler, starts } = setup(4, [spec('keep', 1_000, 10), spec('drop', 1_000, 10)], 11);
    scheduler.start();
    await clock.advance(3_000);
    const keepBefore = starts.get('keep')!;
    const dropCount = starts.get('drop')!.length;
    scheduler.update([spec('keep', 1_000, 10), spec('new', 1_000, 10)]);
    await clock.advance(3_000);
    const keep = starts.get('keep')!;
    keep.forEach((t, n) => expect(Math.abs(t - (keepBefore[0] + n * 1_000))).toBeLessThanOrEqual(50));
    expect(keep.length).toBeGreaterThanOrEqual(5);
    expect(starts.get('drop')!.length).toBe(dropCount);
    expect(starts.get('new')!.length).toBeGreaterThanOrEqual(2);
    expect(scheduler.keys().sort()).toEqual(['keep', 'new']);
  });

  it('stop waits for runs in progress, at most the grace period, then aborts them', async () => {
    const { clock, scheduler, starts } = setup(
      4,
      [spec('short', 1_000, 300), spec('hangs', 1_000, Infinity, { deadlineMs: 60_000 })],
      5
    );
    scheduler.start();
    await clock.advance(1_000);
    expect(scheduler.running).toBeGreaterThan(0);
    let stopped = false;
    const stopping = scheduler.stop(2_000).then(() => {
      stopped = true;
    });
    await clock.advance(1_000);
    expect(stopped).toBe(false);
    await clock.advance(1_500);
    await stopping;
    expect(stopped).toBe(true);
    expect(scheduler.running).toBe(0);
    const runsAtStop = starts.get('short')!.length;
    await clock.advance(10_000);
    expect(starts.get('short')!.length).toBe(runsAtStop);
    expect(clock.pending).toBe(0);
  });
});

describe('Scheduler: sharing the slots', () => {
  /** First runs all at once (the random first offset is 0); later runs 5% early (jitter -max). */
  const allAtOnce = () => 0;

  it('gives the next free slot to a group below its share, whatever the queue order and job count', async () => {
    // Group a has 40 hanging jobs, group b 4: FIFO would give a ten times the slot time of b.
    const jobs = [
      ...Array.from({ length: 40 }, (_, i) => spec(`a${i}`, 10_000, Infinity, { group: 'a', deadlineMs: 3_000 })),
      ...Array.from({ length: 4 }, (_, i) => spec(`b${i}`, 10_000, Infinity, { group: 'b', deadlineMs: 3_000 })),
    ];
    const { clock, scheduler, starts, saturated, overlaps, due, stats } = setup(4, jobs, 5);
    scheduler.start();
    await clock.advance(120_000);
    const runsOf = (prefix: string) =>
      [...starts].filter(([k]) => k.startsWith(prefix)).reduce((n, [, runs]) => n + runs.length, 0);
    // b needs 1.2 slots on average (4 jobs × 3 s every 10 s), below its share of 2: every one
    // of its due runs starts, never skipped for lack of a slot, while a hogs what b leaves.
    expect([...saturated, ...overlaps].filter((name) => name.startsWith('b'))).toEqual([]);
    expect(runsOf('b')).toBeGreaterThanOrEqual(4 * 11);
    // (One may still be waiting for a slot when the test ends.)
    expect(runsOf('b')).toBeGreaterThanOrEqual(due.filter((name) => name.startsWith('b')).length - 1);
    // The slots never idle while a has work: 4 slots × 120 s / 3 s = 160 runs, less the ramp-up.
    expect(runsOf('a') + runsOf('b')).toBeGreaterThanOrEqual(155);
    expect(stats().maxActive).toBe(4);
  });

  it('shares the slots equally between groups that both have jobs waiting', async () => {
    const jobs = [
      ...Array.from({ length: 50 }, (_, i) => spec(`a${i}`, 10_000, Infinity, { group: 'a', deadlineMs: 2_000 })),
      ...Array.from({ length: 10 }, (_, i) => spec(`b${i}`, 10_000, Infinity, { group: 'b', deadlineMs: 2_000 })),
    ];
    const { clock, scheduler, starts } = setup(4, jobs, 8);
    scheduler.start();
    await clock.advance(120_000);
    const runsOf = (prefix: string) =>
      [...starts].filter(([k]) => k.startsWith(prefix)).reduce((n, [, runs]) => n + runs.length, 0);
    // 4 slots of 2 s each over 120 s: about 240 runs, half each, although a has five times the jobs.
    const a = runsOf('a');
    const b = runsOf('b');
    expect(a + b).toBeGreaterThanOrEqual(230);
    expect(a / b).toBeGreaterThan(0.85);
    expect(a / b).toBeLessThan(1.2);
  });

  it('lets a group alone use every slot (work-conserving)', async () => {
    const jobs = Array.from({ length: 10 }, (_, i) => spec(`a${i}`, 10_000, Infinity, { deadlineMs: 3_000 }));
    const { clock, scheduler, stats } = setup(4, jobs, 2);
    scheduler.start();
    await clock.advance(30_000);
    expect(stats().maxActiveByGroup.get('g')).toBe(4);
  });

  it('starts waiting jobs by priority: critical, then standard, then background', async () => {
    const jobs = [
      spec('background-1', 60_000, 1_000, { priority: 2 }),
      spec('background-2', 60_000, 1_000, { priority: 2 }),
      spec('critical', 60_000, 1_000, { priority: 0 }),
      spec('standard', 60_000, 1_000, { priority: 1 }),
      spec('background-3', 60_000, 1_000, { priority: 2 }),
    ];
    const { clock, scheduler, order } = setup(1, jobs, allAtOnce);
    scheduler.start();
    await clock.advance(10_000);
    // background-1 came due first and found the slot free; the rest waited.
    expect(order).toEqual(['background-1', 'critical', 'standard', 'background-2', 'background-3']);
  });

  it('puts quick jobs before hanging siblings of the same group and priority', async () => {
    // One slot, four jobs that hang to their 3 s deadline and one that answers in 10 ms, every
    // 10 s: 12 s of demand per 10 s, so someone must wait. It must not be the quick one.
    const jobs = [
      ...Array.from({ length: 4 }, (_, i) => spec(`hangs${i}`, 10_000, Infinity, { deadlineMs: 3_000 })),
      spec('quick', 10_000, 10),
    ];
    const { clock, scheduler, starts, delays, saturated, overlaps, due } = setup(1, jobs, 4);
    scheduler.start();
    await clock.advance(100_000);
    expect(saturated.filter((s) => s === 'quick')).toEqual([]);
    expect(starts.get('quick')!.length).toBe(due.filter((d) => d === 'quick').length);
    // After its first run it never waits longer than one hanging run.
    expect(Math.max(...delays.get('quick')!.slice(1))).toBeLessThanOrEqual(3_000);
    // The hanging ones are the ones that lose runs.
    const lost = [...saturated, ...overlaps].filter((s) => s.startsWith('hangs'));
    expect(lost.length).toBeGreaterThan(0);
  });

  it('skips a due run as "saturated" while the previous one still waits, and keeps its place', async () => {
    const jobs = [spec('hog', 1_000, Infinity, { deadlineMs: 3_500, group: 'a' }), spec('waits', 1_000, 10, { group: 'a' })];
    const { clock, scheduler, starts, delays, saturated, overlaps, due } = setup(1, jobs, allAtOnce);
    scheduler.start();
    await clock.advance(3_600);
    // hog took the slot at 0 and holds it to 3.5 s; waits was due at 0, 0.95, 1.9, 2.85 s.
    expect(starts.get('waits')).toEqual([3_500]);
    expect(delays.get('waits')).toEqual([3_500]);
    expect(saturated).toEqual(['waits', 'waits', 'waits']);
    expect(overlaps.filter((o) => o === 'hog')).toHaveLength(3);
    // Every due run is accounted for: started or skipped.
    const startedCount = [...starts.values()].reduce((n, r) => n + r.length, 0);
    expect(due.length).toBe(startedCount + saturated.length + overlaps.length);
  });

  it('reports the start delay: zero with a free slot, the wait otherwise', async () => {
    const jobs = [spec('first', 60_000, 2_000), spec('second', 60_000, 10)];
    const { clock, scheduler, delays } = setup(1, jobs, allAtOnce);
    scheduler.start();
    await clock.advance(5_000);
    expect(delays.get('first')).toEqual([0]);
    expect(delays.get('second')).toEqual([2_000]);
  });

  it('reports a saturation once when it starts and once when the queue has stayed empty, with counts', async () => {
    const jobs = [
      spec('long', 60_000, 3_000, { group: 'slowpay' }),
      spec('short-1', 60_000, 10, { group: 'fastgeo' }),
      spec('short-2', 60_000, 10, { group: 'fastgeo' }),
    ];
    const { clock, scheduler, saturation } = setup(1, jobs, allAtOnce);
    scheduler.start();
    await clock.advance(1);
    expect(saturation).toEqual([
      { kind: 'start', slots: 1, inFlight: 1, queued: 1, busiest: [{ group: 'slowpay', inFlight: 1 }] },
    ]);
    expect(scheduler.snapshot()).toMatchObject({ slots: 1, inFlight: 1, queued: 2, saturated: true });
    expect(scheduler.snapshot().inFlightByGroup).toEqual(new Map([['slowpay', 1]]));
    // The queue empties at 3.02 s; the saturation ends 10 s of quiet later.
    await clock.advance(13_000);
    expect(saturation).toHaveLength(1);
    expect(scheduler.snapshot().saturated).toBe(true);
    await clock.advance(100);
    expect(saturation[1]).toEqual({
      kind: 'end',
      durationMs: 3_010,
      delayed: 2,
      dropped: 0,
      maxQueued: 2,
      maxWaitMs: 3_010,
    });
    expect(scheduler.snapshot()).toMatchObject({ inFlight: 0, queued: 0, saturated: false });
  });

  it('keeps one saturation going while jobs keep waiting, and counts the dropped runs', async () => {
    const jobs = [spec('hog', 1_000, Infinity, { deadlineMs: 3_500 }), spec('waits', 1_000, 10)];
    const { clock, scheduler, saturation } = setup(1, jobs, allAtOnce);
    scheduler.start();
    await clock.advance(60_000);
    // hog and waits take turns for a minute: the queue never stays empty for 10 s.
    expect(saturation.map((e) => e.kind)).toEqual(['start']);
    const stopping = scheduler.stop(0);
    await clock.advance(1);
    await stopping;
    expect(saturation[1]).toMatchObject({ kind: 'end', dropped: expect.any(Number) });
    // waits is due every second and waits ~3.5 s each time: about 2.5 runs dropped per 3.5 s.
    expect((saturation[1] as { dropped: number }).dropped).toBeGreaterThan(35);
  });

  it('moves a waiting job to its new group and priority when the catalog changes', async () => {
    const jobs = [spec('hog', 60_000, 5_000), spec('y', 60_000, 10, { priority: 1 }), spec('x', 60_000, 10, { priority: 2 })];
    const { clock, scheduler, order } = setup(1, jobs, allAtOnce);
    scheduler.start();
    await clock.advance(1);
    scheduler.update([spec('hog', 60_000, 5_000), spec('y', 60_000, 10, { priority: 1 }), spec('x', 60_000, 10, { priority: 0, group: 'h' })]);
    await clock.advance(6_000);
    expect(order).toEqual(['hog', 'x', 'y']);
    expect(scheduler.queued).toBe(0);
  });
});
