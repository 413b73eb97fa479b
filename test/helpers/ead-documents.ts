// Small EAD 2002 documents written for the tests: a collection with the `dsc` body given.

export function eadDocument(options: { callNumber: string; eadId?: string; title?: string; abstract?: string; accessNote?: string; dsc: string }): string {
  const { callNumber, eadId, title = `Papers ${callNumber}`, abstract, accessNote, dsc } = options;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ead xmlns="urn:isbn:1-931666-22-9">' +
    (eadId ? `<eadheader><eadid>${eadId}</eadid></eadheader>` : '<eadheader/>') +
    `<archdesc level="collection"><did><unitid>${callNumber}</unitid><unittitle>${title}</unittitle><unitdate>1900-1950</unitdate>` +
    `<physdesc><extent>1 linear foot</extent></physdesc><repository><corpname>Test Library</corpname></repository>` +
    (abstract ? `<abstract>${abstract}</abstract>` : '') +
    '</did>' +
    (accessNote ? `<accessrestrict><p>${accessNote}</p></accessrestrict>` : '') +
    `<dsc>${dsc}</dsc></archdesc></ead>`
  );
}

/** A file-level `c` with its id, title, containers and whatever follows its `did`. */
export const fileComponent = (refId: string, title: string, containers: string, rest = '') =>
  `<c level="file" id="${refId}"><did><unittitle>${title}</unittitle>${containers}</did>${rest}</c>`;

/** A series with its children. */
export const seriesComponent = (refId: string, title: string, children: string, containers = '', rest = '') =>
  `<c level="series" id="${refId}"><did><unittitle>${title}</unittitle>${containers}</did>${rest}${children}</c>`;
