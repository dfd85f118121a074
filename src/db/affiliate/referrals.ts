/** bmp_affiliate_referral (one per referred account), the counter's visits and the refusals report. */
import type { Db } from '../types';
import { T, type DbAffiliateReferralRow, type ReferralSource } from './tables';

/** The visitor's latest partner-link visit between `since` and `until` (inclusive). */
export async function latestVisitOf(
  db: Db,
  visitor: string,
  since: string,
  until: string,
): Promise<{ id: number | string; affiliate: number } | undefined> {
  return (await db(T.visit)
    .where({ visitor })
    .where('visited_at', '>=', since)
    .where('visited_at', '<=', until)
    .orderBy([
      { column: 'visited_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first('id', 'affiliate')) as { id: number | string; affiliate: number } | undefined;
}

export async function findReferralOfAccount(
  db: Db,
  account: number,
): Promise<DbAffiliateReferralRow | undefined> {
  return (await db(T.referral).where({ account }).first()) as DbAffiliateReferralRow | undefined;
}

export type ReferralColumns = Omit<DbAffiliateReferralRow, 'id'>;

export async function insertReferral(db: Db, row: ReferralColumns): Promise<number> {
  const [id] = await db(T.referral).insert(row);
  return Number(id);
}

export async function updateReferral(db: Db, id: number, row: ReferralColumns): Promise<void> {
  await db(T.referral).where({ id }).update(row);
}

export async function insertRefusal(
  db: Db,
  row: {
    affiliate: number | null;
    account: number;
    /** How the binding was tried, or 'run' when a monthly run refused the referral. */
    source: ReferralSource | 'run';
    reason: string;
    created_at: string;
  },
): Promise<void> {
  await db(T.refusal).insert(row);
}

/** The newest partner-link visit from `ip` between `since` and `until` (inclusive). */
export async function latestVisitFromIp(
  db: Db,
  ip: string,
  since: string,
  until: string,
): Promise<{ id: number; affiliate: number } | undefined> {
  const row = (await db(T.visit)
    .where({ ip })
    .where('visited_at', '>=', since)
    .where('visited_at', '<=', until)
    .orderBy([
      { column: 'visited_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first('id', 'affiliate')) as { id: number | string; affiliate: number } | undefined;
  return row ? { id: Number(row.id), affiliate: Number(row.affiliate) } : undefined;
}

/** Refuses an active referral (a run found it a self-referral); one already refused or cancelled is left. */
export async function refuseActiveReferral(db: Db, id: number, reason: string): Promise<void> {
  await db(T.referral).where({ id, status: 'active' }).update({ status: 'refused', status_reason: reason });
}
