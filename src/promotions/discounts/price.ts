/**
 * The discounted price before an order, for the panel's price handler: the account's valid discounts (committed
 * redemptions of discount promotions, within their validity now; a batch without a discount period holds for the
 * order being priced) stacked on the tariff's price by the same rule as the run.
 */
import type { Knex } from 'knex';
import { budgetsLeft, discountHoldings, offersOf, tariffItemType } from '../../db/promotion/discounts';
import { formatDateTime } from '../../domain/dates';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { money, parseMoney, subtract, toMajorString, type Money } from '../../domain/money';
import { stackDiscounts } from '../../domain/promotion/discounts/stacking';
import { discountEnds, withinDiscount } from '../../domain/promotion/discounts/validity';
import { offerOfRow } from './offers';
import { dateTimeText } from './run';

export interface PriceQuery {
  account: number;
  pricelist: number;
  /** The price in major units, a decimal string ("12.50"). */
  price: string;
  currency: string;
}

export interface PriceQuote {
  account: number;
  pricelist: number;
  price: string;
  discount: string;
  total: string;
  currency: string;
  promotions: { promotion: number; name: string; discount: string }[];
}

export async function quotePrice(db: Knex, query: PriceQuery, now: Date): Promise<PriceQuote> {
  const problems: string[] = [];
  if (!Number.isInteger(query.account) || query.account <= 0) problems.push('account is not an account id');
  if (!Number.isInteger(query.pricelist) || query.pricelist <= 0)
    problems.push('pricelist is not a tariff id');
  if (!/^\d+(\.\d{1,4})?$/.test(query.price)) problems.push(`price '${query.price}' is not an amount`);
  if (!/^[A-Za-z]{3}$/.test(query.currency)) problems.push(`currency '${query.currency}' is not an ISO code`);
  if (problems.length > 0) throw new ValidationError('price query', problems);
  const tariff = await tariffItemType(db, query.pricelist);
  if (!tariff)
    throw new NotFoundError('pricelist', `there is no tariff ${query.pricelist}`, {
      pricelist: String(query.pricelist),
    });
  const price: Money = parseMoney(query.price, query.currency);
  const at = formatDateTime(now);
  const holdings = (await discountHoldings(db, [query.account])).filter((h) => {
    const committed = dateTimeText(h.committed_at);
    if (h.discount_period_type === null || h.discount_period_length === null) return committed <= at;
    const ends = discountEnds(
      committed,
      { type: h.discount_period_type, length: Number(h.discount_period_length) },
      null,
    );
    return withinDiscount(at, committed, ends);
  });
  const promotions = [...new Set(holdings.map((h) => Number(h.promotion)))];
  const offers = (await offersOf(db, promotions)).map(offerOfRow);
  const left = new Map(
    (await budgetsLeft(db, promotions)).map((b) => [
      b.promotion,
      money(BigInt(b.left_minor), b.budget_currency),
    ]),
  );
  const stacked = stackDiscounts(
    { amount: price, pricelist: query.pricelist, itemType: tariff.itemType },
    offers,
    (p) => left.get(p),
  );
  const names = new Map(
    (
      (await db('bmp_promotion').whereIn('id', promotions).select('id', 'client_name')) as {
        id: number;
        client_name: string;
      }[]
    ).map((r) => [Number(r.id), r.client_name]),
  );
  return {
    account: query.account,
    pricelist: query.pricelist,
    price: toMajorString(price),
    discount: toMajorString(stacked.total),
    total: toMajorString(subtract(price, stacked.total)),
    currency: price.currency,
    promotions: stacked.shares.map((s) => ({
      promotion: s.promotion,
      name: names.get(s.promotion) ?? '',
      discount: toMajorString(s.amount),
    })),
  };
}
