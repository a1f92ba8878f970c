// `auto`: which format a payload is, from its shape (JSON keys or XML root element), with the
// URL as a tie-breaker only where the shape alone cannot tell (an empty JSON list).
import { isGcpPayload } from './formats/gcp';
import { isIncidentioPayload } from './formats/incidentio';
import { isInstatusPayload } from './formats/instatus';
import { isStatusioPayload } from './formats/statusio';
import { isStatuspagePayload } from './formats/statuspage';
import { looksLikeHtml } from './payload';
import type { StatusPageDocument, StatusPageFormatName } from './types';

export function detectFormat(doc: StatusPageDocument): StatusPageFormatName | null {
  const body = doc.body.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('<')) {
    if (looksLikeHtml(body)) {
      return null;
    }
    // Skip the XML declaration, comments and processing instructions before the root element.
    const root = /^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([A-Za-z_][\w:.-]*)/.exec(body)?.[1];
    if (root === 'rss' || root === 'rdf:RDF') {
      return 'rss';
    }
    return root === 'feed' ? 'atom' : null;
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return null;
  }
  if (isStatusioPayload(data)) {
    return 'statusio';
  }
  if (isInstatusPayload(data)) {
    return 'instatus';
  }
  if (isStatuspagePayload(data)) {
    return 'statuspage';
  }
  if (isIncidentioPayload(data)) {
    return 'incidentio';
  }
  if (Array.isArray(data) && (data.length > 0 || /incidents\.json$/i.test(doc.url))) {
    return isGcpPayload(data) ? 'gcp' : null;
  }
  return null;
}
