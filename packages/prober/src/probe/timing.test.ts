import { HopTimer } from './timing';

describe('HopTimer', () => {
  it('splits the time at each phase end; skipped phases are 0', () => {
    const t = new HopTimer(false, false);
    t.begin(1000);
    t.end('connect', 1002);
    t.end('ttfb', 1102.5);
    t.end('transfer', 1103);
    expect(t.phases(1200)).toEqual({ dns: 0, connect: 2, tls: 0, ttfb: 100.5, transfer: 0.5 });
  });

  it('runs the phase in progress up to the failure and leaves later phases at 0', () => {
    const t = new HopTimer(true, true);
    t.begin(0);
    t.end('dns', 5);
    t.end('connect', 6);
    expect(t.current()).toBe('tls');
    expect(t.phases(300)).toEqual({ dns: 5, connect: 1, tls: 294, ttfb: 0, transfer: 0 });
  });

  it('keeps the first end of a phase', () => {
    const t = new HopTimer(true, false);
    t.begin(0);
    t.end('dns', 3);
    t.end('dns', 9);
    expect(t.current()).toBe('connect');
    expect(t.phases(10).dns).toBe(3);
  });
});
