/**
 * readFlatList, the fast reading of list answers, against xml2js (parseXml): wherever it gives an answer, that answer
 * is the elems parseXml gives; everything else it leaves to parseXml.
 */
import { asList, parseXml, readFlatList, type XmlNode } from '../../../src/contract/xml';

/** What the selling client's list() made of a document before readFlatList: parseXml's elems, or 'malformed'. */
async function elemsByXml2js(xml: string): Promise<XmlNode[] | 'malformed'> {
  try {
    const doc = await parseXml(xml, 'test');
    return asList(doc.elem as XmlNode | string | (XmlNode | string)[]).map((elem) =>
      typeof elem === 'string' ? { _: elem } : elem,
    );
  } catch {
    return 'malformed';
  }
}

const eventPage = `<?xml version="1.0" encoding="UTF-8"?>
<doc>
  <elem>
    <id>1</id>
    <item>1001</item>
    <remoteid/>
    <type>setup</type>
    <param></param>
    <value/>
    <date>2026-12-01 16:37:41</date>
  </elem>
  <elem>
    <id>2</id>
    <item>1001</item>
    <remoteid>17</remoteid>
    <type>param</type>
    <param>username</param>
    <value>  Tom &amp; Jerry &lt;b&gt; &#x41;&#66; ü  </value>
    <date>2026-12-01 16:37:41</date>
  </elem>
</doc>
`;

describe('readFlatList', () => {
  it('reads an event page as xml2js does: every field as trimmed text, empty fields as empty text', async () => {
    const elems = readFlatList(eventPage);

    expect(elems).toEqual([
      {
        id: '1',
        item: '1001',
        remoteid: '',
        type: 'setup',
        param: '',
        value: '',
        date: '2026-12-01 16:37:41',
      },
      {
        id: '2',
        item: '1001',
        remoteid: '17',
        type: 'param',
        param: 'username',
        value: 'Tom & Jerry <b> AB ü',
        date: '2026-12-01 16:37:41',
      },
    ]);
    expect(elems).toStrictEqual(await elemsByXml2js(eventPage));
  });

  it.each([
    ['an empty list', '<doc/>', []],
    ['an empty list with white space', '<doc>\n  </doc>', []],
    ['a single elem', '<doc><elem><id>7</id></elem></doc>', [{ id: '7' }]],
    [
      'comments and processing instructions',
      '<doc><!-- a --><elem><id>7<!-- b -->8</id><?pi x?></elem></doc>',
      [{ id: '78' }],
    ],
    [
      'a field of only white space, kept as xml2js keeps it',
      '<doc><elem><id>1</id><v>  </v></elem></doc>',
      [{ id: '1', v: '  ' }],
    ],
    [
      'a <tparams> echo of the request at the end, with nesting and attributes',
      '<doc><elem><id>1</id></elem><tparams><func>itemevent</func><p_cnt a="b">2</p_cnt><x><y>1</y></x></tparams></doc>',
      [{ id: '1' }],
    ],
    ['an empty list with a <tparams> echo', '<doc><tparams><func>vds</func></tparams></doc>', []],
  ])('reads %s', async (_name, xml, expected) => {
    expect(readFlatList(xml)).toEqual(expected);
    expect(readFlatList(xml)).toStrictEqual(await elemsByXml2js(xml));
  });

  it.each([
    ['an error document', '<doc><error type="auth" object="session"><msg>expired</msg></error></doc>'],
    ['an error beside elems', '<doc><elem><id>1</id></elem><error type="x"><msg>m</msg></error></doc>'],
    ['attributes on a field', '<doc><elem><id>1</id><price currency="USD">5</price></elem></doc>'],
    ['attributes on an elem', '<doc><elem key="1"><id>1</id></elem></doc>'],
    ['attributes on the doc', '<doc version="5"><elem><id>1</id></elem></doc>'],
    ['a nested field', '<doc><elem><id>1</id><ips><ip>10.0.0.1</ip></ips></elem></doc>'],
    [
      'a repeated field (xml2js makes it an array)',
      '<doc><elem><ip>10.0.0.1</ip><ip>10.0.0.2</ip></elem></doc>',
    ],
    ['an empty elem', '<doc><elem/><elem><id>1</id></elem></doc>'],
    ['text in an elem', '<doc><elem>5<id>1</id></elem></doc>'],
    ['text in the doc', '<doc>oops<elem><id>1</id></elem></doc>'],
    ['CDATA', '<doc><elem><id><![CDATA[1]]></id></elem></doc>'],
    ['a DOCTYPE', '<!DOCTYPE doc><doc><elem><id>1</id></elem></doc>'],
    ['a carriage return (saxes would make it a line feed)', '<doc><elem><id>1\r\n2</id></elem></doc>'],
    [
      'a field named after an Object.prototype member',
      '<doc><elem><constructor>1</constructor></elem></doc>',
    ],
    ['a field named __proto__', '<doc><elem><__proto__>1</__proto__></elem></doc>'],
    ["a field named after xml2js's text key", '<doc><elem><_>1</_></elem></doc>'],
    ['another root', '<answer><elem><id>1</id></elem></answer>'],
    ['a truncated page', '<doc><elem><id>1</id></elem><elem><id>2</i'],
    ['a mismatched close tag', '<doc><elem><id>1</elem></doc>'],
    ['an unknown entity', '<doc><elem><id>&nbsp;</id></elem></doc>'],
    ['a bare ampersand', '<doc><elem><id>1 & 2</id></elem></doc>'],
    ['not XML at all', '<html>Bad gateway'],
    ['nothing', ''],
  ])('leaves %s to parseXml', (_name, xml) => {
    expect(readFlatList(xml)).toBeUndefined();
  });

  it('agrees with xml2js on 3,000 generated documents, and reads most flat ones itself', async () => {
    const random = mulberry32(20261201);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    let readFast = 0;
    for (let n = 0; n < 3000; n += 1) {
      const xml = generatedDocument(random, pick);
      const fast = readFlatList(xml);
      const slow = await elemsByXml2js(xml);
      if (fast === undefined) continue;
      readFast += 1;
      if (slow === 'malformed')
        throw new Error(`readFlatList read a document xml2js refuses: ${JSON.stringify(xml)}`);
      expect({ xml, elems: fast }).toStrictEqual({ xml, elems: slow });
    }
    // A reader that always stepped aside would pass the loop above: the fast path must be taken.
    expect(readFast).toBeGreaterThan(600);
  });
});

/** Documents made of the pieces that tell readers apart: entities, white space, line ends, markup in text. */
function generatedDocument(random: () => number, pick: <T>(list: readonly T[]) => T): string {
  const names = ['id', 'item', 'type', 'param', 'value', 'ip', 'date', 'a:b', 'x-y', '_', 'constructor'];
  const texts = [
    '',
    '',
    ' ',
    '\n    ',
    'setup',
    ' padded ',
    '10.0.0.1',
    '&amp;',
    '&lt;x&gt;',
    '&quot;&apos;',
    '&#x41;',
    '&#66;',
    '&nbsp;',
    '&',
    'ü€😀',
    '\r\n',
    '\r',
    '\t',
    '<!-- c -->',
    '<?pi x?>',
    '<![CDATA[ c ]]>',
    '<![CDATA[  ]]>',
    '<b>nested</b>',
    '<x/>',
    ']]>',
    '\u0001',
  ];
  const between = ['', '\n  ', ' ', '<!-- between -->', 'stray', '<?pi?>'];
  const field = (): string => {
    const name = pick(names);
    const text = Array.from({ length: Math.floor(random() * 3) }, () => pick(texts)).join('');
    if (random() < 0.08) return `<${name}/>`;
    const attribute = random() < 0.04 ? ' currency="USD"' : '';
    return `<${name}${attribute}>${text}</${name}>`;
  };
  const elem = (): string => {
    if (random() < 0.04) return '<elem/>';
    const fields = Array.from(
      { length: 1 + Math.floor(random() * 4) },
      () => pick(between.slice(0, 3)) + field(),
    );
    return `<elem${random() < 0.03 ? ' a="1"' : ''}>${fields.join('')}${pick(between.slice(0, 2))}</elem>`;
  };
  const body =
    random() < 0.05
      ? '<error type="value" object="elid"><msg>bad</msg></error>'
      : Array.from({ length: Math.floor(random() * 4) }, () => pick(between) + elem()).join('');
  const root = random() < 0.03 ? 'answer' : 'doc';
  const declaration = random() < 0.3 ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '';
  const xml = `${declaration}<${root}>${body}\n</${root}>\n`;
  return random() < 0.05 ? xml.slice(0, Math.floor(random() * xml.length)) : xml;
}

/** A small seeded generator: the same documents on every run, so a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
