import { zoneOffsetMinutes } from '../read';
import { parseFeedBody } from './feedbody';

const REF = Date.parse('2026-11-20T18:00:00Z');
const one = (stamp: string, reference = REF) => parseFeedBody(`<p><small>${stamp}</small><br><strong>Investigating</strong> - x</p>`, reference).updates[0];

describe('update stamps in feed bodies', () => {
  it.each([
    ['Nov <var data-var="date">20</var>, <var data-var="time">08:17</var> PST', '2026-11-20T16:17:00Z'],
    ['Nov 20, 08:17 PDT', '2026-11-20T15:17:00Z'],
    ['November 20, 08:17 UTC', '2026-11-20T08:17:00Z'],
    ['Nov 20, 2024 - 08:17 UTC', '2024-11-20T08:17:00Z'],
    ['Nov 20, 2024, 08:17 GMT', '2024-11-20T08:17:00Z'],
    ['20 Nov 2026, 8:17 AM UTC', '2026-11-20T08:17:00Z'],
    ['Nov 20, 12:05 AM EST', '2026-11-20T05:05:00Z'],
    ['Nov 20, 12:05 pm CET', '2026-11-20T11:05:00Z'],
    ['Nov 20th, 08:17 UTC+1', '2026-11-20T07:17:00Z'],
    ['Nov 20, 08:17 GMT+05:30', '2026-11-20T02:47:00Z'],
    ['Nov 20, 08:17 -0300', '2026-11-20T11:17:00Z'],
    ['Nov 20, 08:17 AEDT', '2026-11-19T21:17:00Z'],
  ])('%s', (stamp, iso) => {
    expect(one(stamp).at).toBe(Date.parse(iso));
  });

  it('picks the year nearest the item date, both ways across New Year', () => {
    expect(one('Dec 31, 23:40 UTC', Date.parse('2027-01-01T00:30:00Z')).at).toBe(Date.parse('2026-12-31T23:40:00Z'));
    expect(one('Jan 1, 00:10 UTC', Date.parse('2026-12-31T23:00:00Z')).at).toBe(Date.parse('2027-01-01T00:10:00Z'));
  });

  it('guesses an unknown zone from the item date, or reads it as UTC when they are far apart', () => {
    expect(one('Nov 20, 09:00 WITA', Date.parse('2026-11-20T01:00:00Z')).at).toBe(Date.parse('2026-11-20T01:00:00Z'));
    expect(one('Nov 20, 09:00', Date.parse('2026-11-20T14:30:00Z')).at).toBe(Date.parse('2026-11-20T14:30:00Z'));
    expect(one('Nov 10, 09:00 WITA', Date.parse('2026-11-20T01:00:00Z')).at).toBe(Date.parse('2026-11-10T09:00:00Z'));
  });

  it('is no stamp at all when a part is out of range', () => {
    for (const bad of ['Nov 32, 08:17 UTC', 'Nov 20, 24:00 UTC', 'Nov 20, 08:61 UTC', 'Smarch 20, 08:17 UTC', 'Nov 20, 1066 - 08:17 UTC']) {
      expect(one(bad)).toMatchObject({ at: null, heading: 'investigating' });
    }
  });

  it.each([
    ['Investigating', 'investigating', 'investigating', 'incident'],
    ['Post-mortem', 'postmortem', 'resolved', 'incident'],
    ['In progress', 'in_progress', 'in_progress', 'maintenance'],
    ['In Progress', 'in_progress', 'in_progress', 'maintenance'],
    ['Verifying', 'verifying', 'in_progress', 'maintenance'],
    ['Completed', 'completed', 'completed', 'maintenance'],
    ['Update', 'update', null, null],
  ])('heading %s is %s: state %s, kind %s', (heading, word, state, kind) => {
    const [u] = parseFeedBody(`<p><small>Nov 20, 08:17 UTC</small><br><strong>${heading}</strong> - x</p>`, REF).updates;
    expect(u).toMatchObject({ heading: word, state, kind });
  });

  it('reads the incident-page layout: heading, text, then "Posted <stamp>"', () => {
    const body = parseFeedBody(
      '<div><strong>Resolved</strong></div><div>All good.</div><small>Posted <var>Nov</var> 20, 2026 - 10:00 UTC</small>' +
        '<div><strong>Investigating</strong></div><div>Looking.</div><small>Posted Nov 20, 2026 - 09:00 UTC</small>',
      REF
    );
    expect(body.updates.map((u) => [u.heading, u.at, u.text])).toEqual([
      ['resolved', Date.parse('2026-11-20T10:00:00Z'), 'All good.'],
      ['investigating', Date.parse('2026-11-20T09:00:00Z'), 'Looking.'],
    ]);
  });

  it('reads a scheduled event window, the end on the same or another day', () => {
    const same = parseFeedBody('<p><strong>THIS IS A SCHEDULED EVENT Nov <var>25</var>, <var>01:00</var> - <var>03:00</var> PST</strong></p>', REF);
    expect(same.window).toEqual({ start: Date.parse('2026-11-25T09:00:00Z'), end: Date.parse('2026-11-25T11:00:00Z') });
    const across = parseFeedBody('<p><strong>THIS IS A SCHEDULED EVENT Dec 31, 22:00 - Jan 1, 02:00 UTC</strong></p>', Date.parse('2026-12-20T00:00:00Z'));
    expect(across.window).toEqual({ start: Date.parse('2026-12-31T22:00:00Z'), end: Date.parse('2027-01-01T02:00:00Z') });
    expect(parseFeedBody('<p>THIS IS A SCHEDULED EVENT sometime soon</p>', REF).window).toEqual({ start: null, end: null });
  });
});

describe('zone offsets', () => {
  it.each([
    ['UTC', 0],
    ['pst', -480],
    ['CEST', 120],
    ['IST', 330],
    ['+0530', 330],
    ['-05:00', -300],
    ['+03', 180],
    ['UTC+1', 60],
    ['GMT-3:30', -210],
  ])('%s = %d minutes', (zone, minutes) => {
    expect(zoneOffsetMinutes(zone)).toBe(minutes);
  });

  it.each(['XYZT', '+5', 'UTC+15', '+0575', 'constructor', 'toString'])('%s is unknown', (zone) => {
    expect(zoneOffsetMinutes(zone)).toBeUndefined();
  });
});
