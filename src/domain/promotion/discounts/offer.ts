/**
 * A discount promotion's offer (seed 002 "Providing discounts on services", issue 15 "Discounts"): a percentage
 * or a fixed amount off services of selected product types or tariffs (or all), exclusive or stackable with a
 * priority, and an optional spend budget. Validation collects every problem and throws once.
 */
import Decimal from 'decimal.js';
import { ValidationError } from '../../errors';
import { money, parseMoney, type Money } from '../../money';

export type DiscountValue =
  { readonly kind: 'percent'; readonly percent: string } | { readonly kind: 'fixed'; readonly amount: Money };

/** What the offer is off: a tariff (pricelist id) is more specific than a product type (item type intname). */
export type DiscountTarget =
  | { readonly kind: 'all' }
  | { readonly kind: 'item_type'; readonly intnames: readonly string[] }
  | { readonly kind: 'tariff'; readonly pricelists: readonly number[] };

export interface DiscountOffer {
  readonly promotion: number;
  readonly value: DiscountValue;
  readonly target: DiscountTarget;
  readonly exclusive: boolean;
  /** Higher wins among exclusive offers. */
  readonly priority: number;
  /** The most the offer may ever give, in its currency; null = no budget. */
  readonly budget: Money | null;
}

export interface DiscountOfferInput {
  promotion: number;
  percent?: string;
  amount?: string;
  currency?: string;
  itemTypes?: readonly string[];
  tariffs?: readonly number[];
  exclusive: boolean;
  priority?: number;
  budget?: string;
  /** The budget's currency; a fixed offer's own currency when not given. */
  budgetCurrency?: string;
}

const DECIMAL = /^\d+(\.\d+)?$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;
const ISO = /^[A-Za-z]{3}$/;

export function validateOffer(input: DiscountOfferInput): DiscountOffer {
  const problems: string[] = [];
  let value: DiscountValue | undefined;
  if ((input.percent === undefined) === (input.amount === undefined)) {
    problems.push('give either a percentage (--percent) or a fixed amount (--amount), one of them');
  } else if (input.percent !== undefined) {
    if (!DECIMAL.test(input.percent)) problems.push(`percentage '${input.percent}' is not a decimal number`);
    else if (new Decimal(input.percent).lte(0) || new Decimal(input.percent).gt(100))
      problems.push(`percentage ${input.percent} is not above 0 and at most 100`);
    else value = { kind: 'percent', percent: new Decimal(input.percent).toString() };
    if (input.currency !== undefined) problems.push('a percentage takes no currency');
  } else if (input.amount !== undefined) {
    const currencyOk = input.currency !== undefined && ISO.test(input.currency);
    if (!currencyOk) problems.push('a fixed amount needs its currency (--currency, three letters)');
    if (!AMOUNT.test(input.amount) || new Decimal(input.amount).lte(0))
      problems.push(`amount '${input.amount}' is not a positive amount with at most two decimals`);
    else if (currencyOk) value = { kind: 'fixed', amount: parseMoney(input.amount, input.currency ?? '') };
  }

  let target: DiscountTarget = { kind: 'all' };
  const itemTypes = input.itemTypes ?? [];
  const tariffs = input.tariffs ?? [];
  if (itemTypes.length > 0 && tariffs.length > 0)
    problems.push('the offer is off product types or off tariffs, not both');
  else if (itemTypes.length > 0) {
    const bad = itemTypes.filter((t) => !/^[A-Za-z0-9_.-]{1,64}$/.test(t));
    if (bad.length > 0)
      problems.push(`product type ${bad.map((b) => `'${b}'`).join(', ')} is not an intname`);
    target = { kind: 'item_type', intnames: [...new Set(itemTypes)].sort() };
  } else if (tariffs.length > 0) {
    const bad = tariffs.filter((t) => !Number.isInteger(t) || t <= 0);
    if (bad.length > 0) problems.push(`tariff ${bad.join(', ')} is not a pricelist id`);
    target = { kind: 'tariff', pricelists: [...new Set(tariffs)].sort((a, b) => a - b) };
  }

  const priority = input.priority ?? 0;
  if (!Number.isInteger(priority) || Math.abs(priority) > 1_000_000)
    problems.push(`priority ${priority} is not a whole number up to 1000000`);

  let budget: Money | null = null;
  if (input.budget !== undefined) {
    const currency =
      input.budgetCurrency ?? (value?.kind === 'fixed' ? value.amount.currency : input.currency);
    if (currency === undefined || !ISO.test(currency))
      problems.push('a budget needs its currency (--budget-currency, three letters)');
    else if (value?.kind === 'fixed' && currency.toUpperCase() !== value.amount.currency)
      problems.push(`the budget's currency ${currency} is not the amount's ${value.amount.currency}`);
    if (!AMOUNT.test(input.budget) || new Decimal(input.budget).lte(0))
      problems.push(`budget '${input.budget}' is not a positive amount with at most two decimals`);
    else if (currency !== undefined && ISO.test(currency)) budget = parseMoney(input.budget, currency);
  } else if (input.budgetCurrency !== undefined) problems.push('--budget-currency without --budget');

  if (problems.length > 0 || value === undefined)
    throw new ValidationError(`discount of promotion ${input.promotion}`, problems);
  return { promotion: input.promotion, value, target, exclusive: input.exclusive, priority, budget };
}

/** The currency the offer's budget counts in, or the fixed amount's: an expense in another is not discounted. */
export function offerCurrency(offer: DiscountOffer): string | null {
  return offer.budget?.currency ?? (offer.value.kind === 'fixed' ? offer.value.amount.currency : null);
}

export const noMoney = (currency: string): Money => money(0n, currency);
