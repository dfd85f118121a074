/** What an order or a prolongation costs on the selling side, and how a period moves an expiry date. */
import Decimal from 'decimal.js';
import { money, roundToMinor, type Money } from '../domain/money';
import { addDays, addMonths } from '../domain/dates';
import type { PricePeriod, SellingAddon, SellingTariff } from './types';

/** API period codes: months as positive integers; these three are special. */
export const PERIOD_TRIAL = -100;
export const PERIOD_DAY = -50;
export const PERIOD_LIFETIME = 0;

/** Fixed exchange rates of the sandbox: US dollars per one unit of the currency. */
const USD_PER_UNIT: Readonly<Record<string, string>> = { USD: '1', EUR: '1.10' };

export function periodCode(period: PricePeriod): number {
  switch (period.type) {
    case 'month':
      return period.length;
    case 'day':
      return PERIOD_DAY;
    case 'trial':
      return PERIOD_TRIAL;
    case 'lifetime':
      return PERIOD_LIFETIME;
  }
}

export function priceFor(prices: readonly PricePeriod[], code: number): PricePeriod | undefined {
  return prices.find((p) => periodCode(p) === code);
}

/** The expiry date after `period` starting at `from`; trial lengths count days. */
export function extendBy(from: string, period: PricePeriod): string {
  switch (period.type) {
    case 'month':
      return addMonths(from, period.length);
    case 'day':
    case 'trial':
      return addDays(from, period.length);
    case 'lifetime':
      return '2099-12-31';
  }
}

function addonCost(addon: SellingAddon, value: string | undefined, code: number): Decimal {
  if (value === undefined || !addon.active) return new Decimal(0);
  if (addon.addontype === 3) {
    const item = addon.enumeration?.items.find((i) => String(i.id) === value);
    return new Decimal(item ? (priceFor(item.prices, code)?.cost ?? 0) : 0);
  }
  const unitPrice = new Decimal(priceFor(addon.prices, code)?.cost ?? 0);
  if (addon.addontype === 1) return value === 'on' ? unitPrice : new Decimal(0);
  const chargedUnits = Math.max(0, Number(value) - (addon.limit ?? 0));
  return unitPrice.mul(chargedUnits);
}

/** Tariff plus add-ons for one period, in the tariff's currency, not yet rounded. */
export function serviceCost(
  tariff: SellingTariff,
  code: number,
  addonValues: Record<number, string>,
): Decimal {
  const base = new Decimal(priceFor(tariff.prices, code)?.cost ?? 0);
  return tariff.addons.reduce(
    (total, addon) => total.add(addonCost(addon, addonValues[addon.id], code)),
    base,
  );
}

/** Converts a cost into the paying account's currency at the sandbox's fixed rates, rounding once. */
export function chargeIn(cost: Decimal, from: string, to: string): Money {
  const fromRate = USD_PER_UNIT[from];
  const toRate = USD_PER_UNIT[to];
  if (fromRate === undefined || toRate === undefined) throw new Error(`no sandbox rate for ${from}->${to}`);
  return money(roundToMinor(cost.mul(fromRate).div(toRate)), to);
}
