// Each fake provider's advisory feed (security notices, deprecations, news), in the three
// formats providers publish: RSS 2.0, Atom and JSON Feed, at /<provider>/advisories.rss,
// .atom and .json. Items are dated relative to now so a demo always has recent ones and an
// old one outside the advisory window. Written from the formats' specifications.
import type { ProviderName } from './provider';

export const ADVISORY_FORMATS = ['rss', 'atom', 'json'] as const;
export type AdvisoryFormat = (typeof ADVISORY_FORMATS)[number];

export interface AdvisorySeed {
  /** Stable id (RSS guid, Atom id, JSON Feed id); `acknowledged` in a catalog names it. */
  id: string;
  title: string;
  summary: string;
  daysAgo: number;
}

export const ADVISORY_SEEDS: Record<ProviderName, AdvisorySeed[]> = {
  'acme-pay': [
    {
      id: 'acme-pay-sec-key-rotation',
      title: 'Security notice: rotate API keys created before this month',
      summary: 'A logging defect may have recorded API keys in request logs.',
      daysAgo: 2,
    },
    {
      id: 'acme-pay-v1-list-deprecation',
      title: 'Deprecation: offset pagination on /v1/charges ends in 90 days',
      summary: 'Use cursor pagination (starting_after).',
      daysAgo: 10,
    },
    {
      id: 'acme-pay-pci-attestation',
      title: 'PCI DSS attestation of compliance available',
      summary: 'Download it from the dashboard.',
      daysAgo: 120,
    },
  ],
  geoloc: [
    {
      id: 'geoloc-autocomplete-speedup',
      title: 'Faster autocomplete in Europe',
      summary: 'p95 down by a third.',
      daysAgo: 5,
    },
  ],
  adstream: [],
  textly: [
    {
      id: 'textly-sender-id-rules',
      title: 'New sender ID registration rules in France',
      summary: 'Register alphanumeric sender IDs before sending.',
      daysAgo: 20,
    },
  ],
  postbird: [
    {
      id: 'postbird-dkim-2048',
      title: 'DKIM keys of 2048 bits required from next quarter',
      summary: 'Rotate your DKIM keys and update DNS.',
      daysAgo: 7,
    },
  ],
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderAdvisories(
  provider: ProviderName,
  displayName: string,
  format: AdvisoryFormat,
  origin: string,
  now: number
): { contentType: string; body: string } {
  const items = ADVISORY_SEEDS[provider].map((seed) => ({
    ...seed,
    at: new Date(now - seed.daysAgo * 86_400_000),
    link: `${origin}/${provider}/advisories/${seed.id}`,
  }));
  const self = `${origin}/${provider}/advisories.${format}`;
  if (format === 'json') {
    return {
      contentType: 'application/feed+json',
      body: JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: `${displayName} advisories`,
        feed_url: self,
        items: items.map((i) => ({
          id: i.id,
          url: i.link,
          title: i.title,
          content_text: i.summary,
          date_published: i.at.toISOString(),
        })),
      }),
    };
  }
  if (format === 'atom') {
    const updated = (items[0]?.at ?? new Date(now)).toISOString();
    const entries = items
      .map(
        (i) =>
          `  <entry>\n    <id>${esc(i.id)}</id>\n    <title>${esc(i.title)}</title>\n    <link rel="alternate" href="${esc(i.link)}"/>\n    <published>${i.at.toISOString()}</published>\n    <updated>${i.at.toISOString()}</updated>\n    <summary>${esc(i.summary)}</summary>\n  </entry>`
      )
      .join('\n');
    return {
      contentType: 'application/atom+xml; charset=utf-8',
      body: `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <title>${esc(displayName)} advisories</title>\n  <id>${esc(self)}</id>\n  <updated>${updated}</updated>\n  <link rel="self" href="${esc(self)}"/>\n${entries}\n</feed>\n`,
    };
  }
  const entries = items
    .map(
      (i) =>
        `    <item>\n      <title>${esc(i.title)}</title>\n      <link>${esc(i.link)}</link>\n      <guid isPermaLink="false">${esc(i.id)}</guid>\n      <pubDate>${i.at.toUTCString()}</pubDate>\n      <description>${esc(i.summary)}</description>\n    </item>`
    )
    .join('\n');
  return {
    contentType: 'application/rss+xml; charset=utf-8',
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n    <title>${esc(displayName)} advisories</title>\n    <link>${esc(`${origin}/${provider}/advisories`)}</link>\n    <description>Security notices, deprecations and news</description>\n${entries}\n  </channel>\n</rss>\n`,
  };
}
