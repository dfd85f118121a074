/**
 * The discount run (issue 15 "Discounts"): the host's own discount tables are not public, so a discount takes
 * effect as a credit of the discounted share of each matching expense. For each expense of a client holding a
 * valid discount (a committed redemption of the promotion's code, within its validity, the service matching the
 * target), the stacking rule gives each promotion its share; each share is a promotion ledger entry (kind
 * `discount`, source naming expense and promotion) and a credit through the host adapter's outbox, in the same
 * transaction as the expense's mark, then the outbox is paid. A re-run, or a second run at once, finds the expense
 * marked (or the lock held) and credits nothing twice. A budget caps a share to what it has left, never more.
 */
import type { Knex } from 'knex';
import {
  discountCreditsSelect,
  discountHoldings,
  enterDiscount,
  lockBudgets,
  markExpenseDiscounted,
  offersOf,
  spendBudget,
  undiscountedExpenses,
  type DbDiscountExpenseRow,
  type DbDiscountHoldingRow,
} from '../../db/promotion/discounts';
import { tryNamedLock } from '../../db/named-lock';
import { withTransaction } from '../../db/transaction';
import { formatDateTime } from '../../domain/dates';
import { BusyError } from '../../domain/errors';
import { money, parseMoney, type Money } from '../../domain/money';
import type { DiscountOffer } from '../../domain/promotion/discounts/offer';
import { stackDiscounts } from '../../domain/promotion/discounts/stacking';
import { discountEnds, withinDiscount } from '../../domain/promotion/discounts/validity';
import { offerOfRow } from './offers';
import type { DiscountCreditPorts } from './ports';

export interface DiscountRunOptions {
  now: Date;
  /** Expenses dated before this (`YYYY-MM-DD HH:MM:SS`, or a date); default `now`. */
  before?: string;
  pageSize?: number;
}

export interface DiscountRunReport {
  /** Expenses read. */
  expenses: number;
  /** Expenses discounted by this run. */
  discounted: number;
  /** Ledger entries (and credits) made. */
  entries: number;
  /** Minor units credited per currency. */
  credited: Record<string, string>;
}

export const DISCOUNT_RUN_LOCK = { purpose: 'promotion-discount' } as const;

export async function runDiscounts(
  db: Knex,
  credits: DiscountCreditPorts,
  options: DiscountRunOptions,
): Promise<DiscountRunReport> {
  const lock = await tryNamedLock(db, DISCOUNT_RUN_LOCK, options.now);
  if (!lock) throw new BusyError('promotion-discount', 'another discount run is under way: try again later');
  const report: DiscountRunReport = { expenses: 0, discounted: 0, entries: 0, credited: {} };
  try {
    const before = options.before ?? formatDateTime(options.now);
    const pageSize = options.pageSize ?? 500;
    for (let after = 0; ;) {
      const page = await undiscountedExpenses(db, after, before, pageSize);
      if (page.length === 0) break;
      report.expenses += page.length;
      await withTransaction(db, (trx) => discountPage(trx, page, credits, options.now, report), {
        deadlockRetries: 3,
      });
      after = Number(page[page.length - 1]?.id ?? after);
    }
  } finally {
    await lock.release();
  }
  await credits.pay(db);
  return report;
}

async function discountPage(
  trx: Knex.Transaction,
  page: readonly DbDiscountExpenseRow[],
  credits: DiscountCreditPorts,
  now: Date,
  report: DiscountRunReport,
): Promise<void> {
  const at = formatDateTime(now);
  const holdings = await discountHoldings(trx, [...new Set(page.map((e) => Number(e.account)))]);
  const promotions = [...new Set(holdings.map((h) => Number(h.promotion)))];
  const offers = new Map((await offersOf(trx, promotions)).map((r) => [Number(r.promotion), offerOfRow(r)]));
  const budgetLeft = new Map<number, Money>();
  for (const b of await lockBudgets(trx, promotions))
    budgetLeft.set(
      Number(b.promotion),
      money(BigInt(String(b.budget_minor)) - BigInt(String(b.spent_minor)), b.budget_currency),
    );
  const spent = new Map<number, bigint>();
  const entered: number[] = [];
  for (const expense of page) {
    const valid = validHoldings(expense, holdings, offers);
    if (valid.size === 0) continue;
    const amount = parseMoney(String(expense.amount), expense.currency);
    const stacked = stackDiscounts(
      { amount, pricelist: nullableId(expense.pricelist), itemType: expense.item_type },
      [...valid.keys()].map((p) => offers.get(p)).filter((o): o is DiscountOffer => o !== undefined),
      (promotion) => budgetLeft.get(promotion),
    );
    if (stacked.shares.length === 0) continue;
    const marked = await markExpenseDiscounted(trx, {
      expense: Number(expense.id),
      account: Number(expense.account),
      total_minor: stacked.total.minor.toString(),
      currency: stacked.total.currency,
      created_at: at,
    });
    if (!marked) continue;
    report.discounted += 1;
    for (const share of stacked.shares) {
      const holding = valid.get(share.promotion);
      if (!holding) continue;
      const id = await enterDiscount(trx, {
        account: Number(expense.account),
        promotion: share.promotion,
        redemption: Number(holding.redemption),
        source: `discount:expense:${expense.id}:${share.promotion}`,
        amount_minor: share.amount.minor.toString(),
        currency: share.amount.currency,
        created_at: at,
      });
      if (id === undefined) continue;
      entered.push(id);
      const left = budgetLeft.get(share.promotion);
      if (left) {
        budgetLeft.set(share.promotion, money(left.minor - share.amount.minor, left.currency));
        spent.set(share.promotion, (spent.get(share.promotion) ?? 0n) + share.amount.minor);
      }
      report.entries += 1;
      const c = share.amount.currency;
      report.credited[c] = (BigInt(report.credited[c] ?? '0') + share.amount.minor).toString();
    }
  }
  // The budget's own guard: the conditional UPDATE refuses to pass it, and the whole page rolls back if it would.
  for (const [promotion, minor] of spent)
    if (!(await spendBudget(trx, promotion, minor)))
      throw new Error(
        `promotion ${promotion}: the discount budget would be exceeded; nothing of this page was kept`,
      );
  if (entered.length > 0) {
    const { sql, bindings } = discountCreditsSelect(trx, entered, at);
    await credits.enqueue(trx, sql, bindings);
  }
}

/** Per promotion, the first committed redemption of the expense's account whose discount covers the expense. */
function validHoldings(
  expense: DbDiscountExpenseRow,
  holdings: readonly DbDiscountHoldingRow[],
  offers: ReadonlyMap<number, DiscountOffer>,
): Map<number, DbDiscountHoldingRow> {
  const valid = new Map<number, DbDiscountHoldingRow>();
  for (const h of holdings) {
    const promotion = Number(h.promotion);
    if (Number(h.account) !== Number(expense.account) || valid.has(promotion) || !offers.has(promotion))
      continue;
    const committed = dateTimeText(h.committed_at);
    const period =
      h.discount_period_type !== null && h.discount_period_length !== null
        ? { type: h.discount_period_type, length: Number(h.discount_period_length) }
        : null;
    const ends = discountEnds(
      committed,
      period,
      expense.item_period === null ? null : Number(expense.item_period),
    );
    if (withinDiscount(dateTimeText(expense.realdate), committed, ends)) valid.set(promotion, h);
  }
  return valid;
}

function nullableId(value: number | null): number | null {
  return value === null ? null : Number(value);
}

/** A DATETIME as the driver gives it (a Date in local time, or text) as `YYYY-MM-DD HH:MM:SS`. */
export function dateTimeText(value: unknown): string {
  if (value instanceof Date) return formatDateTime(value);
  return String(value).slice(0, 19).replace('T', ' ');
}
