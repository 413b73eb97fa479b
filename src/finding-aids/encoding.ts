import { TextDecoder } from 'node:util';
import { Refusal } from '../domain/refusal.ts';

// The bytes of an uploaded document as text: XML says its own encoding (a byte-order mark, or the
// declaration's `encoding`), UTF-8 when it says nothing. Older finding aids are often ISO-8859-1.

const BOMS: [bytes: number[], encoding: string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/** The document's text; a Refusal `INVALID_EAD` for an encoding this runtime does not know, or bytes not in it. */
export function decodeDocument(bytes: Buffer): string {
  const bom = BOMS.find(([mark]) => mark.every((b, i) => bytes[i] === b));
  const declared = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(bytes.subarray(0, 200).toString('latin1'))?.[1];
  const encoding = bom?.[1] ?? declared ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new Refusal('INVALID_EAD', `The document's encoding ${encoding} is not one the reading room reads; send it as UTF-8.`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Refusal('INVALID_EAD', `The document has bytes that are not valid ${encoding}.`);
  }
}
