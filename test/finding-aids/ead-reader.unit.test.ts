import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Refusal } from '../../src/domain/refusal.ts';
import { readFindingAid } from '../../src/finding-aids/ead-reader.ts';

// The reader against small documents written for each rule of docs/finding-aids.md.

const EAD2002 = 'urn:isbn:1-931666-22-9';
const EAD3 = 'http://ead3.archivists.org/schema/';

/** An EAD 2002 document around a collection-level `did` body and a `dsc` body. */
const ead = (dsc: string, did = '<unitid>MS 1</unitid><unittitle>Test papers</unittitle>', archdesc = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ead xmlns="${EAD2002}"><eadheader><eadid>test-1</eadid></eadheader>` +
  `<archdesc level="collection"><did>${did}</did>${archdesc}<dsc>${dsc}</dsc></archdesc></ead>`;

/** One component with the given `did` body (and what follows it). */
const component = (did: string, rest = '') => ead(`<c01 level="file" id="ref1"><did><unittitle>Letters</unittitle>${did}</did>${rest}</c01>`);

const refused = (xml: string | Buffer, pattern: RegExp) =>
  assert.throws(
    () => readFindingAid(xml),
    (error: unknown) => error instanceof Refusal && error.code === 'INVALID_EAD' && pattern.test(error.message),
  );

describe('the EAD reader: the collection', () => {
  it('reads EAD 2002 with its namespace: call number, title, dates, bulk dates, extent, repository, abstract, access note', () => {
    const aid = readFindingAid(
      ead(
        '',
        '<unitid>GEN MSS 1</unitid><unittitle>Papers of <emph render="italic">A</emph>. Writer</unittitle>' +
          '<unitdate type="inclusive">1900-1950</unitdate><unitdate type="bulk">1920-1930</unitdate>' +
          '<physdesc><extent>2 linear feet</extent><extent>(4 boxes)</extent></physdesc>' +
          '<repository><corpname>Special Library</corpname></repository><abstract>A <title>writer</title>\'s papers.</abstract>',
        '<accessrestrict><head>Access</head><p>Open.</p><p>Box 2 is closed.</p></accessrestrict><descgrp><accessrestrict><p>Ask first.</p></accessrestrict></descgrp>',
      ),
    );
    assert.equal(aid.eadId, 'test-1');
    assert.deepEqual(aid.collection, {
      callNumber: 'GEN MSS 1',
      title: 'Papers of A. Writer',
      dates: '1900-1950',
      bulkDates: '1920-1930',
      extent: '2 linear feet (4 boxes)',
      repository: 'Special Library',
      abstract: "A writer's papers.",
      accessNote: 'Open. Box 2 is closed. Ask first.',
    });
    assert.deepEqual(aid.collectionAccessNotes, ['Open. Box 2 is closed.', 'Ask first.']);
  });

  it('reads EAD 2002 without namespace, with a DOCTYPE naming a remote DTD (never fetched), without declaration, with CRLF', () => {
    const xml =
      '<!DOCTYPE ead PUBLIC "+//ISBN 1-931666-00-8//DTD ead.dtd (Encoded Archival Description (EAD) Version 2002)//EN" "http://example.invalid/ead.dtd">\r\n' +
      '<ead><eadheader><eadid>x</eadid></eadheader><archdesc level="collection"><did><unitid>\r\nMSS.\r\n  42</unitid>\r\n<unittitle>Company\r\n records</unittitle></did></archdesc></ead>\r\n';
    const aid = readFindingAid(Buffer.from(xml));
    assert.equal(aid.collection.callNumber, 'MSS. 42', 'a call number with a line break inside collapses');
    assert.equal(aid.collection.title, 'Company records');
    assert.deepEqual(aid.components, []);
  });

  it('reads EAD3: recordid, unitdatestructured, physdescstructured, localtype, containerid, box-folder', () => {
    const aid = readFindingAid(
      `<ead xmlns="${EAD3}"><control><recordid>rec-9</recordid></control><archdesc level="collection"><did>` +
        '<unitid>AFC 1</unitid><unittitle>Songs</unittitle>' +
        '<unitdatestructured><daterange><fromdate>1985</fromdate><todate>2017</todate></daterange></unitdatestructured>' +
        '<physdescstructured physdescstructuredtype="spaceoccupied" coverage="whole"><quantity>3</quantity><unittype>boxes</unittype></physdescstructured>' +
        '</did><dsc><c01 level="file"><did><unittitle>Tapes</unittitle><container localtype="Box" containerid="39002">4</container></did></c01>' +
        '<c01 level="file"><did><unittitle>Notes</unittitle><container localtype="box-folder">16/8</container></did></c01></dsc></archdesc></ead>',
    );
    assert.equal(aid.eadId, 'rec-9');
    assert.equal(aid.collection.dates, '1985-2017');
    assert.equal(aid.collection.extent, '3 boxes');
    assert.deepEqual(aid.components[0]?.housings, [{ container: { type: 'box', indicator: '4', barcode: '39002', label: 'Box 4' }, folder: null }]);
    assert.deepEqual(aid.components[1]?.housings, [{ container: { type: 'box', indicator: '16', barcode: null, label: 'Box 16' }, folder: 'Folder 8' }]);
  });

  it('decodes entities and drops heads; block elements are one space apart, inline ones join as written', () => {
    const aid = readFindingAid(
      ead(
        '<c01><did><unittitle>Letters, <unitdate>1901</unitdate>&#x2013;<emph>R&amp;D</emph></unittitle></did>' +
          '<accessrestrict><head>Conditions</head><p>First.</p><list><item>one</item><item>two</item></list><legalstatus>Public</legalstatus></accessrestrict></c01>',
      ),
    );
    assert.equal(aid.components[0]?.title, 'Letters, 1901–R&D');
    assert.deepEqual(aid.components[0]?.accessNotes, ['First. one two Public']);
  });
});

describe('the EAD reader: components', () => {
  it('reads c and c01…c12 anywhere in dsc, parents first, with level, otherlevel, refId, dates and own notes only', () => {
    const aid = readFindingAid(
      ead(
        '<c01 level="series" id="s1"><did><unittitle>Series</unittitle></did><accessrestrict><p>Closed.</p></accessrestrict>' +
          '<c02 level="otherlevel" otherlevel="accession"><did><unittitle>Accession</unittitle><unitdate>1990</unitdate><unitdate type="bulk">1991</unitdate></did>' +
          '<c level="item"><did><container type="Box">1</container></did></c></c02></c01>' +
          '<c01><did><unitdate>1999</unitdate></did></c01>',
      ),
    );
    assert.deepEqual(
      aid.components.map((c) => [c.refId, c.parent, c.level, c.title, c.dates, c.accessNotes]),
      [
        ['s1', null, 'series', 'Series', null, ['Closed.']],
        [null, 0, 'accession', 'Accession', '1990', []],
        [null, 1, 'item', '[Untitled]', null, []],
        [null, null, null, '1999', '1999', []],
      ],
    );
  });

  it('warns once for a branch housed in no container above or below', () => {
    const aid = readFindingAid(
      ead(
        '<c01 id="a"><did><unittitle>Housed</unittitle><container type="box">1</container></did><c02><did><unittitle>Inside</unittitle></did></c02></c01>' +
          '<c01 id="b"><did><unittitle>Nowhere</unittitle></did><c02><did><unittitle>Nor here</unittitle></did></c02></c01>',
      ),
    );
    assert.deepEqual(aid.warnings, ['"Nowhere" (b) (and its 1 descendant) is in no container, above or below: it cannot be requested.']);
  });
});

describe('the EAD reader: containers', () => {
  const housings = (did: string) => readFindingAid(component(did)).components[0]?.housings.map((h) => [h.container.label, h.container.barcode, h.folder]);

  it('position-paired: the first is the top container, the rest its children whatever their type; empty ones ignored', () => {
    assert.deepEqual(housings('<container type="Box"></container><container type="Box">1</container><container type="Box">24-25</container>'), [['Box 1', null, 'Box 24-25']]);
    assert.deepEqual(housings('<container type="box">3</container><container type="folder">1-4</container><container type="folder">7</container>'), [['Box 3', null, 'Folder 1-4, Folder 7']]);
  });

  it('linked by id/parent: those without parent are top containers, each with its own children', () => {
    assert.deepEqual(
      housings(
        '<container id="b1" type="Box" label="Mixed Materials [39002091212345]">1</container><container parent="b1" type="Folder">2</container>' +
          '<container id="b2" type="Map-case" label="Mixed materials (31142046889807)">B</container><container parent="b2" type="folder">9</container>',
      ),
      [
        ['Box 1', '39002091212345', 'Folder 2'],
        ['Map-case B', '31142046889807', 'Folder 9'],
      ],
    );
  });

  it('a type missing is box; a whole label of 8+ digits is a barcode, fewer digits are not', () => {
    assert.deepEqual(housings('<container label="12345678">2</container>'), [['Box 2', '12345678', null]]);
    assert.deepEqual(housings('<container label="(12345)">2</container>'), [['Box 2', null, null]]);
  });

  it('expands ascending whole-number ranges (3-5, 3 - 5, 3–5, 3 to 5, leading zeros dropped) and keeps others with a warning', () => {
    for (const range of ['3-5', '3 - 5', '3–5', '3 to 5', '03-005']) assert.deepEqual(housings(`<container type="box">${range}</container>`)?.map(([label]) => label), ['Box 3', 'Box 4', 'Box 5'], range);
    for (const kept of ['5-3', '3-', '3a-5', '1-1001']) {
      const aid = readFindingAid(component(`<container type="box">${kept}</container>`));
      assert.deepEqual(aid.components[0]?.housings.map((h) => h.container.label), [`Box ${kept}`]);
      assert.equal(aid.warnings.length, 1, kept);
      assert.match(aid.warnings[0] ?? '', new RegExp(`Box ${kept} in "Letters" is kept as one container as written`));
    }
    assert.equal(housings('<container type="box">1-1000</container>')?.length, 1000);
  });

  it('ignores containers directly in archdesc/did', () => {
    const aid = readFindingAid(ead('<c01><did><unittitle>A</unittitle></did></c01>', '<unitid>X</unitid><unittitle>T</unittitle><container type="box">9</container>'));
    assert.deepEqual(aid.components[0]?.housings, []);
  });
});

describe('the EAD reader refuses what is not a finding aid it can read (INVALID_EAD)', () => {
  it('a truncated document, with the line', () => refused(ead('<c01><did><unittitle>Cut').slice(0, 200), /^Not well-formed XML at line \d+, column \d+: /));
  it('an HTML page: refused at its root, before its tag soup', () =>
    refused('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Oops</title></head><body><p>Not found</body></html>', /root element is <html>, not <ead> \(line 2\)/));
  it('an HTML fragment that is not even XML', () => refused('<ead><p>Not found<br></p></ead>', /Not well-formed XML at line 1, column \d+: unexpected close tag/));
  it('an empty document', () => refused('', /Not well-formed XML/));
  it('well-formed XML that is not EAD', () => refused('<?xml version="1.0"?><rss><channel/></rss>', /root element is <rss>/));
  it('an ead root in a foreign namespace', () => refused('<ead xmlns="http://example.org/other"/>', /namespace http:\/\/example.org\/other/));
  it('no unitid', () => refused(ead('', '<unittitle>T</unittitle>'), /no call number/));
  it('no unittitle', () => refused(ead('', '<unitid>X</unitid>'), /no title/));
  it('billion laughs', () =>
    refused(
      '<?xml version="1.0"?><!DOCTYPE ead [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><ead>&lol3;</ead>',
      /DOCTYPE declares entities/,
    ));
  it('an external entity (file)', () => refused('<!DOCTYPE ead [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ead><archdesc><did><unitid>&xxe;</unitid></did></archdesc></ead>', /DOCTYPE declares entities/));
  it('an external entity (http)', () => refused('<!DOCTYPE ead [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]><ead>&xxe;</ead>', /DOCTYPE declares entities/));
  it('parameter entities', () => refused('<!DOCTYPE ead [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]><ead/>', /DOCTYPE declares entities/));
  it('an entity used but never declared', () => refused(ead('<c01><did><unittitle>&nbsp;</unittitle></did></c01>'), /undefined entity/));
  it('components nested 65 deep, while 64 are read', () => {
    const nested = (depth: number) => '<c><did><unittitle>x</unittitle></did>'.repeat(depth) + '</c>'.repeat(depth);
    assert.equal(readFindingAid(ead(nested(64))).components.length, 64);
    refused(ead(nested(65)), /nested deeper than 64 levels \(line 2\)/);
  });
  it('bytes not in the declared encoding', () => refused(Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><ead>'), Buffer.from([0xff, 0xfe, 0xfd])]), /not valid utf-8/i));
});

describe('the EAD reader: encodings', () => {
  it('reads ISO-8859-1 as declared', () => {
    const xml = Buffer.from(ead('', '<unitid>X</unitid><unittitle>Guérin papers</unittitle>').replace('UTF-8', 'ISO-8859-1'), 'latin1');
    assert.equal(readFindingAid(xml).collection.title, 'Guérin papers');
  });
});
