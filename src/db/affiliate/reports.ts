/** What the admin's reports read: a partner's referrals, earnings and charges per referral, the ledger. */
import type { Db } from '../types';
import { placeholders, selectRows } from './sql';
import { T, type DbAffiliateLedgerRow, type ReferralSource, type ReferralStatus } from './tables';

export interface ReferralOfPartnerRow {
  id: number;
  account: number;
  name: string | null;
  source: ReferralSource;
  bound_at: string;
  reward_until: string | null;
  status: ReferralStatus;
  status_reason: string | null;
}

/** The partner's referrals with the referred account's name, in the order they were bound. */
export async function referralsOfPartner(db: Db, affiliate: number): Promise<ReferralOfPartnerRow[]> {
  return selectRows<ReferralOfPartnerRow>(
    db,
    `SELECT r.id, r.account, acc.name, r.source, r.bound_at, r.reward_until, r.status, r.status_reason
       FROM ${T.referral} r LEFT JOIN account acc ON acc.id = r.account
      WHERE r.affiliate = ? ORDER BY r.bound_at, r.id`,
    [affiliate],
  );
}

/** The partner's commission on its referrals' expenses, summed per currency in minor units. */
export async function expenseCommissionOf(
  db: Db,
  affiliate: number,
): Promise<Array<{ currency: string; total: unknown }>> {
  return selectRows<{ currency: string; total: unknown }>(
    db,
    `SELECT currency, SUM(amount_minor) AS total FROM ${T.ledger}
      WHERE affiliate = ? AND source_kind = 'expenses' GROUP BY currency ORDER BY currency`,
    [affiliate],
  );
}

/** The rewards booked on each referral (earned and reversed), summed per currency in minor units. */
export async function earningsPerReferral(
  db: Db,
  ids: readonly number[],
): Promise<Array<{ referral: number; currency: string; total: unknown }>> {
  return selectRows(
    db,
    `SELECT referral, currency, SUM(amount_minor) AS total FROM ${T.ledger}
      WHERE referral IN (${placeholders(ids)}) AND kind IN ('earned', 'reversed')
      GROUP BY referral, currency`,
    ids,
  );
}

/** What each referral was charged inside its referral period, summed per currency. */
export async function chargedPerReferral(
  db: Db,
  ids: readonly number[],
): Promise<Array<{ referral: number; currency: string; total: unknown }>> {
  return selectRows(
    db,
    `SELECT r.id AS referral, c.iso AS currency, SUM(e.amount) AS total
       FROM ${T.referral} r
       JOIN expense e ON e.account = r.account
       JOIN currency c ON c.id = e.currency
      WHERE r.id IN (${placeholders(ids)}) AND e.realdate >= r.bound_at
        AND (r.reward_until IS NULL OR e.realdate < r.reward_until)
      GROUP BY r.id, c.iso`,
    ids,
  );
}

/** The latest `limit` (200) ledger entries of a partner or of every partner of an account, newest first. */
export async function latestLedgerRows(
  db: Db,
  filter: { affiliate?: number; account?: number; limit?: number },
): Promise<DbAffiliateLedgerRow[]> {
  const query = db(T.ledger)
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 200);
  if (filter.affiliate !== undefined) query.where({ affiliate: filter.affiliate });
  if (filter.account !== undefined) query.where({ account: filter.account });
  return (await query) as DbAffiliateLedgerRow[];
}
