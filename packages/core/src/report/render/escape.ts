// Everything a report shows that came from data (API names, incident titles and updates from
// providers' status pages, incident records) goes through these before it reaches HTML or
// Markdown: a provider's "<script>" in an incident title is text, never markup.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For text content and attribute values alike. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** A link target from data: only http(s) URLs survive; anything else (javascript:, data:) is dropped. */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value) {
    return null;
  }
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/**
 * Text for a Markdown table cell or line: Markdown and HTML syntax escaped, line breaks and
 * pipes made harmless, so data can neither break the table nor inject markup or links.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value ?? '')
    .replace(/\r?\n|\r/g, ' ')
    .replace(/([\\`*_{}[\]()#+!|<>~])/g, '\\$1')
    .replace(/&/g, '&amp;');
}
