import { inflateSync } from 'node:zlib';

// The text a PDF made by pdfkit shows, read back for the tests: with embedded fonts (DejaVu) the
// content streams hold glyph ids, which each font's ToUnicode map turns back into letters.

interface PdfObject {
  dictionary: string;
  stream: string | null;
}

function objectsOf(pdf: Buffer): Map<string, PdfObject> {
  const raw = pdf.toString('latin1');
  const objects = new Map<string, PdfObject>();
  for (const match of raw.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = match[2] ?? '';
    const at = body.search(/stream\r?\n/);
    let stream: string | null = null;
    if (at >= 0) {
      const start = (match.index ?? 0) + match[0].indexOf(body) + at + (/stream\r\n/.test(body.slice(at, at + 8)) ? 8 : 7);
      const end = raw.indexOf('endstream', start);
      const bytes = pdf.subarray(start, end);
      stream = /\/FlateDecode/.test(body.slice(0, at)) ? inflateSync(bytes).toString('latin1') : bytes.toString('latin1');
    }
    objects.set(match[1] ?? '', { dictionary: at >= 0 ? body.slice(0, at) : body, stream });
  }
  return objects;
}

/** A ToUnicode map: glyph id (hex) to text. */
function unicodeMap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const hex = (h: string) => String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map((u) => parseInt(u, 16)));
  const width = (n: number, like: string) => n.toString(16).padStart(like.length, '0');
  for (const [, from = '', to = '', targets = ''] of cmap.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
    const first = parseInt(from, 16);
    const last = parseInt(to, 16);
    // A ligature maps to several letters, written in one pair of brackets: `<0066 0066>` is "ff".
    const listed = [...targets.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((m) => (m[1] ?? '').replace(/\s+/g, ''));
    for (let code = first; code <= last; code += 1) {
      const target = targets.startsWith('[') ? listed[code - first] : width(parseInt(listed[0] ?? '0', 16) + code - first, listed[0] ?? '0000');
      if (target) map.set(width(code, from).toLowerCase(), hex(target));
    }
  }
  return map;
}

/** The text of every text-showing operator, one line each, in drawing order. */
export function pdfText(pdf: Buffer): string {
  const objects = objectsOf(pdf);
  const fonts = new Map<string, Map<string, string>>();
  for (const { dictionary } of objects.values()) {
    for (const [, name = '', ref = ''] of dictionary.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(ref)?.dictionary ?? '')?.[1];
      const cmap = toUnicode ? objects.get(toUnicode)?.stream : null;
      if (cmap) fonts.set(name, unicodeMap(cmap));
    }
  }
  const lines: string[] = [];
  for (const { stream } of objects.values()) {
    if (!stream || !/\bTf\b/.test(stream)) continue;
    let font = new Map<string, string>();
    for (const [, name, shown] of stream.matchAll(/\/(F\d+) [\d.]+ Tf|(\[[^\]]*\]\s*TJ|<[0-9a-fA-F]*>\s*Tj)/g)) {
      if (name) font = fonts.get(name) ?? new Map();
      else if (shown) {
        const glyphs = [...shown.matchAll(/<([0-9a-fA-F]*)>/g)].flatMap((m) => (m[1] ?? '').match(/.{4}/g) ?? []);
        lines.push(glyphs.map((g) => font.get(g.toLowerCase()) ?? '?').join(''));
      }
    }
  }
  return lines.join('\n');
}
