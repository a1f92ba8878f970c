// The human side of a status page (what a browser gets at the page URL), and the bodies served
// when a status page is made to break on purpose.
import { componentLabel } from '@apimon/core';
import type { StatusDocument } from './document';
import { byNewest, htmlEscape, indicatorOf, isOpen, statusTitle, type Level, type StatusModel } from './model';

const HEADLINES: Record<Level, string> = {
  operational: 'All Systems Operational',
  maintenance: 'Maintenance In Progress',
  degraded: 'Degraded Performance',
  partial_outage: 'Partial Outage',
  major_outage: 'Major Outage',
};

const html = (body: string): StatusDocument => ({ contentType: 'text/html; charset=utf-8', body });

export function renderHumanPage(model: StatusModel): StatusDocument {
  const components = model.components
    .map(
      (c) =>
        `<li class="component"><span class="name">${htmlEscape(componentLabel(c))}</span> <span class="status">${statusTitle(c.status)}</span></li>`
    )
    .join('\n');
  const incidents = byNewest(model.incidents)
    .filter(isOpen)
    .map(
      (i) =>
        `<li><a href="${htmlEscape(`${model.pageUrl}/incidents/${i.id}`)}">${htmlEscape(i.name)}</a> (${statusTitle(i.status)})</li>`
    )
    .join('\n');
  return html(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${htmlEscape(model.pageName)} Status</title></head>
<body>
<h1>${htmlEscape(model.pageName)} Status</h1>
<p class="indicator">${HEADLINES[indicatorOf(model)]}</p>
<ul class="incidents">
${incidents}
</ul>
<ul class="components">
${components}
</ul>
</body>
</html>
`);
}

export function renderIncidentPage(model: StatusModel, id: string): StatusDocument | null {
  const item = [...model.incidents, ...model.maintenances].find((i) => i.id === id);
  if (!item) {
    return null;
  }
  const updates = item.updates
    .map(
      (u) =>
        `<div class="update"><strong>${statusTitle(u.status)}</strong> - ${htmlEscape(u.body)} <small>${new Date(u.at).toUTCString()}</small></div>`
    )
    .join('\n');
  return html(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${htmlEscape(item.name)} - ${htmlEscape(model.pageName)} Status</title></head>
<body><h1>${htmlEscape(item.name)}</h1>
${updates}
</body>
</html>
`);
}

/** An HTML error page with status 500, as a CDN or the page host serves it. */
export function brokenHttp500(model: StatusModel): StatusDocument {
  return html(`<!DOCTYPE html>
<html><head><title>500 Internal Server Error</title></head>
<body><h1>Internal Server Error</h1><p>The status page of ${htmlEscape(model.pageName)} could not be generated.</p></body></html>
`);
}

/** An HTML page with status 200 where JSON or a feed was expected: a login wall or a
 * "we are moving" page in front of the API. */
export function brokenHtml200(model: StatusModel): StatusDocument {
  return html(`<!DOCTYPE html>
<html><head><title>${htmlEscape(model.pageName)} Status - Sign in</title></head>
<body><h1>Sign in to view this status page</h1><form><input name="email"></form></body></html>
`);
}

/** The real document cut off half way, as a dropped connection leaves it. */
export function truncated(doc: StatusDocument): StatusDocument {
  return { contentType: doc.contentType, body: doc.body.slice(0, Math.max(1, Math.floor(doc.body.length / 2))) };
}

export { HEADLINES };
