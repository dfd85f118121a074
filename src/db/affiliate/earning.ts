/**
 * The facts a monthly run's earnings are computed from, set-based for a page of partners: sums of referrals'
 * expenses, their paid invoices, counts of billed referrals (src/affiliate/earning.ts turns them into rewards).
 */
import { PAYMENT_STATUS } from '../payment';
import type { Db } from '../types';
import { placeholders, selectRows } from './sql';
import { T } from './tables';

export type ExpenseTotalRow = {
  affiliate: number;
  account_type: string | null;
  currency: number;
  total: unknown;
};

/**
 * The month's expenses of the partners' active referrals inside their referral periods, summed per partner, currency
 * and (with `byType`) the referral's account type.
 */
export async function monthExpensesOfReferrals(
  db: Db,
  page: { affiliates: readonly number[]; start: string; end: string; byType: boolean },
): Promise<ExpenseTotalRow[]> {
  return selectRows<ExpenseTotalRow>(
    db,
    `SELECT r.affiliate, ${page.byType ? 'acc.account_type' : 'NULL'} AS account_type, e.currency, SUM(e.amount) AS total
       FROM ${T.referral} r
       ${page.byType ? 'JOIN account acc ON acc.id = r.account' : ''}
       JOIN expense e ON e.account = r.account
      WHERE r.affiliate IN (${placeholders(page.affiliates)}) AND r.status = 'active'
        AND e.realdate >= ? AND e.realdate < ?
        AND e.realdate >= r.bound_at AND (r.reward_until IS NULL OR e.realdate < r.reward_until)
      GROUP BY r.affiliate, ${page.byType ? 'acc.account_type, ' : ''}e.currency`,
    [...page.affiliates, page.start, page.end],
  );
}

export type PaidInvoiceRow = {
  referral: number;
  affiliate: number;
  account: number;
  account_type: string | null;
  payment: number;
  paydate: string;
  nth: number | string;
};

/**
 * The first `maxNth` paid invoices of each active referral of the partners (counted from binding, inside the
 * referral period, paid before `end`), `nth` numbering them; referrals that earned a one-time reward are left out.
 */
export async function nthPaidInvoices(
  db: Db,
  page: { affiliates: readonly number[]; end: string; maxNth: number },
): Promise<PaidInvoiceRow[]> {
  return selectRows<PaidInvoiceRow>(
    db,
    `SELECT * FROM (
       SELECT r.id AS referral, r.affiliate, r.account, acc.account_type, p.id AS payment, p.paydate,
              ROW_NUMBER() OVER (PARTITION BY r.id ORDER BY p.paydate, p.id) AS nth
         FROM ${T.referral} r
         JOIN account acc ON acc.id = r.account
         JOIN payment p ON p.account = r.account AND p.status = ${PAYMENT_STATUS.paid} AND p.paydate IS NOT NULL
        WHERE r.affiliate IN (${placeholders(page.affiliates)}) AND r.status = 'active'
          AND p.paydate >= r.bound_at AND (r.reward_until IS NULL OR p.paydate < r.reward_until) AND p.paydate < ?
          AND NOT EXISTS (SELECT 1 FROM ${T.ledger} l
                           WHERE l.referral = r.id AND l.kind = 'earned' AND l.source_kind = 'referral' AND l.period = 'once')
     ) ranked WHERE nth <= ?`,
    [...page.affiliates, page.end, page.maxNth],
  );
}

export type MonthInvoiceRow = {
  referral: number;
  affiliate: number;
  account: number;
  account_type: string | null;
  payment: number;
  paydate: string;
  first_paid: string | null;
};

/**
 * Each active referral of the partners with a paid invoice in [start, end) inside its referral period: the first
 * such invoice, and the referral's first paid invoice since binding.
 */
export async function firstPaidInvoicesInMonth(
  db: Db,
  page: { affiliates: readonly number[]; start: string; end: string },
): Promise<MonthInvoiceRow[]> {
  return selectRows<MonthInvoiceRow>(
    db,
    `SELECT r.id AS referral, r.affiliate, r.account, acc.account_type, MIN(p.id) AS payment, MIN(p.paydate) AS paydate,
            (SELECT MIN(p2.paydate) FROM payment p2
              WHERE p2.account = r.account AND p2.status = ${PAYMENT_STATUS.paid} AND p2.paydate >= r.bound_at) AS first_paid
       FROM ${T.referral} r
       JOIN account acc ON acc.id = r.account
       JOIN payment p ON p.account = r.account AND p.status = ${PAYMENT_STATUS.paid}
      WHERE r.affiliate IN (${placeholders(page.affiliates)}) AND r.status = 'active'
        AND p.paydate >= ? AND p.paydate < ?
        AND p.paydate >= r.bound_at AND (r.reward_until IS NULL OR p.paydate < r.reward_until)
      GROUP BY r.id, r.affiliate, r.account, acc.account_type, r.bound_at`,
    [...page.affiliates, page.start, page.end],
  );
}

export type ReferralMonthRow = { referral: number; month: string; currency: string; total: unknown };

/** The referrals' expenses since binding and before `end`, summed per calendar month and currency, oldest first. */
export async function expensesByMonthOfReferrals(
  db: Db,
  referrals: readonly number[],
  end: string,
): Promise<ReferralMonthRow[]> {
  return selectRows<ReferralMonthRow>(
    db,
    `SELECT r.id AS referral, SUBSTR(e.realdate, 1, 7) AS month, c.iso AS currency, SUM(e.amount) AS total
       FROM ${T.referral} r
       JOIN expense e ON e.account = r.account
       JOIN currency c ON c.id = e.currency
      WHERE r.id IN (${placeholders(referrals)}) AND e.realdate >= r.bound_at AND e.realdate < ?
      GROUP BY r.id, SUBSTR(e.realdate, 1, 7), c.iso
      ORDER BY r.id, month, c.iso`,
    [...referrals, end],
  );
}

export type ActiveReferralsRow = { affiliate: number; account_type: string | null; active: number | string };

/** The partners' active referrals billed in [start, end), counted per partner and the referral's account type. */
export async function billedReferralCounts(
  db: Db,
  page: { affiliates: readonly number[]; start: string; end: string },
): Promise<ActiveReferralsRow[]> {
  return selectRows<ActiveReferralsRow>(
    db,
    `SELECT r.affiliate, acc.account_type, COUNT(*) AS active
       FROM ${T.referral} r
       JOIN account acc ON acc.id = r.account
      WHERE r.affiliate IN (${placeholders(page.affiliates)}) AND r.status = 'active'
        AND r.bound_at < ? AND (r.reward_until IS NULL OR r.reward_until > ?)
        AND EXISTS (SELECT 1 FROM expense e WHERE e.account = r.account AND e.realdate >= ? AND e.realdate < ?)
      GROUP BY r.affiliate, acc.account_type`,
    [...page.affiliates, page.end, page.start, page.start, page.end],
  );
}
