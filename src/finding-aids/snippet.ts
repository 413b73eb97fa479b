// A search hit's snippet as HTML: the matched words are marked with two control characters (by
// FTS5 on SQLite, by markedText on PostgreSQL), the text around them is escaped, and only then are
// the marks made `<mark>` elements, so a title such as `<script>` or `A & B <i>` is shown as text.

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

/**
 * A word as FTS5's unicode61 tokenizer cuts text: a run of letters and digits with their combining
 * marks (a mark alone is no word); everything else only separates words.
 */
export const WORD = /\p{M}*[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{M}\p{Co}]*/gu;

/** How many words a snippet shows at most, as FTS5's snippet() is asked for. */
const SNIPPET_WORDS = 32;

/** A word without its accents and case, as the index folds it. */
const folded = (word: string) => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * `text` with every word that starts with one of `words` marked, as FTS5's snippet() marks it: at
 * most SNIPPET_WORDS words, the stretch with the most marked ones, `…` where text is left out.
 */
export function markedText(text: string, words: readonly string[]): string {
  const prefixes = words.map(folded);
  const found = [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, marked: prefixes.some((p) => folded(m[0]).startsWith(p)) }));
  if (found.length === 0) return text;
  let first = 0;
  if (found.length > SNIPPET_WORDS) {
    let best = -1;
    for (let i = 0; i + SNIPPET_WORDS <= found.length; i++) {
      const count = found.slice(i, i + SNIPPET_WORDS).filter((w) => w.marked).length;
      if (count > best) [best, first] = [count, i];
    }
  }
  const shown = found.slice(first, first + SNIPPET_WORDS);
  const from = first === 0 ? 0 : shown[0]!.start;
  const to = first + SNIPPET_WORDS >= found.length ? text.length : shown.at(-1)!.end;
  let marked = first === 0 ? '' : '…';
  let at = from;
  for (const w of shown.filter((x) => x.marked)) {
    marked += `${text.slice(at, w.start)}${MARK_OPEN}${text.slice(w.start, w.end)}${MARK_CLOSE}`;
    at = w.end;
  }
  return `${marked}${text.slice(at, to)}${to < text.length ? '…' : ''}`;
}
