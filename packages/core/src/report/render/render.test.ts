import { monthlyInputs } from '../../test-support/report';
import { assembleIncidentReport, type IncidentInputs } from '../incident';
import { assembleMonthlyReport } from '../monthly';
import { MONTHLY_API_FIELDS } from '../types';
import { escapeHtml, escapeMarkdown, safeUrl } from './escape';
import { renderIncidentHtml, renderMonthlyHtml } from './html';
import { renderIncidentJson, renderMonthlyJson } from './json';
import { renderIncidentMarkdown, renderMonthlyMarkdown } from './markdown';

const report = () => assembleMonthlyReport(monthlyInputs());

/** Everything a browser would fetch to show the page. */
const FETCHES = /<script|<link|<img|<iframe|@import|url\(|\ssrc=|<object|<embed/i;

describe('rendering the monthly report', () => {
  it('JSON: one object, month and generatedAt first, every API entry with exactly issue 12 fields in order', () => {
    const json = JSON.parse(renderMonthlyJson(report())) as Record<string, unknown> & {
      apis: Array<Record<string, unknown>>;
    };
    expect(Object.keys(json).slice(0, 3)).toEqual(['month', 'generatedAt', 'apis']);
    expect(json.month).toBe('2026-11');
    expect(json.generatedAt).toBe('2026-12-01T01:00:00.000Z');
    for (const api of json.apis) {
      expect(Object.keys(api)).toEqual([...MONTHLY_API_FIELDS]);
    }
  });

  it('HTML: self-contained (nothing to fetch, no script), values from data escaped, unsafe links dropped', () => {
    const html = renderMonthlyHtml(report());
    expect(html).not.toMatch(FETCHES);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('API &lt;script&gt;alert(1)&lt;/script&gt; errors');
    expect(html).toContain('pay&lt;ments&gt;');
    expect(html).not.toContain('pay<ments>');
    expect(html).not.toContain('javascript:');
    // Inline SVG charts, the executive summary as its own first print page.
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(html.indexOf('Executive summary')).toBeLessThan(html.indexOf('APIs by criticality and provider'));
    expect(html).toContain('.summary { break-after: page; }');
  });

  it('HTML and Markdown say what is missing instead of showing zeros', () => {
    const r = report();
    const html = renderMonthlyHtml(r);
    expect(html).toContain('No real-traffic data in the store for this month');
    expect(html).toContain('No audit findings in the store for this month');
    const md = renderMonthlyMarkdown(r);
    expect(md).toContain('No real-traffic data in the store for this month');
    expect(md).toContain('| pay\\<ments\\> | acme | critical | 98.0% / 99.0% |');
    expect(md).toContain('API \\<script\\>alert\\(1\\)\\</script\\> errors');
  });
});

describe('rendering an incident report', () => {
  const T = Date.UTC(2026, 10, 10, 14);
  const inputs: IncidentInputs = {
    api: 'payments',
    fromMs: T,
    toMs: T + 3_600_000,
    generatedAtMs: T + 7_200_000,
    facts: [{ labels: { api: 'payments', provider: 'acme', criticality: 'critical' }, timeMs: T, value: 1 }],
    stepMs: 600_000,
    outcomes: [
      {
        labels: { outcome: 'ok' },
        timestamps: [1, 2, 3, 4, 5, 6].map((i) => T + i * 600_000),
        values: [40, 28, 28, 28, 40, 40],
      },
      { labels: { outcome: 'http_5xx' }, timestamps: [2, 3, 4].map((i) => T + i * 600_000), values: [12, 12, 12] },
    ],
    failedProbes: [{ labels: {}, timeMs: T, value: 36 }],
    alerts: [],
    incidents: [
      {
        provider: 'acme',
        kind: 'incident',
        id: 'x',
        title: 'Errors | <i>all</i>',
        status: 'resolved',
        impact: 'major',
        startedAt: T + 900_000,
        resolvedAt: T + 2_400_000,
        url: null,
        components: [],
        latestUpdate: null,
        updates: [{ at: T + 900_000, status: 'investigating', text: 'Looking\ninto it' }],
      },
    ],
    statusComponents: [],
    traffic: null,
    errorThreshold: 0.01,
    record: null,
    warnings: [],
  };

  it('the named JSON fields first; the probes tell when it started and recovered', () => {
    const r = assembleIncidentReport(inputs);
    const json = JSON.parse(renderIncidentJson(r)) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 10)).toEqual([
      'api',
      'from',
      'to',
      'detectedAt',
      'providerPostedAt',
      'resolvedAt',
      'timeline',
      'impact',
      'rootCause',
      'correctiveActions',
    ]);
    expect(r).toMatchObject({
      startedAt: '2026-11-10T14:10:00.000Z',
      resolvedAt: '2026-11-10T14:40:00.000Z',
      providerPostedAt: '2026-11-10T14:15:00.000Z',
      detectedAt: null,
      impact: { failedProbes: 36, failedRequests: null },
      rootCause: null,
      correctiveActions: [],
      id: 'payments-20261110-1400',
    });
    expect(r.timeline.map((t) => [t.at.slice(11, 16), t.source, t.kind])).toEqual([
      ['14:10', 'probes', 'failing'],
      ['14:15', 'provider', 'investigating'],
      ['14:40', 'probes', 'recovered'],
    ]);
    expect(r.timeline[0].text).toBe('http_5xx: 30.0% of probes failing');
  });

  it("HTML and Markdown escape the provider's words and say the root cause is still to be written", () => {
    const r = assembleIncidentReport(inputs);
    const html = renderIncidentHtml(r);
    expect(html).not.toMatch(FETCHES);
    expect(html).toContain('Errors | &lt;i&gt;all&lt;/i&gt;');
    expect(html).toContain(
      'Still to be written: no incident record (incidents/payments-20261110-1400.yaml) exists yet.'
    );
    const md = renderIncidentMarkdown(r);
    expect(md).toContain('Errors \\| \\<i\\>all\\</i\\>: Looking into it');
    expect(md).toContain('**Still to be written**');
  });
});

describe('escaping', () => {
  it('HTML, Markdown and links', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeMarkdown('a|b\n[c](d) *e* `f`')).toBe('a\\|b \\[c\\]\\(d\\) \\*e\\* \\`f\\`');
    expect(safeUrl('https://status.example/i/1')).toBe('https://status.example/i/1');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,x')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
  });
});
