/** What the selling side is told about a service: tariff id, mapped period, add-on values (pure). */
import { HostError } from '../../../src/contract/errors';
import type { AddonItem, ResoldItem } from '../../../src/db/item';
import { addonParams, orderParams, sellingTariffId } from '../../../src/reseller/services/order-params';

function item(overrides: Partial<ResoldItem> = {}): ResoldItem {
  return {
    id: 7,
    account: 1,
    pricelist: 40,
    lastpricelist: null,
    period: 12,
    currency: 1,
    status: 1,
    createdate: '2026-11-01',
    opendate: null,
    expiredate: null,
    processingmodule: 1,
    remoteid: null,
    parent: null,
    name: null,
    intvalue: null,
    boolvalue: null,
    addonlimit: null,
    enumerationitem: null,
    cost: null,
    autosuspend: null,
    employeesuspend: null,
    abusesuspend: null,
    autoprolong: null,
    itemtype: 'vds',
    pricelistRemoteid: '11',
    pricelistIntname: '11-vps-start',
    ...overrides,
  };
}

function addon(overrides: Partial<AddonItem>): AddonItem {
  return {
    id: 8,
    pricelist: 41,
    sellingAddonId: '12',
    addontype: 2,
    intvalue: null,
    boolvalue: null,
    enumerationitem: null,
    enumerationitemIntname: null,
    ...overrides,
  };
}

describe('sellingTariffId', () => {
  it('is the tariff remoteid, else the id prefix of its intname', () => {
    expect(sellingTariffId(item())).toBe('11');
    expect(sellingTariffId(item({ pricelistRemoteid: null, pricelistIntname: '23-dedic-e3' }))).toBe('23');
  });

  it('is an error for a tariff that was not imported from the selling side', () => {
    expect(() => sellingTariffId(item({ pricelistRemoteid: null, pricelistIntname: 'my-own' }))).toThrow(
      HostError,
    );
  });
});

describe('addonParams', () => {
  const noEnumeration = () => undefined;

  it('sends integer amounts, booleans as on/off and enum values as selling enumeration item ids', () => {
    const addons = [
      addon({ sellingAddonId: '12', addontype: 2, intvalue: 2048 }),
      addon({ sellingAddonId: '14', addontype: 1, boolvalue: 'on' }),
      addon({ sellingAddonId: '15', addontype: 3, enumerationitem: 5, enumerationitemIntname: 'isplite' }),
    ];
    expect(
      addonParams(7, addons, (a) => (a.enumerationitemIntname === 'isplite' ? '32' : undefined)),
    ).toEqual({
      addon_12: '2048',
      addon_14: 'on',
      addon_15: '32',
    });
  });

  it('leaves out add-ons without a value or without a selling id', () => {
    expect(
      addonParams(
        7,
        [addon({ intvalue: null }), addon({ sellingAddonId: null, intvalue: 3 })],
        noEnumeration,
      ),
    ).toEqual({});
  });

  it('refuses an enum value the selling tariff does not offer instead of guessing', () => {
    const unknown = addon({ addontype: 3, enumerationitem: 9, enumerationitemIntname: 'gone' });
    expect(() => addonParams(7, [unknown], noEnumeration)).toThrow(/does not offer/);
  });
});

describe('orderParams', () => {
  const base = { addons: [], itemParams: { ostempl: 'debian-12' }, enumerationId: () => undefined };

  it('orders with our id as remoteid, skipping the basket', () => {
    expect(orderParams({ ...base, item: item(), mappings: [] })).toEqual({
      pricelist: '11',
      period: 12,
      ostempl: 'debian-12',
      remoteid: 7,
      skipbasket: 'on',
      sok: 'ok',
    });
  });

  it('orders the period the module maps the service period to, the tariff-specific mapping first', () => {
    const mappings = [
      { source: 12, target: 1, itemtype: '', pricelist: 0 },
      { source: 12, target: 3, itemtype: 'vds', pricelist: 40 },
    ];
    expect(orderParams({ ...base, item: item(), mappings }).period).toBe(3);
    expect(orderParams({ ...base, item: item({ pricelist: 99 }), mappings }).period).toBe(1);
  });

  it('is an error for a service without a period', () => {
    expect(() => orderParams({ ...base, item: item({ period: null }), mappings: [] })).toThrow(
      /no order period/,
    );
  });
});
