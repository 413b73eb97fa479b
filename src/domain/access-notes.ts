import { isIsoDate, type IsoDate } from './calendar.ts';

// What an access note of a finding aid says about getting the material (docs/finding-aids.md,
// "Restriction"). Archivists write these for people, in many ways: "[RESTRICTED UNTIL 2067]",
// "This folder is restricted. It will open in 2045.", "[Vetted, open]". Only what the note says
// is read here; whether an end is already past is the restriction rules' business.

/** How an access note reads. */
export type NoteReading = { reading: 'open' } | { reading: 'restricted' } | { reading: 'until'; until: IsoDate };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const YEAR = String.raw`(\d{4})`;

/** Words that announce the end of a closure: "until", "till", "will open in", "opens", "to be opened", "reopens". */
const END = String.raw`(?:\buntil|\btill|\b(?:re)?opens?|\bopened|\bopening)\b(?:\s+(?:on|in|after|at|the\s+end\s+of))?\s+`;

/** A date as notes write it, each form with what it captures, in the order they are tried. */
const DATE_FORMS: { pattern: string; date: (m: string[]) => [year: string, month: number, day: number] }[] = [
  { pattern: String.raw`${YEAR}-(\d{2})-(\d{2})`, date: ([y, m, d]) => [y ?? '', Number(m), Number(d)] },
  { pattern: String.raw`${MONTH}\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+${YEAR}`, date: ([m, d, y]) => [y ?? '', monthOf(m), Number(d)] },
  { pattern: String.raw`(\d{1,2})(?:st|nd|rd|th)?\s+${MONTH},?\s+${YEAR}`, date: ([d, m, y]) => [y ?? '', monthOf(m), Number(d)] },
  { pattern: String.raw`(\d{1,2})/(\d{1,2})/${YEAR}`, date: ([m, d, y]) => [y ?? '', Number(m), Number(d)] },
  { pattern: String.raw`${MONTH},?\s+${YEAR}`, date: ([m, y]) => [y ?? '', monthOf(m), 1] },
  { pattern: YEAR, date: ([y]) => [y ?? '', 1, 1] },
];

const monthOf = (name: string | undefined) => MONTHS.indexOf((name ?? '').slice(0, 3).toLowerCase()) + 1;

const ENDS = new RegExp(END + `(?:${DATE_FORMS.map((f) => `(${f.pattern})`).join('|')})\\b`, 'i');
const FORMS = DATE_FORMS.map((f) => ({ ...f, whole: new RegExp(`^${f.pattern}$`, 'i') }));

/** The first end a note states, as a date: "July 01, 2022" → 2022-07-01, "March 2031" → 2031-03-01, "2067" → 2067-01-01. */
export function endOf(text: string): IsoDate | null {
  const written = ENDS.exec(text)?.slice(1).find((group) => group !== undefined);
  if (written === undefined) return null;
  for (const form of FORMS) {
    const match = form.whole.exec(written);
    if (!match) continue;
    const [year, month, day] = form.date(match.slice(1));
    const pad = (n: number) => String(n).padStart(2, '0');
    const date = `${year}-${pad(month)}-${pad(day)}`;
    // "until February 30, 2030": the month is meant, the day is a slip.
    return isIsoDate(date) ? date : isIsoDate(`${year}-${pad(month)}-01`) ? `${year}-${pad(month)}-01` : null;
  }
  return null;
}

/** Any form of the words that close material: restricted, restriction, closed, closure, sealed, embargo, unavailable, not available. */
const CLOSING = /\b(?:restrict\w*|clos(?:e|ed|es|ing|ure|ures)|seal(?:ed|s|ing)?|embargo\w*|unavailable|not\s+(?:yet\s+)?(?:be\s+)?available)\b/i;

/**
 * Words that close nothing when they are denied: "There are no restrictions", "is not restricted",
 * "without restriction", "No access restrictions apply". (`unrestricted` never matches CLOSING.)
 */
const DENIED = /\b(?:no|not|without|free\s+of|none\s+of\s+the)\s+(?:\w+\s+){0,2}?(?:restrict\w*|closed|closures?|sealed|embargo\w*)\b/gi;

/** Whether a note closes anything, once denials are set aside. */
export const saysRestricted = (text: string) => CLOSING.test(text.replace(DENIED, ' '));

/**
 * How a note reads: `until` its first stated end; else `restricted` when it says so in any form
 * (a note both open and restricted is restricted; "closed for 15 years following creation" is
 * restricted without end); else `open`.
 */
export function readAccessNote(text: string): NoteReading {
  const until = endOf(text);
  if (until !== null) return { reading: 'until', until };
  return saysRestricted(text) ? { reading: 'restricted' } : { reading: 'open' };
}

/** A reading as the import reports it: `open`, `restricted` or `until 2045-01-01`. */
export const readingLabel = (reading: NoteReading) => (reading.reading === 'until' ? `until ${reading.until}` : reading.reading);
