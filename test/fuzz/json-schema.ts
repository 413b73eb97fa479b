import fc from 'fast-check';

// A small generator of values from the JSON schemas of the OpenAPI document: valid values, values
// on the edges of what is allowed, and values just past them. It knows the keywords the document
// uses (type, format date/date-time/email, enum/const/anyOf/oneOf, minLength/maxLength/pattern,
// minimum/maximum, minItems/maxItems/uniqueItems, properties/required/additionalProperties) and
// treats anything else as "any JSON value".

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
  examples?: unknown[];
}

/** What ajv counts as a string's length: code points, not UTF-16 units. */
export const codePoints = (text: string) => [...text].length;

// ---------------------------------------------------------------------------------------------
// Dates

/** The fuzzed app's "today" (the injected clock), so that valid dates land on bookable days. */
let today = '2026-11-26';
export function setToday(date: string): void {
  today = date;
}

function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Real calendar dates a schema with `format: date` accepts, at the edges of the calendar. */
export const BOUNDARY_DATES = ['0000-01-01', '0001-01-01', '1970-01-01', '2000-02-29', '2024-02-29', '2026-02-28', '2028-02-29', '2026-12-31', '2027-01-01', '9999-12-31'];

/** Date texts that look like dates but are not (the `date` format must refuse them). */
export const IMPOSSIBLE_DATES = [
  '2026-02-29',
  '2026-02-30',
  '2026-04-31',
  '2026-13-01',
  '2026-00-10',
  '2026-12-00',
  '2026-12-32',
  '2100-02-29',
  '2026-2-3',
  '20261201',
  '2026/12/01',
  '01-12-2026',
  '2026-12-01T00:00:00Z',
  '2026-12-01 ',
  ' 2026-12-01',
  '2026-12-01\n',
  '2026-12-01\u0000',
  '２０２６-１２-０１',
  '+02026-12-01',
  '-2026-12-01',
  '10000-01-01',
  '2026-W49-2',
  'today',
  'NaN-NaN-NaN',
];

const anyDate = fc
  .record({ year: fc.integer({ min: 0, max: 9999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .map(({ year, month, day }) => {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 28;
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(Math.min(day, days), 2)}`;
  });

/** Mostly dates near today (so that many are bookable), sometimes any date at all. */
const dateArb = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -5, max: 95 }).map((n) => shiftDays(today, n)) },
    { weight: 1, arbitrary: fc.integer({ min: -400, max: 800 }).map((n) => shiftDays(today, n)) },
    { weight: 1, arbitrary: anyDate },
    { weight: 1, arbitrary: fc.constantFrom(...BOUNDARY_DATES) },
  );

const dateTimeArb = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

// ---------------------------------------------------------------------------------------------
// Strings of every kind

/** Texts that break naive code: SQL and HTML payloads, control and direction characters, and the like. */
export const EVIL_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\u202e\u0645\u0631\u062d\u0628\u0627 evil\u202c', // right-to-left override
  '\u200f\u200e\u200b\u2060\ufeff', // RTL/LTR marks, zero-width space, word joiner, BOM
  '👩‍👩‍👧‍👦🏳️‍🌈🇺🇸',
  '😀'.repeat(50),
  'Z̸̢̛̗͈̯̱̩̫̲͎̖̬̼̙̼̲͉̀͆̈́̅̑̈̓̐̽̎̚a̶l̷g̸o',
  '\ud800',
  'x\udfffy',
  "' OR '1'='1",
  "1' OR 1=1 --",
  "'; DROP TABLE requests; --",
  '" OR ""="',
  "1); DELETE FROM users; --",
  "' UNION SELECT password_hash FROM users --",
  '%',
  '_',
  '\\',
  "\\'",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  '{{7*7}}',
  '${7*7}',
  '<%= 7*7 %>',
  '../../../../etc/passwd',
  '%2e%2e%2f',
  '%00',
  'null',
  'undefined',
  'true',
  'NaN',
  '-0',
  '1e309',
  '0x10',
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '{"$gt":""}',
  'reader@example.org\r\nBcc: everyone@example.org',
  'a'.repeat(257) + '@example.org',
  '"quoted"@example.org',
  'user@[127.0.0.1]',
  'ﬃ@ＥＸＡＭＰＬＥ.org',
  ...IMPOSSIBLE_DATES.slice(0, 6),
];

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 5 });
const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 10 });

/** Strings near the 64 KiB body limit: a little under it, at it, a little over it (in bytes). */
export const hugeString = fc.oneof(
  fc.integer({ min: 60_000, max: 70_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 30_000, max: 34_000 }).map((n) => 'é'.repeat(n)), // two bytes each in UTF-8
  fc.integer({ min: 15_000, max: 17_000 }).map((n) => '😀'.repeat(n)), // four bytes, one code point, two UTF-16 units
);

/** Any string at all, as an attacker would send it. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EVIL_STRINGS) },
  { weight: 2, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: controlChars },
  { weight: 1, arbitrary: fc.constantFrom(...IMPOSSIBLE_DATES) },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 5000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: hugeString },
);

// ---------------------------------------------------------------------------------------------
// Valid values

function typesOf(schema: JsonSchema): string[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function stringBounds(schema: JsonSchema) {
  const minLength = schema.minLength ?? 0;
  return { minLength, maxLength: Math.max(minLength, schema.maxLength ?? minLength + 40) };
}

function lengthFits(schema: JsonSchema) {
  const { minLength, maxLength } = stringBounds(schema);
  return (text: string) => codePoints(text) >= minLength && codePoints(text) <= maxLength;
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const fits = lengthFits(schema);
  switch (schema.format) {
    case 'date':
      return dateArb();
    case 'date-time':
      return dateTimeArb;
    case 'email':
      return fc.emailAddress().filter(fits);
  }
  const { minLength, maxLength } = stringBounds(schema);
  const shortMax = Math.min(maxLength, minLength + 30);
  let text = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength, maxLength: shortMax }) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength, maxLength: shortMax }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength, maxLength }) },
    { weight: 1, arbitrary: fc.constantFrom(...EVIL_STRINGS).filter(fits) },
  );
  if (schema.pattern !== undefined) {
    // Strings made to match the pattern: filtering random ones instead never ends for a pattern
    // that random text almost never matches (`^https?://…`).
    const pattern = new RegExp(schema.pattern, 'u');
    text = fc.stringMatching(new RegExp(schema.pattern)).filter((t) => fits(t) && pattern.test(t));
  }
  return text;
}

function numberBounds(schema: JsonSchema, integer: boolean) {
  let min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : -Number.MAX_SAFE_INTEGER);
  let max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : Number.MAX_SAFE_INTEGER);
  if (integer) {
    min = Math.ceil(min);
    max = Math.floor(max);
  }
  return { min, max };
}

function validInteger(schema: JsonSchema): fc.Arbitrary<number> {
  const { min, max } = numberBounds(schema, true);
  // Ids are small in a test database: most integers land near the minimum, where rows exist.
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min, max: Math.min(max, min + 30) }) },
    { weight: 2, arbitrary: fc.integer({ min, max: Math.min(max, min + 300) }) },
    { weight: 1, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min, max) },
  );
}

export function valid(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices && choices.length > 0) return fc.oneof(...choices.map(valid));
  if (schema.allOf && schema.allOf.length > 0) return valid(Object.assign({}, ...schema.allOf) as JsonSchema);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => valid({ ...schema, type })));
  switch (types[0]) {
    case 'string':
      return validString(schema);
    case 'integer':
      return validInteger(schema);
    case 'number': {
      const { min, max } = numberBounds(schema, false);
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return validArray(schema);
    case 'object':
      return validObject(schema);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validArray(schema: JsonSchema, lengths?: { minLength: number; maxLength: number }): fc.Arbitrary<unknown[]> {
  const item = valid(schema.items ?? {});
  const minLength = lengths?.minLength ?? schema.minItems ?? 0;
  const maxLength = lengths?.maxLength ?? Math.min(schema.maxItems ?? minLength + 10, minLength + 12);
  const of = (max: number) =>
    schema.uniqueItems ? fc.uniqueArray(item, { minLength, maxLength: max, selector: (v) => JSON.stringify(v) }) : fc.array(item, { minLength, maxLength: max });
  // Short lists most of the time (a few ids that exist), longer ones too.
  return lengths ? of(maxLength) : fc.oneof(of(Math.min(maxLength, minLength + 2)), of(maxLength));
}

function validObject(schema: JsonSchema, valueOf: (s: JsonSchema) => fc.Arbitrary<unknown> = valid): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueOf(property)])),
    { requiredKeys: required.filter((name) => name in properties) },
  );
  if (schema.additionalProperties === false) return record;
  const extra = typeof schema.additionalProperties === 'object' ? valueOf(schema.additionalProperties) : fc.jsonValue({ maxDepth: 1 });
  return fc.tuple(record, fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), extra, { maxKeys: 2 })).map(([r, more]) => ({ ...more, ...r }));
}

// ---------------------------------------------------------------------------------------------
// Boundary values: allowed, but only just (and the famous dates, some of which are not)

function repeatTo(unit: string, length: number): string {
  return Array.from({ length }, () => unit).join('');
}

export function boundary(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices && choices.length > 0) return fc.oneof(...choices.map(boundary));
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => boundary({ ...schema, type })));
  switch (types[0]) {
    case 'string': {
      if (schema.format === 'date') return fc.constantFrom(...BOUNDARY_DATES, '2026-02-29', shiftDays(today, 1), shiftDays(today, 2), shiftDays(today, 90), shiftDays(today, 91));
      if (schema.format === 'date-time') return fc.constantFrom('1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-11-26T23:59:59-05:00');
      const { minLength, maxLength } = stringBounds(schema);
      const lengths = [...new Set([minLength, Math.max(minLength, 1), maxLength])];
      const pattern = schema.pattern !== undefined ? new RegExp(schema.pattern, 'u') : undefined;
      const texts = lengths.flatMap((length) =>
        ['a', 'é', '😀', ' ', '\u0000', '\u202e'].map((unit) => repeatTo(unit, length)),
      );
      if (schema.format === 'email') {
        const local = (n: number) => 'a'.repeat(Math.max(1, Math.min(64, n)));
        texts.push(`${local(maxLength - 12)}@example.org`, `${local(64)}@${'d'.repeat(Math.max(1, maxLength - 70))}.org`, 'a@b.co');
      }
      const fits = lengthFits(schema);
      const kept = texts.filter((t) => fits(t) && (!pattern || pattern.test(t)));
      return kept.length > 0 ? fc.constantFrom(...kept) : valid(schema);
    }
    case 'integer':
    case 'number': {
      const { min, max } = numberBounds(schema, types[0] === 'integer');
      return fc.constantFrom(...new Set([min, max, Math.min(max, min + 1), Math.max(min, max - 1), Math.min(max, Math.max(min, 0))]));
    }
    case 'array': {
      const minItems = schema.minItems ?? 0;
      const maxItems = schema.maxItems ?? minItems + 50;
      return fc.oneof(validArray(schema, { minLength: minItems, maxLength: minItems }), validArray(schema, { minLength: maxItems, maxLength: maxItems }));
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const only = Object.fromEntries((schema.required ?? []).filter((name) => name in properties).map((name) => [name, properties[name] as JsonSchema]));
      return fc.oneof(
        validObject({ ...schema, properties: only, required: Object.keys(only) }, boundary),
        validObject({ ...schema, required: Object.keys(properties) }, boundary),
      );
    }
    default:
      return valid(schema);
  }
}

// ---------------------------------------------------------------------------------------------
// Invalid values: wrong types, just out of range, impossible dates, huge

const wrongTypeFor = (schema: JsonSchema): fc.Arbitrary<unknown> => {
  const types = typesOf(schema);
  const all: [string, fc.Arbitrary<unknown>][] = [
    ['string', anyString],
    ['integer', fc.oneof(fc.integer(), fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 2 ** 53))],
    ['number', fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1.5, -0.5, 1e308))],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 5 })],
    ['object', fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })],
  ];
  const others = all.filter(([type]) => !types.includes(type) && !(type === 'number' && types.includes('integer')));
  return fc.oneof(...(others.length > 0 ? others : all).map(([, arb]) => arb));
};

/** A value this schema refuses (or, for a schema that accepts anything, an unlikely one). */
export function invalid(schema: JsonSchema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [wrongTypeFor(schema)];
  const types = typesOf(schema);
  if (schema.enum || schema.const !== undefined || schema.anyOf || schema.oneOf) {
    options.push(anyString, fc.constantFrom('ADMIN', 'Scheduled', 'scheduled ', 'cancelled\u0000', '', 'reshelved,paged'));
  }
  if (types.includes('string')) {
    const { minLength, maxLength } = stringBounds(schema);
    if (schema.maxLength !== undefined) options.push(fc.constantFrom(repeatTo('a', maxLength + 1), repeatTo('😀', maxLength + 1), repeatTo('é', maxLength + 1)));
    if (minLength > 0) options.push(fc.constant(repeatTo('a', minLength - 1)));
    if (schema.format === 'date') options.push(fc.constantFrom(...IMPOSSIBLE_DATES));
    if (schema.format === 'email') options.push(fc.constantFrom('plainaddress', '@example.org', 'a@', 'a@@b.org', 'a b@example.org', 'a@example..org', '<a@example.org>'));
    if (schema.pattern !== undefined) options.push(fc.constantFrom(' ', '\t\n', '\u00a0'));
    options.push(anyString, hugeString);
  }
  if (types.includes('integer') || types.includes('number')) {
    const { min, max } = numberBounds(schema, types.includes('integer'));
    options.push(fc.constantFrom(min - 1, max + 1, 0.5, -1, 1e21, Number.MAX_SAFE_INTEGER + 1, -0));
    options.push(fc.constantFrom('1', '01', '1.0', '1e3', ' 1', '0x1', 'one', ''));
    options.push(fc.constantFrom('Infinity', '-Infinity', 'NaN', '1e400', '-1e400', '9'.repeat(400)));
  }
  if (types.includes('array')) {
    const item = schema.items ?? {};
    if (schema.maxItems !== undefined) options.push(validArray(schema, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 }));
    if ((schema.minItems ?? 0) > 0) options.push(fc.constant([]));
    options.push(fc.integer({ min: 1000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i + 1)));
    options.push(fc.array(invalid(item), { minLength: 1, maxLength: 4 }));
    if (schema.uniqueItems) options.push(fc.constant([1, 1]));
  }
  if (types.includes('object')) {
    options.push(mutatedObject(schema));
  }
  return fc.oneof(...options);
}

/** Names an attacker adds to a body: privileges, ownership, status, prototype pollution. */
export const SNEAKY_KEYS = ['role', 'status', 'researcherId', 'emailVerified', 'identityVerified', 'disabled', 'id', 'userId', 'tokenVersion', 'passwordHash', '__proto__', 'constructor', 'admin', ''];

/** A valid object with one thing wrong: a required field gone, one field invalid, a field too many. */
export function mutatedObject(schema: JsonSchema): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const base = validObject(schema);
  const options: fc.Arbitrary<unknown>[] = [
    fc.tuple(base, fc.constantFrom(...SNEAKY_KEYS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('admin', 'delivered', true, 1))).map(([body, key, value]) => {
      const copy: Record<string, unknown> = { ...body };
      Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
      return copy;
    }),
    fc.constantFrom(null, [], 'body', 0, true, [{}]),
  ];
  const required = (schema.required ?? []).filter((name) => properties.some(([p]) => p === name));
  if (required.length > 0) {
    options.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([body, name]) => {
        const copy = { ...body };
        delete copy[name];
        return copy;
      }),
    );
  }
  if (properties.length > 0) {
    options.push(
      fc.tuple(base, fc.constantFrom(...properties)).chain(([body, [name, property]]) => invalid(property).map((value) => ({ ...body, [name]: value }))),
    );
  }
  return fc.oneof(...options);
}

// ---------------------------------------------------------------------------------------------
// Extremes: one fixed value per schema at the top (or bottom) of every range, run before the
// random cases so the far edges (the last date of the calendar, the longest strings, the largest
// ids and lists) are tried on every run, whatever the seed.

export function extreme(schema: JsonSchema, side: 'min' | 'max'): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return side === 'max' ? schema.enum.at(-1) : schema.enum[0];
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices && choices.length > 0) return extreme((side === 'max' ? choices.at(-1) : choices[0]) ?? {}, side);
  const types = typesOf(schema);
  switch (types.find((t) => t !== 'null') ?? types[0]) {
    case 'string': {
      if (schema.format === 'date') return side === 'max' ? '9999-12-31' : '0000-01-01';
      if (schema.format === 'date-time') return side === 'max' ? '9999-12-31T23:59:59.999Z' : '0000-01-01T00:00:00Z';
      const { minLength, maxLength } = stringBounds(schema);
      if (schema.format === 'email') return side === 'max' ? `${'a'.repeat(64)}@${'d'.repeat(Math.max(1, Math.min(63, maxLength - 69)))}.org` : 'a@b.co';
      const length = side === 'max' ? maxLength : Math.max(minLength, schema.pattern !== undefined ? 1 : 0);
      return repeatTo(side === 'max' ? '😀' : 'a', length);
    }
    case 'integer':
    case 'number': {
      const { min, max } = numberBounds(schema, types.includes('integer'));
      return side === 'max' ? max : min;
    }
    case 'boolean':
      return side === 'max';
    case 'null':
      return null;
    case 'array': {
      const count = side === 'max' ? (schema.maxItems ?? (schema.minItems ?? 0) + 50) : (schema.minItems ?? 0);
      const item = extreme(schema.items ?? {}, side);
      // Distinct items for uniqueItems: step away from the edge.
      return Array.from({ length: count }, (_, i) => (typeof item === 'number' ? item + (side === 'max' ? -i : i) : typeof item === 'string' && i > 0 ? `${item.slice(0, -1)}${i}` : item));
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const names = side === 'max' ? Object.keys(properties) : (schema.required ?? []).filter((name) => name in properties);
      return Object.fromEntries(names.map((name) => [name, extreme(properties[name] ?? {}, side)]));
    }
    default:
      return null;
  }
}

/**
 * A text just past what a parameter allows, as a client would type it in a URL: `Infinity` for
 * numbers (which a naive string-to-number coercion lets through), a day that does not exist, one
 * character too many, a value outside an enum.
 */
export function beyond(schema: JsonSchema): string {
  const types = typesOf(schema);
  if (schema.enum || schema.const !== undefined || schema.anyOf || schema.oneOf) return 'none_of_these';
  if (types.includes('integer') || types.includes('number')) return 'Infinity';
  if (types.includes('boolean')) return 'maybe';
  if (schema.format === 'date') return '2026-02-30';
  if (types.includes('string')) return 'a'.repeat((schema.maxLength ?? 1000) + 1);
  return '%';
}

/**
 * Percent-encodes any text, lone surrogates included (which `encodeURIComponent` refuses): those
 * go out as the three bytes a careless encoder would write, which are not valid UTF-8.
 */
export function encodeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(text[i] ?? '');
    }
  }
  return out;
}

/** A generated value as text in a URL: strings as they are, anything else as JSON. */
export const encode = (value: unknown) => encodeText(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
