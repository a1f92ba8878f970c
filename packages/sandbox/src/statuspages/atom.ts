// Atom (RFC 4287) incident history, as Statuspage-style pages publish at `<page>/history.atom`.
import type { StatusDocument } from './document';
import { feedEntries } from './feed';
import { iso, xmlEscape, type RenderContext, type StatusModel } from './model';

export function renderAtom(model: StatusModel, ctx: RenderContext): StatusDocument {
  const host = new URL(model.pageUrl).hostname;
  const entries = feedEntries(model)
    .map(
      (e) => `  <entry>
    <id>${xmlEscape(`tag:${host},2026:${e.id.split('/').pop() ?? e.id}`)}</id>
    <published>${iso(e.published)}</published>
    <updated>${iso(e.updated)}</updated>
    <link rel="alternate" type="text/html" href="${xmlEscape(e.link)}"/>
    <title>${xmlEscape(e.title)}</title>
    <content type="html">${xmlEscape(e.html)}</content>
${e.categories.map((c) => `    <category term="${xmlEscape(c)}"/>\n`).join('')}  </entry>`
    )
    .join('\n');
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-US">
  <id>tag:${xmlEscape(host)},2026:/history</id>
  <link rel="alternate" type="text/html" href="${xmlEscape(model.pageUrl)}"/>
  <link rel="self" type="application/atom+xml" href="${xmlEscape(ctx.selfUrl)}"/>
  <title>${xmlEscape(model.pageName)} Status - Incident History</title>
  <updated>${iso(model.updatedAt)}</updated>
  <author><name>${xmlEscape(model.pageName)}</name></author>
${entries}
</feed>
`;
  return { contentType: 'application/atom+xml; charset=utf-8', body };
}
