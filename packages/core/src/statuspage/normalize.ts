// The one entry point from fetched documents to the normal form. It never throws: whatever
// a provider serves (truncated JSON, an HTML error page with status 200, unknown words) comes
// back as { ok: false, error } or as a page with unknown levels.
import type { StatusPageFormat } from '../catalog/schema';
import { detectFormat } from './detect';
import { parseAtom } from './formats/atom';
import { parseGcp } from './formats/gcp';
import { parseIncidentio } from './formats/incidentio';
import { parseInstatus } from './formats/instatus';
import { parseRss } from './formats/rss';
import { parseStatusio } from './formats/statusio';
import { parseStatuspage } from './formats/statuspage';
import { decodeJson, looksLikeHtml, PayloadError } from './payload';
import type { NormalizeResult, ParsedStatusPage, StatusPageDocument, StatusPageFormatName } from './types';

type Parser = (docs: StatusPageDocument[], now: number) => ParsedStatusPage;

const PARSERS: Record<StatusPageFormatName, Parser> = {
  statuspage: parseStatuspage,
  incidentio: parseIncidentio,
  instatus: parseInstatus,
  statusio: parseStatusio,
  gcp: parseGcp,
  rss: parseRss,
  atom: parseAtom,
};

export interface NormalizeOptions {
  /** Epoch ms of the fetch; feeds use it to tell open items from old ones. */
  now: number;
}

export function normalizeStatusPage(format: StatusPageFormat, documents: StatusPageDocument[], options: NormalizeOptions): NormalizeResult {
  try {
    const main = documents.find((d) => d.role === 'main');
    if (!main) {
      return { ok: false, error: 'no document was fetched', html: false };
    }
    let resolved: StatusPageFormatName;
    if (format === 'auto') {
      const detected = detectFormat(main);
      if (!detected) {
        const html = looksLikeHtml(main.body);
        return {
          ok: false,
          html,
          error: html
            ? `${main.url}: got an HTML page; cannot detect a status format (point the URL at the page's API or feed, or set "format")`
            : `${main.url}: cannot detect the status-page format from the payload; set "format" in the catalog`,
        };
      }
      resolved = detected;
    } else {
      resolved = format;
    }
    // A broken optional document (incidents history, component list) costs its part only.
    const warnings: string[] = [];
    const usable = documents.filter((d) => {
      if (d.role === 'main') {
        return true;
      }
      try {
        decodeJson(d);
        return true;
      } catch (err) {
        warnings.push(err instanceof Error ? err.message : String(err));
        return false;
      }
    });
    const page = PARSERS[resolved](usable, options.now);
    return { ok: true, page, warnings };
  } catch (err) {
    if (err instanceof PayloadError) {
      return { ok: false, error: err.message, html: err.html };
    }
    // A parser bug must not take the prober down; report it as this page's error.
    return { ok: false, error: `cannot read the status page: ${err instanceof Error ? err.message : String(err)}`, html: false };
  }
}
