import { lastFullMonth, monthContaining, parseMonth, parseTime, previousMonth, recentMonths } from './period';

describe('report periods', () => {
  it('reads a month as its UTC bounds, the next month exclusive', () => {
    expect(parseMonth('2026-11')).toEqual({
      month: '2026-11',
      fromMs: Date.UTC(2026, 10, 1),
      toMs: Date.UTC(2026, 11, 1),
    });
    expect(parseMonth('2024-02')!.toMs - parseMonth('2024-02')!.fromMs).toBe(29 * 86_400_000);
    expect(parseMonth('2026-12')!.toMs).toBe(Date.UTC(2027, 0, 1));
  });

  it('refuses what is not a YYYY-MM month', () => {
    for (const bad of ['2026-13', '2026-00', '2026-1', 'November', '2026/11', '']) {
      expect(parseMonth(bad)).toBeUndefined();
    }
  });

  it('the last full month, the one before, and the picker list', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 1);
    expect(lastFullMonth(now).month).toBe('2025-12');
    expect(lastFullMonth(Date.UTC(2026, 10, 30, 23, 59)).month).toBe('2026-10');
    expect(previousMonth(parseMonth('2026-01')!).month).toBe('2025-12');
    expect(monthContaining(Date.UTC(2026, 1, 28, 23)).month).toBe('2026-02');
    expect(recentMonths(now, 3).map((m) => m.month)).toEqual(['2025-12', '2025-11', '2025-10']);
  });

  it('reads the times people type, UTC unless they say otherwise', () => {
    expect(parseTime('2026-11-03T10:00:00Z')).toBe(Date.UTC(2026, 10, 3, 10));
    expect(parseTime('2026-11-03 10:00')).toBe(Date.UTC(2026, 10, 3, 10));
    expect(parseTime('2026-11-03T10:00+01:00')).toBe(Date.UTC(2026, 10, 3, 9));
    expect(parseTime('2026-11-03')).toBe(Date.UTC(2026, 10, 3));
    expect(parseTime('1793700000')).toBe(1_793_700_000_000);
    for (const bad of ['2026-02-30', '2026-11-03T25:00', 'yesterday', '10:00', '2026-11-03T10:00:00 UTC']) {
      expect(parseTime(bad)).toBeUndefined();
    }
  });
});
