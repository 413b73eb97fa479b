// A small EAD 2002 finding aid for the pages' tests, made to show each thing the pages say:
// folders in boxes, access notes read as open, restricted and "until", a descending range kept as
// written (a warning), and one component housed nowhere (another warning).

export const TEST_CALL_NUMBER = 'TEST MSS 1';

export function testFindingAid(options: { eadId?: string; title?: string; callNumber?: string } = {}): string {
  const { eadId = 'test-mss-1', title = 'Papers of Tess Tester', callNumber = TEST_CALL_NUMBER } = options;
  return `<?xml version="1.0" encoding="UTF-8"?>
<ead xmlns="urn:isbn:1-931666-22-9">
  <eadheader><eadid>${eadId}</eadid></eadheader>
  <archdesc level="collection">
    <did><unitid>${callNumber}</unitid><unittitle>${title}</unittitle><unitdate>1920-1950</unitdate></did>
    <dsc>
      <c01 id="series-1" level="series">
        <did><unittitle>Correspondence</unittitle></did>
        <c02 id="letters" level="file">
          <did><unittitle>Letters from Paris</unittitle><container type="Box">1</container><container type="Folder">3</container></did>
        </c02>
        <c02 id="diaries" level="file">
          <did><unittitle>Diaries</unittitle><container type="Box">2</container><container type="Folder">1</container></did>
          <accessrestrict><p>Closed until 2045.</p></accessrestrict>
        </c02>
        <c02 id="photographs" level="file">
          <did><unittitle>Photographs</unittitle><container type="Box">3</container><container type="Folder">1</container></did>
          <accessrestrict><p>This folder is open.</p></accessrestrict>
        </c02>
        <c02 id="sealed" level="file">
          <did><unittitle>Sealed letters</unittitle><container type="Box">3</container><container type="Folder">2</container></did>
          <accessrestrict><p>Sealed by the donor.</p></accessrestrict>
        </c02>
      </c01>
      <c01 id="clippings" level="series">
        <did><unittitle>Clippings</unittitle><container type="Box">9-7</container></did>
      </c01>
      <c01 id="unhoused" level="series">
        <did><unittitle>Ephemera</unittitle></did>
      </c01>
    </dsc>
  </archdesc>
</ead>
`;
}
