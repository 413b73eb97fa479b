import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMail, type MailSettings, type RenderedMail } from '../../src/mail/render.ts';
import type { RequestStatus } from '../../db/tables.ts';
import { mailKinds, type MailContainer, type MailData, type MailJob, type MailKind, type Recipient } from '../../src/mail/catalogue.ts';
import type { PickItem } from '../../src/requests/schemas.ts';

// Every mail kind rendered from hand-made, realistic data: escaping in the HTML part, none in the
// text part, the visit date, every container, and what each kind must tell its reader.

const templatesDir = fileURLToPath(new URL('../../templates/mail/', import.meta.url));

const hostile = '<script>alert("x")</script> & Co';
const recipient: Recipient = { email: 'reader@example.org', name: hostile };
const settings: MailSettings = { libraryName: 'Beinecke Rare Book & Manuscript Library', publicUrl: 'https://readingroom.example.edu' };

const restrictionNote =
  'Restricted fragile material. Reference surrogates have been substituted in the main files. For further information consult the appropriate curator.';

const box1: MailContainer = {
  requestId: 101,
  callNumber: 'GEN MSS 238',
  collectionTitle: 'Victor Serge papers',
  containerLabel: 'Box 1',
  status: 'scheduled',
  restricted: false,
  restrictionNote: null,
};
const box23: MailContainer = {
  requestId: 102,
  callNumber: 'GEN MSS 238',
  collectionTitle: 'Victor Serge papers',
  containerLabel: 'Box 23',
  status: 'awaiting_approval',
  restricted: true,
  restrictionNote,
};

/** The researcher's requests page, as the senders link it. */
const requestsUrl = 'https://readingroom.example.edu/requests?visitDate=2026-12-01&from=mail';
const appointmentsUrl = 'https://readingroom.example.edu/appointments?from=mail';
const appointment = { id: 7, date: '2026-12-01', roomName: 'Beinecke reading room', timezone: 'America/New_York' };
const classSession = {
  id: 3,
  title: 'Exile & revolution: reading Serge',
  date: '2026-12-01',
  startTime: '10:00',
  endTime: '11:30',
  roomName: 'Beinecke reading room',
  instructorName: 'Dr Ana Reyes',
  headcount: 14,
};

const pickItem1: PickItem = {
  requestId: 101,
  status: 'scheduled',
  callNumber: 'GEN MSS 238',
  collectionTitle: 'Victor Serge papers',
  containerLabel: 'Box 1',
  location: 'Stack 4, Range 9, Shelf 1',
  components: [],
  researcher: { id: 7, name: "Siobhán O'Connor" },
  classSession: null,
};
const pickItem23: PickItem = {
  requestId: 140,
  status: 'paged',
  callNumber: 'GEN MSS 238',
  collectionTitle: 'Victor Serge papers',
  containerLabel: 'Box 23',
  location: 'Restricted Fragile Papers, Cabinet 2, Drawer 1',
  components: [],
  classSession: null,
  researcher: { id: 8, name: 'Jean Rière' },
};

/** What Eta's HTML engine makes of a value (its XML escape). */
function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

interface Sample<K extends MailKind> {
  data: MailData[K];
  /** The date the mail is about, as a person reads it. */
  date: string;
  /** Must be in both parts: as written in the text part, escaped in the HTML part. */
  facts: string[];
  /** Whole lines the text part must hold (one line per container, or per row of a staff list). */
  lines?: string[];
  /** Links the HTML part must offer as `href`s (and both parts must show). */
  links?: string[];
}

const samples: { [K in MailKind]: Sample<K> } = {
  'verify-email': {
    data: { link: 'https://readingroom.example.edu/verify-email?token=vG3kq9Zt2LxY7mB1&lang=en' },
    date: '',
    facts: ['24 hours'],
    links: ['https://readingroom.example.edu/verify-email?token=vG3kq9Zt2LxY7mB1&lang=en'],
  },
  'already-registered': {
    data: {
      signInUrl: 'https://readingroom.example.edu/sign-in?email=reader%40example.org&next=%2Frequests',
      resetUrl: 'https://readingroom.example.edu/reset-password?email=reader%40example.org&from=registration',
    },
    date: '',
    facts: ['already belongs to an account', 'forgotten your password', 'ignore this message'],
    links: [
      'https://readingroom.example.edu/sign-in?email=reader%40example.org&next=%2Frequests',
      'https://readingroom.example.edu/reset-password?email=reader%40example.org&from=registration',
    ],
  },
  'password-reset': {
    data: { link: 'https://readingroom.example.edu/reset-password?token=Q2hhbmdlTWU0MjQy&lang=en' },
    date: '',
    facts: ['works once', 'one hour', 'did not ask', 'ignore this message'],
    links: ['https://readingroom.example.edu/reset-password?token=Q2hhbmdlTWU0MjQy&lang=en'],
  },
  'requests-submitted': {
    data: {
      visitDate: '2026-12-01',
      containers: [box1, box23],
      requestsUrl: 'https://readingroom.example.edu/requests?visitDate=2026-12-01&status=active',
    },
    date: 'Tuesday 1 December 2026',
    facts: ["needs a curator's approval", restrictionNote, 'photo identification'],
    lines: [
      'Box 1, Victor Serge papers (GEN MSS 238): scheduled',
      "Box 23, Victor Serge papers (GEN MSS 238): awaiting a curator's approval",
      `Box 23, GEN MSS 238: ${restrictionNote}`,
    ],
    links: ['https://readingroom.example.edu/requests?visitDate=2026-12-01&status=active'],
  },
  'restricted-review': {
    data: {
      visitDate: '2026-12-01',
      researcher: { name: "Siobhán O'Connor", affiliation: 'Trinity College Dublin', researchTopic: 'Serge & the Mexican exile, 1941–1947' },
      classSession: null,
      containers: [box23, { ...box23, requestId: 103, containerLabel: 'Box 24' }],
      reviewUrl: 'https://readingroom.example.edu/requests?visitDate=2026-12-01&status=awaiting_approval',
    },
    date: 'Tuesday 1 December 2026',
    facts: ["Siobhán O'Connor", 'Trinity College Dublin', 'Serge & the Mexican exile, 1941–1947', restrictionNote, 'approve or deny'],
    lines: [
      "Box 23, Victor Serge papers (GEN MSS 238): awaiting a curator's approval",
      "Box 24, Victor Serge papers (GEN MSS 238): awaiting a curator's approval",
      "Researcher: Siobhán O'Connor",
    ],
    links: ['https://readingroom.example.edu/requests?visitDate=2026-12-01&status=awaiting_approval'],
  },
  'paging-run': {
    data: {
      visitDate: '2026-12-01',
      items: [pickItem1, pickItem23],
      pickListUrl: 'https://readingroom.example.edu/paging/pick-list?date=2026-12-01&run=2',
    },
    date: 'Tuesday 1 December 2026',
    facts: ["Siobhán O'Connor", 'Jean Rière', 'Stack 4, Range 9, Shelf 1', 'Restricted Fragile Papers, Cabinet 2, Drawer 1', 'walking order'],
    lines: [
      "1. Stack 4, Range 9, Shelf 1: GEN MSS 238, Box 1 (Victor Serge papers), for Siobhán O'Connor: scheduled",
      '2. Restricted Fragile Papers, Cabinet 2, Drawer 1: GEN MSS 238, Box 23 (Victor Serge papers), for Jean Rière: fetched from the stacks',
    ],
    links: ['https://readingroom.example.edu/paging/pick-list?date=2026-12-01&run=2'],
  },
  'closing-time': {
    data: {
      date: '2026-12-02',
      items: [
        { ...pickItem1, status: 'delivered' },
        { ...pickItem23, status: 'returned' },
      ],
    },
    date: 'Wednesday 2 December 2026',
    facts: ['not yet reshelved', "Siobhán O'Connor", 'Jean Rière', 'walking order'],
    lines: [
      "1. Stack 4, Range 9, Shelf 1: GEN MSS 238, Box 1 (Victor Serge papers), for Siobhán O'Connor: delivered",
      '2. Restricted Fragile Papers, Cabinet 2, Drawer 1: GEN MSS 238, Box 23 (Victor Serge papers), for Jean Rière: returned to the desk',
    ],
  },
  'request-approved': {
    data: {
      visitDate: '2026-12-01',
      container: { ...box23, status: 'scheduled' },
      note: 'Please use pencil only & turn the leaves with the book supports provided.',
      requestsUrl,
    },
    date: 'Tuesday 1 December 2026',
    facts: ['approved', 'Please use pencil only & turn the leaves with the book supports provided.', 'Its status is now: scheduled.'],
    links: [requestsUrl],
  },
  'request-denied': {
    data: {
      visitDate: '2026-12-01',
      container: { ...box23, status: 'denied' },
      reason: 'The letters in Box 23 are too fragile to be handled; the reference photocopies in Box 4 hold the same texts.',
      requestsUrl,
    },
    date: 'Tuesday 1 December 2026',
    facts: [
      'The letters in Box 23 are too fragile to be handled; the reference photocopies in Box 4 hold the same texts.',
      'Its status is now: not approved.',
    ],
    links: [requestsUrl],
  },
  'waitlist-promoted': {
    data: { visitDate: '2026-12-01', container: { ...box1, status: 'scheduled' }, requestsUrl },
    date: 'Tuesday 1 December 2026',
    facts: ['has come free', 'Its status is now: scheduled.'],
    links: [requestsUrl],
  },
  'request-cancelled': {
    data: {
      visitDate: '2026-12-01',
      containers: [
        { ...box1, status: 'cancelled' },
        { ...box23, status: 'cancelled' },
      ],
      reason: 'The reading room is closed on Tuesday 1 December 2026 for urgent repairs to the heating.',
      requestsUrl,
    },
    date: 'Tuesday 1 December 2026',
    facts: ['The reading room is closed on Tuesday 1 December 2026 for urgent repairs to the heating.'],
    lines: ['Box 1, Victor Serge papers (GEN MSS 238): cancelled', 'Box 23, Victor Serge papers (GEN MSS 238): cancelled'],
    links: [requestsUrl],
  },
  'visit-reminder': {
    data: {
      visitDate: '2026-12-01',
      containers: [box1, { ...box23, status: 'waitlisted' }],
      requestsUrl,
    },
    date: 'Tuesday 1 December 2026',
    facts: ['reminder', 'photo identification'],
    lines: ['Box 1, Victor Serge papers (GEN MSS 238): scheduled', 'Box 23, Victor Serge papers (GEN MSS 238): on the waiting list'],
    links: [requestsUrl],
  },
  'appointment-booked': {
    data: { appointment, containers: [box1], appointmentsUrl },
    date: 'Tuesday 1 December 2026',
    facts: ['Beinecke reading room', 'calendar entry', 'photo identification'],
    lines: ['Box 1, Victor Serge papers (GEN MSS 238): scheduled'],
    links: [appointmentsUrl],
  },
  'appointment-cancelled': {
    data: { appointment, containers: [{ ...box1, status: 'cancelled' }], reason: 'The reading room staff cancelled it.', appointmentsUrl },
    date: 'Tuesday 1 December 2026',
    facts: ['has been cancelled', 'The reading room staff cancelled it.', 'This request was cancelled with it'],
    lines: ['Box 1, Victor Serge papers (GEN MSS 238)'],
    links: [appointmentsUrl],
  },
  'hold-placed': {
    data: { container: { ...box1, status: 'on_hold' }, holdUntil: '2026-12-01', requestsUrl },
    date: 'Tuesday 1 December 2026',
    facts: ['is on hold for you at the desk', 'release it'],
    links: [requestsUrl],
  },
  'hold-ending': {
    data: { containers: [{ ...box1, status: 'on_hold' }], holdUntil: '2026-12-01', requestsUrl },
    date: 'Tuesday 1 December 2026',
    facts: ['Your hold ends tomorrow', 'this box goes back to the stacks'],
    lines: ['Box 1, Victor Serge papers (GEN MSS 238)'],
    links: [requestsUrl],
  },
  'request-note': {
    data: { visitDate: '2026-12-01', container: box1, text: 'Box 1 is at the desk from 10:00; ask for Rosa.', requestsUrl },
    date: 'Tuesday 1 December 2026',
    facts: ['has written a note on your request', 'Box 1 is at the desk from 10:00; ask for Rosa.'],
    links: [requestsUrl],
  },
  'class-session-booked': {
    data: { classSession, containers: [box1, { ...box23, status: 'awaiting_approval' }] },
    date: 'Tuesday 1 December 2026',
    facts: ['Your class session is booked', 'Exile & revolution: reading Serge', '10:00–11:30', 'Beinecke reading room', '14', "waits for a curator's decision"],
    lines: ['Box 1, Victor Serge papers (GEN MSS 238): scheduled', "Box 23, Victor Serge papers (GEN MSS 238): awaiting a curator's approval"],
    links: [],
  },
  'class-session-decided': {
    data: {
      classSession,
      decisions: [
        { container: { ...box23, status: 'scheduled' }, note: null },
        { container: { ...box23, requestId: 103, containerLabel: 'Box 24', status: 'denied' }, note: 'Too fragile for a class of 14.' },
      ],
    },
    date: 'Tuesday 1 December 2026',
    facts: ['has decided on the restricted material', 'Exile & revolution: reading Serge', 'Too fragile for a class of 14.'],
    lines: ['Box 23, Victor Serge papers (GEN MSS 238): scheduled', 'Box 24, Victor Serge papers (GEN MSS 238): not approved'],
    links: [],
  },
  'class-session-cancelled': {
    data: { classSession, reason: 'The reading room will be closed on that day (burst pipe).' },
    date: 'Tuesday 1 December 2026',
    facts: ['Your class session has been cancelled', 'burst pipe', 'Exile & revolution: reading Serge'],
    links: [],
  },
  'hold-ended': {
    data: { containers: [{ ...box1, status: 'reshelved' }, { ...box23, status: 'reshelved' }], holdUntil: '2026-12-01', requestsUrl },
    date: 'Tuesday 1 December 2026',
    facts: ['Your hold ended', 'these boxes have gone back to the stacks'],
    lines: ['Box 1, Victor Serge papers (GEN MSS 238)', 'Box 23, Victor Serge papers (GEN MSS 238)'],
    links: [requestsUrl],
  },
};

function render<K extends MailKind>(kind: K, data: MailData[K], to: Recipient = recipient): RenderedMail {
  return renderMail({ kind, to, data } as MailJob, settings);
}

/** The container labels a mail's data holds, whatever its shape. */
function labelsOf(data: MailData[MailKind]): string[] {
  if ('containers' in data) return data.containers.map((c) => c.containerLabel);
  if ('items' in data) return data.items.map((i) => i.containerLabel);
  if ('container' in data) return [data.container.containerLabel];
  if ('decisions' in data) return data.decisions.map((d) => d.container.containerLabel);
  return [];
}

describe('mail templates', () => {
  it('cover every kind of the catalogue, and nothing else', () => {
    assert.deepEqual(Object.keys(samples).sort(), [...mailKinds].sort());
    const files = readdirSync(templatesDir);
    for (const kind of mailKinds) {
      assert.ok(files.includes(`${kind}.html.eta`), `${kind}.html.eta is missing`);
      assert.ok(files.includes(`${kind}.txt.eta`), `${kind}.txt.eta is missing`);
    }
  });

  for (const kind of mailKinds) {
    describe(kind, () => {
      const sample = samples[kind] as Sample<MailKind> | undefined;

      it('renders both parts with a subject', () => {
        assert.ok(sample, `no sample data for ${kind}: add one to this test`);
        const mail = render(kind, sample.data);
        assert.ok(mail.subject.trim().length > 0);
        assert.ok(mail.html.trim().length > 0);
        assert.ok(mail.text.trim().length > 0);
      });

      it('escapes the recipient in the HTML part, and only there', () => {
        assert.ok(sample);
        const mail = render(kind, sample.data);
        assert.ok(mail.html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co'));
        assert.ok(!/<script/i.test(mail.html));
        assert.ok(mail.text.includes(hostile));
        assert.ok(mail.html.includes('Beinecke Rare Book &amp; Manuscript Library'));
        assert.ok(mail.text.includes('Beinecke Rare Book & Manuscript Library'));
      });

      it('greets a recipient without a name (an address not verified yet) neutrally, in both parts', () => {
        assert.ok(sample);
        const mail = render(kind, sample.data, { email: 'unverified@example.org', name: null });
        assert.match(mail.text, /^Hello,\n/);
        assert.match(mail.html, /<p>Hello,<\/p>/);
        assert.ok(!`${mail.text} ${mail.html}`.includes('Dear'), 'no "Dear …," without a name');
      });

      it('names the date and every container in both parts', () => {
        assert.ok(sample);
        const mail = render(kind, sample.data);
        if (sample.date) {
          assert.ok(mail.html.includes(sample.date), `HTML lacks ${sample.date}`);
          assert.ok(mail.text.includes(sample.date), `text lacks ${sample.date}`);
        }
        for (const label of labelsOf(sample.data)) {
          assert.ok(mail.html.includes(`${escapeHtml(label)}<`), `HTML lacks ${label}`);
          assert.ok(mail.text.includes(label), `text lacks ${label}`);
        }
      });

      it('tells what this kind of mail must tell', () => {
        assert.ok(sample);
        const mail = render(kind, sample.data);
        for (const fact of sample.facts) {
          assert.ok(mail.text.includes(fact), `text lacks: ${fact}`);
          // An apostrophe may stand as written in a template's own words, or escaped in a value.
          const escaped = escapeHtml(fact);
          assert.ok(mail.html.includes(escaped) || mail.html.includes(escaped.replaceAll('&#39;', "'")), `HTML lacks: ${escaped}`);
        }
        const lines = mail.text.split('\n');
        for (const line of sample.lines ?? []) assert.ok(lines.includes(line), `text lacks the line: ${line}\n---\n${mail.text}`);
        for (const link of sample.links ?? []) {
          const at = lines.indexOf(link);
          assert.ok(at > 0 && lines[at - 1] === '' && lines[at + 1] === '', `text lacks the link on a line of its own, between blank lines: ${link}\n---\n${mail.text}`);
          assert.ok(mail.html.includes(`href="${escapeHtml(link)}"`), `HTML lacks the link ${link}`);
          if (link.includes('&')) assert.ok(!mail.html.includes(link), 'a raw & in the HTML part');
        }
      });

      it('reads as plain text: no markup, entities, tables or stray blank lines', () => {
        assert.ok(sample);
        const { text } = render(kind, sample.data, { email: 'reader@example.org', name: 'Siobhán Reader' });
        assert.ok(!/&(amp|lt|gt|quot|#39);/.test(text), 'an HTML entity in the text part');
        assert.ok(!/<\/?[a-z][^>]*>/i.test(text), 'markup in the text part');
        assert.ok(!/[|+]-|-{3,}|[\u2500-\u257f]|\t/.test(text), 'table drawing in the text part');
        assert.ok(!/\n\n\n/.test(text), 'more than one blank line in a row');
        assert.ok(!/[ \t]\n/.test(text), 'trailing spaces');
        assert.ok(text.startsWith('Dear Siobhán Reader,\n\n'));
        assert.ok(text.endsWith('\n\nWith best wishes,\nBeinecke Rare Book & Manuscript Library'));
      });

      it('keeps the HTML part self-contained, with inline styles only', () => {
        assert.ok(sample);
        const { html } = render(kind, sample.data);
        assert.ok(!/<(img|link|style|script|iframe)\b/i.test(html));
        assert.ok(!/url\(|@import|src=/i.test(html));
      });
    });
  }
});

describe('statuses in words', () => {
  // docs/api.md's status names, and what a researcher reads.
  const words: Record<RequestStatus, string> = {
    awaiting_approval: "awaiting a curator's approval",
    waitlisted: 'on the waiting list',
    scheduled: 'scheduled',
    paged: 'fetched from the stacks',
    delivered: 'delivered',
    returned: 'returned to the desk',
    on_hold: 'kept for you at the desk',
    reshelved: 'reshelved',
    no_show: 'not collected',
    denied: 'not approved',
    cancelled: 'cancelled',
  };
  const containers: MailContainer[] = (Object.keys(words) as RequestStatus[]).map((status, i) => ({ ...box1, requestId: 200 + i, containerLabel: `Box ${i + 2}`, status }));

  it('reads every status of docs/requests.md in words, in both parts, from one partial', () => {
    const mail = render('visit-reminder', { visitDate: '2026-12-01', containers, requestsUrl });
    for (const c of containers) {
      const line = `${c.containerLabel}, Victor Serge papers (GEN MSS 238): ${words[c.status]}`;
      assert.ok(mail.text.split('\n').includes(line), `text lacks the line: ${line}`);
      assert.ok(mail.html.includes(`: ${escapeHtml(words[c.status])}</li>`), `HTML lacks ${c.status}`);
    }
    assert.ok(!/awaiting_approval|no_show/.test(mail.text + mail.html), 'a status name shown as it is stored');
  });

  it('escapes an unknown status once in HTML, and shows it as words', () => {
    // Not a status of the schema: a deliberate cast, to show the partial copes with a new one.
    const mail = render('visit-reminder', { visitDate: '2026-12-01', containers: [{ ...box1, status: 'on_<hold>' as unknown as RequestStatus }], requestsUrl });
    assert.ok(mail.html.includes('Box 1</strong>, Victor Serge papers (GEN MSS 238): on &lt;hold&gt;</li>'));
    assert.ok(mail.text.includes('Box 1, Victor Serge papers (GEN MSS 238): on <hold>'));
  });

  it('keep raw output to the layout body and the status partial', () => {
    for (const file of readdirSync(templatesDir).filter((f) => f.endsWith('.eta'))) {
      const source = readFileSync(`${templatesDir}${file}`, 'utf8');
      const raw = source.match(/<%~[^%]*%>/g) ?? [];
      for (const tag of raw) {
        assert.ok(
          tag === '<%~ it.body %>' || tag === "<%~ include('./status.eta', { status: c.status }) %>" || tag === "<%~ include('./status.eta', { status: item.status }) %>",
          `${file}: unexpected raw output ${tag}`,
        );
      }
      if (file.startsWith('layout.')) assert.deepEqual(raw, ['<%~ it.body %>']);
      else if (file !== 'status.eta') assert.match(source, new RegExp(`^<% layout\\('\\./layout\\.${file.endsWith('.html.eta') ? 'html' : 'txt'}\\.eta'\\) %>\\n`));
    }
  });
});

describe('conditional paragraphs', () => {
  it('request-approved: no note, and a box that is held by someone else by then', () => {
    const mail = render('request-approved', { visitDate: '2026-12-01', container: { ...box23, status: 'waitlisted' }, note: null, requestsUrl });
    assert.equal(mail.subject, 'Approved, on the waiting list: Box 23 for Tuesday 1 December 2026');
    assert.ok(!mail.text.includes("The curator's note"));
    assert.ok(!mail.html.includes('curator&#39;s note') && !mail.html.includes("curator's note"));
    assert.ok(mail.text.includes('Its status is now: on the waiting list.'));
    assert.ok(mail.text.includes('Another reader holds this box that day.'));
    assert.ok(!/\n\n\n/.test(mail.text));
  });

  it('request-approved: the subject says plainly approved when the box is scheduled', () => {
    const mail = render('request-approved', samples['request-approved'].data);
    assert.equal(mail.subject, 'Approved: Box 23 for Tuesday 1 December 2026');
  });

  it('requests-submitted: restricted material without a note still needs approval', () => {
    const unnoted: MailContainer = { ...box23, restrictionNote: null };
    const mail = render('requests-submitted', { visitDate: '2026-12-01', containers: [box1, unnoted], requestsUrl });
    assert.ok(mail.text.includes("Restricted material needs a curator's approval"));
    assert.ok(mail.html.includes("Restricted material needs a curator&#39;s approval") || mail.html.includes("Restricted material needs a curator's approval"));
    assert.ok(!mail.text.includes('null') && !mail.html.includes('null'), 'a missing note shown as null');
    assert.ok(!/\n\n\n/.test(mail.text), mail.text);
  });

  it('requests-submitted: a note alone does not make a container restricted', () => {
    // The database forbids a note without the flag; the flag, not the note, decides.
    const mail = render('requests-submitted', { visitDate: '2026-12-01', containers: [{ ...box1, restrictionNote }], requestsUrl });
    assert.ok(!mail.text.includes('Restricted material needs'));
    assert.ok(!mail.html.includes('Restricted material needs'));
  });

  it('requests-submitted: no restriction paragraph without restricted material', () => {
    const mail = render('requests-submitted', { visitDate: '2026-12-01', containers: [box1], requestsUrl: 'https://readingroom.example.edu/requests' });
    assert.ok(!mail.text.includes('Restricted'));
    assert.ok(!mail.html.includes('Restricted'));
    assert.ok(!/\n\n\n/.test(mail.text));
  });

  it('staff lists with one box, and with none', () => {
    const one = render('paging-run', { visitDate: '2026-12-01', items: [pickItem1], pickListUrl: 'https://readingroom.example.edu/paging/pick-list' });
    assert.ok(one.text.includes('in walking order: 1 box.'));
    const none = render('paging-run', { visitDate: '2026-12-01', items: [], pickListUrl: 'https://readingroom.example.edu/paging/pick-list' });
    assert.ok(none.text.includes('There is nothing to fetch'));
    assert.ok(!none.html.includes('<table'));
    const closingOne = render('closing-time', { date: '2026-12-02', items: [{ ...pickItem1, status: 'delivered' }] });
    assert.ok(closingOne.text.includes('this box was still out'));
    const closingNone = render('closing-time', { date: '2026-12-02', items: [] });
    assert.ok(closingNone.text.includes('back on its shelf'));
    for (const mail of [one, none, closingOne, closingNone]) assert.ok(!/\n\n\n/.test(mail.text), mail.text);
  });

  it('staff lists are tables with column headers in HTML', () => {
    for (const mail of [
      render('paging-run', samples['paging-run'].data),
      render('closing-time', samples['closing-time'].data),
    ]) {
      const headers = mail.html.match(/<th scope="col"[^>]*>([^<]*)<\/th>/g) ?? [];
      assert.deepEqual(
        headers.map((h) => h.replace(/<[^>]*>/g, '')),
        ['Location', 'Call number', 'Container', 'Researcher', 'Status'],
      );
      assert.ok(mail.html.indexOf('Box 1<') < mail.html.indexOf('Box 23<'), 'rows in the order given');
    }
  });
});
