/**
 * Selling prices as host price rows: one price column per period, in the host's main currency. Costs already
 * in the main currency are kept exactly as sold (up to the 4 places of a decimal(14,4) column); converted costs
 * are multiplied by the host's rate with Decimal and rounded once, by `roundToMinor`.
 */
import Decimal from 'decimal.js';
import { HostError } from '../../contract/errors';
import type { PriceAmounts } from '../../db/pricelist';
import { money, roundToMinor, toMajorString } from '../../domain/money';
import { columnOfPeriod, mapPeriod, periodLabel, type PeriodMapping } from '../../domain/periods';
import type { SellingCost, SellingPrice, SellingTariff } from '../../billmgr-api/pricelist-export';

export interface MainCurrency {
  id: number;
  iso: string;
}

export interface PricingRules {
  main: MainCurrency;
  /** Units of the main currency one unit of each other currency buys, by ISO code. */
  rates: ReadonlyMap<string, Decimal>;
  /** Order periods switched on for the product type on the host. */
  hostPeriods: readonly number[];
  mappings: readonly PeriodMapping[];
  itemtype: string;
  /** The local tariff, once it exists (tariff-specific period mappings). */
  pricelist?: number;
}

/** A refused import or sync: every problem found, in one error document. */
export class TariffRefusedError extends HostError {
  constructor(
    type: string,
    object: string,
    readonly problems: readonly string[],
  ) {
    super(type, object, problems.join('; '));
    this.name = 'TariffRefusedError';
  }
}

/** The price to import from several currencies: the one in the main currency when sold in it, else the first. */
export function pickPrice(prices: readonly SellingPrice[], main: MainCurrency): SellingPrice | undefined {
  return prices.find((p) => p.currency === main.iso.toUpperCase()) ?? prices[0];
}

/** One cost in the main currency, as a decimal string for a host price column. */
export function convertCost(
  cost: string,
  currency: string,
  rules: Pick<PricingRules, 'main' | 'rates'>,
): string {
  if (currency === rules.main.iso.toUpperCase()) return cost;
  const rate = rules.rates.get(currency);
  if (rate === undefined) throw missingRates([currency], rules.main);
  return toMajorString(money(roundToMinor(new Decimal(cost).mul(rate)), rules.main.iso));
}

/**
 * The host price columns for a selling price. Each period sold gets its column; a host order period the selling
 * side does not sell is priced like the period it is mapped to (it is ordered as that period).
 */
export function hostAmounts(price: SellingPrice, rules: PricingRules): PriceAmounts {
  const byPeriod = new Map<number, SellingCost>(price.costs.map((c) => [c.period, c]));
  const amounts: PriceAmounts = {};
  for (const { period, cost } of price.costs) {
    const column = columnOfPeriod(period);
    if (column) amounts[column] = convertCost(cost, price.currency, rules);
  }
  for (const period of rules.hostPeriods) {
    const column = columnOfPeriod(period);
    if (!column || byPeriod.has(period)) continue;
    const ordered = byPeriod.get(
      mapPeriod(rules.mappings, { period, itemtype: rules.itemtype, pricelist: rules.pricelist }),
    );
    if (ordered) amounts[column] = convertCost(ordered.cost, price.currency, rules);
  }
  return amounts;
}

/** Every price of a tariff that import would write: the tariff's own, its active add-ons' and their enumeration items'. */
export function pricesToImport(tariff: SellingTariff): SellingPrice[][] {
  const lists: SellingPrice[][] = [tariff.prices];
  for (const addon of tariff.addons.filter((a) => a.active)) {
    lists.push(addon.prices);
    for (const item of addon.enumeration?.items.filter((i) => i.active) ?? []) lists.push(item.prices);
  }
  return lists;
}

/** Currencies (other than the main one) the tariff's imported prices are in. */
export function foreignCurrencies(tariff: SellingTariff, main: MainCurrency): string[] {
  const found = new Set<string>();
  for (const prices of pricesToImport(tariff)) {
    const picked = pickPrice(prices, main);
    if (picked && picked.currency !== main.iso.toUpperCase()) found.add(picked.currency);
  }
  return [...found].sort();
}

export function missingRates(currencies: readonly string[], main: MainCurrency): TariffRefusedError {
  return new TariffRefusedError(
    'missed',
    'currencyrate',
    currencies.map(
      (c) => `currency ${c} has no rate to the main currency ${main.iso}: prices in ${c} cannot be imported`,
    ),
  );
}

export function uncoveredMessage(periods: readonly number[], sold: readonly number[]): string {
  const sellingList = sold.length ? sold.map(periodLabel).join(', ') : 'none';
  return (
    `order periods differ: the host sells ${periods.map(periodLabel).join(', ')} which the selling tariff does not ` +
    `(it sells ${sellingList}) and no period mapping covers them`
  );
}
