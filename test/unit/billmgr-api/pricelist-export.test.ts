/** Reading `pricelist.export` liberally (contract section 4): every documented shape, one broken tariff alone. */
import { readTariffs } from '../../../src/billmgr-api/pricelist-export';
import { isClientLevel } from '../../../src/billmgr-api/account';
import { SellingXmlError } from '../../../src/billmgr-api/types';
import { parseXml } from '../../../src/contract/xml';

const PRICE = '<price currency="usd"><period type="month" length="1" cost="10.00"/></price>';

async function read(body: string) {
  return readTariffs(await parseXml(`<doc>${body}</doc>`, 'test'));
}

function tariff(id: string, inner = ''): string {
  return `<pricelist><id>${id}</id><name>T${id}</name><intname>t${id}</intname><itemtype>vds</itemtype>${PRICE}${inner}</pricelist>`;
}

describe('readTariffs', () => {
  it('reads an enumeration and its items that come with id and name only', async () => {
    const { tariffs, unreadable } = await read(
      tariff(
        '5',
        '<addon><id>12</id><name>Panel</name><addontype>3</addontype>' +
          '<enumeration><id>3</id><name>Panels</name>' +
          `<enumerationitem><id>31</id><name>None</name>${PRICE}</enumerationitem>` +
          '<enumerationitem><id>32</id><name>Lite</name><active>off</active></enumerationitem>' +
          '</enumeration></addon>',
      ),
    );

    expect(unreadable).toEqual([]);
    expect(tariffs[0]?.addons[0]?.enumeration).toEqual({
      id: '3',
      intname: null,
      name: 'Panels',
      items: [
        {
          id: '31',
          intname: null,
          name: 'None',
          active: true,
          prices: [expect.objectContaining({ currency: 'USD' })],
        },
        { id: '32', intname: null, name: 'Lite', active: false, prices: [] },
      ],
    });
  });

  it('reads parameter values as <value>s, as bare <value> text and as <itemtypeparamvalue>s', async () => {
    const { tariffs } = await read(
      tariff(
        '5',
        '<itemtypeparam><intname>ostempl</intname><name>OS</name>' +
          '<value><intname>debian-12</intname><name>Debian 12</name><tags>linux</tags></value>' +
          '<value>freebsd-14</value>' +
          '<itemtypeparamvalue><intname>ubuntu-24.04</intname><name>Ubuntu 24.04</name></itemtypeparamvalue>' +
          '</itemtypeparam>',
      ),
    );

    expect(tariffs[0]?.params[0]?.values).toEqual([
      { intname: 'debian-12', name: 'Debian 12', tags: 'linux' },
      { intname: 'freebsd-14', name: 'freebsd-14', tags: '' },
      { intname: 'ubuntu-24.04', name: 'Ubuntu 24.04', tags: '' },
    ]);
  });

  it('ignores elements it does not know and the <tparams> echo, and reads a one-tariff and an empty export', async () => {
    const one = await read(
      tariff('5', '<costperiod>12</costperiod><newfield><x>1</x></newfield>') +
        '<tparams><elid>5</elid></tparams>',
    );
    expect(one.tariffs.map((t) => t.id)).toEqual(['5']);
    expect(await read('')).toEqual({ tariffs: [], unreadable: [] });
  });

  it.each([
    [
      'a price without currency',
      tariff('6').replace(' currency="usd"', ''),
      'tariff 6: a <price> without currency',
    ],
    [
      'an add-on without an id',
      tariff('6', '<addon><intname>ram</intname></addon>'),
      'tariff 6: add-on ram: no <id>',
    ],
    [
      'an enumeration item with neither id nor intname',
      tariff(
        '6',
        '<addon><id>12</id><enumeration><id>3</id><enumerationitem><name>X</name></enumerationitem></enumeration></addon>',
      ),
      'tariff 6: add-on 12: enumeration: item #1: neither <id> nor <intname>',
    ],
    [
      'a cost that is not an amount',
      tariff('6').replace('10.00', 'ten'),
      "tariff 6: cost 'ten' is not an amount",
    ],
    ['an unknown period type', tariff('6').replace('"month"', '"fortnight"'), 'tariff 6:'],
    ['a tariff without an id', tariff('').replace('<id></id>', ''), 'tariff #2 of the answer: no <id>'],
  ])(
    'sets aside a tariff with %s, naming it and the field, and reads the others',
    async (_name, broken, message) => {
      const { tariffs, unreadable } = await read(tariff('5') + broken + tariff('7'));

      expect(tariffs.map((t) => t.id)).toEqual(['5', '7']);
      expect(unreadable).toHaveLength(1);
      expect(unreadable[0]?.error).toBeInstanceOf(SellingXmlError);
      expect(unreadable[0]?.error.message).toContain(message);
    },
  );
});

describe('isClientLevel', () => {
  it('takes 16 and the word client, and nothing else', () => {
    expect(isClientLevel('16')).toBe(true);
    expect(isClientLevel('client')).toBe(true);
    expect(isClientLevel('28')).toBe(false);
    expect(isClientLevel('admin')).toBe(false);
    expect(isClientLevel('')).toBe(false);
  });
});
