// Which document a status-page URL names, in which format, and how a broken page serves it.
import type { ProviderRuntime } from '../runtime';
import { renderAtom } from './atom';
import type { StatusDocument } from './document';
import { renderGcp } from './gcp';
import { brokenHtml200, brokenHttp500, renderHumanPage, renderIncidentPage, truncated } from './html';
import { renderIncidentio } from './incidentio';
import { renderInstatus } from './instatus';
import type { RenderContext } from './model';
import { renderRss } from './rss';
import { renderStatusio } from './statusio';
import { renderStatuspage } from './statuspage';

export const STATUS_FORMATS = ['statuspage', 'incidentio', 'instatus', 'statusio', 'gcp', 'rss', 'atom'] as const;
export type StatusFormat = (typeof STATUS_FORMATS)[number];

/** Documents of `format` at `subpath` (relative to the page's base URL); null when none. */
export function renderFormat(
  format: StatusFormat,
  rt: ProviderRuntime,
  ctx: RenderContext,
  subpath: string
): StatusDocument | null {
  const model = rt.status;
  const path = subpath.replace(/\/+$/, '');
  const incident = /^\/(?:incidents|incident|maintenance)\/([^/]+)$/.exec(path);
  if (incident) {
    return renderIncidentPage(model, decodeURIComponent(incident[1]));
  }
  switch (format) {
    case 'statuspage':
      if (path === '/history.rss') {
        return renderRss(model, ctx);
      }
      if (path === '/history.atom') {
        return renderAtom(model, ctx);
      }
      return path === '' ? renderHumanPage(model) : renderStatuspage(model, ctx, path);
    case 'incidentio':
      return path === '' ? renderHumanPage(model) : renderIncidentio(model, ctx, path);
    case 'instatus':
      return path === '' ? renderHumanPage(model) : renderInstatus(model, ctx, path);
    case 'statusio':
      return path === '' ? renderStatusio(model, ctx) : null;
    case 'gcp':
      return path === '' || path === '/incidents.json' ? renderGcp(model, ctx) : null;
    case 'rss':
      return path === '' || path === '/history.rss' ? renderRss(model, ctx) : null;
    case 'atom':
      return path === '' || path === '/history.atom' ? renderAtom(model, ctx) : null;
  }
}

export interface ServedDocument extends StatusDocument {
  status: number;
}

/** The document as the provider's page currently serves it: broken on purpose or not. */
export function serveStatusDocument(rt: ProviderRuntime, doc: StatusDocument): ServedDocument {
  switch (rt.settings.statusPageBroken) {
    case 'none':
      return { status: 200, ...doc };
    case 'http500':
      return { status: 500, ...brokenHttp500(rt.status) };
    case 'html200':
      return { status: 200, ...brokenHtml200(rt.status) };
    case 'truncated':
      return { status: 200, ...truncated(doc) };
  }
}
