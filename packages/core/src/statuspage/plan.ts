// Which URLs are fetched for a catalog entry `statusPage: { url, format }`. The rule: a URL
// that already names a document (ends in .json, or is the incident.io widget endpoint) is
// fetched as is; otherwise it is the page's base URL and the format's documented API paths
// are appended. status.io, RSS and Atom URLs are always fetched as is. See docs/status-pages.md.
import type { StatusPageFormat } from '../catalog/schema';
import type { StatusPageFormatName, StatusPageRequest } from './types';

function withPath(base: string, suffix: string): string {
  try {
    const u = new URL(base);
    u.pathname = `${u.pathname.replace(/\/+$/, '')}${suffix}`;
    u.hash = '';
    return u.toString();
  } catch {
    return `${base.replace(/\/+$/, '')}${suffix}`;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

const namesDocument = (url: string) => /\.json$/i.test(pathOf(url));

export function statusPageRequests(url: string, format: StatusPageFormat): StatusPageRequest[] {
  const asIs: StatusPageRequest[] = [{ role: 'main', url, optional: false }];
  switch (format) {
    case 'statuspage':
      return namesDocument(url)
        ? asIs
        : [
            { role: 'main', url: withPath(url, '/api/v2/summary.json'), optional: false },
            { role: 'incidents', url: withPath(url, '/api/v2/incidents.json'), optional: true },
          ];
    case 'incidentio':
      return namesDocument(url) || /\/api\/v1\/summary\/?$/.test(pathOf(url)) ? asIs : [{ role: 'main', url: withPath(url, '/api/v1/summary'), optional: false }];
    case 'instatus':
      return namesDocument(url)
        ? asIs
        : [
            { role: 'main', url: withPath(url, '/summary.json'), optional: false },
            { role: 'components', url: withPath(url, '/v2/components.json'), optional: true },
          ];
    case 'gcp':
      return namesDocument(url) ? asIs : [{ role: 'main', url: withPath(url, '/incidents.json'), optional: false }];
    case 'statusio':
    case 'rss':
    case 'atom':
    case 'auto':
      return asIs;
  }
}

/**
 * For `auto`, when the URL as given is not a status document (typically the human status page,
 * an HTML page): the formats whose API lives under a base URL, in the order tried.
 */
export function autoCandidates(url: string): Array<{ format: StatusPageFormatName; requests: StatusPageRequest[] }> {
  if (namesDocument(url)) {
    return [];
  }
  return (['statuspage', 'incidentio', 'instatus'] as const).map((format) => ({ format, requests: statusPageRequests(url, format) }));
}
