// The text of a title or a note as the reading room shows it (docs/finding-aids.md, "Text"): what
// a reader sees on the page, without the headings EAD writes for its own display.

/** Elements that stand apart from their neighbours: one space between them, never glued words. */
export const BLOCKS: ReadonlySet<string> = new Set([
  'p', 'list', 'item', 'legalstatus', 'chronitem', 'chronlist', 'event', 'eventgrp', 'defitem', 'label',
  'table', 'row', 'entry', 'blockquote', 'note', 'address', 'addressline', 'lb', 'subarea',
  // Parts of an extent or a structured date: "2 linear feet (4 boxes)", not "2 linear feet(4 boxes)".
  'extent', 'quantity', 'unittype', 'physfacet', 'dimensions', 'datesingle', 'daterange',
]);

/** Whitespace at an end, two in a row, or one that is not a plain space: what collapsing changes. */
const UNCOLLAPSED = /^\s|\s$|\s\s|[^\S ]/;

/** Whitespace runs (line breaks and tabs of the source included) become one space; ends trimmed. */
export const collapse = (text: string) =>
  // Most texts are collapsed as written: testing allocates nothing, replacing builds a new string.
  UNCOLLAPSED.test(text) ? text.replace(/\s+/g, ' ').trim() : text;

/**
 * The text of one element being read, gathered while the parser walks inside it. Several can be
 * open at once (a `unitdate` inside a `unittitle` is both a date and part of the title).
 */
export class TextCapture {
  /** As written: appending is cheap (V8 joins the pieces once, when collapsed). */
  private raw = '';

  add(text: string): void {
    this.raw += text;
  }

  /** Between two block elements, or where a block starts or ends. */
  separate(): void {
    this.raw += ' ';
  }

  text(): string {
    return collapse(this.raw);
  }
}
