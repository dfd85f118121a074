/**
 * Which discount offers give what off one expense (or one price). Among the exclusive offers that apply one wins:
 * the higher priority, then the more specific target (tariff > product type > all), then the larger discount
 * (BILLmanager's own rule for its classic discounts), then the older promotion. Stackable offers add on top of the
 * winner (or on each other when no exclusive offer applies), each computed on the full amount, in priority order,
 * until the amount is used up: the total never exceeds the amount. Each offer is capped to what its budget has left.
 */
import { compare, money, percentOf, type Money } from '../../money';
import { offerCurrency, type DiscountOffer } from './offer';

/** What is being discounted: an expense of a service, or a price before an order. */
export interface Discountable {
  readonly amount: Money;
  /** The service's tariff (pricelist id) and its product type (item type intname), when known. */
  readonly pricelist: number | null;
  readonly itemType: string | null;
}

export interface DiscountShare {
  readonly promotion: number;
  readonly amount: Money;
}

export interface StackedDiscount {
  readonly total: Money;
  readonly shares: readonly DiscountShare[];
}

/** 2 tariff, 1 product type, 0 all. */
export function specificity(offer: DiscountOffer): number {
  return offer.target.kind === 'tariff' ? 2 : offer.target.kind === 'item_type' ? 1 : 0;
}

export function appliesTo(offer: DiscountOffer, item: Discountable): boolean {
  const currency = offerCurrency(offer);
  if (currency !== null && currency !== item.amount.currency) return false;
  if (item.amount.minor <= 0n) return false;
  switch (offer.target.kind) {
    case 'all':
      return true;
    case 'item_type':
      return item.itemType !== null && offer.target.intnames.includes(item.itemType);
    case 'tariff':
      return item.pricelist !== null && offer.target.pricelists.includes(item.pricelist);
  }
}

/** The offer's discount off `amount` alone (a fixed amount never more than the amount), rounded once. */
export function discountOf(offer: DiscountOffer, amount: Money): Money {
  const raw = offer.value.kind === 'percent' ? percentOf(amount, offer.value.percent) : offer.value.amount;
  return compare(raw, amount) > 0 ? amount : raw;
}

/** Exclusive offers first to last by the tie-breaks of the header. */
export function byPrecedence(amount: Money): (a: DiscountOffer, b: DiscountOffer) => number {
  return (a, b) =>
    b.priority - a.priority ||
    specificity(b) - specificity(a) ||
    compare(discountOf(b, amount), discountOf(a, amount)) ||
    a.promotion - b.promotion;
}

/**
 * The discount off `item` from `offers`; `remaining(promotion)` is what the offer's budget has left (undefined:
 * no budget), so a share is capped to it and an offer with nothing left is as if it did not apply.
 */
export function stackDiscounts(
  item: Discountable,
  offers: readonly DiscountOffer[],
  remaining: (promotion: number) => Money | undefined = () => undefined,
): StackedDiscount {
  const currency = item.amount.currency;
  const left = (offer: DiscountOffer): bigint | undefined => remaining(offer.promotion)?.minor;
  const usable = offers.filter((o) => appliesTo(o, item) && (left(o) === undefined || (left(o) ?? 0n) > 0n));
  const winner = usable.filter((o) => o.exclusive).sort(byPrecedence(item.amount))[0];
  const stackable = usable
    .filter((o) => !o.exclusive)
    .sort((a, b) => b.priority - a.priority || a.promotion - b.promotion);
  const shares: DiscountShare[] = [];
  let rest = item.amount.minor;
  for (const offer of winner ? [winner, ...stackable] : stackable) {
    if (rest === 0n) break;
    let share = discountOf(offer, item.amount).minor;
    const budgetLeft = left(offer);
    if (budgetLeft !== undefined && share > budgetLeft) share = budgetLeft;
    if (share > rest) share = rest;
    if (share <= 0n) continue;
    shares.push({ promotion: offer.promotion, amount: money(share, currency) });
    rest -= share;
  }
  return { total: money(item.amount.minor - rest, currency), shares };
}
