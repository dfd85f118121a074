/** Setting and showing a discount promotion's offer (`promotion discount set|show`). */
import type { Knex } from 'knex';
import {
  saveOffer,
  offersOf,
  type DbDiscountOfferRow,
  type NewDiscountRow,
} from '../../db/promotion/discounts';
import { promotionTerms } from '../../db/promotion/redemption';
import { withTransaction } from '../../db/transaction';
import { formatDateTime } from '../../domain/dates';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { money, toMajorString } from '../../domain/money';
import {
  validateOffer,
  type DiscountOffer,
  type DiscountOfferInput,
  type DiscountTarget,
} from '../../domain/promotion/discounts/offer';

export async function setOffer(db: Knex, input: DiscountOfferInput, now: Date): Promise<DiscountOffer> {
  const offer = validateOffer(input);
  await withTransaction(db, async (trx) => {
    const promotion = await promotionTerms(trx, input.promotion);
    if (!promotion)
      throw new NotFoundError('promotion', `there is no promotion ${input.promotion}`, {
        promotion: String(input.promotion),
      });
    if (promotion.kind !== 'discount')
      throw new ValidationError(`discount of promotion ${input.promotion}`, [
        `promotion ${input.promotion} gives ${promotion.kind}s, not discounts`,
      ]);
    const row: NewDiscountRow = {
      promotion: offer.promotion,
      percent: offer.value.kind === 'percent' ? offer.value.percent : null,
      amount_minor: offer.value.kind === 'fixed' ? offer.value.amount.minor.toString() : null,
      currency: offer.value.kind === 'fixed' ? offer.value.amount.currency : null,
      target_kind: offer.target.kind,
      exclusive: offer.exclusive,
      priority: offer.priority,
      budget_minor: offer.budget?.minor.toString() ?? null,
      budget_currency: offer.budget?.currency ?? null,
    };
    await saveOffer(trx, row, targetValues(offer.target), formatDateTime(now));
  });
  return offer;
}

export function offerOfRow(row: DbDiscountOfferRow): DiscountOffer {
  const target: DiscountTarget =
    row.target_kind === 'tariff'
      ? { kind: 'tariff', pricelists: row.targets.map((t) => Number.parseInt(t, 10)) }
      : row.target_kind === 'item_type'
        ? { kind: 'item_type', intnames: row.targets }
        : { kind: 'all' };
  return {
    promotion: Number(row.promotion),
    value:
      row.percent !== null
        ? { kind: 'percent', percent: row.percent }
        : { kind: 'fixed', amount: money(BigInt(String(row.amount_minor)), String(row.currency)) },
    target,
    exclusive: Boolean(Number(row.exclusive)),
    priority: Number(row.priority),
    budget:
      row.budget_minor === null ? null : money(BigInt(String(row.budget_minor)), String(row.budget_currency)),
  };
}

export interface OfferView {
  promotion: number;
  percent: string | null;
  amount: string | null;
  currency: string | null;
  target: DiscountTarget['kind'];
  targets: string[];
  exclusive: boolean;
  priority: number;
  budget: string | null;
  spent: string | null;
  budgetCurrency: string | null;
}

export async function showOffer(db: Knex, promotion: number): Promise<OfferView> {
  const [row] = await offersOf(db, [promotion]);
  if (!row)
    throw new NotFoundError('promotion', `promotion ${promotion} has no discount offer`, {
      promotion: String(promotion),
    });
  const offer = offerOfRow(row);
  const budgetCurrency = row.budget_currency;
  return {
    promotion,
    percent: offer.value.kind === 'percent' ? offer.value.percent : null,
    amount: offer.value.kind === 'fixed' ? toMajorString(offer.value.amount) : null,
    currency: offer.value.kind === 'fixed' ? offer.value.amount.currency : null,
    target: offer.target.kind,
    targets: row.targets,
    exclusive: offer.exclusive,
    priority: offer.priority,
    budget: offer.budget ? toMajorString(offer.budget) : null,
    spent:
      budgetCurrency === null ? null : toMajorString(money(BigInt(String(row.spent_minor)), budgetCurrency)),
    budgetCurrency,
  };
}

function targetValues(target: DiscountTarget): string[] {
  if (target.kind === 'tariff') return target.pricelists.map(String);
  if (target.kind === 'item_type') return [...target.intnames];
  return [];
}
