/**
 * Discount offers (`bmp_promotion_discount`, its targets, migration 0011), the expenses a discount run reads
 * (host `expense`, `item`, `pricelist`, `itemtype`, `currency`), the expenses it discounted, and its entries in
 * the promotion ledger (kind `discount`). The budget's counter moves only by a conditional UPDATE.
 */
import type { Knex } from 'knex';
import { isMysql } from '../connect';
import type { Db } from '../types';
import { LEDGER_TABLE } from './ledger';
import { REDEMPTION_TABLE } from './redemption';
import { notPluginExpense } from '../host-credit';

export const DISCOUNT_TABLE = 'bmp_promotion_discount';
const TARGET_TABLE = 'bmp_promotion_discount_target';
const EXPENSE_DONE_TABLE = 'bmp_promotion_discount_expense';

export interface DbPromotionDiscountRow {
  promotion: number;
  percent: string | null;
  amount_minor: string | number | null;
  currency: string | null;
  target_kind: 'all' | 'item_type' | 'tariff';
  exclusive: number | boolean;
  priority: number;
  budget_minor: string | number | null;
  budget_currency: string | null;
  spent_minor: string | number;
  created_at: string;
  updated_at: string | null;
}

export type DbDiscountOfferRow = DbPromotionDiscountRow & { targets: string[] };

export type NewDiscountRow = Omit<DbPromotionDiscountRow, 'spent_minor' | 'created_at' | 'updated_at'>;

/** Writes the offer and its targets (the caller's transaction); a changed offer keeps what it has spent. */
export async function saveOffer(
  db: Db,
  row: NewDiscountRow,
  targets: readonly string[],
  now: string,
): Promise<void> {
  const updated = await db(DISCOUNT_TABLE)
    .where({ promotion: row.promotion })
    .update({ ...row, updated_at: now });
  if (Number(updated) === 0) await db(DISCOUNT_TABLE).insert({ ...row, spent_minor: 0, created_at: now });
  await db(TARGET_TABLE).where({ promotion: row.promotion }).delete();
  if (targets.length > 0)
    await db(TARGET_TABLE).insert(targets.map((value) => ({ promotion: row.promotion, value })));
}

/** The offers of these promotions with their targets (all offers when `promotions` is undefined). */
export async function offersOf(db: Db, promotions?: readonly number[]): Promise<DbDiscountOfferRow[]> {
  if (promotions !== undefined && promotions.length === 0) return [];
  const query = db(DISCOUNT_TABLE).orderBy('promotion');
  if (promotions !== undefined) query.whereIn('promotion', [...promotions]);
  const rows = (await query) as DbPromotionDiscountRow[];
  const targets = (await db(TARGET_TABLE)
    .whereIn(
      'promotion',
      rows.map((r) => r.promotion),
    )
    .orderBy(['promotion', 'value'])) as { promotion: number; value: string }[];
  return rows.map((r) => ({
    ...r,
    targets: targets.filter((t) => Number(t.promotion) === Number(r.promotion)).map((t) => t.value),
  }));
}

/** A committed redemption of a discount promotion that has an offer, with what its validity needs. */
export interface DbDiscountHoldingRow {
  redemption: number;
  promotion: number;
  account: number;
  committed_at: string;
  discount_period_type: 'day' | 'month' | 'year' | null;
  discount_period_length: number | null;
}

/** The committed redemptions of discount promotions with an offer, of these accounts. */
export async function discountHoldings(db: Db, accounts: readonly number[]): Promise<DbDiscountHoldingRow[]> {
  if (accounts.length === 0) return [];
  return (await db(`${REDEMPTION_TABLE} as r`)
    .join('bmp_promotion as p', 'p.id', 'r.promotion')
    .join(`${DISCOUNT_TABLE} as d`, 'd.promotion', 'r.promotion')
    .join('bmp_promotion_code as c', 'c.id', 'r.code')
    .leftJoin('bmp_promotion_code_batch as b', 'b.id', 'c.batch')
    .where({ 'r.status': 'committed', 'p.kind': 'discount' })
    .whereIn('r.account', [...accounts])
    .orderBy('r.id')
    .select(
      'r.id as redemption',
      'r.promotion',
      'r.account',
      'r.committed_at',
      'b.discount_period_type',
      'b.discount_period_length',
    )) as DbDiscountHoldingRow[];
}

/** An expense with its service's tariff, product type and ordered period. */
export interface DbDiscountExpenseRow {
  id: number;
  account: number;
  amount: string | number;
  currency: string;
  realdate: string;
  pricelist: number | null;
  item_type: string | null;
  item_period: number | null;
}

/**
 * The next page of expenses after `after` (by id), dated before `before`, of accounts that hold a committed
 * discount redemption, not discounted yet.
 */
export async function undiscountedExpenses(
  db: Db,
  after: number,
  before: string,
  limit: number,
): Promise<DbDiscountExpenseRow[]> {
  const rows = (await db('expense as e')
    .join('currency as cur', 'cur.id', 'e.currency')
    .leftJoin('item as i', 'i.id', 'e.item')
    .leftJoin('pricelist as pl', 'pl.id', 'i.pricelist')
    .leftJoin('itemtype as it', 'it.id', 'pl.itemtype')
    .where('e.id', '>', after)
    .where('e.realdate', '<', before)
    .where('e.amount', '>', 0)
    .whereRaw(notPluginExpense('e'))
    .whereExists((q) =>
      q
        .select(db.raw('1'))
        .from(`${REDEMPTION_TABLE} as r`)
        .join(`${DISCOUNT_TABLE} as d`, 'd.promotion', 'r.promotion')
        .whereRaw('r.account = e.account')
        .where('r.status', 'committed')
        .whereRaw('r.committed_at <= e.realdate'),
    )
    .whereNotExists((q) =>
      q.select(db.raw('1')).from(`${EXPENSE_DONE_TABLE} as x`).whereRaw('x.expense = e.id'),
    )
    .orderBy('e.id')
    .limit(limit)
    .select(
      'e.id',
      'e.account',
      'e.amount',
      'cur.iso as currency',
      'e.realdate',
      'i.pricelist',
      'it.intname as item_type',
      'i.period as item_period',
    )) as DbDiscountExpenseRow[];
  return rows.map((r) => ({ ...r, realdate: String(r.realdate) }));
}

/** The budgets of these offers, locked for the caller's transaction, in promotion order (no crosswise waits). */
export async function lockBudgets(
  db: Db,
  promotions: readonly number[],
): Promise<
  {
    promotion: number;
    budget_minor: string | number;
    spent_minor: string | number;
    budget_currency: string;
  }[]
> {
  if (promotions.length === 0) return [];
  return (await db(DISCOUNT_TABLE)
    .whereIn('promotion', [...promotions])
    .whereNotNull('budget_minor')
    .orderBy('promotion')
    .forUpdate()
    .select('promotion', 'budget_minor', 'spent_minor', 'budget_currency')) as {
    promotion: number;
    budget_minor: string | number;
    spent_minor: string | number;
    budget_currency: string;
  }[];
}

/** Spends `minor` of the offer's budget unless that would pass it; false when it would (nothing moved). */
export async function spendBudget(db: Db, promotion: number, minor: bigint): Promise<boolean> {
  const moved = await db(DISCOUNT_TABLE)
    .where({ promotion })
    .whereNotNull('budget_minor')
    .whereRaw('spent_minor + ? <= budget_minor', [minor.toString()])
    .update({ spent_minor: db.raw('spent_minor + ?', [minor.toString()]) });
  return Number(moved) === 1;
}

/** Marks the expense discounted; false when it was already (another run, or an earlier one, did it). */
export async function markExpenseDiscounted(
  db: Db,
  row: { expense: number; account: number; total_minor: string; currency: string; created_at: string },
): Promise<boolean> {
  return insertOnce(db, EXPENSE_DONE_TABLE, row, { expense: row.expense });
}

export interface NewDiscountEntry {
  account: number;
  promotion: number;
  redemption: number;
  source: string;
  amount_minor: string;
  currency: string;
  created_at: string;
}

/** The ledger entry of one promotion's share of one expense; its id, or undefined when its source has one. */
export async function enterDiscount(db: Db, entry: NewDiscountEntry): Promise<number | undefined> {
  const row = { ...entry, kind: 'discount', valid_until: null };
  if (!(await insertOnce(db, LEDGER_TABLE, row, { kind: 'discount', source: entry.source })))
    return undefined;
  const found = (await db(LEDGER_TABLE).where({ kind: 'discount', source: entry.source }).first('id')) as
    { id: number | string } | undefined;
  return found === undefined ? undefined : Number(found.id);
}

/**
 * The SELECT that yields the host credit outbox's columns (credit_key, account, project, amount_minor, currency,
 * info, created_at) for these discount entries: one credit per entry, its key and its info naming the entry.
 */
export function discountCreditsSelect(
  db: Db,
  ledgerIds: readonly number[],
  now: string,
): { sql: string; bindings: Knex.RawBinding[] } {
  const cat = (parts: string[]): string =>
    isMysql(db as Knex) ? `CONCAT(${parts.join(', ')})` : parts.join(' || ');
  const id = 'CAST(l.id AS CHAR)';
  const sql =
    `SELECT ${cat(["'promotion:discount:'", id])} AS credit_key, l.account AS account, p.project AS project, ` +
    `l.amount_minor AS amount_minor, l.currency AS currency, ` +
    `${cat(["'Discount '", 'p.client_name', "' (promotion '", 'CAST(p.id AS CHAR)', "', ledger '", id, "')'"])} AS info, ` +
    `? AS created_at FROM ${LEDGER_TABLE} l JOIN bmp_promotion p ON p.id = l.promotion ` +
    `WHERE l.kind = 'discount' AND l.id IN (${ledgerIds.map(() => '?').join(', ')})`;
  return { sql, bindings: [now, ...ledgerIds] };
}

export async function discountEntriesOf(
  db: Db,
  filter: { account?: number; promotion?: number },
): Promise<
  {
    id: number;
    account: number;
    promotion: number;
    source: string;
    amount_minor: string | number;
    currency: string;
  }[]
> {
  const query = db(LEDGER_TABLE).where({ kind: 'discount' }).orderBy('id');
  if (filter.account !== undefined) query.where({ account: filter.account });
  if (filter.promotion !== undefined) query.where({ promotion: filter.promotion });
  return (await query.select('id', 'account', 'promotion', 'source', 'amount_minor', 'currency')) as {
    id: number;
    account: number;
    promotion: number;
    source: string;
    amount_minor: string | number;
    currency: string;
  }[];
}

async function insertOnce(
  db: Db,
  table: string,
  row: Record<string, unknown>,
  key: Record<string, unknown>,
): Promise<boolean> {
  if (isMysql(db as Knex)) {
    const { sql, bindings } = db(table).insert(row).toSQL();
    const [result] = (await db.raw(
      sql.replace(/^insert/i, 'INSERT IGNORE'),
      bindings as Knex.RawBinding[],
    )) as unknown as [{ affectedRows: number }];
    return result.affectedRows === 1;
  }
  if (await db(table).where(key).first()) return false;
  await db(table).insert(row);
  return true;
}

/** A tariff's product type (item type intname), or undefined when there is no such tariff. */
export async function tariffItemType(
  db: Db,
  pricelist: number,
): Promise<{ itemType: string | null } | undefined> {
  const row = (await db('pricelist as pl')
    .leftJoin('itemtype as it', 'it.id', 'pl.itemtype')
    .where('pl.id', pricelist)
    .first('it.intname as intname')) as { intname: string | null } | undefined;
  return row === undefined ? undefined : { itemType: row.intname ?? null };
}

/** What the offers have left of their budgets (offers without a budget are not listed). */
export async function budgetsLeft(
  db: Db,
  promotions: readonly number[],
): Promise<{ promotion: number; left_minor: string; budget_currency: string }[]> {
  if (promotions.length === 0) return [];
  const rows = (await db(DISCOUNT_TABLE)
    .whereIn('promotion', [...promotions])
    .whereNotNull('budget_minor')
    .select('promotion', 'budget_minor', 'spent_minor', 'budget_currency')) as {
    promotion: number;
    budget_minor: string | number;
    spent_minor: string | number;
    budget_currency: string;
  }[];
  return rows.map((r) => ({
    promotion: Number(r.promotion),
    left_minor: (BigInt(String(r.budget_minor)) - BigInt(String(r.spent_minor))).toString(),
    budget_currency: r.budget_currency,
  }));
}
