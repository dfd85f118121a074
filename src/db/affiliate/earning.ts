/**
 * The facts a monthly run's earnings are computed from, set-based for a page of partners: sums of referrals'
 * expenses, their paid invoices, counts of active referrals (src/affiliate/earning.ts turns them into rewards).
 */
import { ITEM_STATUS } from '../item-services';
import { paidInvoiceSql } from '../payment';
import { IN_ARREARS_BELOW_BALANCE } from '../../host/facts';
import type { Db } from '../types';
import { placeholders, selectRows } from './sql';
import { T } from './tables';
import { notPluginExpense } from '../host-credit';

export type ExpenseTotalRow = {
  affiliate: number;
  account_type: string | null;
  currency: number;
  total: unknown;
};

/**
 * The month's expenses of the partners' active referrals inside their referral periods, summed per partner, currency
 * and (with `byType`) the referral's account type. Only charges count: a negative expense (money the host gave
 * back) is clawed back from the referral's commissions (src/affiliate/clawback.ts), so that it and a refund of the
 * same money are not both taken.
 */
export async function monthExpensesOfReferrals(
  db: Db,
  page: { affiliates: readonly number[]; start: string; end: string; byType: boolean },
): Promise<ExpenseTotalRow[]> {
  return selectRows<ExpenseTotalRow>(
    db,
    `SELECT r.affiliate, ${page.byType ? 'acc.account_type' : 'NULL'} AS account_type, e.currency,
            SUM(CASE WHEN e.amount > 0 THEN e.amount ELSE 0 END) AS total
       FROM ${T.referral} r
       ${page.byType ? 'JOIN account acc ON acc.id = r.account' : ''}
       JOIN expense e ON e.account = r.account
      WHERE r.affiliate IN (${placeholders(page.affiliates)}) AND r.status = 'active'
        AND e.realdate >= ? AND e.realdate < ?
        AND e.realdate >= r.bound_at AND (r.reward_until IS NULL OR e.realdate < r.reward_until)
        AND ${notPluginExpense('e')}
      GROUP BY r.affiliate, ${page.byType ? 'acc.account_type, ' : ''}e.currency`,
    [...page.affiliates, page.start, page.end],
  );
}

export type BookedCommissionRow = { affiliate: number; period: string; currency: string; total: unknown };

/**
 * What the partners' percent-of-expenses commissions of these months already booked, per partner, month, currency.
 * A month of net refunds before migration 20261202_0008 booked a negative ('reversed') commission: it counts too,
 * so that re-running such a month pays its charges once, and the clawback then takes what was given back.
 */
export async function bookedExpenseCommissions(
  db: Db,
  page: { affiliates: readonly number[]; periods: readonly string[] },
): Promise<BookedCommissionRow[]> {
  return selectRows<BookedCommissionRow>(
    db,
    `SELECT affiliate, period, currency, SUM(amount_minor) AS total
       FROM ${T.ledger}
      WHERE affiliate IN (${placeholders(page.affiliates)}) AND kind IN ('earned', 'reversed')
        AND source_kind = 'expenses'
        AND rule = 'percent_of_expenses' AND period IN (${placeholders(page.periods)})
      GROUP BY affiliate, period, currency`,
    [...page.affiliates, ...page.periods],
  );
}

/** Marks the run with the highest expense id now, and returns it: the expenses the run can see. */
export async function markExpenseHighWater(db: Db, run: number): Promise<bigint> {
  const [row] = await selectRows<{ mark: unknown }>(db, `SELECT COALESCE(MAX(id), 0) AS mark FROM expense`);
  const mark = BigInt(String(row?.mark ?? 0));
  await db(T.run).where({ id: run }).update({ expense_high_water: mark.toString() });
  return mark;
}

export type RunMarkRow = { period: string; high_water: unknown };

/** The months earlier runs paid, each with the highest expense mark among its runs (runs before marks left out). */
export async function expenseMarksOfRuns(db: Db, exceptRun: number): Promise<RunMarkRow[]> {
  return selectRows<RunMarkRow>(
    db,
    `SELECT period, MAX(expense_high_water) AS high_water FROM ${T.run}
      WHERE id <> ? AND expense_high_water IS NOT NULL GROUP BY period`,
    [exceptRun],
  );
}

export type LateExpenseRow = { affiliate: number; month: string; last_expense: unknown };

/**
 * Charges of active referrals with ids in (after, upTo] dated in [start, end), inside their referral periods: per
 * partner and calendar month, the highest such expense id (the caller compares it with the month's mark). The id
 * range keeps this to the rows booked since the earliest mark.
 */
export async function newExpensesByMonth(
  db: Db,
  range: { after: bigint; upTo: bigint; start: string; end: string },
): Promise<LateExpenseRow[]> {
  return selectRows<LateExpenseRow>(
    db,
    `SELECT r.affiliate, SUBSTR(e.realdate, 1, 7) AS month, MAX(e.id) AS last_expense
       FROM expense e
       JOIN ${T.referral} r ON r.account = e.account AND r.status = 'active'
      WHERE e.id > ? AND e.id <= ? AND e.amount > 0 AND e.realdate >= ? AND e.realdate < ?
        AND e.realdate >= r.bound_at AND (r.reward_until IS NULL OR e.realdate < r.reward_until)
        AND ${notPluginExpense('e')}
      GROUP BY r.affiliate, SUBSTR(e.realdate, 1, 7)`,
    [range.after.toString(), range.upTo.toString(), range.start, range.end],
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
         JOIN payment p ON p.account = r.account AND ${paidInvoiceSql('p')}
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
              WHERE p2.account = r.account AND ${paidInvoiceSql('p2')} AND p2.paydate >= r.bound_at) AS first_paid
       FROM ${T.referral} r
       JOIN account acc ON acc.id = r.account
       JOIN payment p ON p.account = r.account AND ${paidInvoiceSql('p')}
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
        AND ${notPluginExpense('e')}
      GROUP BY r.id, SUBSTR(e.realdate, 1, 7), c.iso
      ORDER BY r.id, month, c.iso`,
    [...referrals, end],
  );
}

export type ActiveReferralsRow = { affiliate: number; account_type: string | null; active: number | string };

/**
 * SQL true when the referral `r` of account `acc` is an active referral (src/domain/affiliate/definitions.ts): a
 * main service (an `item` without a parent) active, and the account not in arrears ([assumed] in host/facts.ts:
 * its balance not below zero). Both are read as the host holds them when the run reads them.
 */
export function activeReferralSql(r: string, acc: string): string {
  return `(EXISTS (SELECT 1 FROM item i WHERE i.account = ${r}.account AND i.parent IS NULL AND i.status = ${ITEM_STATUS.active})
    AND ${acc}.balance >= ${IN_ARREARS_BELOW_BALANCE})`;
}

/**
 * The partners' active referrals whose referral period overlaps the month [start, end), counted per partner and
 * the referral's account type.
 */
export async function activeReferralCounts(
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
        AND ${activeReferralSql('r', 'acc')}
      GROUP BY r.affiliate, acc.account_type`,
    [...page.affiliates, page.end, page.start],
  );
}
