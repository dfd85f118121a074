/** What the admin's reports read: a partner's referrals, earnings and charges per referral, the ledger. */
import { activeReferralSql } from './earning';
import type { Db } from '../types';
import { placeholders, selectRows } from './sql';
import { T, type DbAffiliateLedgerRow, type ReferralSource, type ReferralStatus } from './tables';
import { notPluginExpense } from '../host-credit';

export interface ReferralOfPartnerRow {
  id: number;
  account: number;
  name: string | null;
  source: ReferralSource;
  bound_at: string;
  reward_until: string | null;
  status: ReferralStatus;
  status_reason: string | null;
  unassigned_at: string | null;
}

/** The partner's referrals with the referred account's name, in the order they were bound. */
export async function referralsOfPartner(db: Db, affiliate: number): Promise<ReferralOfPartnerRow[]> {
  return selectRows<ReferralOfPartnerRow>(
    db,
    `SELECT r.id, r.account, acc.name, r.source, r.bound_at, r.reward_until, r.status, r.status_reason,
            r.unassigned_at
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
        AND (r.reward_until IS NULL OR e.realdate < r.reward_until) AND ${notPluginExpense('e')}
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

export interface PartnerOverviewRow {
  affiliate: number;
  account: number;
  program: number;
  promocode: string;
  active: number | boolean;
  visits: unknown;
  hits: unknown;
  signups: unknown;
  active_referrals: unknown;
}

/**
 * Per partner (one, or all by id): its counter visits (rows: one per visitor and day) and their hits, its signups
 * (every account bound to it), and its active referrals at `now`: bound, not refused or unassigned, inside the
 * referral period, and active by the one definition (`activeReferralSql`: an active main service, not in arrears).
 */
export async function partnerOverviewRows(
  db: Db,
  filter: { affiliate?: number; now: string },
): Promise<PartnerOverviewRow[]> {
  const one = filter.affiliate !== undefined;
  return selectRows<PartnerOverviewRow>(
    db,
    `SELECT a.id AS affiliate, a.account, a.program, a.promocode, a.active,
            (SELECT COUNT(*) FROM ${T.visit} v WHERE v.affiliate = a.id) AS visits,
            (SELECT COALESCE(SUM(v.hits), 0) FROM ${T.visit} v WHERE v.affiliate = a.id) AS hits,
            (SELECT COUNT(*) FROM ${T.referral} r WHERE r.affiliate = a.id) AS signups,
            (SELECT COUNT(*) FROM ${T.referral} r JOIN account acc ON acc.id = r.account
              WHERE r.affiliate = a.id AND r.status = 'active' AND r.unassigned_at IS NULL
                AND r.bound_at <= ? AND (r.reward_until IS NULL OR r.reward_until > ?)
                AND ${activeReferralSql('r', 'acc')}
            ) AS active_referrals
       FROM ${T.affiliate} a ${one ? 'WHERE a.id = ?' : ''} ORDER BY a.id`,
    [filter.now, filter.now, ...(one ? [filter.affiliate!] : [])],
  );
}

export interface CommissionRow {
  id: number | string;
  kind: string;
  rule: string;
  rule_ref: string | null;
  period: string;
  currency: string;
  amount_minor: unknown;
  source_kind: string;
  source_id: number | string;
  referral: number | null;
  referred_account: number | null;
  payment: number | null;
  run: number | null;
  available_on: string | null;
  created_at: string;
  note: string | null;
}

/** The partner's rewards and their reversals (earned, reversed), oldest first, with the referred account. */
export async function commissionRows(
  db: Db,
  filter: { affiliate: number; period?: string },
): Promise<CommissionRow[]> {
  return selectRows<CommissionRow>(
    db,
    `SELECT l.id, l.kind, l.rule, l.rule_ref, l.period, l.currency, l.amount_minor, l.source_kind, l.source_id,
            l.referral, r.account AS referred_account, l.payment, l.run, l.available_on, l.created_at, l.note
       FROM ${T.ledger} l LEFT JOIN ${T.referral} r ON r.id = l.referral
      WHERE l.affiliate = ? AND l.kind IN ('earned', 'reversed') ${filter.period ? 'AND l.period = ?' : ''}
      ORDER BY l.id`,
    [filter.affiliate, ...(filter.period ? [filter.period] : [])],
  );
}

/**
 * What each referral of the partner was charged in each of the months (YYYY-MM), inside its referral period: the
 * expenses a month's commission was computed from.
 */
export async function monthChargesPerReferral(
  db: Db,
  affiliate: number,
  months: readonly string[],
): Promise<Array<{ referral: number; account: number; month: string; currency: string; total: unknown }>> {
  return selectRows(
    db,
    `SELECT r.id AS referral, r.account, SUBSTR(e.realdate, 1, 7) AS month, c.iso AS currency, SUM(e.amount) AS total
       FROM ${T.referral} r
       JOIN expense e ON e.account = r.account
       JOIN currency c ON c.id = e.currency
      WHERE r.affiliate = ? AND SUBSTR(e.realdate, 1, 7) IN (${placeholders(months)})
        AND e.realdate >= r.bound_at AND (r.reward_until IS NULL OR e.realdate < r.reward_until)
        AND ${notPluginExpense('e')}
      GROUP BY r.id, r.account, SUBSTR(e.realdate, 1, 7), c.iso
      ORDER BY r.id, month, c.iso`,
    [affiliate, ...months],
  );
}
