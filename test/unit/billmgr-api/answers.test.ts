import { whoami } from '../../../src/billmgr-api/account';
import { SellingApiError, SellingXmlError } from '../../../src/billmgr-api/types';
import { textOf } from '../../../src/contract/xml';
import { doc, fakeSelling, testClient, useNock } from './fake-selling';

useNock();

const authinfo = { mode: 'authinfo' as const };

describe('list()', () => {
  it('gives an array of elems for several', async () => {
    fakeSelling().on('vds').reply(200, doc('<elem><id>1</id></elem><elem><id>2</id></elem>'));
    const { client } = testClient(authinfo);

    const elems = await client.list('vds');

    expect(elems.map((elem) => textOf(elem.id))).toEqual(['1', '2']);
  });

  it('gives an array of one for a single elem', async () => {
    fakeSelling().on('vds').reply(200, doc('<elem><id>7</id><remoteid>42</remoteid></elem>'));
    const { client } = testClient(authinfo);

    const elems = await client.list('vds', { remoteid: 42 });

    expect(elems).toHaveLength(1);
    expect(textOf(elems[0]?.remoteid)).toBe('42');
  });

  it('gives an empty array when there is no elem', async () => {
    fakeSelling().on('itemevent').reply(200, doc(''));
    const { client } = testClient(authinfo);

    await expect(client.list('itemevent')).resolves.toEqual([]);
  });

  it('passes its filter params along', async () => {
    const selling = fakeSelling();
    selling.on('vds').reply(200, doc(''));
    const { client } = testClient(authinfo);

    await client.list('vds', { remoteid: 42, elid: undefined });

    expect(selling.forms[0]?.get('remoteid')).toBe('42');
    expect(selling.forms[0]?.has('elid')).toBe(false);
  });
});

describe('error documents', () => {
  it('become a SellingApiError with type, object, message and params', async () => {
    fakeSelling()
      .on('vds.order.param')
      .reply(
        200,
        doc(
          '<error type="balance" object="account"><param name="value">12.50</param><param name="currency">USD</param>' +
            '<msg>Not enough money on the account</msg></error>',
        ),
      );
    const { client } = testClient(authinfo);

    const err = await client.call('vds.order.param', { pricelist: 11 }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(SellingApiError);
    expect(err).toMatchObject({
      type: 'balance',
      object: 'account',
      params: { value: '12.50', currency: 'USD' },
    });
    expect((err as Error).message).toContain('Not enough money on the account');
    expect((err as Error).message).toContain('vds.order.param');
  });

  it('without an object name the call', async () => {
    fakeSelling().on('vds.edit').reply(200, doc('<error type="value"><msg>bad value</msg></error>'));
    const { client } = testClient(authinfo);

    await expect(client.call('vds.edit')).rejects.toMatchObject({ type: 'value', object: 'vds.edit' });
  });
});

describe('malformed answers', () => {
  it('are a SellingXmlError when the body is not XML', async () => {
    fakeSelling().on('vds').reply(200, '<html><body>Bad gateway</body');
    const { client } = testClient(authinfo);

    await expect(client.call('vds')).rejects.toBeInstanceOf(SellingXmlError);
  });

  it('are a SellingXmlError when the document is not a <doc>', async () => {
    fakeSelling().on('vds').reply(200, '<html><body>Login</body></html>');
    const { client } = testClient(authinfo);

    await expect(client.call('vds')).rejects.toMatchObject({
      name: 'SellingXmlError',
      type: 'xml',
      object: 'vds',
    });
  });

  it('are a SellingXmlError when the body is empty', async () => {
    fakeSelling().on('vds').reply(200, '');
    const { client } = testClient(authinfo);

    await expect(client.call('vds')).rejects.toBeInstanceOf(SellingXmlError);
  });
});

describe('whoami()', () => {
  it('reads the account name, level and balance as Money', async () => {
    const selling = fakeSelling();
    selling
      .on('whoami')
      .reply(200, doc('<name>reseller</name><level>client</level><balance currency="USD">1000.05</balance>'));
    const { client } = testClient(authinfo);

    const account = await whoami(client);

    expect(account).toEqual({
      name: 'reseller',
      level: 'client',
      balance: { minor: 100005n, currency: 'USD' },
    });
  });

  it('reads a negative balance', async () => {
    fakeSelling()
      .on('whoami')
      .reply(200, doc('<name>reseller</name><level>client</level><balance currency="eur">-3.5</balance>'));
    const { client } = testClient(authinfo);

    await expect(whoami(client)).resolves.toMatchObject({ balance: { minor: -350n, currency: 'EUR' } });
  });

  it('fails with a SellingXmlError when the balance is missing or has no currency', async () => {
    const selling = fakeSelling();
    selling.on('whoami').reply(200, doc('<name>reseller</name><level>client</level>'));
    selling.on('whoami').reply(200, doc('<name>reseller</name><balance>10.00</balance>'));
    const { client } = testClient(authinfo);

    await expect(whoami(client)).rejects.toBeInstanceOf(SellingXmlError);
    await expect(whoami(client)).rejects.toBeInstanceOf(SellingXmlError);
  });

  it('reads the user nested with a numeric level, the balance beside it, and ignores the <tparams> echo', async () => {
    fakeSelling()
      .on('whoami')
      .reply(
        200,
        doc(
          '<user><id>7</id><name>reseller</name><level>16</level></user>' +
            '<balance currency="USD">12.30</balance><tparams><func>whoami</func></tparams>',
        ),
      );
    const { client } = testClient(authinfo);

    await expect(whoami(client)).resolves.toEqual({
      name: 'reseller',
      level: '16',
      balance: { minor: 1230n, currency: 'USD' },
    });
  });

  it('fails with a SellingXmlError when the balance is not an amount', async () => {
    fakeSelling().on('whoami').reply(200, doc('<balance currency="USD">lots</balance>'));
    const { client } = testClient(authinfo);

    await expect(whoami(client)).rejects.toBeInstanceOf(SellingXmlError);
  });
});
