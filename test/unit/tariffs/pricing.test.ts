import Decimal from 'decimal.js';
import {
  convertCost,
  foreignCurrencies,
  hostAmounts,
  pickPrice,
  type PricingRules,
} from '../../../src/reseller/tariffs/pricing';
import type { SellingPrice, SellingTariff } from '../../../src/billmgr-api/pricelist-export';

const RUB = { id: 1, iso: 'RUB' };
const rules = (over: Partial<PricingRules> = {}): PricingRules => ({
  main: RUB,
  rates: new Map([['USD', new Decimal('92.45')]]),
  hostPeriods: [],
  mappings: [],
  itemtype: 'vds',
  ...over,
});
const usd = (...costs: Array<[number, string]>): SellingPrice => ({
  currency: 'USD',
  costs: costs.map(([period, cost]) => ({ period, cost })),
});

describe('convertCost', () => {
  it('keeps a cost in the main currency exactly as sold, sub-cent places included', () => {
    expect(convertCost('0.0125', 'RUB', rules())).toBe('0.0125');
  });

  it('converts with Decimal and rounds a tie half up, once', () => {
    // 0.10 * 92.45 = 9.245 exactly: half up gives 9.25 where half-even gives 9.24.
    expect(convertCost('0.10', 'USD', rules())).toBe('9.25');
    expect(convertCost('0.0100', 'USD', rules())).toBe('0.92');
    expect(convertCost('10.00', 'USD', rules())).toBe('924.50');
  });

  it('refuses a currency without a rate, naming it and the main currency', () => {
    expect(() => convertCost('1.00', 'EUR', rules())).toThrow(
      'currency EUR has no rate to the main currency RUB',
    );
  });
});

describe('hostAmounts', () => {
  it('puts each sold period in its price column', () => {
    expect(hostAmounts(usd([1, '10.00'], [12, '100.00'], [-50, '0.50']), rules())).toEqual({
      monthly: '924.50',
      annually: '9245.00',
      day: '46.23',
    });
  });

  it('prices a host period the selling side does not sell like the period it is mapped to', () => {
    const amounts = hostAmounts(
      usd([1, '10.00'], [3, '27.00']),
      rules({
        hostPeriods: [-100, 1, 3, 6],
        mappings: [
          { source: -100, target: 1, itemtype: '', pricelist: 0 },
          { source: 6, target: 3, itemtype: 'vds', pricelist: 0 },
        ],
      }),
    );
    expect(amounts).toEqual({
      trial: '924.50',
      monthly: '924.50',
      quarterly: '2496.15',
      semiannual: '2496.15',
    });
  });

  it('leaves a host period without a price when no mapping leads to a sold one', () => {
    expect(hostAmounts(usd([1, '10.00']), rules({ hostPeriods: [1, 24] }))).toEqual({ monthly: '924.50' });
  });
});

describe('choosing the price to import', () => {
  const tariff: SellingTariff = {
    id: '11',
    intname: 'vps',
    name: 'VPS',
    itemtype: 'vds',
    active: true,
    prices: [usd([1, '1.00']), { currency: 'RUB', costs: [{ period: 1, cost: '90.00' }] }],
    addons: [
      {
        id: '12',
        intname: 'ram',
        name: 'RAM',
        addontype: 2,
        billtype: 2,
        limit: null,
        min: null,
        max: null,
        step: null,
        measure: null,
        active: true,
        prices: [{ currency: 'EUR', costs: [{ period: 1, cost: '1.00' }] }],
        enumeration: null,
      },
      {
        id: '13',
        intname: 'old',
        name: 'Old',
        addontype: 1,
        billtype: 2,
        limit: null,
        min: null,
        max: null,
        step: null,
        measure: null,
        active: false,
        prices: [{ currency: 'KZT', costs: [{ period: 1, cost: '1.00' }] }],
        enumeration: null,
      },
    ],
    params: [],
  };

  it('prefers the price in the main currency when the selling side sells in it', () => {
    expect(pickPrice(tariff.prices, RUB)?.currency).toBe('RUB');
    expect(pickPrice(tariff.prices, { id: 2, iso: 'EUR' })?.currency).toBe('USD');
  });

  it('needs rates only for the currencies of prices it will import (not of disabled add-ons)', () => {
    expect(foreignCurrencies(tariff, RUB)).toEqual(['EUR']);
  });
});
