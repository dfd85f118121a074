/**
 * Redemptions of promo codes and certificates and the counters they move, attempts at typing a code, and the
 * promotion terms a redemption reads (`bmp_promotion`, migration 0001: read here, written by the promotions
 * service). Counters are moved only by conditional UPDATEs (`... WHERE uses < limit`), never read-then-written.
 */
import type { Knex } from 'knex';
import { HOST_PAYMENT_STATUS } from '../../host/facts';
import { PLUGIN_PAYMENTS_SQL } from '../host-credit';
import { isMysql } from '../connect';
import type { Db } from '../types';
import { CODE_TABLE } from './codes';

export const REDEMPTION_TABLE = 'bmp_promotion_redemption';
export const ATTEMPT_TABLE = 'bmp_promotion_attempt';
const CODE_CLIENT_TABLE = 'bmp_promotion_code_client';
const PROMOTION_CLIENT_TABLE = 'bmp_promotion_client';

/** The columns of `bmp_promotion` a redemption needs. */
export interface DbPromotionTermsRow {
  id: number;
  project: number;
  kind: 'discount' | 'certificate';
  status: 'draft' | 'active' | 'archived';
  starts_at: string | null;
  ends_at: string | null;
  per_client_limit: number | null;
}

export async function promotionTerms(db: Db, id: number): Promise<DbPromotionTermsRow | undefined> {
  return (await db('bmp_promotion')
    .where({ id })
    .first('id', 'project', 'kind', 'status', 'starts_at', 'ends_at', 'per_client_limit')) as
    DbPromotionTermsRow | undefined;
}

export interface DbPromotionRedemptionRow {
  id: string | number;
  idempotency_key: string;
  promotion: number;
  code: string | number;
  account: number;
  status: 'reserved' | 'committed' | 'released';
  order_ref: string | null;
  amount_minor: string | number | null;
  currency: string | null;
  based_on_payment: number | null;
  reserved_at: string;
  hold_until: string | null;
  committed_at: string | null;
  released_at: string | null;
  release_reason: 'cancelled' | 'timed_out' | null;
}

export type NewRedemptionRow = Omit<
  DbPromotionRedemptionRow,
  'id' | 'committed_at' | 'released_at' | 'release_reason'
> & { committed_at: string | null };

export async function insertRedemption(db: Db, row: NewRedemptionRow): Promise<number> {
  const [id] = (await db(REDEMPTION_TABLE).insert(row)) as number[];
  return Number(id);
}

export async function redemptionByKey(db: Db, key: string): Promise<DbPromotionRedemptionRow | undefined> {
  return (await db(REDEMPTION_TABLE).where({ idempotency_key: key }).first()) as
    DbPromotionRedemptionRow | undefined;
}

export async function redemptionById(db: Db, id: number): Promise<DbPromotionRedemptionRow | undefined> {
  return (await db(REDEMPTION_TABLE).where({ id }).first()) as DbPromotionRedemptionRow | undefined;
}

/** Moves a redemption from `from` to its next status; false when it was not in `from` (done already, or never). */
export async function moveRedemption(
  db: Db,
  id: number,
  from: 'reserved',
  changes: Partial<
    Pick<DbPromotionRedemptionRow, 'status' | 'committed_at' | 'released_at' | 'release_reason'>
  >,
): Promise<boolean> {
  return Number(await db(REDEMPTION_TABLE).where({ id, status: from }).update(changes)) === 1;
}

export async function setRedemptionAmount(
  db: Db,
  id: number,
  amount: { amount_minor: string; currency: string; based_on_payment: number | null },
): Promise<void> {
  await db(REDEMPTION_TABLE).where({ id }).update(amount);
}

/** Reservations whose hold ended before `now` (UTC), oldest first. */
export async function heldTooLong(db: Db, now: string, limit: number): Promise<DbPromotionRedemptionRow[]> {
  return (await db(REDEMPTION_TABLE)
    .where({ status: 'reserved' })
    .where('hold_until', '<', now)
    .orderBy('hold_until')
    .limit(limit)) as DbPromotionRedemptionRow[];
}

export interface RedemptionFilter {
  promotion?: number;
  account?: number;
  code?: number;
  status?: DbPromotionRedemptionRow['status'];
}

export async function redemptions(
  db: Db,
  filter: RedemptionFilter,
  limit: number,
): Promise<(DbPromotionRedemptionRow & { code_text: string })[]> {
  const query = db(`${REDEMPTION_TABLE} as r`)
    .join(`${CODE_TABLE} as c`, 'c.id', 'r.code')
    .select('r.*', 'c.code as code_text')
    .orderBy('r.id')
    .limit(limit);
  if (filter.promotion !== undefined) query.where('r.promotion', filter.promotion);
  if (filter.account !== undefined) query.where('r.account', filter.account);
  if (filter.code !== undefined) query.where('r.code', filter.code);
  if (filter.status !== undefined) query.where('r.status', filter.status);
  return (await query) as (DbPromotionRedemptionRow & { code_text: string })[];
}

// The counters, always taken in this order by every redemption and release (so two of them never wait on each
// other crosswise): the client's uses of the promotion, the client's uses of the code, the code's uses, the most
// contended last. Each UPDATE answers whether it moved.

/** One more use of the code, unless it reached its limit or was revoked. */
export async function takeCodeUse(db: Db, code: number): Promise<boolean> {
  const moved = await db(CODE_TABLE)
    .where({ id: code })
    .whereNull('revoked_at')
    .where((w) => w.whereNull('uses_limit').orWhere('uses', '<', db.ref('uses_limit')))
    .increment('uses', 1);
  return Number(moved) === 1;
}

/** One more use of the code by the account, unless it has `limit` already (NULL: counted, never refused). */
export async function takeCodeClientUse(
  db: Db,
  code: number,
  account: number,
  limit: number | null,
): Promise<boolean> {
  await ensureCounter(db, CODE_CLIENT_TABLE, { code, account });
  return bump(db(CODE_CLIENT_TABLE).where({ code, account }), limit);
}

/** One more use of the promotion by the account, unless it has `limit` already. */
export async function takePromotionClientUse(
  db: Db,
  promotion: number,
  account: number,
  limit: number | null,
): Promise<boolean> {
  await ensureCounter(db, PROMOTION_CLIENT_TABLE, { promotion, account });
  return bump(db(PROMOTION_CLIENT_TABLE).where({ promotion, account }), limit);
}

/** Gives the three uses of a released redemption back, in the same order they were taken. */
export async function giveUsesBack(
  db: Db,
  r: { code: number; promotion: number; account: number },
): Promise<void> {
  await db(PROMOTION_CLIENT_TABLE)
    .where({ promotion: r.promotion, account: r.account })
    .where('uses', '>', 0)
    .decrement('uses', 1);
  await db(CODE_CLIENT_TABLE)
    .where({ code: r.code, account: r.account })
    .where('uses', '>', 0)
    .decrement('uses', 1);
  await db(CODE_TABLE).where({ id: r.code }).where('uses', '>', 0).decrement('uses', 1);
}

export async function clientUses(
  db: Db,
  promotion: number,
  account: number,
): Promise<{ promotion: number; codes: { code: number; uses: number }[] }> {
  const p = (await db(PROMOTION_CLIENT_TABLE).where({ promotion, account }).first('uses')) as
    { uses: number } | undefined;
  const codes = (await db(`${CODE_CLIENT_TABLE} as cc`)
    .join(`${CODE_TABLE} as c`, 'c.id', 'cc.code')
    .where({ 'c.promotion': promotion, 'cc.account': account })
    .select('cc.code', 'cc.uses')) as { code: string | number; uses: number }[];
  return {
    promotion: p?.uses ?? 0,
    codes: codes.map((c) => ({ code: Number(c.code), uses: Number(c.uses) })),
  };
}

async function bump(query: Knex.QueryBuilder, limit: number | null): Promise<boolean> {
  if (limit !== null) query.where('uses', '<', limit);
  return Number(await query.increment('uses', 1)) === 1;
}

/** The counter row, with no use yet, unless it exists: the conditional UPDATE needs a row to move. */
async function ensureCounter(db: Db, table: string, key: Record<string, number>): Promise<void> {
  const row = { ...key, uses: 0 };
  if (isMysql(db as Knex)) {
    const { sql, bindings } = db(table).insert(row).toSQL();
    await db.raw(`${sql} ON DUPLICATE KEY UPDATE uses = uses`, bindings as Knex.RawBinding[]);
  } else {
    await db(table).insert(row).onConflict(Object.keys(key)).ignore();
  }
}

export interface DbPromotionAttemptRow {
  id: string | number;
  account: number;
  address: string | null;
  code_key: string;
  idempotency_key: string | null;
  outcome: 'redeemed' | 'refused';
  reason: string | null;
  failed_condition: string | null;
  redemption: string | number | null;
  at: string;
}

/** Records an attempt; one already recorded under the same idempotency key stays as it is. */
export async function recordAttempt(db: Db, row: Omit<DbPromotionAttemptRow, 'id'>): Promise<void> {
  if (row.idempotency_key === null) {
    await db(ATTEMPT_TABLE).insert(row);
    return;
  }
  if (isMysql(db as Knex)) {
    const { sql, bindings } = db(ATTEMPT_TABLE).insert(row).toSQL();
    await db.raw(`${sql} ON DUPLICATE KEY UPDATE id = id`, bindings as Knex.RawBinding[]);
  } else {
    await db(ATTEMPT_TABLE).insert(row).onConflict('idempotency_key').ignore();
  }
}

export async function attemptByKey(db: Db, key: string): Promise<DbPromotionAttemptRow | undefined> {
  return (await db(ATTEMPT_TABLE).where({ idempotency_key: key }).first()) as
    DbPromotionAttemptRow | undefined;
}

/** Refused attempts since `since` (UTC) by the account and from the address; those refused unseen do not count. */
export async function refusedAttempts(
  db: Db,
  account: number,
  address: string | null,
  since: string,
): Promise<{ account: number; address: number }> {
  const count = async (column: 'account' | 'address', value: number | string): Promise<number> => {
    const row = (await db(ATTEMPT_TABLE)
      .where({ [column]: value, outcome: 'refused' })
      .whereNot('reason', 'too_many_attempts')
      .where('at', '>=', since)
      .count({ n: '*' })
      .first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  };
  return {
    account: await count('account', account),
    address: address === null ? 0 : await count('address', address),
  };
}

/**
 * The account's last credited payment: the latest paid one, by pay date then id, of the client's own (a payment the
 * plugin made, a certificate's or a reward's, is not one to take a percentage of).
 */
export async function lastCreditedPayment(
  db: Db,
  account: number,
): Promise<{ id: number; amount: string; currency: string } | undefined> {
  const row = (await db('payment as p')
    .join('currency as c', 'c.id', 'p.currency')
    .where({ 'p.account': account, 'p.status': HOST_PAYMENT_STATUS.credited })
    .whereRaw(`p.id NOT IN (${PLUGIN_PAYMENTS_SQL})`)
    .orderBy([
      { column: 'p.paydate', order: 'desc' },
      { column: 'p.id', order: 'desc' },
    ])
    .first('p.id', 'p.amount', 'c.iso')) as { id: number; amount: string | number; iso: string } | undefined;
  return row ? { id: Number(row.id), amount: String(row.amount), currency: row.iso } : undefined;
}

/** The ISO code of the account's currency, for the entries of redemptions that move no money. */
export async function accountCurrency(db: Db, account: number): Promise<string | undefined> {
  const row = (await db('account as a')
    .join('currency as c', 'c.id', 'a.currency')
    .where('a.id', account)
    .first('c.iso')) as { iso: string } | undefined;
  return row?.iso;
}
