import { Scheduler, type JobSpec } from './scheduler';
import { FakeClock, seededRandom } from './test-support/fake-clock';

interface Job {
  name: string;
  /** How long a run takes on the fake clock; Infinity hangs until aborted. */
  takesMs: number;
  /** A hanging run that also ignores its abort signal. */
  ignoresAbort?: boolean;
}

function setup(concurrency: number, jobs: Array<JobSpec<Job>>, seed = 1) {
  const clock = new FakeClock();
  const starts = new Map<string, number[]>();
  const overlaps: string[] = [];
  const deadlines: string[] = [];
  let active = 0;
  let maxActive = 0;
  const scheduler = new Scheduler<Job>({
    concurrency,
    clock,
    random: seededRandom(seed),
    onOverlap: (j) => overlaps.push(j.name),
    onDeadline: (j) => deadlines.push(j.name),
    run: (job, signal) => {
      starts.set(job.name, [...(starts.get(job.name) ?? []), clock.now()]);
      active++;
      maxActive = Math.max(maxActive, active);
      return new Promise<void>((resolve) => {
        const done = () => {
          active--;
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
  return { clock, scheduler, starts, overlaps, deadlines, stats: () => ({ active, maxActive }) };
}

const spec = (
  name: string,
  intervalMs: number,
  takesMs: number,
  extra: Partial<Job> = {},
  deadlineMs = 5_000
): JobSpec<Job> => ({
  key: name,
  intervalMs,
  deadlineMs,
  data: { name, takesMs, ...extra },
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
    const jobs = [spec('hangs', 1_000, Infinity, {}, 2_500), spec('b', 1_000, 50), spec('c', 1_000, 50)];
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
    const jobs = [spec('stuck', 100_000, Infinity, { ignoresAbort: true }, 1_000), spec('next', 100_000, 10)];
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
    const { clock, scheduler, starts, overlaps } = setup(4, [spec('slow', 1_000, 2_500, {}, 10_000)]);
    scheduler.start();
    await clock.advance(10_000);
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
      [spec('short', 1_000, 300), spec('hangs', 1_000, Infinity, {}, 60_000)],
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
