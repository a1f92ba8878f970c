// RSS 2.0 incident history, as Statuspage-style pages publish at `<page>/history.rss`.
import type { StatusDocument } from './document';
import { feedEntries } from './feed';
import { xmlEscape, type RenderContext, type StatusModel } from './model';

export function renderRss(model: StatusModel, ctx: RenderContext): StatusDocument {
  const items = feedEntries(model)
    .map(
      (e) => `    <item>
      <title>${xmlEscape(e.title)}</title>
      <description>${xmlEscape(e.html)}</description>
      <pubDate>${new Date(e.updated).toUTCString()}</pubDate>
      <link>${xmlEscape(e.link)}</link>
      <guid isPermaLink="true">${xmlEscape(e.id)}</guid>
${e.categories.map((c) => `      <category>${xmlEscape(c)}</category>\n`).join('')}    </item>`
    )
    .join('\n');
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${xmlEscape(model.pageName)} Status - Incident History</title>
    <link>${xmlEscape(model.pageUrl)}</link>
    <description>${xmlEscape(`Statuspage incident history for ${model.pageName}`)}</description>
    <atom:link href="${xmlEscape(ctx.selfUrl)}" rel="self" type="application/rss+xml"/>
    <lastBuildDate>${new Date(model.updatedAt).toUTCString()}</lastBuildDate>
${items}
  </channel>
</rss>
`;
  return { contentType: 'application/rss+xml; charset=utf-8', body };
}
