// A search hit's snippet as HTML: FTS5 marks the matched words with two control characters, the
// text around them is escaped, and only then are the marks made `<mark>` elements, so a title such
// as `<script>` or `A & B <i>` is shown as text.

/** Control characters XML 1.0 cannot carry, so no finding aid's text holds them. */
export const MARK_OPEN = '\u0002';
export const MARK_CLOSE = '\u0003';

// Splits on the marks and keeps them; they are control characters on purpose (above).
// eslint-disable-next-line no-control-regex
const markSplit = /([\u0002\u0003])/;
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * `marked` with its text escaped and its marks as `<mark>…</mark>`. Marks are taken in pairs; a
 * stray one (an XML 1.1 document may carry these characters) is dropped, so the HTML stays balanced.
 */
export function markedHtml(marked: string): string {
  let html = '';
  let open = false;
  for (const part of marked.split(markSplit)) {
    if (part === MARK_OPEN || part === MARK_CLOSE) {
      if ((part === MARK_OPEN) === open) continue;
      html += open ? '</mark>' : '<mark>';
      open = !open;
    } else {
      html += part.replace(/[&<>"']/g, (c) => escapes[c]!);
    }
  }
  return open ? `${html}</mark>` : html;
}
