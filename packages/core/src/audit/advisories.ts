// provider_advisory: items of a provider's security or changelog feeds published within the
// advisory window and not acknowledged in the catalog. One finding per API of the provider
// (its owner acts), listing the items.
import type { AdvisoryItem } from '../advisory/types';
import { finding, type Finding } from './model';

export interface AdvisoryEvidence {
  api: string;
  provider: string;
  /** The provider's new (unacknowledged, recent) items, newest first. */
  items: AdvisoryItem[];
}

const SECURITY_WORDS =
  /\b(security|vulnerabilit(y|ies)|cve-\d{4}-\d+|exploit|breach|leak(ed)?|compromis(e|ed)|rotate|revok(e|ed))\b/i;
const BREAKING_WORDS =
  /\b(deprecat(e|ed|ion)|breaking|sunset|end[- ]of[- ]life|eol|removed?|retir(e|ed|ing)|migrat(e|ion))\b/i;

/** Security items come first and weigh most; deprecations next; the rest is news. */
export function advisoryWeight(item: AdvisoryItem): 'security' | 'breaking' | 'news' {
  const text = `${item.title} ${item.summary}`;
  return SECURITY_WORDS.test(text) ? 'security' : BREAKING_WORDS.test(text) ? 'breaking' : 'news';
}

export function judgeAdvisories(e: AdvisoryEvidence): Finding | null {
  if (e.items.length === 0) {
    return null;
  }
  const weights = e.items.map(advisoryWeight);
  const security = weights.filter((w) => w === 'security').length;
  const breaking = weights.filter((w) => w === 'breaking').length;
  const shown = e.items.slice(0, 5);
  return finding({
    api: e.api,
    endpoint: '',
    kind: 'provider_advisory',
    severity: security > 0 ? 'high' : breaking > 0 ? 'medium' : 'low',
    summary: `${e.items.length} unacknowledged item${e.items.length === 1 ? '' : 's'} in ${e.provider}'s advisory feeds${security ? ` (${security} about security)` : ''}${breaking ? ` (${breaking} about deprecations or breaking changes)` : ''}: ${shown.map((i) => `"${i.title}"`).join(', ')}${e.items.length > shown.length ? ', ...' : ''}.`,
    evidence: {
      provider: e.provider,
      items: e.items.length,
      security,
      breaking,
      newest: e.items[0].link ?? e.items[0].id,
      newestPublishedAt: e.items[0].publishedAt === null ? null : new Date(e.items[0].publishedAt).toISOString(),
    },
    recommendation: `Read them, act where they concern the platform, then acknowledge each in the catalog: providers[].advisories[].acknowledged: [${shown
      .slice(0, 2)
      .map((i) => JSON.stringify(i.id))
      .join(', ')}${e.items.length > 2 ? ', ...' : ''}].`,
    estimatedGain: { text: 'Provider changes met before they break the integration.', values: {} },
  });
}
