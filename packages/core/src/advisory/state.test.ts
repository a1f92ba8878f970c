import { isAcknowledged, newAdvisories } from './state';

const DAY = 86_400_000;
const now = Date.UTC(2025, 5, 15);
const item = (id: string, daysAgo: number | null, link: string | null = null) => ({
  id,
  title: id,
  link,
  summary: '',
  publishedAt: daysAgo === null ? null : now - daysAgo * DAY,
});

describe('new advisories', () => {
  it('are recent and unacknowledged, by id or by link (trailing slash or not)', () => {
    const items = [item('a', 1), item('b', 2, 'https://p.test/b/'), item('c', 40), item('d', 3)];
    const fresh = newAdvisories(items, {
      nowMs: now,
      windowMs: 30 * DAY,
      acknowledged: ['d', 'https://p.test/b'],
      firstSeen: new Map(),
    });
    expect(fresh.map((i) => i.id)).toEqual(['a']);
    expect(isAcknowledged(item('x', 1, 'https://p.test/x'), ['https://p.test/x/'])).toBe(true);
  });

  it('undated items count from when apimon first saw them, and not at all before that', () => {
    const undated = item('u', null);
    expect(
      newAdvisories([undated], {
        nowMs: now,
        windowMs: 30 * DAY,
        acknowledged: [],
        firstSeen: new Map([['u', now - DAY]]),
      })
    ).toHaveLength(1);
    expect(
      newAdvisories([undated], {
        nowMs: now,
        windowMs: 30 * DAY,
        acknowledged: [],
        firstSeen: new Map([['u', now - 31 * DAY]]),
      })
    ).toHaveLength(0);
    expect(
      newAdvisories([undated], { nowMs: now, windowMs: 30 * DAY, acknowledged: [], firstSeen: new Map() })
    ).toHaveLength(0);
  });
});
