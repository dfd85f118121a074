/** bmp_affiliate_adjustment: an admin's manual adjustments of a partner's credit, the source of their ledger entries. */
import type { Db } from '../types';
import { T, type DbAffiliateAdjustmentRow } from './tables';

export async function insertAdjustment(db: Db, row: Omit<DbAffiliateAdjustmentRow, 'id'>): Promise<number> {
  const [id] = await db(T.adjustment).insert(row);
  return Number(id);
}

export async function listAdjustmentRows(
  db: Db,
  filter: { affiliate?: number } = {},
): Promise<DbAffiliateAdjustmentRow[]> {
  const query = db(T.adjustment).orderBy('id');
  if (filter.affiliate !== undefined) query.where({ affiliate: filter.affiliate });
  return (await query) as DbAffiliateAdjustmentRow[];
}

/** Whether the host knows the currency (ISO code): credit in another currency could never be applied. */
export async function hostHasCurrency(db: Db, iso: string): Promise<boolean> {
  return (await db('currency').where({ iso }).first('id')) !== undefined;
}
