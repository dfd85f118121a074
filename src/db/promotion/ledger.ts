/**
 * The promotional ledger (`bmp_promotion_ledger`): every redemption, credit, expiry and release is an entry naming
 * its source, unique by (kind, source), so no source is entered twice. A client's promotional balance is the sum
 * of its entries; nothing is ever edited, a correction is an entry of its own.
 */
import type { Knex } from 'knex';
import { isMysql } from '../connect';
import { concatSql } from '../affiliate/sql';
import { HOST_CREDIT_TABLE } from '../host-credit';
import type { Db } from '../types';
import { notPluginExpense } from '../host-credit';

export const LEDGER_TABLE = 'bmp_promotion_ledger';
/** A promotion's credits in the host's outbox are keyed `promotion:<source>` (promotions/redemption/wiring.ts). */
export const PROMOTION_CREDIT_KEY_PREFIX = 'promotion:';

export type LedgerKind = 'redemption' | 'credit' | 'expiry' | 'release';

export interface DbPromotionLedgerRow {
  id: string | number;
  account: number;
  promotion: number;
  redemption: string | number;
  kind: LedgerKind;
  source: string;
  amount_minor: string | number;
  currency: string;
  valid_until: string | null;
  payment: number | null;
  created_at: string;
}

export type NewLedgerRow = Omit<DbPromotionLedgerRow, 'id' | 'payment' | 'amount_minor'> & {
  amount_minor: string;
};

/** Adds an entry; its source entered before is a fault of the caller (a ConflictError from withTransaction). */
export async function addEntry(db: Db, row: NewLedgerRow): Promise<number> {
  const [id] = (await db(LEDGER_TABLE).insert(row)) as number[];
  return Number(id);
}

/** Adds an entry unless its source has one: for the re-runnable jobs. True when it was added now. */
export async function addEntryOnce(db: Db, row: NewLedgerRow): Promise<boolean> {
  if (isMysql(db as Knex)) {
    const { sql, bindings } = db(LEDGER_TABLE).insert(row).toSQL();
    const [result] = (await db.raw(
      sql.replace(/^insert/i, 'INSERT IGNORE'),
      bindings as Knex.RawBinding[],
    )) as unknown as [{ affectedRows: number }];
    return result.affectedRows === 1;
  }
  const before = await db(LEDGER_TABLE).where({ kind: row.kind, source: row.source }).first('id');
  if (before) return false;
  await db(LEDGER_TABLE).insert(row);
  return true;
}

export async function entryBySource(
  db: Db,
  kind: LedgerKind,
  source: string,
): Promise<DbPromotionLedgerRow | undefined> {
  return (await db(LEDGER_TABLE).where({ kind, source }).first()) as DbPromotionLedgerRow | undefined;
}

export async function setEntryPayment(db: Db, id: number, payment: number): Promise<void> {
  await db(LEDGER_TABLE).where({ id }).update({ payment });
}

/**
 * The account's entries, oldest first. A credit made through the host's outbox names its payment there (the
 * payment is made after the redemption's transaction), so an entry's payment is its own or its outbox credit's.
 */
export async function entriesOf(db: Db, account: number): Promise<DbPromotionLedgerRow[]> {
  const key = concatSql(db, [`'${PROMOTION_CREDIT_KEY_PREFIX}ledger:'`, 'CAST(l.id AS CHAR)']);
  return (await db(`${LEDGER_TABLE} as l`)
    .leftJoin(`${HOST_CREDIT_TABLE} as hc`, 'hc.credit_key', db.raw(key))
    .where('l.account', account)
    .orderBy('l.id')
    .select('l.*', db.raw('COALESCE(l.payment, hc.payment) AS payment'))) as DbPromotionLedgerRow[];
}

/** The sum of the account's entries per currency, in minor units. */
export async function balanceOf(db: Db, account: number): Promise<{ currency: string; minor: bigint }[]> {
  const rows = (await db(LEDGER_TABLE)
    .where({ account })
    .groupBy('currency')
    .orderBy('currency')
    .select('currency')
    .sum({ total: 'amount_minor' })) as { currency: string; total: string | number | null }[];
  return rows.map((r) => ({ currency: r.currency, minor: BigInt(String(r.total ?? 0)) }));
}

/** Credits whose validity term ended by `now` (UTC) and that have no expiry entry yet, oldest first. */
export async function creditsEnded(db: Db, now: string, limit: number): Promise<DbPromotionLedgerRow[]> {
  return (await db(`${LEDGER_TABLE} as c`)
    .where('c.kind', 'credit')
    .where('c.valid_until', '<=', now)
    .whereNotExists((q) =>
      q
        .select(db.raw('1'))
        .from(`${LEDGER_TABLE} as e`)
        .where('e.kind', 'expiry')
        .where('e.source', db.raw(`${concat(db, ["'credit:'", 'CAST(c.id AS CHAR)'])}`)),
    )
    .orderBy('c.valid_until')
    .limit(limit)
    .select('c.*')) as DbPromotionLedgerRow[];
}

/**
 * The account's expenses in `currency` (ISO) from `from` (inclusive) to `to` (exclusive), as the host's decimal
 * text per row (summed by the caller in minor units through money.ts). Funds the plugin took back are no spending.
 */
export async function expenseAmounts(
  db: Db,
  account: number,
  currency: string,
  from: string,
  to: string,
): Promise<string[]> {
  const rows = (await db('expense as e')
    .join('currency as c', 'c.id', 'e.currency')
    .where({ 'e.account': account, 'c.iso': currency })
    .where('e.realdate', '>=', from)
    .where('e.realdate', '<', to)
    .whereRaw(notPluginExpense('e'))
    .select('e.amount')) as { amount: string | number }[];
  return rows.map((r) => String(r.amount));
}

function concat(db: Db, parts: readonly string[]): string {
  return isMysql(db as Knex) ? `CONCAT(${parts.join(', ')})` : parts.join(' || ');
}
