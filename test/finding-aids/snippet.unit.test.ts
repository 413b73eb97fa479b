import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markedHtml, markedText } from '../../src/finding-aids/snippet.ts';

// The snippets PostgreSQL's search shows (src/finding-aids/search-postgres.ts), marked as FTS5's
// snippet() marks SQLite's: whole words that start with a word asked for, accents and case aside.

const html = (text: string, words: string[]) => markedHtml(markedText(text, words));

describe('markedText', () => {
  it('marks every word that starts with one asked for, ignoring case and accents', () => {
    assert.equal(html('Letters from Leon Trotsky to Daniel Guérin', ['trotsk', 'GUERIN']), 'Letters from Leon <mark>Trotsky</mark> to Daniel <mark>Guérin</mark>');
    assert.equal(html('Photographs of Coyoacán', ['coyoacan']), 'Photographs of <mark>Coyoacán</mark>');
  });

  it('marks words, not parts of them, and leaves markup as text', () => {
    assert.equal(html('Writings: <script>alert(1)</script> & B', ['script', 'b']), 'Writings: &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; &amp; <mark>B</mark>');
    assert.equal(html('Subscriptions', ['script']), 'Subscriptions');
  });

  it('shows at most 32 words of a long text, around the most matches, with … where text is left out', () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    words[60] = 'Trotsky';
    words[62] = 'Trotskyist';
    const shown = markedText(words.join(' '), ['trotsky']);
    assert.ok(shown.startsWith('…w'), shown);
    assert.ok(shown.endsWith('…'), shown);
    assert.equal(shown.slice(1, -1).split(' ').length, 32);
    assert.equal(shown.split('\u0002').length - 1, 2);
  });

  it('leaves a text without words as it is', () => {
    assert.equal(markedText('— … —', ['a']), '— … —');
  });
});
