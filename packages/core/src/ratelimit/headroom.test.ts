import { documentedHeadroom, documentedReading, headroomRatio } from './headroom';

describe('headroomRatio', () => {
  it.each([
    [{ limit: 100, remaining: 25 }, 0.25],
    [{ limit: 100, remaining: 0 }, 0],
    [{ limit: 100, remaining: 150 }, 1],
    [{ limit: 0, remaining: 0 }, 0],
    [{ limit: null, remaining: 5 }, null],
    // Remaining-only (Azure Resource Manager) or a quota first seen already spent.
    [{ limit: null, remaining: 0 }, 0],
    [{ limit: 5, remaining: null }, null],
  ])('%j -> %j', (r, expected) => {
    expect(headroomRatio(r)).toBe(expected);
  });
});

describe('documented limit without headers', () => {
  it('turns the catalog limit and the counted requests into a reading', () => {
    expect(documentedReading({ limit: 600, windowMs: 60_000 }, 150)).toEqual({
      policy: 'documented',
      limit: 600,
      remaining: 450,
      resetSeconds: null,
      windowSeconds: 60,
      unit: 'requests',
      convention: 'catalog',
    });
    expect(documentedHeadroom({ limit: 600, windowMs: 60_000 }, 150)).toBe(0.75);
  });

  it('has no headroom once the count reaches the limit', () => {
    expect(documentedHeadroom({ limit: 10, windowMs: 1000 }, 12)).toBe(0);
    expect(documentedReading({ limit: 10, windowMs: 1000 }, 12).remaining).toBe(0);
  });
});
