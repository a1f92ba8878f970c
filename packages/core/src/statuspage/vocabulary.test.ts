import { apiProviderStatus } from './apistatus';
import { autoCandidates, statusPageRequests } from './plan';
import { htmlToText, time } from './read';
import { impactFromWord, incidentStateFromWord, levelFromIndicator, levelFromWord, worstLevel } from './vocabulary';

describe('status vocabulary', () => {
  it.each([
    ['operational', 'operational'],
    ['degraded_performance', 'degraded'],
    ['partial_outage', 'partial_outage'],
    ['major_outage', 'major_outage'],
    ['under_maintenance', 'maintenance'],
    ['full_outage', 'major_outage'],
    ['OPERATIONAL', 'operational'],
    ['DEGRADEDPERFORMANCE', 'degraded'],
    ['MINOROUTAGE', 'partial_outage'],
    ['UNDERMAINTENANCE', 'maintenance'],
    ['HASISSUES', 'degraded'],
    ['UP', 'operational'],
    ['Planned Maintenance', 'maintenance'],
    ['Partial Service Disruption', 'partial_outage'],
    ['Service Disruption', 'major_outage'],
    ['Security Event', 'major_outage'],
    ['SERVICE_INFORMATION', 'degraded'],
    ['SERVICE_OUTAGE', 'major_outage'],
    ['AVAILABLE', 'operational'],
    ['sparkly', 'unknown'],
    ['', 'unknown'],
  ])('%s -> %s', (word, level) => {
    expect(levelFromWord(word)).toBe(level);
  });

  it('never throws on non-strings', () => {
    for (const v of [null, undefined, 42, {}, [], true]) {
      expect(levelFromWord(v)).toBe('unknown');
      expect(impactFromWord(v)).toBe('unknown');
      expect(incidentStateFromWord(v)).toBe('unknown');
      expect(levelFromIndicator(v)).toBe('unknown');
    }
  });

  it('maps Statuspage indicators and impacts', () => {
    expect(['none', 'minor', 'major', 'critical', 'maintenance'].map(levelFromIndicator)).toEqual([
      'operational',
      'degraded',
      'partial_outage',
      'major_outage',
      'maintenance',
    ]);
    expect(['PARTIALOUTAGE', 'full_outage', 'low', 'high', 'gibberish'].map(impactFromWord)).toEqual(['major', 'critical', 'minor', 'critical', 'unknown']);
  });

  it('maps lifecycle words', () => {
    expect(['INVESTIGATING', 'postmortem', 'NOTSTARTEDYET', 'maintenance_in_progress', 'verifying', 'COMPLETED', 'pondering'].map(incidentStateFromWord)).toEqual([
      'investigating',
      'resolved',
      'scheduled',
      'in_progress',
      'in_progress',
      'completed',
      'unknown',
    ]);
  });

  it('takes the worst known level', () => {
    expect(worstLevel(['operational', 'unknown', 'degraded'])).toBe('degraded');
    expect(worstLevel(['maintenance', 'operational'])).toBe('maintenance');
    expect(worstLevel(['unknown'])).toBe('unknown');
    expect(worstLevel([])).toBe('operational');
  });
});

describe('time parsing', () => {
  it.each([
    ['2026-11-24T02:40:11.123-06:00', '2026-11-24T08:40:11.123Z'],
    ['2026-11-24T02:40:11Z', '2026-11-24T02:40:11.000Z'],
    ['2026-11-24 02:40:11', '2026-11-24T02:40:11.000Z'],
    ['2026-11-24T02:40:11.123456+0530', '2026-11-23T21:10:11.123Z'],
    ['Mon, 24 Nov 2026 02:10:00 +0000', '2026-11-24T02:10:00.000Z'],
    ['Sun, 23 Nov 2026 22:00:00 EST', '2026-11-24T03:00:00.000Z'],
    ['24 Nov 26 02:10 PDT', '2026-11-24T09:10:00.000Z'],
    ['Sat Jun 11 2022 18:55:50 GMT+0000 (Coordinated Universal Time)', '2022-06-11T18:55:50.000Z'],
    ['Mon Nov 24 2026 02:05:50 GMT+0100 (Central European Standard Time)', '2026-11-24T01:05:50.000Z'],
  ])('%s', (input, iso) => {
    expect(time(input)).toBe(Date.parse(iso));
  });

  it('reads epoch seconds and milliseconds, and rejects garbage', () => {
    expect(time(1795482000)).toBe(1795482000000);
    expect(time(1795482000000)).toBe(1795482000000);
    expect(time('1795482000')).toBe(1795482000000);
    for (const bad of ['tomorrow', '2026-13-40T99:00:00Z', '', null, {}, NaN, 'Mon, 24 Foo 2026 02:10:00 GMT']) {
      expect(time(bad)).toBeNull();
    }
  });
});

describe('htmlToText', () => {
  it('strips tags, scripts and entities', () => {
    expect(htmlToText('<p>We are <b>on it</b> &amp; <a href="x">here</a>.</p><script>evil()</script><p>Next&nbsp;line&#33;</p>')).toBe(
      'We are on it & here.\nNext line!'
    );
    expect(htmlToText(null)).toBe('');
    expect(htmlToText('a'.repeat(5000)).length).toBe(4000);
  });
});

describe('URL plan', () => {
  it('appends the documented API paths to a base URL', () => {
    expect(statusPageRequests('https://status.acme.example/', 'statuspage')).toEqual([
      { role: 'main', url: 'https://status.acme.example/api/v2/summary.json', optional: false },
      { role: 'incidents', url: 'https://status.acme.example/api/v2/incidents.json', optional: true },
    ]);
    expect(statusPageRequests('https://status.geo.example', 'incidentio')).toEqual([
      { role: 'main', url: 'https://status.geo.example/api/v1/summary', optional: false },
    ]);
    expect(statusPageRequests('http://127.0.0.1:8480/textly/status', 'instatus')).toEqual([
      { role: 'main', url: 'http://127.0.0.1:8480/textly/status/summary.json', optional: false },
      { role: 'components', url: 'http://127.0.0.1:8480/textly/status/v2/components.json', optional: true },
    ]);
    expect(statusPageRequests('https://status.cloud.google.com', 'gcp')[0].url).toBe('https://status.cloud.google.com/incidents.json');
  });

  it('takes a URL that names a document as is', () => {
    for (const [url, format] of [
      ['https://s.example/api/v2/summary.json', 'statuspage'],
      ['https://s.example/api/v1/summary', 'incidentio'],
      ['https://s.example/summary.json', 'instatus'],
      ['https://status.cloud.google.com/incidents.json', 'gcp'],
      ['https://api.status.io/1.0/status/abc', 'statusio'],
      ['https://s.example/history.rss', 'rss'],
      ['https://s.example/history.atom', 'atom'],
      ['https://s.example/anything', 'auto'],
    ] as const) {
      expect(statusPageRequests(url, format)).toEqual([{ role: 'main', url, optional: false }]);
    }
  });

  it('lists base-URL formats for auto discovery', () => {
    expect(autoCandidates('https://status.example').map((c) => [c.format, c.requests[0].url])).toEqual([
      ['statuspage', 'https://status.example/api/v2/summary.json'],
      ['incidentio', 'https://status.example/api/v1/summary'],
      ['instatus', 'https://status.example/summary.json'],
    ]);
    expect(autoCandidates('https://status.example/feed.json')).toEqual([]);
  });
});

describe('apiProviderStatus', () => {
  const page = {
    indicator: 'partial_outage' as const,
    components: [
      { name: 'API', status: 'operational' as const },
      { name: 'Card payments', status: 'degraded' as const, group: 'Payments' },
      { name: 'Dashboard', status: 'major_outage' as const },
    ],
  };

  it('follows the worst of the whole page without statusComponents: indicator or any component', () => {
    expect(apiProviderStatus(undefined, page)).toEqual({ status: 'major_outage', components: [], unmatched: [], ambiguous: [] });
    expect(apiProviderStatus([], { indicator: 'degraded', components: [{ name: 'API', status: 'operational' }] }).status).toBe('degraded');
    // An unknown indicator does not hide what the components say, nor unknown components a known indicator.
    expect(apiProviderStatus(undefined, { indicator: 'unknown', components: [{ name: 'API', status: 'maintenance' }] }).status).toBe('maintenance');
    expect(apiProviderStatus(undefined, { indicator: 'operational', components: [{ name: 'API', status: 'unknown' }] }).status).toBe('operational');
    expect(apiProviderStatus(undefined, { indicator: 'unknown', components: [] }).status).toBe('unknown');
  });

  it('is the worst of the named components, matched case-insensitively', () => {
    const r = apiProviderStatus(['api', 'CARD PAYMENTS', 'Refunds'], page);
    expect(r.status).toBe('degraded');
    expect(r.components.map((c) => c.name)).toEqual(['API', 'Card payments']);
    expect(r.unmatched).toEqual(['Refunds']);
    expect(apiProviderStatus(['payments / card payments'], page).status).toBe('degraded');
  });

  it('is unknown when nothing matches', () => {
    expect(apiProviderStatus(['Nope'], page)).toEqual({ status: 'unknown', components: [], unmatched: ['Nope'], ambiguous: [] });
  });
});

describe('time from numbers (found by the normaliser property test)', () => {
  it('refuses numbers that are not a representable time instead of returning -Infinity', () => {
    expect(time(-1.797693134862316e305)).toBeNull();
    expect(time(1e300)).toBeNull();
    expect(time(-5)).toBeNull();
    expect(time(1_764_000_000)).toBe(1_764_000_000_000);
    expect(time(1_764_000_000_123)).toBe(1_764_000_000_123);
  });
});
