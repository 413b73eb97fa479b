import { existsSync, readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import type { IsoDate } from '../../domain/calendar.ts';
import { pageLinks } from '../../links.ts';
import type { PickItem } from '../../requests/schemas.ts';
import { readableDate, wantedWords } from '../../wording.ts';

// Call slips: one per box on the day's pick list, three to a sheet of Letter or A4 with dashed cut
// lines between them. Each slip carries the request's desk address as a QR code (and as a link in
// the PDF), so scanning a slip at the desk opens the request: `${PUBLIC_URL}/desk/requests/<id>`.

/**
 * A box of the pick list, with what the slip also says: whether the photo ID was checked (null for a
 * class session's box, which needs none), and why it is restricted.
 */
export type CallSlip = PickItem & { identityChecked: boolean | null; restrictionNote: string | null };

export const papers = ['letter', 'a4'] as const;
export type Paper = (typeof papers)[number];

const PAGE_SIZE: Record<Paper, [number, number]> = { letter: [612, 792], a4: [595.28, 841.89] };
export const SLIPS_PER_PAGE = 3;

// DejaVu Sans (Debian's fonts-dejavu-core) covers Latin, Greek and Cyrillic names; without it the
// PDF's own Helvetica is used, which knows only Windows-1252, so other letters are simplified.
const DEJAVU = '/usr/share/fonts/truetype/dejavu';
let fontFiles: { regular: Buffer; bold: Buffer } | null | undefined;

function embeddedFonts(): { regular: Buffer; bold: Buffer } | null {
  if (fontFiles === undefined) {
    const regular = `${DEJAVU}/DejaVuSans.ttf`;
    const bold = `${DEJAVU}/DejaVuSans-Bold.ttf`;
    fontFiles = existsSync(regular) && existsSync(bold) ? { regular: readFileSync(regular), bold: readFileSync(bold) } : null;
  }
  return fontFiles;
}

const CP1252_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const inCp1252 = (c: string) => (c >= ' ' && c <= '~') || (c >= '\u00a0' && c <= '\u00ff') || CP1252_EXTRA.includes(c);
const NO_DECOMPOSITION: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h', Ŧ: 'T', ŧ: 't' };

/** Text the standard PDF fonts can show: accents kept where Windows-1252 has the letter, dropped otherwise. */
export function toWinAnsi(text: string): string {
  return [...text.replace(/[\r\n\t]+/g, ' ')]
    .map((c) => {
      if (inCp1252(c)) return c;
      const plain = (NO_DECOMPOSITION[c] ?? c).normalize('NFKD').replace(/\p{M}/gu, '');
      return [...plain].every(inCp1252) ? plain : '?';
    })
    .join('');
}

interface SlipsDocument {
  libraryName: string;
  date: IsoDate;
  publicUrl: string;
  paper: Paper;
  /** The document's creation time (the injected clock). */
  now: Date;
}

/** The call slips of a day as a PDF. */
export async function callSlipsPdf(slips: readonly CallSlip[], options: SlipsDocument): Promise<Buffer> {
  // Loaded when slips are first printed: PDFKit and its fonts' code are a fifth of a second of every
  // start otherwise, for processes (workers, the command line, tests) that print none.
  const { default: PDFDocument } = await import('pdfkit');
  const fonts = embeddedFonts();
  const say = fonts ? (text: string) => text.replace(/[\r\n\t]+/g, ' ') : toWinAnsi;
  const day = readableDate(options.date);
  const doc = new PDFDocument({
    size: PAGE_SIZE[options.paper],
    margin: 0,
    autoFirstPage: false,
    lang: 'en',
    displayTitle: true,
    info: { Title: say(`Call slips, ${day}`), Author: say(options.libraryName), Creator: say(options.libraryName), CreationDate: options.now, ModDate: options.now },
  });
  if (fonts) {
    doc.registerFont('Slip', fonts.regular);
    doc.registerFont('Slip-Bold', fonts.bold);
  }
  const regular = fonts ? 'Slip' : 'Helvetica';
  const bold = fonts ? 'Slip-Bold' : 'Helvetica-Bold';

  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const [width, height] = PAGE_SIZE[options.paper];
  const slot = height / SLIPS_PER_PAGE;
  const margin = 32;

  if (slips.length === 0) {
    doc.addPage();
    doc.font(bold).fontSize(16).fillColor('#000').text(say(`No boxes to fetch on ${day}.`), margin, margin, { width: width - 2 * margin });
  }

  slips.forEach((slip, index) => {
    const position = index % SLIPS_PER_PAGE;
    if (position === 0) {
      doc.addPage();
      cutLines(doc, width, slot);
    }
    drawSlip(doc, slip, { top: position * slot, width, height: slot, margin, regular, bold, say, day, ...options });
  });

  doc.end();
  return done;
}

function cutLines(doc: PDFKit.PDFDocument, width: number, slot: number): void {
  doc.save().lineWidth(0.6).strokeColor('#6b6b6b').dash(5, { space: 4 });
  for (let i = 1; i < SLIPS_PER_PAGE; i += 1) doc.moveTo(0, i * slot).lineTo(width, i * slot).stroke();
  doc.undash().restore();
}

interface SlipBox extends SlipsDocument {
  top: number;
  width: number;
  height: number;
  margin: number;
  regular: string;
  bold: string;
  say: (text: string) => string;
  day: string;
}

function drawSlip(doc: PDFKit.PDFDocument, slip: CallSlip, box: SlipBox): void {
  const { top, width, height, margin, regular, bold, say } = box;
  const url = pageLinks(box.publicUrl).deskRequest(slip.requestId);
  const qrSize = Math.min(118, height - 2 * margin - 34);
  const qrX = width - margin - qrSize;
  const textWidth = qrX - margin - 18;
  const bottom = top + height - margin + 6;
  let y = top + margin - 6;

  doc.fillColor('#4a4a4a').font(bold).fontSize(8.5);
  doc.text(say(`${box.libraryName.toUpperCase()}  ·  CALL SLIP`), margin, y, { width: textWidth, lineBreak: false, ellipsis: true });
  y += 15;

  doc.fillColor('#000').font(bold).fontSize(22).text(say(slip.containerLabel), margin, y, { width: textWidth, lineBreak: false, ellipsis: true });
  y += 27;
  doc.font(bold).fontSize(13).text(say(slip.callNumber), margin, y, { width: textWidth, lineBreak: false, ellipsis: true });
  y += 17;
  const title = say(slip.collectionTitle);
  const titleOptions = { width: textWidth, height: 26, ellipsis: true };
  doc.font(regular).fontSize(10);
  const titleHeight = Math.min(doc.heightOfString(title, { width: textWidth }), 26);
  doc.text(title, margin, y, titleOptions);
  y += titleHeight + 7;

  const fields: [string, string][] = [
    ['Location', slip.location ?? 'Not yet recorded'],
    ['Visit', box.day],
    ...(slip.classSession
      ? ([
          ['Class', slip.classSession.title],
          ['Photo ID', "Not needed: for the class's table"],
        ] as [string, string][])
      : ([
          ['Researcher', slip.researcher?.name ?? ''],
          ['Photo ID', slip.identityChecked ? 'Checked' : 'Not checked yet: check it at the desk before delivery'],
        ] as [string, string][])),
  ];
  if (slip.restrictionNote) fields.push(['Restricted', slip.restrictionNote]);
  // What to pull from the box, last: a long list takes the rest of the slip and ends in an ellipsis.
  if (slip.components.length > 0) fields.push(['Folders', slip.components.map(wantedWords).join('; ')]);
  const labelWidth = 64;
  for (const [label, value] of fields) {
    if (y > bottom - 12) break;
    doc.font(bold).fontSize(8.5).fillColor('#4a4a4a').text(say(label), margin, y + 1.5, { width: labelWidth, lineBreak: false });
    doc.font(regular).fontSize(10.5).fillColor('#000');
    const valueOptions = { width: textWidth - labelWidth, height: Math.max(12, bottom - y), ellipsis: true };
    const valueHeight = Math.min(doc.heightOfString(say(value), { width: textWidth - labelWidth }), valueOptions.height);
    doc.text(say(value), margin + labelWidth, y, valueOptions);
    y += valueHeight + 3;
  }

  const qrY = top + margin - 4;
  drawQr(doc, url, qrX, qrY, qrSize);
  doc.link(qrX, qrY, qrSize, qrSize, url);
  doc.font(bold).fontSize(10).fillColor('#000').text(`Request ${slip.requestId}`, qrX - 10, qrY + qrSize + 4, { width: qrSize + 20, align: 'center', lineBreak: false });
  doc.font(regular).fontSize(6.5).fillColor('#4a4a4a').text(say(url), qrX - 16, qrY + qrSize + 18, { width: qrSize + 32, align: 'center', height: 18, ellipsis: true });
}

/** A QR code drawn as vector squares (crisp at any printer's resolution), with its quiet zone. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const quiet = 4;
  const cell = size / (n + 2 * quiet);
  doc.save().fillColor('#000');
  for (let row = 0; row < n; row += 1) {
    let col = 0;
    while (col < n) {
      if (!modules.get(row, col)) {
        col += 1;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col += 1;
      // A hair of overlap, so no white seams show between squares when printed.
      doc.rect(x + (quiet + start) * cell, y + (quiet + row) * cell, (col - start) * cell + 0.05, cell + 0.05);
    }
  }
  doc.fill().restore();
}
