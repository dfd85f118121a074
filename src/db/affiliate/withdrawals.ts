/** bmp_affiliate_withdrawal: partners' payout requests and how they were settled. */
import type { Db } from '../types';
import { T, type DbAffiliateWithdrawalRow } from './tables';

export async function insertWithdrawal(
  db: Db,
  row: Omit<DbAffiliateWithdrawalRow, 'id' | 'decided_at' | 'note'>,
): Promise<number> {
  const [id] = await db(T.withdrawal).insert(row);
  return Number(id);
}

export async function findWithdrawal(db: Db, id: number): Promise<DbAffiliateWithdrawalRow | undefined> {
  return (await db(T.withdrawal).where({ id }).first()) as DbAffiliateWithdrawalRow | undefined;
}

/** Settles a request that is still `requested`; false when it was settled meanwhile. */
export async function settleRequestedWithdrawal(
  db: Db,
  id: number,
  settled: Pick<DbAffiliateWithdrawalRow, 'status' | 'decided_at' | 'note'>,
): Promise<boolean> {
  return (await db(T.withdrawal).where({ id, status: 'requested' }).update(settled)) === 1;
}

export async function listWithdrawalRows(
  db: Db,
  filter: { affiliate?: number; status?: string } = {},
): Promise<DbAffiliateWithdrawalRow[]> {
  const query = db(T.withdrawal).orderBy('id');
  if (filter.affiliate !== undefined) query.where({ affiliate: filter.affiliate });
  if (filter.status !== undefined) query.where({ status: filter.status });
  return (await query) as DbAffiliateWithdrawalRow[];
}
